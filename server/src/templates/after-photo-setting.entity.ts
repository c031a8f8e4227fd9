import type { CategoryCode } from '@mq/shared'
import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm'
import { Place } from '../places/place.entity'
import { Staff } from '../staff/staff.entity'

/**
 * A compound's own list of categories whose resolution needs an after photo when the resident sent before
 * photos; a compound without a row uses the defaults (AFTER_PHOTO_DEFAULT_CATEGORIES).
 */
@Entity('after_photo_setting')
export class AfterPhotoSettingRow {
  @PrimaryColumn({ type: 'uuid', name: 'compound_id' })
  compoundId: string

  @ManyToOne(() => Place)
  @JoinColumn({ name: 'compound_id' })
  compound?: Place

  @Column({ type: 'text', array: true })
  categories: CategoryCode[]

  @Column({ type: 'timestamptz', name: 'updated_at' })
  updatedAt: Date

  @Column({ type: 'uuid', name: 'updated_by', nullable: true })
  updatedBy: string | null

  @ManyToOne(() => Staff, { nullable: true })
  @JoinColumn({ name: 'updated_by' })
  updatedByStaff?: Staff | null
}
