import { Column, Entity, PrimaryColumn } from 'typeorm'
import { MetricTerms } from './tally-columns'

/**
 * Requests of a compound filed in one local month (Asia/Shanghai), per handler role ('' for none): the
 * board's and the quarterly report's counts, and the metrics' terms. Written only by the database's
 * trigger on `ticket` (migration Tallies), in the transaction of each change of a request.
 */
@Entity('compound_tally')
export class CompoundTally extends MetricTerms {
  @PrimaryColumn({ type: 'uuid', name: 'compound_id', primaryKeyConstraintName: 'PK_compound_tally' })
  compoundId: string

  /** The first day of the local month. */
  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'PK_compound_tally' })
  month: string

  @PrimaryColumn({ type: 'text', name: 'handler_role', primaryKeyConstraintName: 'PK_compound_tally' })
  handlerRole: string

  // The board (requests not withdrawn) and the report.
  @Column({ type: 'int', default: 0 })
  received: number

  @Column({ type: 'int', default: 0 })
  accepted: number

  @Column({ type: 'int', default: 0 })
  committed: number

  @Column({ type: 'int', default: 0 })
  resolved: number

  @Column({ type: 'int', default: 0 })
  closed: number

  @Column({ type: 'int', name: 'on_time', default: 0 })
  onTime: number

  @Column({ type: 'int', default: 0 })
  rated: number

  /** The sum of the latest ratings' stars. */
  @Column({ type: 'int', default: 0 })
  stars: number

  @Column({ type: 'int', default: 0 })
  satisfied: number
}
