import type { Role } from '@mq/shared'
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm'
import { Place } from '../places/place.entity'
import { Staff } from '../staff/staff.entity'
import { ResourceRow } from './resource.entity'

/** The contact fields of a resource an access-log entry may name. */
export type ResourceContactField = 'name' | 'phone'

/**
 * One unmasked read of a resource's contact person or phone: the access log of the resources list, kept
 * beside the requests' `access_log` (whose rows name a request). Append-only: a trigger created by the
 * migration makes the database refuse UPDATE, DELETE and TRUNCATE.
 */
@Entity('resource_access_log')
@Index('resource_access_log_compound_idx', ['compoundId', 'id'])
@Index('resource_access_log_resource_idx', ['resourceId'])
export class ResourceAccessRow {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string

  @Column({ type: 'timestamptz' })
  at: Date

  @Column({ type: 'uuid', name: 'staff_id' })
  staffId: string

  @ManyToOne(() => Staff)
  @JoinColumn({ name: 'staff_id' })
  staff?: Staff

  /** The role that granted the access. */
  @Column({ type: 'text' })
  role: Role

  @Column({ type: 'uuid', name: 'resource_id' })
  resourceId: string

  @ManyToOne(() => ResourceRow)
  @JoinColumn({ name: 'resource_id' })
  resource?: ResourceRow

  @Column({ type: 'uuid', name: 'compound_id' })
  compoundId: string

  @ManyToOne(() => Place)
  @JoinColumn({ name: 'compound_id' })
  compound?: Place

  @Column({ type: 'text', array: true })
  fields: ResourceContactField[]

  @Column({ type: 'text', name: 'request_id', nullable: true })
  requestId: string | null
}
