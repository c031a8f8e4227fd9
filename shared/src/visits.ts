/**
 * Visits (走访与电话问候) to households that do not use phones: the register's vocabulary, who sees what
 * of it, and when a household is due. Pure: the server and the app both read it.
 */
import { addLocalDays, localDateString, localDayNumber, type Instant } from './time'
import { can, covers, type ScopedMembership } from './policy'
import { canSeePersonalData, type Role } from './roles'

/** Why a household is on the register (one or more). */
export const VISIT_REASONS = ['living_alone', 'disabled', 'no_smartphone', 'other'] as const
export type VisitReason = (typeof VISIT_REASONS)[number]
export const VISIT_REASON_LABELS: Record<VisitReason, string> = {
  living_alone: '独居老人',
  disabled: '残疾',
  no_smartphone: '无智能手机',
  other: '其他',
}

/** A visit at the door (上门) or a phone call (电话). */
export const VISIT_KINDS = ['visit', 'call'] as const
export type VisitKind = (typeof VISIT_KINDS)[number]
export const VISIT_KIND_LABELS: Record<VisitKind, string> = { visit: '上门', call: '电话' }

/** How the household is, in one tap. */
export const WELLBEING = ['good', 'fair', 'attention'] as const
export type Wellbeing = (typeof WELLBEING)[number]
export const WELLBEING_LABELS: Record<Wellbeing, string> = { good: '良好', fair: '一般', attention: '需关注' }

export const VISIT_INTERVAL_MIN_DAYS = 1
export const VISIT_INTERVAL_MAX_DAYS = 90
/** Up to this many people per household (the register keeps a household, not a building). */
export const VISIT_PEOPLE_MAX = 4

/**
 * What a caller sees of a household at `unitPath` in compound `compoundId`:
 * - `full`: 网格长, 物业 and 居民自管小组 of that compound (the personal-data roles), every read logged;
 * - `masked`: the other staff who handle requests there (民警, 交警, 城管, 市场监管, 楼道长, 片长, 小区书记):
 *   names and phones masked, no room, no notes, no visit words;
 * - `counts`: supervisors over it (社区, 街道, 区) and admins: the number of households and of overdue ones;
 * - `none`: everyone else (other compounds, residents, the public).
 */
export type RegisterAccess = 'full' | 'masked' | 'counts' | 'none'

export function registerAccess(
  memberships: readonly ScopedMembership[],
  target: { unitPath: readonly string[]; compoundId: string },
): RegisterAccess {
  const inside = memberships.filter((m) => covers(m, target.unitPath) && m.placePath.includes(target.compoundId))
  if (inside.some((m) => canSeePersonalData(m.role))) return 'full'
  if (inside.some((m) => can(m.role, 'handle_tickets'))) return 'masked'
  if (memberships.some((m) => can(m.role, 'view_metrics') && covers(m, target.unitPath))) return 'counts'
  return 'none'
}

/** The role through which a caller sees a household in full (for the access log), or null. */
export function registerFullRole(
  memberships: readonly ScopedMembership[],
  target: { unitPath: readonly string[]; compoundId: string },
): Role | null {
  const m = memberships.find(
    (m) => canSeePersonalData(m.role) && covers(m, target.unitPath) && m.placePath.includes(target.compoundId),
  )
  return m?.role ?? null
}

export const VISIT_DUE_STATES = ['overdue', 'due_today', 'upcoming'] as const
export type VisitDueState = (typeof VISIT_DUE_STATES)[number]
export const VISIT_DUE_LABELS: Record<VisitDueState, string> = {
  overdue: '已逾期',
  due_today: '今天到期',
  upcoming: '未到期',
}

export interface VisitDue {
  /** The local date (Asia/Shanghai) the next contact is due: last contact (or registration) + interval. */
  dueDate: string
  state: VisitDueState
  /** Whole local days past the due date (0 unless overdue). */
  daysOverdue: number
}

/**
 * When a household is next due: `intervalDays` local days after its last contact, or after it was put on
 * the register when nobody has been yet. Overdue from the day after the due date.
 */
export function visitDue(
  lastContactAt: Instant | null,
  registeredAt: Instant,
  intervalDays: number,
  now: Instant,
): VisitDue {
  const due = addLocalDays(lastContactAt ?? registeredAt, intervalDays)
  const days = localDayNumber(now) - localDayNumber(due)
  return {
    dueDate: localDateString(due),
    state: days > 0 ? 'overdue' : days === 0 ? 'due_today' : 'upcoming',
    daysOverdue: Math.max(0, days),
  }
}

/** The day's order: overdue first (longest overdue first), then due today, then by due date. */
export function compareVisitDue(a: VisitDue, b: VisitDue): number {
  return a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : 0
}
