import type { Role } from '@mq/shared'
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm'

/** What a full read of the register may name. */
export type RegisterField = 'name' | 'phone' | 'room' | 'notes'

/**
 * One full read of a household on the visit register (names, phones, room, notes unmasked). Append-only: a
 * trigger created by the migration refuses UPDATE, DELETE and TRUNCATE. Holds no resident data itself.
 */
@Entity('visit_access_log')
@Index('visit_access_log_compound_idx', ['compoundId', 'id'])
@Index('visit_access_log_household_idx', ['householdId'])
export class VisitAccessLogRow {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string

  @Column({ type: 'timestamptz' })
  at: Date

  @Column({ type: 'uuid', name: 'staff_id' })
  staffId: string

  /** The role that granted the access. */
  @Column({ type: 'text' })
  role: Role

  @Column({ type: 'uuid', name: 'household_id' })
  householdId: string

  @Column({ type: 'uuid', name: 'compound_id' })
  compoundId: string

  @Column({ type: 'text', array: true })
  fields: RegisterField[]

  /** Ties the entry to the request's log lines. */
  @Column({ type: 'text', name: 'request_id', nullable: true })
  requestId: string | null
}
