import { everyDayCalendar, type DayCalendar } from './calendar'
import {
  addWorkingMinutes,
  addWorkingTime,
  autoCloseAt,
  calendarFor,
  complexReplyBy,
  extendByPauses,
  resolveConfig,
  simpleResolveBy,
  warningAt,
  type DayType,
  type DeadlineRules,
  type Pause,
} from './deadlines'
import { ESCALATION_CHAIN } from './roles'
import type { Severity, TicketState } from './tickets'
import { urgentAcceptBy, urgentOverdueStepAt } from './urgent'

/**
 * The deadline timers as pure functions: which timers a request has now, given its stored
 * deadlines. The server stores this plan beside the request (in the same transaction as every change) and
 * fires each entry once; a change that moves the deadline replaces the plan, so only the current deadline
 * ever fires.
 */

/** The deadline a request owes now: acceptance, the clear reply (complex), or resolution. */
export const DEADLINE_WINDOWS = ['accept', 'reply', 'resolve'] as const
export type DeadlineWindow = (typeof DEADLINE_WINDOWS)[number]

export const DEADLINE_WINDOW_LABELS: Record<DeadlineWindow, string> = {
  accept: '受理',
  reply: '答复',
  resolve: '办结',
}

/**
 * `warning`: 75% of the window is gone (the handler is told). `overdue`: step n fires (n − 1) × 24 h after
 * the deadline (of working time for a working-time handler: one step per working day); step 1 marks the
 * request overdue and escalates it one level, every further step one more.
 * `auto_close`: a resolved request nobody rated closes itself.
 */
export const TIMER_KINDS = ['warning', 'overdue', 'auto_close'] as const
export type TimerKind = (typeof TIMER_KINDS)[number]

/** Hours between two escalation steps of a request that stays overdue. */
export const ESCALATION_STEP_HOURS = 24
/** The last escalation step: the district (the chain has no level above it). */
export const MAX_ESCALATION_LEVEL = ESCALATION_CHAIN.length

/** What planning reads of a request (the stored deadlines are the truth; windows are derived from them). */
export interface TimerTicket {
  state: TicketState
  severity: Severity
  createdAt: Date
  /** Start of the reply and resolution windows: filing, or the latest reopening. */
  clockStartedAt: Date
  repliedAt: Date | null
  resolvedAt: Date | null
  promisedAt: Date | null
  acceptBy: Date | null
  replyBy: Date | null
  resolveBy: Date | null
  pauses: readonly Pause[]
  /** The handler's day type: whose calendar the windows and escalation steps count on. */
  dayType: DayType
}

export interface OwedDeadline {
  window: DeadlineWindow
  deadline: Date
}

export interface PlannedTimer {
  kind: TimerKind
  /** The deadline the timer belongs to; null for auto-close. */
  window: DeadlineWindow | null
  /** The deadline (auto-close: the instant it closes). With kind and step, the timer's identity. */
  deadline: Date
  /** Escalation step (overdue), else 0. */
  step: number
  fireAt: Date
}

/** The deadline owed now and whose it is; null while the clock is stopped or nothing is owed (shared nextDeadline). */
export function owedDeadline(ticket: TimerTicket): OwedDeadline | null {
  const owed = (window: DeadlineWindow, deadline: Date | null) => (deadline ? { window, deadline } : null)
  switch (ticket.state) {
    case 'submitted':
      return owed('accept', ticket.acceptBy)
    case 'accepted':
      if (ticket.severity === 'complex') {
        return ticket.replyBy ? owed('reply', ticket.replyBy) : owed('resolve', ticket.resolveBy)
      }
      return owed('resolve', ticket.resolveBy)
    case 'replied':
      return owed('resolve', ticket.resolveBy)
    default:
      return null
  }
}

/**
 * When the handler is warned about `owed`: once `warnAtFraction` of the window's *counted* time is gone.
 * Time spent waiting for the resident does not count (the warning moves later by it, as the deadline did);
 * for acceptance only working hours count, so a request filed at night warns in the morning, not at 3 a.m.
 * A working-time handler's windows count working days only, so no warning falls on a day off.
 * Null when the warning would not come before the deadline.
 */
