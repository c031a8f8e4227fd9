import { planTimers, type PlannedTimer, type TimerTicket } from '@mq/shared'
import type { EntityManager } from 'typeorm'
import { dayTypeOfTicket, deadlineConfigOf, pausesOf } from './ticket-deadlines'
import type { Ticket } from '../ticket.entity'

export type TimerPlanTicket = Pick<
  Ticket,
  | 'id'
  | 'state'
  | 'severity'
  | 'createdAt'
  | 'clockStartedAt'
  | 'repliedAt'
  | 'resolvedAt'
  | 'promisedAt'
  | 'acceptBy'
  | 'replyBy'
  | 'resolveBy'
  | 'nextDueAt'
  | 'pauses'
  | 'escalationLevel'
  | 'deadlineConfig'
  | 'handlerRole'
>

export function timerTicket(ticket: Omit<TimerPlanTicket, 'id' | 'nextDueAt' | 'escalationLevel'>): TimerTicket {
  return {
    state: ticket.state,
    severity: ticket.severity,
    createdAt: ticket.createdAt,
    clockStartedAt: ticket.clockStartedAt,
    repliedAt: ticket.repliedAt,
    resolvedAt: ticket.resolvedAt,
    promisedAt: ticket.promisedAt,
    acceptBy: ticket.acceptBy,
    replyBy: ticket.replyBy,
    resolveBy: ticket.resolveBy,
    pauses: pausesOf(ticket),
    dayType: dayTypeOfTicket(ticket),
  }
}

const sameInstant = (a: Date, b: Date) => a.getTime() === b.getTime()

/**
 * Keeps a request's deadline timers in step with its deadlines (rescheduling cancels the old
 * timers, so only the current deadline ever fires). Call it inside the transaction of every change that
 * may move a deadline, with the request row locked, before the row is written: the plan then commits or
 * rolls back with the change, and the row lock keeps the timer sweep (deadline-timers.service.ts) out.
 *
 * - Pending timers that are no longer the plan are cancelled (a later overdue step of the deadline still
 *   owed stays: it belongs to that deadline).
 * - The plan's timers are written once per identity (request, kind, deadline, step): one already fired
 *   stays fired, so moving a deadline away and back never fires it twice.
 * - The deadline owed now lies in the future again (met, or moved by a reply, a resumption or an
 *   extension): the request is no longer overdue, so its escalation level goes back to 0.
 */
export async function rescheduleTimers(
  manager: EntityManager,
  ticket: TimerPlanTicket,
  now: Date,
  options: { justFiled?: boolean } = {},
): Promise<void> {
  if (ticket.escalationLevel > 0 && ticket.nextDueAt && ticket.nextDueAt > now) ticket.escalationLevel = 0
  // The request's own config (its compound's settings when filed): warnings at its fraction, its auto-close.
  const plan = planTimers(timerTicket(ticket), deadlineConfigOf(ticket))
  // A request inserted in this very transaction has no timers yet: nothing pending to cancel.
  if (options.justFiled) return insertTimers(manager, ticket.id, plan, now)
  const pending = await manager.query<{ id: string; kind: string; deadline_at: Date; step: number }[]>(
    `SELECT id, kind, deadline_at, step FROM deadline_timer WHERE ticket_id = $1 AND status = 'pending'`,
    [ticket.id],
  )
  const stale = pending.filter(
    (row) =>
      !plan.some(
        (p) =>
          p.kind === row.kind &&
          sameInstant(p.deadline, row.deadline_at) &&
          (p.kind === 'overdue' || p.step === row.step),
      ),
  )
  if (stale.length > 0) {
    await manager.query(
      `UPDATE deadline_timer SET status = 'cancelled', settled_at = $2, outcome = '{"reason":"rescheduled"}'
        WHERE id = ANY($1::bigint[]) AND status = 'pending'`,
      [stale.map((row) => row.id), now],
    )
  }
  await insertTimers(manager, ticket.id, plan, now)
}

/**
 * Writes timers by identity. A cancelled one comes back (the deadline returned to it); a pending one takes
 * the new firing time; a fired or skipped one is left alone: it happened.
 */
export async function insertTimers(
  manager: EntityManager,
  ticketId: string,
  timers: readonly PlannedTimer[],
  now: Date,
): Promise<void> {
  if (timers.length === 0) return
  const values: unknown[] = []
  const rows = timers.map((t) => {
    const base = values.length
    values.push(ticketId, t.kind, t.window, t.deadline, t.step, t.fireAt, now)
    return `(${[1, 2, 3, 4, 5, 6, 7].map((i) => `$${base + i}`).join(', ')}, 'pending')`
  })
  await manager.query(
    `INSERT INTO deadline_timer (ticket_id, kind, deadline_type, deadline_at, step, fire_at, created_at, status)
     VALUES ${rows.join(', ')}
     ON CONFLICT ON CONSTRAINT deadline_timer_identity DO UPDATE
        SET status = 'pending', fire_at = EXCLUDED.fire_at, settled_at = NULL, outcome = NULL
      WHERE deadline_timer.status = 'cancelled'
         OR (deadline_timer.status = 'pending' AND deadline_timer.fire_at <> EXCLUDED.fire_at)`,
    values,
  )
}
