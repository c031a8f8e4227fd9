import { Column } from 'typeorm'

/**
 * The time-independent parts of shared/src/metrics.ts `countTicket()`'s terms, counted per key (migration
 * 1798300000000-Tallies spells each term in SQL). `response_due` and `on_time_due` count only the requests
 * already accepted / resolved against a deadline: the rest of each denominator depends on the time of the
 * read and is counted live (TalliesService).
 */
export abstract class MetricTerms {
  /** Requests filed, whatever their state: a group is listed when it has any. */
  @Column({ type: 'int', default: 0 })
  filed: number

  @Column({ type: 'int', name: 'response_due', default: 0 })
  responseDue: number

  @Column({ type: 'int', name: 'response_num', default: 0 })
  responseNum: number

  @Column({ type: 'int', name: 'resolution_den', default: 0 })
  resolutionDen: number

  @Column({ type: 'int', name: 'resolution_num', default: 0 })
  resolutionNum: number

  @Column({ type: 'int', name: 'satisfaction_den', default: 0 })
  satisfactionDen: number

  @Column({ type: 'int', name: 'satisfaction_num', default: 0 })
  satisfactionNum: number

  @Column({ type: 'int', name: 'on_time_due', default: 0 })
  onTimeDue: number

  @Column({ type: 'int', name: 'on_time_num', default: 0 })
  onTimeNum: number

  @Column({ type: 'int', name: 'handoff_num', default: 0 })
  handoffNum: number

  @Column({ type: 'int', name: 'redo_den', default: 0 })
  redoDen: number

  @Column({ type: 'int', name: 'redo_num', default: 0 })
  redoNum: number
}
