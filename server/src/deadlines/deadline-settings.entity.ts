import type { DeadlineSettingsInput } from '@mq/shared'
import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm'
import { Place } from '../places/place.entity'
import { Staff } from '../staff/staff.entity'

/**
 * A compound's own deadline settings: the fields it overrides;
 * the rest are the defaults. Requests filed in the compound copy the effective config onto themselves.
 */
@Entity('deadline_settings')
export class DeadlineSettingsRow {
  @PrimaryColumn({ type: 'uuid', name: 'compound_id' })
  compoundId: string

  @ManyToOne(() => Place)
  @JoinColumn({ name: 'compound_id' })
  compound?: Place

  @Column({ type: 'jsonb', default: () => "'{}'" })
  overrides: DeadlineSettingsInput

  @Column({ type: 'timestamptz', name: 'updated_at' })
  updatedAt: Date

  @Column({ type: 'uuid', name: 'updated_by', nullable: true })
  updatedBy: string | null

  @ManyToOne(() => Staff, { nullable: true })
  @JoinColumn({ name: 'updated_by' })
  updatedByStaff?: Staff | null
}