export function warningFor(
  ticket: TimerTicket,
  owed: OwedDeadline,
  config: DeadlineRules = {},
): Date | null {
  const c = resolveConfig(config)
  const calendar = calendarFor(c, ticket.dayType)
  const since = (from: Date) => ticket.pauses.filter((p) => p.start.getTime() >= from.getTime())
  let at: Date | null
  switch (owed.window) {
    case 'accept':
      at = extendByPauses(
        c.urgent
          ? urgentAcceptBy(ticket.createdAt, c.warnAtFraction)
          : addWorkingMinutes(ticket.createdAt, c.acceptWithinMinutes * c.warnAtFraction, c, calendar),
        ticket.pauses,
      )
      break
    case 'reply': {
      const start = ticket.clockStartedAt
      const raw = complexReplyBy(start, c, calendar)
      at = extendByPauses(warningAt(start, raw, c, calendar), since(start), calendar)
      break
    }
    case 'resolve': {
      if (ticket.severity === 'complex') {
        if (!ticket.repliedAt || !ticket.promisedAt) return null
        at = extendByPauses(
          warningAt(ticket.repliedAt, ticket.promisedAt, c, calendar),
          since(ticket.repliedAt),
          calendar,
        )
      } else {
        const start = ticket.clockStartedAt
        at = extendByPauses(warningAt(start, simpleResolveBy(start, c, calendar), c, calendar), since(start), calendar)
      }
      break
    }
  }
  if (!at || at.getTime() >= owed.deadline.getTime()) return null
  return at
}

/**
 * When overdue step `step` (1-based) of a deadline fires: every 24 h of the handler's calendar, so a
 * working-time handler's steps fall on working days (the deadline itself already does); an urgent request's
 * (`config.urgent`) every hour of any day.
 */
export function overdueStepAt(
  deadline: Date,
  step: number,
  calendar: DayCalendar = everyDayCalendar(),
  config: DeadlineRules = {},
): Date {
  // An urgent request climbs hourly, on any day.
  if (config.urgent) return urgentOverdueStepAt(deadline, step)
  return addWorkingTime(deadline, (step - 1) * ESCALATION_STEP_HOURS * 3_600_000, calendar)
}

/** The calendar a request's timers count on: its handler's. */
export function timerCalendar(ticket: Pick<TimerTicket, 'dayType'>, config: DeadlineRules = {}): DayCalendar {
  return calendarFor(resolveConfig(config), ticket.dayType)
}

/**
 * The timers a request has now: for the deadline it owes, the warning and the first overdue step (later
 * steps are planned as each one fires, while the request stays overdue); for a resolved request, its
 * auto-close. Waiting for the resident (the clock stopped), finished requests: none.
 */
export function planTimers(ticket: TimerTicket, config: DeadlineRules = {}): PlannedTimer[] {
  if (ticket.state === 'resolved') {
    if (!ticket.resolvedAt) return []
    const at = autoCloseAt(ticket.resolvedAt, config, timerCalendar(ticket, config))
    return [{ kind: 'auto_close', window: null, deadline: at, step: 0, fireAt: at }]
  }
  const owed = owedDeadline(ticket)
  if (!owed) return []
  const timers: PlannedTimer[] = []
  const warning = warningFor(ticket, owed, config)
  if (warning)
    timers.push({ kind: 'warning', window: owed.window, deadline: owed.deadline, step: 0, fireAt: warning })
  timers.push({
    kind: 'overdue',
    window: owed.window,
    deadline: owed.deadline,
    step: 1,
    fireAt: owed.deadline,
  })
  return timers
}

/**
 * The escalation level overdue step `step` brings a request to: one level per step, plus one for every
 * chase that escalated it since the deadline passed (a chase on an overdue request escalates at
 * once, and the 24-hourly steps carry on from there). Never above the district. The level only ever
 * rises: a step that finds the request already there (a chase got there first) changes nothing.
 */
export function escalationLevelAfterStep(current: number, step: number, chaseEscalations: number): number {
  return Math.max(current, Math.min(MAX_ESCALATION_LEVEL, step + chaseEscalations))
}
