import { Entity, PrimaryColumn } from 'typeorm'
import { MetricTerms } from './tally-columns'

/**
 * The metrics' terms of requests filed in one local month, per compound, building, category, handler role
 * ('' for none) and handler (the nil uuid for none): every grouping the metrics offer (role, person,
 * category, building) and every scope down to a building is a sum of these rows. Written only by the
 * database's trigger on `ticket` (migration Tallies).
 */
@Entity('ticket_tally')
export class TicketTally extends MetricTerms {
  @PrimaryColumn({ type: 'uuid', name: 'compound_id', primaryKeyConstraintName: 'PK_ticket_tally' })
  compoundId: string

  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'PK_ticket_tally' })
  month: string

  @PrimaryColumn({ type: 'uuid', name: 'building_id', primaryKeyConstraintName: 'PK_ticket_tally' })
  buildingId: string

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'PK_ticket_tally' })
  category: string

  @PrimaryColumn({ type: 'text', name: 'handler_role', primaryKeyConstraintName: 'PK_ticket_tally' })
  handlerRole: string

  @PrimaryColumn({ type: 'uuid', name: 'handler_staff_id', primaryKeyConstraintName: 'PK_ticket_tally' })
  handlerStaffId: string
}
