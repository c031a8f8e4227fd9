import type { VisitReason } from '@mq/shared'
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm'
import { Place } from '../places/place.entity'
import { Staff } from '../staff/staff.entity'

export interface HouseholdPerson {
  name: string
  phone: string | null
}

/**
 * A household on the visit register (走访对象): who lives there, why they are visited, how often, and the
 * grid worker who visits. `people`, `room` and `notes` are personal data; they are cleared when the
 * household leaves the register (`left_at`), and the row stays, anonymous, for the figures.
 */
@Entity('visit_household')
@Index('visit_household_compound_idx', ['compoundId', 'leftAt'])
@Index('visit_household_assignee_idx', ['assigneeStaffId', 'leftAt'])
export class HouseholdRow {
  @PrimaryGeneratedColumn('uuid')
  id: string

  @Column({ type: 'uuid', name: 'compound_id' })
  compoundId: string

  @ManyToOne(() => Place)
  @JoinColumn({ name: 'compound_id' })
  compound?: Place

  @Column({ type: 'uuid', name: 'unit_id' })
  unitId: string

  @ManyToOne(() => Place)
  @JoinColumn({ name: 'unit_id' })
  unit?: Place

  @Column({ type: 'text', nullable: true })
  room: string | null

  @Column({ type: 'jsonb' })
  people: HouseholdPerson[]

  @Column({ type: 'text', array: true })
  reasons: VisitReason[]

  @Column({ type: 'int', name: 'interval_days' })
  intervalDays: number

  @Column({ type: 'uuid', name: 'assignee_staff_id' })
  assigneeStaffId: string

  @ManyToOne(() => Staff)
  @JoinColumn({ name: 'assignee_staff_id' })
  assignee?: Staff

  @Column({ type: 'text', nullable: true })
  notes: string | null

  /** The last visit or call: the schedule counts the interval from here (from `created_at` before any). */
  @Column({ type: 'timestamptz', name: 'last_contact_at', nullable: true })
  lastContactAt: Date | null

  @Column({ type: 'uuid', name: 'created_by' })
  createdBy: string

  @ManyToOne(() => Staff)
  @JoinColumn({ name: 'created_by' })
  creator?: Staff

  /** Set from the clock: the first visit is due an interval after it. */
  @Column({ type: 'timestamptz', name: 'created_at', default: () => 'now()' })
  createdAt: Date

  /** When it left the register (moved away, died, no longer needs visits): its personal data is gone. */
  @Column({ type: 'timestamptz', name: 'left_at', nullable: true })
  leftAt: Date | null
}
