/**
 * Roles: who handles, who supervises, who may see personal data.
 */
export const HANDLER_ROLES = [
  'grid_lead',
  'police',
  'traffic_police',
  'city_management',
  'market_supervision',
  'building_lead',
  'self_management_lead',
  'property_manager',
  'liaison',
] as const
export type HandlerRole = (typeof HANDLER_ROLES)[number]

/** The three-level command chain (plus the compound secretary) that overdue work escalates to, in order. */
export const SUPERVISOR_ROLES = [
  'compound_secretary',
  'community_supervisor',
  'street_supervisor',
  'district_supervisor',
] as const
export type SupervisorRole = (typeof SUPERVISOR_ROLES)[number]

export const ROLES = [...HANDLER_ROLES, ...SUPERVISOR_ROLES, 'admin'] as const
export type Role = (typeof ROLES)[number]

export const ROLE_LABELS: Record<Role, string> = {
  grid_lead: '网格长',
  police: '辖区民警',
  traffic_police: '交警',
  city_management: '城管',
  market_supervision: '市场监管',
  building_lead: '楼道长',
  self_management_lead: '居民自管小组组长',
  property_manager: '物业',
  liaison: '片长',
  compound_secretary: '小区党委书记',
  community_supervisor: '社区',
  street_supervisor: '街道',
  district_supervisor: '区',
  admin: '社区管理员',
}

/** The pilot's rule: only these roles of the request's compound see personal data in full. */
export const PERSONAL_DATA_ROLES: readonly Role[] = ['grid_lead', 'property_manager', 'self_management_lead']

export function canSeePersonalData(role: Role): boolean {
  return PERSONAL_DATA_ROLES.includes(role)
}

/** Escalation level n (1-based) goes to ESCALATION_CHAIN[n - 1]; beyond the end it stays at the district. */
export const ESCALATION_CHAIN: readonly SupervisorRole[] = SUPERVISOR_ROLES

export function escalationRole(level: number): SupervisorRole | null {
  if (level < 1) return null
  return ESCALATION_CHAIN[Math.min(level, ESCALATION_CHAIN.length) - 1]
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value)
}
