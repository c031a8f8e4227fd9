import type { CategoryCode } from '@mq/shared'
import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm'
import { Place } from '../places/place.entity'
import { Staff } from '../staff/staff.entity'

/**
 * A place's changes to the danger list of the urgent lane (a district, street, community or compound):
 * words and categories it adds or drops, inherited by the places under it; and, for a compound, its 物业
 * 24-hour line, shown on the emergency sheet.
 */
@Entity('urgent_list')
export class UrgentListRow {
  @PrimaryColumn({ type: 'uuid', name: 'place_id' })
  placeId: string

  @ManyToOne(() => Place)
  @JoinColumn({ name: 'place_id' })
  place?: Place

  @Column({ type: 'jsonb', name: 'add_words', default: () => "'[]'" })
  addWords: string[]

  @Column({ type: 'jsonb', name: 'drop_words', default: () => "'[]'" })
  dropWords: string[]

  @Column({ type: 'jsonb', name: 'add_categories', default: () => "'[]'" })
  addCategories: CategoryCode[]

  @Column({ type: 'jsonb', name: 'drop_categories', default: () => "'[]'" })
  dropCategories: CategoryCode[]

  @Column({ type: 'text', name: 'property_phone', nullable: true })
  propertyPhone: string | null

  @Column({ type: 'timestamptz', name: 'updated_at' })
  updatedAt: Date

  @Column({ type: 'uuid', name: 'updated_by', nullable: true })
  updatedBy: string | null

  @ManyToOne(() => Staff, { nullable: true })
  @JoinColumn({ name: 'updated_by' })
  updatedByStaff?: Staff | null
}
