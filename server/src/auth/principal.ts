import type { PlaceKind, ScopedMembership } from '@mq/shared'

/** A staff membership with its place, as scope checks and the "me" view need it. */
export interface StaffMembershipScope extends ScopedMembership {
  id: string
  placeKind: PlaceKind
  placeName: string
}

export interface StaffPrincipal {
  kind: 'staff'
  sessionId: string
  staffId: string
  name: string
  phone: string
  memberships: StaffMembershipScope[]
}

export interface ResidentPrincipal {
  kind: 'resident'
  sessionId: string
  residentId: string
}

/** Who is calling, loaded fresh on every request so deactivation and membership changes apply at once. */
export type Principal = StaffPrincipal | ResidentPrincipal

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by AuthGuard on every route that is not @Public(). */
    principal?: Principal
  }
}
