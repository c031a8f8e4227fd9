import { NOTIFICATION_TYPES, type NotificationStatus, type NotificationType } from '@mq/shared'
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm'
import { Ticket } from '../tickets/ticket.entity'

export { NOTIFICATION_TYPES, type NotificationStatus, type NotificationType }

/**
 * Whom a row is for: a resident's account, a staff member, or the resident of a proxy entry (代录) who
 * agreed to text messages at the number staff recorded; that row's recipient id is the request's id, and
 * the number is read from the request when it is sent, never copied here.
 */
export type RecipientKind = 'resident' | 'staff' | 'proxy'

/**
 * The transactional outbox: a row is written in the same transaction as the change it tells
 * of, and the sender (notification-sender.ts) delivers it. `dedupe_key` is unique, so writing the same
 * notification twice is harmless. Each status change is one guarded UPDATE, so however many workers run,
 * a row is claimed by one of them at a time (FOR UPDATE SKIP LOCKED, under a lease) and settled once.
 * A staff member's rows are also their in-app list (`read_at`).
 */
@Entity('notification_outbox')
@Index('notification_outbox_pending_idx', ['nextAttemptAt'], { where: "status = 'pending'" })
@Index('notification_outbox_lease_idx', ['leaseUntil'], { where: "status = 'sending'" })
@Index('notification_outbox_ticket_idx', ['ticketId'])
@Index('notification_outbox_recipient_idx', ['recipientKind', 'recipientId', 'createdAt'])
@Index('notification_outbox_unread_idx', ['recipientKind', 'recipientId'], { where: 'read_at IS NULL' })
@Index('notification_outbox_status_idx', ['status', 'createdAt'])
export class OutboxNotification {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string

  @Column({ type: 'text', name: 'dedupe_key', unique: true })
  dedupeKey: string

  @Column({ type: 'text', name: 'recipient_kind' })
  recipientKind: RecipientKind

  @Column({ type: 'uuid', name: 'recipient_id' })
  recipientId: string

  @Column({ type: 'text' })
  type: NotificationType

  @Column({ type: 'uuid', name: 'ticket_id', nullable: true })
  ticketId: string | null

  @ManyToOne(() => Ticket, { nullable: true })
  @JoinColumn({ name: 'ticket_id' })
  ticket?: Ticket | null

  /** What the message says (request number, category, dates); never personal data. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  payload: Record<string, unknown>

  @Column({ type: 'text', default: 'pending' })
  status: NotificationStatus

  /** Delivery attempts made (a claim counts as one). */
  @Column({ type: 'int', default: 0 })
  attempts: number

  @Column({ type: 'timestamptz', name: 'next_attempt_at' })
  nextAttemptAt: Date

  /** The claim holding a `sending` row: whoever settles it must still hold this claim. */
  @Column({ type: 'text', name: 'claim_token', nullable: true })
  claimToken: string | null

  /** A `sending` row whose lease ran out belongs to a worker that died: it is claimed again. */
  @Column({ type: 'timestamptz', name: 'lease_until', nullable: true })
  leaseUntil: Date | null

  /** WeChat's errcode and message, or why nothing was sent; never an openid or a token. */
  @Column({ type: 'text', name: 'last_error', nullable: true })
  lastError: string | null

  @Column({ type: 'timestamptz', name: 'sent_at', nullable: true })
  sentAt: Date | null

  /** Staff recipients: when they read it in the app. */
  @Column({ type: 'timestamptz', name: 'read_at', nullable: true })
  readAt: Date | null

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date
}
