import { Injectable, Logger } from '@nestjs/common'
import {
  autoCloseAt,
  categoryOf,
  escalationLevelAfterStep,
  escalationRole,
  MAX_ESCALATION_LEVEL,
  overdueStepAt,
  owedDeadline,
  resolveConfig,
  timerCalendar,
  type DeadlineWindow,
  type NotificationType,
  type TimerKind,
} from '@mq/shared'
import { hostname } from 'node:os'
import { DataSource, LessThanOrEqual, type EntityManager } from 'typeorm'
import { Clock } from '../../common/clock'
import { enqueue } from '../../notifications/outbox'
import { deadlineConfigOf } from './ticket-deadlines'
import { notifyStaff, recordEvent, SYSTEM, type Supervisors } from '../ticket-journal'
import { Ticket } from '../ticket.entity'
import { ticketNumber } from '../ticket.view'
import { DeadlineTimer, type TimerStatus } from './deadline-timer.entity'
import { asSystem, move, TicketRunner } from './ticket-runner'
import { insertTimers, timerTicket } from './timer-plan'

/** One timer settled by a sweep. */
export interface TimerFiring {
  timerId: string
  ticketId: string
  kind: TimerKind
  step: number
  status: Exclude<TimerStatus, 'pending'>
  /** How long after its time it was settled, by this instance's clock. */
  lateMs: number
  /** Overdue: the escalation level the request stands at afterwards. */
  level?: number
}

export interface SweepResult {
  /** Requests with due timers found (a full page means: sweep again at once). */
  found: number
  firings: TimerFiring[]
}

/**
 * Fires deadline timers exactly once across any number of instances. A sweep lists requests
 * with a timer due, then takes each as a command of TicketRunner in its own short transaction (its
 * `save` is not used: the timers being settled are the plan, so the firing writes only the columns it
 * changes and plans the next overdue step itself). The request row is claimed with
 * `FOR UPDATE SKIP LOCKED` (another instance, or a person acting on it right now, holds it: skip it, the
 * next sweep comes back), its due timers are re-read under that lock and each is settled by a guarded
 * `UPDATE … WHERE status = 'pending'` in the same transaction as everything it does (timeline entry,
 * escalation level, outbox rows). A process that dies mid-way rolls back and leaves the timer pending for
 * the next sweep; a timer that committed is never pending again.
 */
