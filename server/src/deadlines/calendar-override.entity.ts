import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm'
import { Place } from '../places/place.entity'
import { Staff } from '../staff/staff.entity'

/**
 * An admin's correction of China's working calendar for a place (district, street, community or compound):
 * a day off (台风停工) or a day on, with the reason. The places under it inherit it; for the same date the
 * nearest place's wins. One per place and date.
 */
@Entity('calendar_override')
@Index('calendar_override_place_date_key', ['placeId', 'date'], { unique: true })
export class CalendarOverrideRow {
  @PrimaryGeneratedColumn('uuid')
  id: string

  @Column({ type: 'uuid', name: 'place_id' })
  placeId: string

  @ManyToOne(() => Place)
  @JoinColumn({ name: 'place_id' })
  place?: Place

  /** Local date 'YYYY-MM-DD' (PostgreSQL date, read back as the same string). */
  @Column({ type: 'date' })
  date: string

  @Column({ type: 'boolean' })
  working: boolean

  @Column({ type: 'text' })
  reason: string

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date

  @Column({ type: 'uuid', name: 'created_by', nullable: true })
  createdBy: string | null

  @ManyToOne(() => Staff, { nullable: true })
  @JoinColumn({ name: 'created_by' })
  createdByStaff?: Staff | null
}
