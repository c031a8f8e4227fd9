import type { VisitKind, Wellbeing } from '@mq/shared'
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm'
import { Staff } from '../staff/staff.entity'
import { HouseholdRow } from './household.entity'

/**
 * One visit or call to a household: how they are and what they need. A request filed from it (a proxy entry)
 * is linked by `ticket_id`; the ticket does not point back (the tickets domain knows nothing of visits).
 */
@Entity('visit')
@Index('visit_household_idx', ['householdId', 'at'])
export class VisitRow {
  @PrimaryGeneratedColumn('uuid')
  id: string

  @Column({ type: 'uuid', name: 'household_id' })
  householdId: string

  @ManyToOne(() => HouseholdRow)
  @JoinColumn({ name: 'household_id' })
  household?: HouseholdRow

  @Column({ type: 'uuid', name: 'staff_id' })
  staffId: string

  @ManyToOne(() => Staff)
  @JoinColumn({ name: 'staff_id' })
  staff?: Staff

  @Column({ type: 'timestamptz' })
  at: Date

  @Column({ type: 'text' })
  kind: VisitKind

  @Column({ type: 'text' })
  wellbeing: Wellbeing

  @Column({ type: 'text', name: 'needs_found', nullable: true })
  needsFound: string | null

  /** The request filed from this visit (no foreign key: tickets own their table). */
  @Column({ type: 'uuid', name: 'ticket_id', nullable: true })
  ticketId: string | null

  /** Its number as staff know it (Q-…), kept beside the id so the visit log needs no read of tickets. */
  @Column({ type: 'text', name: 'ticket_number', nullable: true })
  ticketNumber: string | null

  /** The need (居民需求) entered from this visit (no foreign key: needs own their table). */
  @Column({ type: 'uuid', name: 'need_id', nullable: true })
  needId: string | null
}
