import { computeDeadlines, extendByPauses, nextDeadline, type DeadlineConfig, type Pause } from '@mq/shared'
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
export function deadlineConfigOf(ticket: Pick<Ticket, 'deadlineConfig'>): Partial<DeadlineConfig> {
  return ticket.deadlineConfig ?? {}
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
>

/**
 * Recomputes the stored deadlines from the shared rules and sets `nextDueAt`. Every pause for
 * the resident counts, from the start of the window it fell in. A deadline already met is kept as it was
 * (the metrics compare against it); a reopened request starts new reply and resolution windows at
 * `clockStartedAt`. A complex request's resolution is due at the promised date of its reply.
 */
export function recomputeDeadlines(ticket: DeadlineTicket): void {
  const pauses = pausesOf(ticket)
  const config = deadlineConfigOf(ticket)
  const since = (from: Date) => pauses.filter((p) => p.start.getTime() >= from.getTime())
  if (!ticket.acceptedAt) {
    ticket.acceptBy = computeDeadlines({
      filedAt: ticket.createdAt,
      severity: ticket.severity,
      pauses,
      config,
    }).acceptBy
  }
  const window = computeDeadlines({
    filedAt: ticket.clockStartedAt,
    severity: ticket.severity,
    pauses: since(ticket.clockStartedAt),
    config,
  })
  if (ticket.severity === 'complex') {
    if (!ticket.repliedAt) ticket.replyBy = window.replyBy
    if (!ticket.resolvedAt) {
      ticket.resolveBy =
        ticket.promisedAt && ticket.repliedAt
          ? extendByPauses(ticket.promisedAt, since(ticket.repliedAt))
          : null
    }
  } else {
    ticket.replyBy = null
    if (!ticket.resolvedAt) ticket.resolveBy = window.resolveBy
  }
  ticket.nextDueAt = nextDeadline(ticket)
}
