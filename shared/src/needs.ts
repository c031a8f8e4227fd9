/**
 * Residents' needs (居民需求清单): not faults but things a compound lacks (a meal service for the elderly, a
 * bicycle shed, charging points, a lift retrofit). Proposed by residents or entered by staff, supported
 * (+1) once per household, given a public status by the compound's staff. The status machine is here,
 * once, as a pure function.
 */
import type { CategoryCode } from './categories'

export const NEED_STATUSES = ['collecting', 'planned', 'in_progress', 'done', 'not_feasible'] as const
export type NeedStatus = (typeof NEED_STATUSES)[number]

export const NEED_STATUS_LABELS: Record<NeedStatus, string> = {
  collecting: '征集中',
  planned: '已列入计划',
  in_progress: '实施中',
  done: '已完成',
  not_feasible: '暂不可行',
}

/** How a need came in: a resident from the scan page, staff for a resident, a visit, or a converted request. */
export const NEED_SOURCES = ['resident', 'staff', 'visit', 'request'] as const
export type NeedSource = (typeof NEED_SOURCES)[number]

export const NEED_SOURCE_LABELS: Record<NeedSource, string> = {
  resident: '居民提出',
  staff: '工作人员代录',
  visit: '走访发现',
  request: '由诉求转入',
}

/**
 * Where each status may go. Done and not-feasible are final for the public record, except that a need
 * judged not feasible may be taken up again (collecting or planned) when circumstances change.
 */
export const NEED_TRANSITIONS: Record<NeedStatus, readonly NeedStatus[]> = {
  collecting: ['planned', 'not_feasible'],
  planned: ['in_progress', 'not_feasible', 'collecting'],
  in_progress: ['done', 'not_feasible'],
  done: [],
  not_feasible: ['collecting', 'planned'],
}

export type NeedTransitionProblem = 'same_status' | 'illegal' | 'reason_required'

/**
 * Whether a need may move from `from` to `to`; not feasible needs a public reason (non-blank). Returns
 * null when it may, else what is wrong.
 */
export function needTransitionProblem(from: NeedStatus, to: NeedStatus, reason?: string | null): NeedTransitionProblem | null {
  if (from === to) return 'same_status'
  if (!NEED_TRANSITIONS[from].includes(to)) return 'illegal'
  if (to === 'not_feasible' && !reason?.trim()) return 'reason_required'
  return null
}

/** The request categories whose requests staff may turn into a need (意见建议, 生活需求与助老). */
export const NEED_CONVERTIBLE_CATEGORIES: readonly CategoryCode[] = ['suggestion', 'elderly_care']

export const NEED_TITLE_MAX = 40
export const NEED_DESCRIPTION_MAX = 500
export const NEED_REASON_MAX = 200

/** A room as typed ("502", "502室", " 5-02 "): the household key compares these. */
export function normalizeRoom(room: string): string {
  return room.replace(/\s+/g, '').replace(/室$/, '').toUpperCase()
}

/**
 * The household a support counts for: (unit, room) when the supporter gave a room, else the resident
 * account. Support is counted once per household key.
 */
export function householdKey(input: { unitId?: string | null; room?: string | null; residentId?: string | null }): string | null {
  const room = input.room ? normalizeRoom(input.room) : ''
  if (input.unitId && room) return `room:${input.unitId}:${room}`
  if (input.residentId) return `resident:${input.residentId}`
  return null
}
