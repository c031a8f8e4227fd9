import type { Role } from './roles'

/**
 * Request (ticket) states and the transition table. Server and app both read this table:
 * the server to refuse illegal actions (409), the app to show only the buttons that can succeed.
 */
export const TICKET_STATES = [
  'submitted',
  'accepted',
  'replied',
  'waiting_resident',
  'resolved',
  'closed',
  'rejected',
  'merged',
  'withdrawn',
] as const
export type TicketState = (typeof TICKET_STATES)[number]

export const TICKET_STATE_LABELS: Record<TicketState, string> = {
  submitted: '待受理',
  accepted: '已受理',
  replied: '已答复',
  waiting_resident: '待居民补充',
  resolved: '已办结',
  closed: '已销号',
  rejected: '不予受理',
  merged: '已合并',
  withdrawn: '已撤回',
}

/** How a request that a 1–2 star rating sent back reads while it is being worked again. */
export const REOPENED_LABEL = '重新办理'

/**
 * The state as people read it: the state's label, except that a request sent back by a low rating says
 * 重新办理 while it is accepted again (the state machine has no separate state for it; `reopened` marks it).
 */
export function stateLabel(ticket: { state: TicketState; reopened?: boolean }): string {
  return ticket.state === 'accepted' && ticket.reopened ? REOPENED_LABEL : TICKET_STATE_LABELS[ticket.state]
}

/**
 * A refusal that names the state a request is in: 「这条诉求已销号，不能再关注」. The labels carry their own
 * verb (已…, 待…, 不予…), so the sentence never adds one: no 「已已销号」.
 */
export function stateRefusal(subject: string, state: TicketState, refusal: string): string {
  return `${subject}${TICKET_STATE_LABELS[state]}，${refusal}`
}

/** States in which someone still owes the resident work; chase and follow are allowed here. */
export const OPEN_STATES: readonly TicketState[] = ['submitted', 'accepted', 'replied', 'waiting_resident']
/** `withdrawn`: the reporter took it back before anyone accepted it (neither received nor resolved). */
export const FINAL_STATES: readonly TicketState[] = ['closed', 'rejected', 'merged', 'withdrawn']

export const SEVERITIES = ['simple', 'complex'] as const
export type Severity = (typeof SEVERITIES)[number]
export const SEVERITY_LABELS: Record<Severity, string> = { simple: '简单问题', complex: '复杂问题' }

export const CHANNELS = ['miniapp', 'h5', 'visit', 'phone', 'hotline', 'paper'] as const
export type Channel = (typeof CHANNELS)[number]
export const PROXY_CHANNELS = ['visit', 'phone', 'hotline', 'paper'] as const satisfies readonly Channel[]
export type ProxyChannel = (typeof PROXY_CHANNELS)[number]
export const CHANNEL_LABELS: Record<Channel, string> = {
  miniapp: '小程序',
  h5: '网页',
  visit: '上门',
  phone: '电话',
  hotline: '热线',
  paper: '纸质',
}

export type TicketAction =
  | 'accept'
  | 'reply'
  | 'resolve'
  | 'close' // rated 3–5 stars, or auto-closed 7 days after resolution
  | 'reopen' // rated 1–2 stars
  | 'reject'
  | 'merge'
  | 'wait'
  | 'resume'
  | 'transfer'
  | 'note'
  | 'chase'
  /** A message in the request's thread between its reporter and its handlers (no state change). */
  | 'message'
  /** 撤回: the reporter takes the request back before it is accepted. */
  | 'withdraw'

/** `same` keeps the state (an event, not a state change); `previous` returns to the state before waiting. */
export type TransitionTarget = TicketState | 'same' | 'previous'

interface Transition {
  from: readonly TicketState[]
  to: TransitionTarget
  /** Only requests of this severity may take the action. */
  severity?: Severity
}

const HANDLING: readonly TicketState[] = ['submitted', 'accepted', 'replied', 'waiting_resident']

