import type { DeadlineWindow, TimerKind } from '@mq/shared'
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm'
import { Ticket } from '../ticket.entity'

/**
 * `pending` until it fires (`fired`), is found to have nothing to do when it comes due (`skipped`: a
 * warning whose deadline already passed), or stops being the request's plan (`cancelled`: the deadline
 * moved, the clock stopped, the request finished).
 */
export type TimerStatus = 'pending' | 'fired' | 'skipped' | 'cancelled'

/**
 * A deadline timer of a request, planned in the transaction of the change that set the deadline
 * (shared/src/timers.ts planTimers) and fired once by whichever instance claims the request first. The
 * unique key is the timer's identity: a warning, an overdue step or an auto-close of one deadline exists
 * once, so it can fire at most once, whatever runs how often.
 */
@Entity('deadline_timer')
@Unique('deadline_timer_identity', ['ticketId', 'kind', 'deadlineAt', 'step'])
@Index('deadline_timer_due_idx', ['fireAt'], { where: "status = 'pending'" })
@Index('deadline_timer_ticket_idx', ['ticketId', 'status'])
export class DeadlineTimer {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string

  @Column({ type: 'uuid', name: 'ticket_id' })
  ticketId: string

  @ManyToOne(() => Ticket)
  @JoinColumn({ name: 'ticket_id' })
  ticket?: Ticket

  @Column({ type: 'text' })
  kind: TimerKind

  /** Which deadline: acceptance, reply or resolution (null for auto-close). */
  @Column({ type: 'text', name: 'deadline_type', nullable: true })
  deadlineType: DeadlineWindow | null

  @Column({ type: 'timestamptz', name: 'deadline_at' })
  deadlineAt: Date

  /** Overdue: escalation step (1 at the deadline, +1 per 24 h); else 0. */
  @Column({ type: 'int', default: 0 })
  step: number

  @Column({ type: 'timestamptz', name: 'fire_at' })
  fireAt: Date

  @Column({ type: 'text', default: 'pending' })
  status: TimerStatus

  /** When it fired (or was skipped or cancelled), by the clock of the instance that did it. */
  @Column({ type: 'timestamptz', name: 'settled_at', nullable: true })
  settledAt: Date | null

  /** The instance that settled it (host:pid), for the operator. */
  @Column({ type: 'text', name: 'settled_by', nullable: true })
  settledBy: string | null

  /** What firing did: the escalation level reached, the recipients told (counts, never names). */
  @Column({ type: 'jsonb', nullable: true })
  outcome: Record<string, unknown> | null

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date
}
