import { Place } from '../places/place.entity'
import { Resident } from '../residents/resident.entity'
import { Staff } from '../staff/staff.entity'
import type { CategoryCode, Channel, DeadlineConfig, HandlerRole, Role, Severity, TicketState } from '@mq/shared'
import {
  Column,
  CreateDateColumn,
  Entity,
  Generated,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm'

/** A stretch of waiting for the resident, as stored (ISO instants); `end` null while it lasts. */
export interface StoredPause {
  start: string
  end: string | null
}

/** Open requests (shared OPEN_STATES): the partial indexes below cover only these. */
const OPEN = "state IN ('submitted', 'accepted', 'replied', 'waiting_resident')"

/**
 * A resident's request. Place ids are copied down from the unit so that scope queries ("everything in
 * compound X") need no joins. `next_due_at` is the deadline owed now (shared nextDeadline), kept with
 * every change so the inbox and the deadline timers read one indexed column.
 */
@Entity('ticket')
@Index('ticket_handler_open_idx', ['handlerStaffId', 'state'])
@Index('ticket_compound_created_idx', ['compoundId', 'createdAt'])
// The lists read from their indexes alone: INCLUDE columns, which TypeORM cannot describe, so these three
// are created by migration 1798500000000-ListCover and left alone here. A resident's requests, newest first
// (reporter_resident_id, created_at, number; INCLUDE id).
@Index('ticket_reporter_created_idx', { synchronize: false })
// The inbox: a handler's open requests (handler_staff_id, next_due_at; INCLUDE urgent, number, state, id).
@Index('ticket_inbox_handler_idx', { synchronize: false })
// The inbox of supervisors and coordinators: a compound's open requests (compound_id, next_due_at; INCLUDE
// urgent, number, state, handler_staff_id, id).
@Index('ticket_inbox_compound_idx', { synchronize: false })
// Deadline timers (a later issue): every open request by the deadline owed now.
@Index('ticket_open_due_idx', ['nextDueAt'], { where: OPEN })
// Is this request (a co-handler row's, in the inbox) still open? Answered from a small index.
@Index('ticket_open_id_idx', ['id'], { where: OPEN })
// Auto-close 7 days after resolution.
@Index('ticket_resolved_idx', ['resolvedAt'], { where: "state = 'resolved'" })
// Duplicates: open requests of a category in a building, newest first.
@Index('ticket_duplicates_idx', ['buildingId', 'category', 'createdAt'], { where: OPEN })
// Metrics and the heat table of one building over a period.
@Index('ticket_building_created_idx', ['buildingId', 'createdAt'])
// The requests whose metrics depend on the time of the read (not yet accepted / resolved against a
// deadline): counted live beside the counters of tallies/, from the index alone (its INCLUDE columns,
// which TypeORM cannot describe: created by migration 1798400000000-PendingCover, left alone here).
@Index('ticket_deadline_pending_idx', { synchronize: false })
// Metrics' attention list: a compound's open escalated requests.
@Index('ticket_escalated_idx', ['compoundId', 'escalationLevel'], { where: `${OPEN} AND escalation_level > 0` })
export class Ticket {
  @PrimaryGeneratedColumn('uuid')
  id: string

  /** Human-facing serial number, shown as MQ000123. */
  @Column({ type: 'int', unique: true })
  @Generated('increment')
  number: number

  @Column({ type: 'uuid', name: 'unit_id' })
  unitId: string

  @ManyToOne(() => Place)
  @JoinColumn({ name: 'unit_id' })
  unit?: Place

  @Column({ type: 'uuid', name: 'building_id' })
  buildingId: string

  @ManyToOne(() => Place)
  @JoinColumn({ name: 'building_id' })
  building?: Place

  @Column({ type: 'uuid', name: 'compound_id' })
  compoundId: string

  @ManyToOne(() => Place)
  @JoinColumn({ name: 'compound_id' })
  compound?: Place

  @Column({ type: 'text' })
  category: CategoryCode

  @Column({ type: 'text' })
  severity: Severity

  /**
   * The urgent lane (紧急): the category or the words signal danger (shared urgent.ts, decided by the server
   * at filing). Acceptance within 30 minutes at any hour, hourly escalation; it heads the inbox.
   */
  @Column({ type: 'boolean', default: false })
  urgent: boolean

  @Column({ type: 'text' })
  state: TicketState

  @Column({ type: 'text', name: 'state_before_wait', nullable: true })
  stateBeforeWait: TicketState | null

  @Column({ type: 'text' })
  channel: Channel

  @Column({ type: 'text' })
  description: string

  @Column({ type: 'uuid', name: 'reporter_resident_id', nullable: true })
  reporterResidentId: string | null

  @ManyToOne(() => Resident)
  @JoinColumn({ name: 'reporter_resident_id' })
  reporter?: Resident

  /** Proxy entry (代录): the resident's name and phone as told to staff, and the staff member who filed. */
  @Column({ type: 'text', name: 'proxy_name', nullable: true })
  proxyName: string | null

  @Column({ type: 'text', name: 'proxy_phone', nullable: true })
  proxyPhone: string | null

  /** The resident agreed to be texted of the request's progress at `proxyPhone` (a proxy entry only). */
  @Column({ type: 'boolean', name: 'proxy_sms_consent', default: false })
  proxySmsConsent: boolean

  @Column({ type: 'uuid', name: 'proxy_staff_id', nullable: true })
  proxyStaffId: string | null

  @ManyToOne(() => Staff)
  @JoinColumn({ name: 'proxy_staff_id' })
  proxyStaff?: Staff

  @Column({ type: 'text', nullable: true })
  room: string | null

  /** The resident agreed to be phoned about this request. */
  @Column({ type: 'boolean', name: 'contact_consent', default: false })
  contactConsent: boolean

  @Column({ type: 'uuid', name: 'handler_staff_id', nullable: true })
  handlerStaffId: string | null

  @ManyToOne(() => Staff)
  @JoinColumn({ name: 'handler_staff_id' })
  handler?: Staff

  @Column({ type: 'text', name: 'handler_role', nullable: true })
  handlerRole: Role | null

  @Column({ type: 'text', name: 'co_roles', array: true, default: () => "'{}'" })
  coRoles: HandlerRole[]

  @Column({ type: 'timestamptz', name: 'accept_by', nullable: true })
  acceptBy: Date | null

  @Column({ type: 'timestamptz', name: 'reply_by', nullable: true })
  replyBy: Date | null

  @Column({ type: 'timestamptz', name: 'resolve_by', nullable: true })
  resolveBy: Date | null

  @Column({ type: 'timestamptz', name: 'promised_at', nullable: true })
  promisedAt: Date | null

  @Column({ type: 'timestamptz', name: 'next_due_at', nullable: true })
  nextDueAt: Date | null

  /** Where the reply and resolution windows start: filing, or the latest reopening. */
  @Column({ type: 'timestamptz', name: 'clock_started_at', default: () => 'now()' })
  clockStartedAt: Date

  /**
   * The compound's deadline settings when the request was filed (deadlines/deadline-settings), so a later
   * change of the settings leaves it alone; null: the default rules.
   */
  @Column({ type: 'jsonb', name: 'deadline_config', nullable: true })
  deadlineConfig: DeadlineConfig | null

  /** Every wait for the resident, so the deadlines can be recomputed exactly. */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  pauses: StoredPause[]

  @Column({ type: 'timestamptz', name: 'accepted_at', nullable: true })
  acceptedAt: Date | null

  @Column({ type: 'timestamptz', name: 'replied_at', nullable: true })
  repliedAt: Date | null

  /** The plan of the reply; with promised_at, the public commitment. */
  @Column({ type: 'text', name: 'reply_plan', nullable: true })
  replyPlan: string | null

  @Column({ type: 'timestamptz', name: 'resolved_at', nullable: true })
  resolvedAt: Date | null

  @Column({ type: 'text', name: 'resolution_note', nullable: true })
  resolutionNote: string | null

  /**
   * What the public board shows instead of the reply plan / resolution note, as edited by staff; null: the
   * original. Cleared when a new reply or resolution replaces the original it stood for.
   */
  /** What the public reads instead of the redacted description, as edited by staff; null: the redacted original. */
  @Column({ type: 'text', name: 'public_text', nullable: true })
  publicText: string | null

  @Column({ type: 'text', name: 'public_commitment', nullable: true })
  publicCommitment: string | null

  @Column({ type: 'text', name: 'public_resolution', nullable: true })
  publicResolution: string | null

  @Column({ type: 'timestamptz', name: 'closed_at', nullable: true })
  closedAt: Date | null

  /** Shown to the resident. */
  @Column({ type: 'text', name: 'rejection_reason', nullable: true })
  rejectionReason: string | null

  @Column({ type: 'uuid', name: 'merged_into_id', nullable: true })
  mergedIntoId: string | null

  @ManyToOne(() => Ticket, { nullable: true })
  @JoinColumn({ name: 'merged_into_id' })
  mergedInto?: Ticket | null

  @Column({ type: 'int', name: 'escalation_level', default: 0 })
  escalationLevel: number

  @Column({ type: 'int', name: 'chase_count', default: 0 })
  chaseCount: number

  @Column({ type: 'timestamptz', name: 'last_chased_at', nullable: true })
  lastChasedAt: Date | null

  @Column({ type: 'int', name: 'follower_count', default: 0 })
  followerCount: number

  /** Times a 1–2 star rating sent it back (解决率 counts only requests never reopened). */
  @Column({ type: 'int', name: 'reopen_count', default: 0 })
  reopenCount: number

  /** Stars of the latest rating, or null; kept by a database trigger on ticket_rating (migration LatestStars). */
  @Column({ type: 'smallint', name: 'latest_stars', nullable: true, insert: false, update: false })
  latestStars: number | null

  /**
   * Transferred or reassigned away from someone who held it at least once (a `transferred` timeline entry
   * with a `fromRole`): 回退率's fact, kept by a database trigger on ticket_event (migration Tallies).
   */
  @Column({ type: 'boolean', name: 'handed_off', default: false, insert: false, update: false })
  handedOff: boolean

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt: Date
}
