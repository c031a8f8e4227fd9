/**
 * Joint meetings (联席会议: 九长大会, 三方联动议事会): a compound's hard cases put on an agenda, decided with
 * an owner, a target working day and a public summary, and each decision tracked to done. Who may organise
 * them, which requests may go on an agenda and when a decision is overdue are decided here, once.
 */
import { covers, type ScopedMembership } from './policy'
import type { Role } from './roles'

export const MEETING_KINDS = ['nine_heads', 'tripartite', 'joint'] as const
export type MeetingKind = (typeof MEETING_KINDS)[number]

export const MEETING_KIND_LABELS: Record<MeetingKind, string> = {
  nine_heads: '九长大会',
  tripartite: '三方联动议事会',
  joint: '联席会议',
}

/** Planned, then held (decisions are recorded once it is held). */
export const MEETING_STATUSES = ['planned', 'held'] as const
export type MeetingStatus = (typeof MEETING_STATUSES)[number]

export const MEETING_STATUS_LABELS: Record<MeetingStatus, string> = {
  planned: '待召开',
  held: '已召开',
}

export const DECISION_STATUSES = ['open', 'done'] as const
export type DecisionStatus = (typeof DECISION_STATUSES)[number]

export const DECISION_STATUS_LABELS: Record<DecisionStatus, string> = {
  open: '落实中',
  done: '已落实',
}

export const OVERDUE_DECISION_LABEL = '已逾期'

/**
 * Why something may go on an agenda: a complex request, an escalated one, a 难事联办 request (with
 * co-handlers), or a resident need.
 */
export const AGENDA_REASONS = ['complex', 'escalated', 'co_handled', 'need'] as const
export type AgendaReason = (typeof AGENDA_REASONS)[number]

export const AGENDA_REASON_LABELS: Record<AgendaReason, string> = {
  complex: '复杂诉求',
  escalated: '升级督办',
  co_handled: '难事联办',
  need: '居民需求',
}

export const AGENDA_SOURCES = ['request', 'need'] as const
export type AgendaSource = (typeof AGENDA_SOURCES)[number]

/**
 * Who organises a compound's meetings (creates them, sets the agenda, records decisions): its 网格长 and
 * party secretary, and the supervisors above it (社区, 街道, 区).
 */
export const MEETING_ORGANISER_ROLES: readonly Role[] = [
  'grid_lead',
  'compound_secretary',
  'community_supervisor',
  'street_supervisor',
  'district_supervisor',
]

/** Roles a meeting may invite and a decision may be owned by: the compound's 长 and its secretary. */
export const MEETING_ATTENDEE_ROLES: readonly Role[] = [
  'grid_lead',
  'police',
  'traffic_police',
  'city_management',
  'market_supervision',
  'building_lead',
  'self_management_lead',
  'property_manager',
  'liaison',
  'compound_secretary',
  'community_supervisor',
]

/** Whether a membership at the compound (or above it) lets its holder organise the compound's meetings. */
export function mayOrganiseMeetings(memberships: readonly ScopedMembership[], compoundPath: readonly string[]): boolean {
  return memberships.some((m) => MEETING_ORGANISER_ROLES.includes(m.role) && covers(m, compoundPath))
}

/** An open decision whose target day has passed (local dates 'YYYY-MM-DD'). */
export function decisionOverdue(decision: { status: DecisionStatus; targetDate: string }, today: string): boolean {
  return decision.status === 'open' && decision.targetDate < today
}

export const MEETING_TITLE_MAX = 60
export const MEETING_PLACE_MAX = 60
export const MEETING_AGENDA_MAX = 30
export const DECISION_SUMMARY_MAX = 300
export const DECISION_NOTE_MAX = 1000
export const DECISION_DONE_NOTE_MAX = 300
