import type { NeedSource, NeedStatus } from '@mq/shared'
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm'
import { Place } from '../places/place.entity'
import { Resident } from '../residents/resident.entity'
import { Staff } from '../staff/staff.entity'

/**
 * A resident need (居民需求) of a compound. Only public words are kept: the title and text as typed are
 * redacted of personal data before they are stored, so no raw text with a name or phone persists. The
 * proposer's room is not kept either: it only makes their household's support (need_support).
 */
@Entity('need')
@Index('need_compound_idx', ['compoundId', 'status'])
@Index('need_ticket_idx', ['ticketId'])
export class NeedRow {
  @PrimaryGeneratedColumn('uuid')
  id: string

  @Column({ type: 'uuid', name: 'compound_id' })
  compoundId: string

  @ManyToOne(() => Place)
  @JoinColumn({ name: 'compound_id' })
  compound?: Place

  @Column({ type: 'uuid', name: 'unit_id', nullable: true })
  unitId: string | null

  @ManyToOne(() => Place, { nullable: true })
  @JoinColumn({ name: 'unit_id' })
  unit?: Place | null

  @Column({ type: 'text' })
  title: string

  @Column({ type: 'text', name: 'public_text' })
  publicText: string

  @Column({ type: 'text' })
  source: NeedSource

  @Column({ type: 'text' })
  status: NeedStatus

  /** The public reason when not feasible. */
  @Column({ type: 'text', nullable: true })
  reason: string | null

  /** The request it was turned from (source request), or found with (source visit). */
  @Column({ type: 'uuid', name: 'ticket_id', nullable: true })
  ticketId: string | null

  @Column({ type: 'uuid', name: 'proposer_resident_id', nullable: true })
  proposerResidentId: string | null

  // The account may go (retention); the need stays, public and nobody's.
  @ManyToOne(() => Resident, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'proposer_resident_id' })
  proposerResident?: Resident | null

  @Column({ type: 'uuid', name: 'created_by_staff_id', nullable: true })
  createdByStaffId: string | null

  @ManyToOne(() => Staff, { nullable: true })
  @JoinColumn({ name: 'created_by_staff_id' })
  createdByStaff?: Staff | null

  @Column({ type: 'uuid', name: 'status_changed_by', nullable: true })
  statusChangedBy: string | null

  @ManyToOne(() => Staff, { nullable: true })
  @JoinColumn({ name: 'status_changed_by' })
  statusChangedByStaff?: Staff | null

  @Column({ type: 'timestamptz', name: 'status_changed_at' })
  statusChangedAt: Date

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date
}
