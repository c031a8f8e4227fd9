import type { AccessLogField, AccessLogSubject, Role } from '@mq/shared'
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm'
import { Place } from '../places/place.entity'
import { ResourceRow } from '../resources/resource.entity'
import { Staff } from '../staff/staff.entity'
import { Ticket } from '../tickets/ticket.entity'
import { HouseholdRow } from '../visits/household.entity'

/**
 * One unmasked read of personal data: a request's reporter (`ticket`), a resource's contact person
 * (`resource`) or a household on the visit register (`household`). `subject` says which; exactly the
 * matching one of `ticket_id` / `resource_id` / `household_id` is set (a CHECK). Append-only: a trigger
 * created by the migration makes the database refuse UPDATE, DELETE and TRUNCATE, whoever asks.
 */
@Entity('access_log')
@Index('access_log_compound_idx', ['compoundId', 'id'])
@Index('access_log_ticket_idx', ['ticketId'])
@Index('access_log_resource_idx', ['resourceId'])
@Index('access_log_household_idx', ['householdId'])
@Index('access_log_staff_idx', ['staffId'])
@Check('access_log_subject_check', `"subject" IN ('ticket', 'resource', 'household')`)
@Check(
  'access_log_subject_id_check',
  `("subject" = 'ticket') = ("ticket_id" IS NOT NULL) AND ("subject" = 'resource') = ("resource_id" IS NOT NULL) AND ("subject" = 'household') = ("household_id" IS NOT NULL)`,
)
export class AccessLogEntry {
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

  /**
   * What was read: names which of the three ids below is set. Defaults to a request, which is all an
   * instance of the release before this column writes while a new release starts (expand-only migrations).
   */
  @Column({ type: 'text', default: 'ticket' })
  subject: AccessLogSubject

  @Column({ type: 'uuid', name: 'ticket_id', nullable: true })
  ticketId: string | null

  @ManyToOne(() => Ticket)
  @JoinColumn({ name: 'ticket_id' })
  ticket?: Ticket

  @Column({ type: 'uuid', name: 'resource_id', nullable: true })
  resourceId: string | null

  @ManyToOne(() => ResourceRow)
  @JoinColumn({ name: 'resource_id' })
  resource?: ResourceRow

  @Column({ type: 'uuid', name: 'household_id', nullable: true })
  householdId: string | null

  @ManyToOne(() => HouseholdRow)
  @JoinColumn({ name: 'household_id' })
  household?: HouseholdRow

  /** Copied from the ticket, resource or household so an admin's scope query needs no join through tickets. */
  @Column({ type: 'uuid', name: 'compound_id' })
  compoundId: string

  @ManyToOne(() => Place)
  @JoinColumn({ name: 'compound_id' })
  compound?: Place

  @Column({ type: 'text', array: true })
  fields: AccessLogField[]

  /** Ties the entry to the request's log lines. */
  @Column({ type: 'text', name: 'request_id', nullable: true })
  requestId: string | null
}
