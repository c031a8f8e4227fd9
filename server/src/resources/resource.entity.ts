import type { ResourceKind } from '@mq/shared'
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm'
import { Place } from '../places/place.entity'
import { Staff } from '../staff/staff.entity'

/**
 * One entry of a compound's resources list (资源清单): a unit around it, a volunteer or a venue. The contact
 * person and phone are personal data: masked unless the caller is the compound's 网格长, 物业 or 自管小组,
 * and cleared when the resource is taken off the list.
 */
@Entity('resource')
@Index('resource_compound_idx', ['compoundId', 'kind', 'name'])
export class ResourceRow {
  @PrimaryGeneratedColumn('uuid')
  id: string

  @Column({ type: 'uuid', name: 'compound_id' })
  compoundId: string

  @ManyToOne(() => Place)
  @JoinColumn({ name: 'compound_id' })
  compound?: Place

  @Column({ type: 'text' })
  kind: ResourceKind

  @Column({ type: 'text' })
  name: string

  /** Skills (志愿者) or services (单位, 场地). */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags: string[]

  @Column({ type: 'text', name: 'opening_hours', nullable: true })
  openingHours: string | null

  @Column({ type: 'text', nullable: true })
  address: string | null

  @Column({ type: 'text', name: 'contact_name', nullable: true })
  contactName: string | null

  @Column({ type: 'text', name: 'contact_phone', nullable: true })
  contactPhone: string | null

  @Column({ type: 'text', nullable: true })
  availability: string | null

  @Column({ type: 'boolean', default: true })
  active: boolean

  @Column({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date

  @Column({ type: 'timestamptz', name: 'updated_at' })
  updatedAt: Date

  @Column({ type: 'uuid', name: 'updated_by', nullable: true })
  updatedBy: string | null

  @ManyToOne(() => Staff, { nullable: true })
  @JoinColumn({ name: 'updated_by' })
  updatedByStaff?: Staff | null
}
