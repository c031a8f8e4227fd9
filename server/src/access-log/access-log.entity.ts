import type { AccessLogField, Role } from '@mq/shared'
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm'
import { Place } from '../places/place.entity'
import { Staff } from '../staff/staff.entity'
import { Ticket } from '../tickets/ticket.entity'

/**
 * One unmasked read of a request's personal data. Append-only: a trigger created by the
 * migration makes the database refuse UPDATE, DELETE and TRUNCATE, whoever asks.
 */
@Entity('access_log')
@Index('access_log_compound_idx', ['compoundId', 'id'])
@Index('access_log_ticket_idx', ['ticketId'])
@Index('access_log_staff_idx', ['staffId'])
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

  @Column({ type: 'uuid', name: 'ticket_id' })
  ticketId: string

  @ManyToOne(() => Ticket)
  @JoinColumn({ name: 'ticket_id' })
  ticket?: Ticket

  /** Copied from the ticket so an admin's scope query needs no join through tickets. */
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
