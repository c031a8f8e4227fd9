import {
  calendarFor,
  computeDeadlines,
  dayTypeOf,
  extendByPauses,
  nextDeadline,
  promiseDateProblem,
  type DayType,
  type DeadlineRules,
  type Pause,
} from '@mq/shared'
import { DomainError } from '../../common/domain-error'
import type { StoredPause, Ticket } from '../ticket.entity'

export function pausesOf(ticket: Pick<Ticket, 'pauses'>): Pause[] {
  return ticket.pauses.map((p) => ({
    start: new Date(p.start),
    end: p.end === null ? null : new Date(p.end),
  }))
}

export function storedPause(start: Date): StoredPause {
  return { start: start.toISOString(), end: null }
}

/**
 * The deadline config a request lives by: its compound's settings when it was filed (copied onto it then),
 * else the default rules. Later changes of the settings leave filed requests alone.
 */
export function deadlineConfigOf(ticket: Pick<Ticket, 'deadlineConfig'>): DeadlineRules {
  return ticket.deadlineConfig ?? {}
}

/**
 * Whose calendar the request's windows count on: its handler role's day type under the request's rules
 * (working days, or every day). A request nobody handles yet counts every day.
 */
export function dayTypeOfTicket(ticket: Pick<Ticket, 'handlerRole' | 'deadlineConfig'>): DayType {
  return dayTypeOf(ticket.handlerRole, deadlineConfigOf(ticket))
}

/**
 * A promised date the request's handler can keep: a working-time role promises a working day (400 with
 * the reason and the next working day otherwise).
 */
export function assertPromiseKeepable(ticket: Pick<Ticket, 'handlerRole' | 'deadlineConfig'>, promisedAt: Date): void {
  const problem = promiseDateProblem(promisedAt, deadlineConfigOf(ticket), dayTypeOfTicket(ticket))
  if (problem) throw new DomainError('VALIDATION_FAILED', problem, [{ path: 'promisedAt', message: problem }])
}

type DeadlineTicket = Pick<
  Ticket,
  | 'state'
  | 'severity'
  | 'createdAt'
  | 'clockStartedAt'
  | 'pauses'
  | 'acceptedAt'
  | 'repliedAt'
  | 'resolvedAt'
  | 'promisedAt'
  | 'acceptBy'
  | 'replyBy'
  | 'resolveBy'
  | 'nextDueAt'
  | 'deadlineConfig'
  | 'handlerRole'
>

/**
 * Recomputes the stored deadlines from the shared rules and sets `nextDueAt`. Every pause for
 * the resident counts, from the start of the window it fell in. A deadline already met is kept as it was
 * (the metrics compare against it); a reopened request starts new reply and resolution windows at
 * `clockStartedAt`. A complex request's resolution is due at the promised date of its reply. Windows count
 * on the handler's calendar, so a transfer to a role of the other kind moves what is still owed.
 */
export function recomputeDeadlines(ticket: DeadlineTicket): void {
  const pauses = pausesOf(ticket)
  const config = deadlineConfigOf(ticket)
  const dayType = dayTypeOfTicket(ticket)
  const since = (from: Date) => pauses.filter((p) => p.start.getTime() >= from.getTime())
  if (!ticket.acceptedAt) {
    ticket.acceptBy = computeDeadlines({
      filedAt: ticket.createdAt,
      severity: ticket.severity,
      pauses,
      config,
      dayType,
    }).acceptBy
  }
  const window = computeDeadlines({
    filedAt: ticket.clockStartedAt,
    severity: ticket.severity,
    pauses: since(ticket.clockStartedAt),
    config,
    dayType,
  })
  if (ticket.severity === 'complex') {
    if (!ticket.repliedAt) ticket.replyBy = window.replyBy
    if (!ticket.resolvedAt) {
      ticket.resolveBy =
        ticket.promisedAt && ticket.repliedAt
          ? extendByPauses(ticket.promisedAt, since(ticket.repliedAt), calendarFor(config, dayType))
          : null
    }
  } else {
    ticket.replyBy = null
    if (!ticket.resolvedAt) ticket.resolveBy = window.resolveBy
  }
  ticket.nextDueAt = nextDeadline(ticket)
}
