import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common'
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger'
import { ErrorBodySchema, type Action } from '@mq/shared'
import type { FastifyRequest } from 'fastify'
import { zodSchema } from '../openapi/zod-schema'
import type { Principal, ResidentPrincipal, StaffPrincipal } from './principal'

/** Who may call a route. Every controller method declares one; AuthGuard refuses routes that do not. */
export type AccessRule =
  | { kind: 'public' }
  | { kind: 'authenticated'; staffAction: Action | null }
  | { kind: 'resident' }
  | { kind: 'staff'; action: Action | null }

export const ACCESS_RULE = 'mq:access-rule'

const errorBody = { schema: zodSchema(ErrorBodySchema) }

function declare(rule: AccessRule, ...docs: (ClassDecorator & MethodDecorator)[]) {
  return applyDecorators(SetMetadata(ACCESS_RULE, rule), ...docs)
}

const signedIn = () => [
  ApiBearerAuth(),
  ApiUnauthorizedResponse({ description: '未登录或登录已过期', ...errorBody }),
]
const restricted = () => [...signedIn(), ApiForbiddenResponse({ description: '无权访问', ...errorBody })]

/** Anyone, signed in or not. */
export const Public = () => declare({ kind: 'public' })

/**
 * Any signed-in resident or staff member; the service decides what they may see. With `staffAction`,
 * staff must also hold a role that may take it (residents are checked by ownership in the service).
 */
export const Authenticated = (staffAction: Action | null = null) =>
  declare({ kind: 'authenticated', staffAction }, ...(staffAction ? restricted() : signedIn()))

/** Residents only (mini-app or H5). */
export const ResidentOnly = () => declare({ kind: 'resident' }, ...restricted())

/** Any staff member, whatever their roles. */
export const StaffOnly = () => declare({ kind: 'staff', action: null }, ...restricted())

/**
 * Staff holding a role that may take `action` (shared/src/policy.ts). Where is the service's business:
 * it narrows to the places those memberships cover and answers 404 outside them.
 */
export const Can = (action: Action) => declare({ kind: 'staff', action }, ...restricted())

function principalOf(context: ExecutionContext): Principal {
  const principal = context.switchToHttp().getRequest<FastifyRequest>().principal
  // Only reachable if a route reads the caller without declaring access: a programming error.
  if (!principal)
    throw new Error(
      'no principal on this request: declare @Authenticated(), @ResidentOnly(), @StaffOnly() or @Can()',
    )
  return principal
}

/** The signed-in caller. */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext) =>
  principalOf(context),
)

/** The signed-in staff member, on @StaffOnly() / @Can() routes. */
export const CurrentStaff = createParamDecorator((_: unknown, context: ExecutionContext): StaffPrincipal => {
  const principal = principalOf(context)
  if (principal.kind !== 'staff') throw new Error('@CurrentStaff() on a route that admits non-staff')
  return principal
})

/** The signed-in resident, on @ResidentOnly() routes. */
export const CurrentResident = createParamDecorator(
  (_: unknown, context: ExecutionContext): ResidentPrincipal => {
    const principal = principalOf(context)
    if (principal.kind !== 'resident')
      throw new Error('@CurrentResident() on a route that admits non-residents')
    return principal
  },
)