export const TRANSITIONS: Record<TicketAction, Transition> = {
  accept: { from: ['submitted'], to: 'accepted' },
  reply: { from: ['accepted'], to: 'replied', severity: 'complex' },
  resolve: { from: ['accepted', 'replied'], to: 'resolved' },
  close: { from: ['resolved'], to: 'closed' },
  reopen: { from: ['resolved'], to: 'accepted' },
  reject: { from: ['submitted', 'accepted'], to: 'rejected' },
  merge: { from: ['submitted', 'accepted', 'waiting_resident'], to: 'merged' },
  wait: { from: ['accepted', 'replied'], to: 'waiting_resident' },
  resume: { from: ['waiting_resident'], to: 'previous' },
  transfer: { from: HANDLING, to: 'same' },
  note: { from: [...HANDLING, 'resolved'], to: 'same' },
  chase: { from: OPEN_STATES, to: 'same' },
  // While waiting, the reporter's message is the answer: it resumes the request (action `resume`).
  message: { from: OPEN_STATES, to: 'same' },
  withdraw: { from: ['submitted'], to: 'withdrawn' },
}

export interface TransitionCheck {
  state: TicketState
  severity: Severity
  /** The state before `waiting_resident`, needed to resume. */
  stateBeforeWait?: TicketState | null
}

export type TransitionResult = { ok: true; to: TicketState } | { ok: false; reason: string }

/** Whether `action` is legal now, and the state it leads to. */
export function transition(action: TicketAction, ticket: TransitionCheck): TransitionResult {
  const rule = TRANSITIONS[action]
  if (!rule.from.includes(ticket.state)) {
    return { ok: false, reason: `「${TICKET_STATE_LABELS[ticket.state]}」状态下不能执行此操作` }
  }
  if (rule.severity && rule.severity !== ticket.severity) {
    return { ok: false, reason: `只有${SEVERITY_LABELS[rule.severity]}需要此操作` }
  }
  if (rule.to === 'same') return { ok: true, to: ticket.state }
  if (rule.to === 'previous') {
    const back = ticket.stateBeforeWait
    if (!back || back === 'waiting_resident') return { ok: false, reason: '无法确定恢复后的状态' }
    return { ok: true, to: back }
  }
  return { ok: true, to: rule.to }
}

/** Actions legal in the given state (for showing buttons). */
export function legalActions(ticket: TransitionCheck): TicketAction[] {
  return (Object.keys(TRANSITIONS) as TicketAction[]).filter((a) => transition(a, ticket).ok)
}

export function isOpen(state: TicketState): boolean {
  return OPEN_STATES.includes(state)
}

export const DESCRIPTION_MAX = 1000
export const PHOTOS_MAX = 6
export const CHASE_COOLDOWN_MINUTES = 120
export const DUPLICATE_WINDOW_DAYS = 14

/** A rating of this many stars or fewer reopens the request to its handler and tells the supervisor. */
export const REOPEN_MAX_STARS = 2
export const RATING_TAGS = ['响应及时', '态度很好', '解决彻底', '响应太慢', '没有解决', '态度不好'] as const
export type RatingTag = (typeof RATING_TAGS)[number]
export const RATING_COMMENT_MAX = 500
/** Reasons, plans, notes and questions staff write on a request. */
export const HANDLING_TEXT_MAX = 1000
/** A message in a request's thread, and the photos it may carry. */
export const MESSAGE_TEXT_MAX = 500
export const MESSAGE_PHOTOS_MAX = PHOTOS_MAX
/** The reason a reporter may give when withdrawing (撤回). */
export const WITHDRAW_REASON_MAX = 200

/** Where a request's photo is read (the problem's, the fix's, a message's): the view names these. */
export function ticketPhotoPath(ticketId: string, photoId: string): string {
  return `/api/requests/${ticketId}/photos/${photoId}`
}

/**
 * Besides the handler, these roles coordinate the requests of the places they cover (triage, accept on
 * the handler's behalf, transfer, merge). The routing fallbacks are exactly these roles.
 */
