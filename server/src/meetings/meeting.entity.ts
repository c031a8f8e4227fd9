import type { DecisionStatus, MeetingKind, MeetingStatus, Role } from '@mq/shared'
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm'
import { Place } from '../places/place.entity'
import { Staff } from '../staff/staff.entity'

/** A joint meeting (联席会议) of a compound: planned, then held. Attendees are roles, never names. */
@Entity('meeting')
@Index('meeting_compound_idx', ['compoundId', 'startsAt'])
export class MeetingRow {
  @PrimaryGeneratedColumn('uuid')
  id: string

  @Column({ type: 'uuid', name: 'compound_id' })
  compoundId: string

  @ManyToOne(() => Place)
  @JoinColumn({ name: 'compound_id' })
  compound?: Place

  @Column({ type: 'text' })
  kind: MeetingKind

  @Column({ type: 'text' })
  title: string

  @Column({ type: 'timestamptz', name: 'starts_at' })
  startsAt: Date

  /** Where it meets (a meeting room, the community centre): a place's name, not a person's. */
  @Column({ type: 'text' })
  venue: string

  @Column({ type: 'text', name: 'attendee_roles', array: true })
  attendeeRoles: Role[]

  @Column({ type: 'text' })
  status: MeetingStatus

  @Column({ type: 'timestamptz', name: 'held_at', nullable: true })
  heldAt: Date | null

  @Column({ type: 'uuid', name: 'created_by' })
  createdBy: string

  @ManyToOne(() => Staff)
  @JoinColumn({ name: 'created_by' })
  createdByStaff?: Staff

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date
}

/**
 * An item on a meeting's agenda: a request (by id) or a need (by id), with the public words it was put on
 * the agenda with (the request's public text, the need's title), kept as they were.
 */
@Entity('meeting_agenda_item')
@Index('meeting_agenda_item_meeting_idx', ['meetingId', 'position'])
export class MeetingAgendaItemRow {
  @PrimaryGeneratedColumn('uuid')
  id: string

  @Column({ type: 'uuid', name: 'meeting_id' })
  meetingId: string

  @ManyToOne(() => MeetingRow)
  @JoinColumn({ name: 'meeting_id' })
  meeting?: MeetingRow

  @Column({ type: 'int' })
  position: number

  @Column({ type: 'text' })
  source: 'request' | 'need'

  /** The request (no foreign key: tickets/ owns that table; a request is never deleted, only cleared). */
  @Column({ type: 'uuid', name: 'ticket_id', nullable: true })
  ticketId: string | null

  @Column({ type: 'uuid', name: 'need_id', nullable: true })
  needId: string | null

  /** Public words only. */
  @Column({ type: 'text' })
  title: string

  @Column({ type: 'text', array: true })
  reasons: string[]

  @Column({ type: 'uuid', name: 'added_by' })
  addedBy: string

  @ManyToOne(() => Staff)
  @JoinColumn({ name: 'added_by' })
  addedByStaff?: Staff

  @CreateDateColumn({ type: 'timestamptz', name: 'added_at' })
  addedAt: Date
}

/**
 * A meeting's decision: on an agenda item or general; owned by a role (and optionally one of its staff);
 * a target working day; a public summary (redacted when written) and internal words; open until done.
 */
@Entity('meeting_decision')
@Index('meeting_decision_meeting_idx', ['meetingId', 'createdAt'])
@Index('meeting_decision_compound_idx', ['compoundId', 'status'])
export class MeetingDecisionRow {
  @PrimaryGeneratedColumn('uuid')
  id: string

  @Column({ type: 'uuid', name: 'meeting_id' })
  meetingId: string

  @ManyToOne(() => MeetingRow)
  @JoinColumn({ name: 'meeting_id' })
  meeting?: MeetingRow

  @Column({ type: 'uuid', name: 'compound_id' })
  compoundId: string

  @Column({ type: 'uuid', name: 'agenda_item_id', nullable: true })
  agendaItemId: string | null

  @ManyToOne(() => MeetingAgendaItemRow)
  @JoinColumn({ name: 'agenda_item_id' })
  agendaItem?: MeetingAgendaItemRow

  /** The request it is about (the agenda item's), whose public timeline shows it. */
  @Column({ type: 'uuid', name: 'ticket_id', nullable: true })
  ticketId: string | null

  @Column({ type: 'text', name: 'owner_role' })
  ownerRole: Role

  @Column({ type: 'uuid', name: 'owner_staff_id', nullable: true })
  ownerStaffId: string | null

  @ManyToOne(() => Staff)
  @JoinColumn({ name: 'owner_staff_id' })
  ownerStaff?: Staff

  /** Local date 'YYYY-MM-DD', a working day of the compound's calendar. */
  @Column({ type: 'date', name: 'target_date' })
  targetDate: string

  @Column({ type: 'text', name: 'public_summary' })
  publicSummary: string

  @Column({ type: 'text', name: 'internal_note' })
  internalNote: string

  @Column({ type: 'text' })
  status: DecisionStatus

  @Column({ type: 'text', name: 'done_note', nullable: true })
  doneNote: string | null

  @Column({ type: 'timestamptz', name: 'done_at', nullable: true })
  doneAt: Date | null

  @Column({ type: 'uuid', name: 'done_by', nullable: true })
  doneBy: string | null

  @ManyToOne(() => Staff)
  @JoinColumn({ name: 'done_by' })
  doneByStaff?: Staff

  @Column({ type: 'uuid', name: 'created_by' })
  createdBy: string

  @ManyToOne(() => Staff)
  @JoinColumn({ name: 'created_by' })
  createdByStaff?: Staff

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date
}
