/**
 * The resources list (资源清单) of a compound: units around it (schools, enterprises, courts,
 * restaurants), volunteers and their skills, and venues with opening hours; and the matches that set a
 * resource to work on a request or a need, with an owner and a working-day target date, ticked off
 * (销号) when done.
 */
import { can, mayAct, personalDataRole, type ScopedMembership } from './policy'
import type { Role } from './roles'

export const RESOURCE_KINDS = ['unit', 'volunteer', 'venue'] as const
export type ResourceKind = (typeof RESOURCE_KINDS)[number]

export const RESOURCE_KIND_LABELS: Record<ResourceKind, string> = {
  unit: '单位',
  volunteer: '志愿者',
  venue: '场地',
}

/** Kind by its Chinese label or its code: the import sheet may say either. */
export function resourceKindOf(text: string): ResourceKind | null {
  const value = text.trim()
  for (const kind of RESOURCE_KINDS) if (value === kind || value === RESOURCE_KIND_LABELS[kind]) return kind
  return null
}

export const RESOURCE_NAME_MAX = 40
export const RESOURCE_TAGS_MAX = 10
export const RESOURCE_TAG_MAX = 12
export const RESOURCE_HOURS_MAX = 60
export const RESOURCE_ADDRESS_MAX = 100
export const RESOURCE_CONTACT_NAME_MAX = 20
export const RESOURCE_AVAILABILITY_MAX = 100
/** Rows of one import: a compound's list, not a city's. */
export const RESOURCE_IMPORT_MAX_ROWS = 500
/** Resources set on one request or need in one step. */
export const MATCH_RESOURCES_MAX = 5
export const MATCH_NOTE_MAX = 200

/** A mobile (13812345678) or a landline with area code (0571-87654321, 057187654321). */
export const CONTACT_PHONE_PATTERN = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/

/** Tags typed in one field: split on Chinese or Latin commas, 、, semicolons or spaces; trimmed, unique. */
export function splitTags(text: string): string[] {
  return [...new Set(text.split(/[,，、;；\s]+/).map((t) => t.trim()).filter(Boolean))]
}

export const MATCH_STATUSES = ['open', 'done'] as const
export type MatchStatus = (typeof MATCH_STATUSES)[number]
export const MATCH_STATUS_LABELS: Record<MatchStatus, string> = { open: '进行中', done: '已销号' }

/** What a match sets a resource to work on. */
export const MATCH_SUBJECTS = ['ticket', 'need'] as const
export type MatchSubject = (typeof MATCH_SUBJECTS)[number]

/**
 * Who keeps a compound's resources (add, edit, import): its admins (manage_places over it) and its
 * 网格长 (a grid_lead membership at the compound itself: one of a single building does not keep the list).
 */
export function mayManageResources(
  memberships: readonly ScopedMembership[],
  compound: { id: string; path: readonly string[] },
): boolean {
  return (
    mayAct(memberships, 'manage_places', compound.path) ||
    memberships.some((m) => m.role === 'grid_lead' && compound.path.includes(m.placeId) && m.placePath.includes(compound.id))
  )
}

/**
 * Who reads a compound's resources: its keepers, staff who read requests over the whole compound
 * (handlers at it, supervisors above it), and handlers inside it (a 楼道长 of one building): they match
 * resources to their requests. Residents and the public see nothing of the list.
 */
export function mayReadResources(
  memberships: readonly ScopedMembership[],
  compound: { id: string; path: readonly string[] },
): boolean {
  return (
    mayManageResources(memberships, compound) ||
    mayAct(memberships, 'view_tickets', compound.path) ||
    memberships.some((m) => can(m.role, 'handle_tickets') && m.placePath.includes(compound.id))
  )
}

/**
 * The role through which a staff member sees a resource's contact person and phone in full, or null
 * (masked): the residents' rule, 网格长, 物业 or 居民自管小组 of that compound. Admins keep the list but
 * see contacts masked, as they do not see residents' data either.
 */
export function resourceContactRole(
  memberships: readonly ScopedMembership[],
  compound: { id: string; path: readonly string[] },
): Role | null {
  return personalDataRole(memberships, { path: compound.path, compoundId: compound.id })
}

/**
 * Who may set resources to work on a request or a need: staff who may handle requests at its place (the
 * request's unit; the need's compound).
 */
export function mayMatchResources(memberships: readonly ScopedMembership[], placePath: readonly string[]): boolean {
  return mayAct(memberships, 'handle_tickets', placePath)
}

export const RESOURCE_IMPORT_COLUMNS = ['类型', '名称', '技能或服务', '开放时间', '地址或说明', '联系人', '联系电话', '可用情况'] as const