export const TICKET_COORDINATOR_ROLES = ['grid_lead', 'compound_secretary'] as const satisfies readonly Role[]

/** What a caller can do to a request: one endpoint each. The app shows only the ones it is given. */
export const TICKET_COMMANDS = [
  'accept',
  'reply',
  'resolve',
  'reject',
  'transfer',
  'co_handlers',
  'wait',
  'resume',
  'merge',
  'note',
  'chase',
  'rate',
  'follow',
  /** Edit the public summary (公示内容) the board shows. */
  'public_summary',
  /** Write in the thread: the reporter (an answer while 等您补充, else an addition) or a handler. */
  'message',
  'withdraw',
] as const
export type TicketCommand = (typeof TICKET_COMMANDS)[number]

/** Timeline entries. Public ones are shown to the reporter and followers; the rest only to staff. */
export const TICKET_EVENT_TYPES = [
  'filed',
  'routed',
  'accepted',
  'replied',
  'resolved',
  'rejected',
  'transferred',
  'co_handler_added',
  'co_handler_removed',
  'waiting',
  'resumed',
  'merged',
  'merged_from',
  'noted',
  'chased',
  'escalated',
  'promise_extended',
  'followed',
  'rated',
  'reopened',
  'closed',
  'public_summary_edited',
  'message',
  'withdrawn',
  /** Turned into a resident need (居民需求) by staff (public: the need's title). */
  'converted_to_need',
  /** A joint meeting's decision on the request, and that decision carried out (public). */
  'meeting_decision',
  'meeting_decision_done',
] as const
export type TicketEventType = (typeof TICKET_EVENT_TYPES)[number]

/**
 * Entries that are not public yet reach the reporter (for a proxy entry, its filer, who is staff): the
 * thread, and the reason given for 撤回. The reporter's own words: never a follower's or the public's.
 */
export const REPORTER_EVENT_TYPES: readonly TicketEventType[] = ['message', 'withdrawn']

export const TICKET_EVENT_LABELS: Record<TicketEventType, string> = {
  filed: '提交诉求',
  routed: '派单',
  accepted: '受理',
  replied: '答复承诺',
  resolved: '办结',
  rejected: '不予受理',
  transferred: '转办',
  co_handler_added: '增加联办人',
  co_handler_removed: '移除联办人',
  waiting: '请居民补充',
  resumed: '继续办理',
  merged: '合并到其他诉求',
  merged_from: '合并了重复诉求',
  noted: '内部备注',
  chased: '催单',
  escalated: '升级督办',
  promise_extended: '承诺延期',
  followed: '我也遇到了',
  rated: '评价',
  reopened: '重新办理',
  closed: '销号',
  public_summary_edited: '修改公示内容',
  message: '留言',
  withdrawn: '撤回',
  converted_to_need: '转为居民需求',
  meeting_decision: '议事会决定',
  meeting_decision_done: '议事会决定已落实',
}

/** The inbox tabs of a staff member. */
export const INBOX_FILTERS = ['to_accept', 'due_today', 'overdue', 'waiting', 'all'] as const
export type InboxFilter = (typeof INBOX_FILTERS)[number]
export const PAGE_SIZE_MAX = 50

export interface DeadlineFields {
  state: TicketState
  severity: Severity
  acceptBy: Date | null
  replyBy: Date | null
  resolveBy: Date | null
}

/**
 * The deadline the handler is working against now: acceptance while submitted, the reply of an accepted
 * complex request, then resolution. Null while the clock is stopped (waiting) or nothing is owed.
 */
export function nextDeadline(ticket: DeadlineFields): Date | null {
  switch (ticket.state) {
    case 'submitted':
      return ticket.acceptBy
    case 'accepted':
      return ticket.severity === 'complex' ? (ticket.replyBy ?? ticket.resolveBy) : ticket.resolveBy
    case 'replied':
      return ticket.resolveBy
    default:
      return null
  }
}
