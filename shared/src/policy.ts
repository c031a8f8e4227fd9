/**
 * Who may do and see what. The server's guards and the one ticket view mapper read this
 * module; the app reads it to show only what will succeed. Residents are not roles: they reach their own
 * requests and profile only, which the server checks by ownership.
 */
import type { PlaceKind } from './places'
import { canSeePersonalData, type Role } from './roles'

export const ACTIONS = [
  /** Read requests in scope (personal data masked unless personalDataRole() says otherwise). */
  'view_tickets',
  /** Read aggregate figures of places in scope (rates, weekly trend, building × category counts): no request, no person's data. */
  'view_metrics',
  /** Accept, reply, resolve, transfer… requests in scope. */
  'handle_tickets',
  /** File a request on behalf of a resident without a smartphone (代录). */
  'file_proxy_tickets',
  /** Create staff accounts, reset passwords, deactivate, manage memberships, import staff lists. */
  'manage_staff',
  /** Set up compounds, buildings and units, import them, reissue QR codes and print posters. */
  'manage_places',
  /** Read the personal-data access log. */
  'view_access_log',
  /** Extend a promised date, reassign a request, read the escalations (the supervisory chain). */
  'supervise_tickets',
  /** See notifications that could not be delivered, and send them again. */
  'manage_notifications',
] as const
export type Action = (typeof ACTIONS)[number]

const HANDLING: readonly Action[] = ['view_tickets', 'view_metrics', 'handle_tickets', 'file_proxy_tickets']
const SUPERVISING: readonly Action[] = ['view_tickets', 'view_metrics', 'supervise_tickets']

/**
 * Each role's actions. Admins set things up and audit; they do not read requests, so setting up a
 * compound never implies seeing its residents' requests (they see the aggregate figures only).
 */
export const ROLE_ACTIONS: Record<Role, readonly Action[]> = {
  grid_lead: HANDLING,
  police: HANDLING,
  traffic_police: HANDLING,
  city_management: HANDLING,
  market_supervision: HANDLING,
  building_lead: HANDLING,
  self_management_lead: HANDLING,
  property_manager: HANDLING,
  liaison: HANDLING,
  // The routing fallback when a compound has no 网格长, so it must be able to handle.
  compound_secretary: [...HANDLING, 'supervise_tickets'],
  community_supervisor: SUPERVISING,
  street_supervisor: SUPERVISING,
  district_supervisor: SUPERVISING,
  admin: ['manage_staff', 'manage_places', 'view_access_log', 'manage_notifications', 'view_metrics'],
}

export function can(role: Role, action: Action): boolean {
  return ROLE_ACTIONS[role].includes(action)
}

const IN_COMPOUND: readonly PlaceKind[] = ['compound', 'building', 'unit']

/** Where a membership of each role may sit: handlers inside a compound, supervisors at their level. */
export const ROLE_PLACE_KINDS: Record<Role, readonly PlaceKind[]> = {
  grid_lead: IN_COMPOUND,
  police: IN_COMPOUND,
  traffic_police: IN_COMPOUND,
  city_management: IN_COMPOUND,
  market_supervision: IN_COMPOUND,
  building_lead: IN_COMPOUND,
  self_management_lead: IN_COMPOUND,
  property_manager: IN_COMPOUND,
  liaison: IN_COMPOUND,
  compound_secretary: ['compound'],
  community_supervisor: ['community'],
  street_supervisor: ['street'],
  district_supervisor: ['district'],
  admin: ['district', 'street', 'community', 'compound'],
}

export function rolePlaceAllowed(role: Role, kind: PlaceKind): boolean {
  return ROLE_PLACE_KINDS[role].includes(kind)
}

/** A membership as scope checks need it: `placePath` holds the place's ancestors and itself. */
export interface ScopedMembership {
  role: Role
  placeId: string
  placePath: readonly string[]
}

/** A membership at a place covers the place and everything under it. `targetPath`: the target's ancestors and itself. */
export function covers(
  membership: Pick<ScopedMembership, 'placeId'>,
  targetPath: readonly string[],
): boolean {
  return targetPath.includes(membership.placeId)
}

/** Whether any of the memberships lets its holder take `action` on something at `targetPath`. */
export function mayAct(
  memberships: readonly ScopedMembership[],
  action: Action,
  targetPath: readonly string[],
): boolean {
  return memberships.some((m) => can(m.role, action) && covers(m, targetPath))
}

/** The places under which the memberships allow `action`: query with `place.path && scope`. */
export function scopeOf(memberships: readonly ScopedMembership[], action: Action): string[] {
  return [...new Set(memberships.filter((m) => can(m.role, action)).map((m) => m.placeId))]
}

/** Personal data of a request; the access log names these. */
export const PERSONAL_FIELDS = ['name', 'phone', 'openid', 'room'] as const
export type PersonalField = (typeof PERSONAL_FIELDS)[number]
/**
 * What an access-log entry may name: the personal fields a view showed unmasked, `voice` for a voice
 * note played (a person's voice is personal data; each play is logged), or `notes` for the visit
 * register's notes about a household.
 */
export const ACCESS_LOG_FIELDS = [...PERSONAL_FIELDS, 'voice', 'notes'] as const
export type AccessLogField = (typeof ACCESS_LOG_FIELDS)[number]

/**
 * What an access-log entry says was read in full: a request's reporter, a resource's contact person
 * (资源清单), or a household on the visit register (走访名册).
 */
export const ACCESS_LOG_SUBJECTS = ['ticket', 'resource', 'household'] as const
export type AccessLogSubject = (typeof ACCESS_LOG_SUBJECTS)[number]

/**
 * The role through which a staff member sees a request's personal data in full, or null (masked).
 * The pilot's rule: 网格长, 物业 or 居民自管小组 *of that compound*: the membership must cover the request
 * and sit at the compound or inside it, so a grid lead at community level does not qualify.
 */
export function personalDataRole(
  memberships: readonly ScopedMembership[],
  target: { path: readonly string[]; compoundId: string },
): Role | null {
  const match = memberships.find(
    (m) => canSeePersonalData(m.role) && covers(m, target.path) && m.placePath.includes(target.compoundId),
  )
  return match?.role ?? null
}

export const PASSWORD_MIN_LENGTH = 8
/** Long enough for any passphrase, short enough that hashing cannot be used to tie up the server. */
export const PASSWORD_MAX_LENGTH = 128

/** What is wrong with a new password, or null. Minimum policy: 8+ characters with letters and digits. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `密码至少${PASSWORD_MIN_LENGTH}位`
  if (password.length > PASSWORD_MAX_LENGTH) return `密码不能超过${PASSWORD_MAX_LENGTH}位`
  if (!/[A-Za-z]/.test(password) || !/\d/.test(password)) return '密码须同时包含字母和数字'
  return null
}

/** Staff login lockout: this many failures in a row lock the account for LOCKOUT_MINUTES. */
export const LOGIN_MAX_FAILURES = 5
export const LOCKOUT_MINUTES = 15
