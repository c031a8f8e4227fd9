import type { MatchStatus, MatchSubject, Role } from '@mq/shared'
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm'
import { Place } from '../places/place.entity'
import { Staff } from '../staff/staff.entity'
import { ResourceRow } from './resource.entity'

/**
 * A resource set to work on a request or a need, with an owner (a staff member or a role of the compound)
 * and a working-day target date; ticked off (销号) with a note when done.
 */
@Entity('resource_match')
@Index('resource_match_subject_idx', ['subject', 'subjectId'])
@Index('resource_match_resource_idx', ['resourceId', 'status'])
export class ResourceMatchRow {
  @PrimaryGeneratedColumn('uuid')
  id: string

  @Column({ type: 'uuid', name: 'compound_id' })
  compoundId: string

  @ManyToOne(() => Place)
  @JoinColumn({ name: 'compound_id' })
  compound?: Place

  @Column({ type: 'uuid', name: 'resource_id' })
  resourceId: string

  @ManyToOne(() => ResourceRow)
  @JoinColumn({ name: 'resource_id' })
  resource?: ResourceRow

  @Column({ type: 'text' })
  subject: MatchSubject

  /** The request's or the need's id (no foreign key: the two live in other domains' tables). */
  @Column({ type: 'uuid', name: 'subject_id' })
  subjectId: string

  @Column({ type: 'uuid', name: 'owner_staff_id', nullable: true })
  ownerStaffId: string | null

  @ManyToOne(() => Staff, { nullable: true })
  @JoinColumn({ name: 'owner_staff_id' })
  ownerStaff?: Staff | null

  @Column({ type: 'text', name: 'owner_role', nullable: true })
  ownerRole: Role | null

  @Column({ type: 'date', name: 'target_date' })
  targetDate: string

  @Column({ type: 'text', nullable: true })
  note: string | null

  @Column({ type: 'text', default: 'open' })
  status: MatchStatus

  @Column({ type: 'uuid', name: 'created_by' })
  createdBy: string

  @ManyToOne(() => Staff)
  @JoinColumn({ name: 'created_by' })
  createdByStaff?: Staff

  @Column({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date

  @Column({ type: 'timestamptz', name: 'done_at', nullable: true })
  doneAt: Date | null

  @Column({ type: 'uuid', name: 'done_by', nullable: true })
  doneBy: string | null

  @ManyToOne(() => Staff, { nullable: true })
  @JoinColumn({ name: 'done_by' })
  doneByStaff?: Staff | null

  @Column({ type: 'text', name: 'done_note', nullable: true })
  doneNote: string | null
}