@Injectable()
export class DeadlineTimersService {
  /** Written on the timers this instance settles. */
  readonly instance = `${hostname()}:${process.pid}`
  private readonly logger = new Logger('DeadlineTimers')

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly runner: TicketRunner,
  ) {}

  async runDue(limit = 100): Promise<SweepResult> {
    const due = await this.dataSource.query<{ ticket_id: string }[]>(
      `SELECT ticket_id FROM deadline_timer WHERE status = 'pending' AND fire_at <= $1
        GROUP BY ticket_id ORDER BY min(fire_at) LIMIT $2`,
      [this.clock.now(), limit],
    )
    const firings: TimerFiring[] = []
    for (const { ticket_id } of due) {
      try {
        firings.push(...(await this.fireTicket(ticket_id)))
      } catch (error) {
        // Rolled back: its timers stay pending for the next sweep; the other requests go on.
        this.logger.error(
          { ticketId: ticket_id, err: error instanceof Error ? error.message : String(error) },
          'firing the timers of a request failed',
        )
      }
    }
    return { found: due.length, firings }
  }

  /**
   * One request's due timers, as a command of the runner (system actor) that skips a request someone else
   * holds right now: its due timers are re-read under the row lock and settled in that transaction.
   */
  private async fireTicket(ticketId: string): Promise<TimerFiring[]> {
    const fired = await this.runner.runIfFree(ticketId, { authorise: asSystem }, async ({ manager, ticket, now, supervisors }) => {
      const firings: TimerFiring[] = []
      // Firing an overdue step plans the next one, which may be due already (the system was down for days).
      for (let round = 0; round <= MAX_ESCALATION_LEVEL; round++) {
        const timers = await manager.getRepository(DeadlineTimer).find({
          where: { ticketId, status: 'pending', fireAt: LessThanOrEqual(now) },
          order: { fireAt: 'ASC', step: 'ASC', id: 'ASC' },
        })
        if (timers.length === 0) break
        for (const timer of timers) firings.push(await this.fire(manager, ticket, timer, now, supervisors))
      }
      return firings
    })
    return fired ?? []
  }

  private async fire(
    manager: EntityManager,
    ticket: Ticket,
    timer: DeadlineTimer,
    now: Date,
    supervisors: (level: number) => Promise<Supervisors | null>,
  ): Promise<TimerFiring> {
    const settle = async (status: Exclude<TimerStatus, 'pending'>, outcome: Record<string, unknown>) => {
      const [, updated] = await manager.query<[unknown, number]>(
        `UPDATE deadline_timer SET status = $2, settled_at = $3, outcome = $4::jsonb, settled_by = $5
          WHERE id = $1 AND status = 'pending'`,
        [timer.id, status, now, JSON.stringify(outcome), this.instance],
      )
      // Unreachable while every writer of a request's timers holds its row lock; if not, undo everything.
      if (updated !== 1) throw new Error(`deadline timer ${timer.id} was settled by someone else`)
      return {
        timerId: timer.id,
        ticketId: ticket.id,
        kind: timer.kind,
        step: timer.step,
        status,
        lateMs: now.getTime() - timer.fireAt.getTime(),
        ...(typeof outcome.level === 'number' ? { level: outcome.level } : {}),
      }
    }

    if (timer.kind === 'auto_close') {
      const closes = ticket.state === 'resolved' && ticket.resolvedAt !== null
      const config = deadlineConfigOf(ticket)
      const closesAt = closes ? autoCloseAt(ticket.resolvedAt!, config, timerCalendar(timerTicket(ticket), config)) : null
      if (!closesAt || closesAt.getTime() !== timer.deadlineAt.getTime()) {
        return settle('cancelled', { reason: 'no longer resolved since then' })
      }
      await this.autoClose(manager, ticket, now)
      return settle('fired', { closed: true })
    }

    // Only the deadline owed now fires (the plan should already say so; this holds even if it did not).
    const owed = owedDeadline(timerTicket(ticket))
    if (!owed || owed.deadline.getTime() !== timer.deadlineAt.getTime()) {
      return settle('cancelled', { reason: 'not the deadline owed now' })
    }
    if (timer.kind === 'warning') {
      if (now >= owed.deadline) return settle('skipped', { reason: 'the deadline passed first' })
      const told = await this.tellHandler(manager, ticket, 'warning', owed.window, owed.deadline, now)
      return settle('fired', { recipients: told })
    }
    return settle('fired', await this.escalate(manager, ticket, timer, owed, now, supervisors))
  }

  /**
   * Overdue step n: the request is overdue (step 1 tells its handler), and escalates to the level of the
   * step (plus the chases that escalated it meanwhile): a timeline entry, and the supervisors at that
   * level are told. Then the next step, 24 h later on the handler's calendar (the next working day's same
   * hour for a working-time handler), unless the district already has it.
   */
  private async escalate(
    manager: EntityManager,
    ticket: Ticket,
    timer: DeadlineTimer,
    { window, deadline }: { window: DeadlineWindow; deadline: Date },
    now: Date,
    findSupervisors: (level: number) => Promise<Supervisors | null>,
  ): Promise<Record<string, unknown>> {
    const [{ chases }] = await manager.query<{ chases: number }[]>(
      `SELECT count(*)::int AS chases FROM ticket_event
        WHERE ticket_id = $1 AND type = 'escalated' AND data->>'cause' = 'chase' AND at >= $2`,
      [ticket.id, deadline],
    )
    const from = ticket.escalationLevel
    const level = escalationLevelAfterStep(from, timer.step, chases)
    let supervisors = 0
    if (level > from) {
      ticket.escalationLevel = level
      await manager.getRepository(Ticket).update(ticket.id, { escalationLevel: level, updatedAt: now })
      const role = escalationRole(level)!
      const event = await recordEvent(manager, {
        ticketId: ticket.id,
        actor: SYSTEM,
        type: 'escalated',
        public: false,
        data: {
          level,
          role,
          cause: 'overdue',
          deadline: window,
          dueAt: deadline.toISOString(),
          step: timer.step,
        },
        at: now,
      })
      const found = await findSupervisors(level)
      if (found) {
        await notifyStaff(manager, ticket, event, 'escalated', found.staffIds, {
          level,
          role: found.role,
          deadline: window,
          dueAt: deadline.toISOString(),
        })
        supervisors = found.staffIds.length
      }
    }
    const handler =
      timer.step === 1 ? await this.tellHandler(manager, ticket, 'overdue', window, deadline, now) : 0
    if (level < MAX_ESCALATION_LEVEL) {
      const step = timer.step + 1
      const config = deadlineConfigOf(ticket)
      const calendar = timerCalendar(timerTicket(ticket), config)
      await insertTimers(
        manager,
        ticket.id,
        // An urgent request's rules make the steps hourly.
        [{ kind: 'overdue', window, deadline, step, fireAt: overdueStepAt(deadline, step, calendar, config) }],
        now,
      )
    }
    return { level, from, chases, supervisors, handler }
  }

  /** A resolved request nobody rated closes itself (销号); the timeline says so. */
  private async autoClose(manager: EntityManager, ticket: Ticket, now: Date): Promise<void> {
    ticket.state = move(ticket, 'close')
    ticket.closedAt = now
    ticket.nextDueAt = null
    await manager
      .getRepository(Ticket)
      .update(ticket.id, { state: ticket.state, closedAt: now, nextDueAt: null, updatedAt: now })
    await recordEvent(manager, {
      ticketId: ticket.id,
      actor: SYSTEM,
      type: 'closed',
      public: true,
      data: { auto: true, days: resolveConfig(deadlineConfigOf(ticket)).autoCloseDays },
      at: now,
    })
  }

  /** The handler, told of a warning or of being overdue; once per deadline (the dedupe key says so). */
  private async tellHandler(
    manager: EntityManager,
    ticket: Ticket,
    type: Extract<NotificationType, 'warning' | 'overdue'>,
    window: DeadlineWindow,
    deadline: Date,
    now: Date,
  ): Promise<number> {
    if (!ticket.handlerStaffId) return 0
    await enqueue(manager, {
      recipient: { kind: 'staff', id: ticket.handlerStaffId },
      type,
      ticketId: ticket.id,
      payload: {
        number: ticketNumber(ticket.number),
        category: ticket.category,
        categoryLabel: categoryOf(ticket.category).label,
        state: ticket.state,
        deadline: window,
        dueAt: deadline.toISOString(),
      },
      dedupeKey: `${type}:${ticket.id}:${deadline.toISOString()}:staff:${ticket.handlerStaffId}`,
      at: now,
    })
    return 1
  }
}
