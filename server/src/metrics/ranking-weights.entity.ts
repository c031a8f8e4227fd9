import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm'
import { Place } from '../places/place.entity'
import { Staff } from '../staff/staff.entity'

/**
 * A district's weights of the ranking's composite (percent of 响应率, 解决率, 满意率; they sum to 100).
 * A district without a row uses DEFAULT_RANKING_WEIGHTS.
 */
@Entity('ranking_weights')
export class RankingWeightsRow {
  @PrimaryColumn({ type: 'uuid', name: 'district_id' })
  districtId: string

  @ManyToOne(() => Place)
  @JoinColumn({ name: 'district_id' })
  district?: Place

  @Column({ type: 'smallint' })
  response: number

  @Column({ type: 'smallint' })
  resolution: number

  @Column({ type: 'smallint' })
  satisfaction: number

  @Column({ type: 'timestamptz', name: 'updated_at' })
  updatedAt: Date

  @Column({ type: 'uuid', name: 'updated_by', nullable: true })
  updatedBy: string | null

  @ManyToOne(() => Staff, { nullable: true })
  @JoinColumn({ name: 'updated_by' })
  updatedByStaff?: Staff | null
}
