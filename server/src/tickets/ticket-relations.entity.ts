import type { Role } from '@mq/shared'
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm'
import { Resident } from '../residents/resident.entity'
import { Staff } from '../staff/staff.entity'
import { Ticket } from './ticket.entity'

/** A resident who said "我也遇到了" (+1), or whose duplicate was merged into this request. */
@Entity('ticket_follower')
@Index('ticket_follower_resident_idx', ['residentId', 'createdAt'])
export class TicketFollower {
  @PrimaryColumn({ type: 'uuid', name: 'ticket_id' })
  ticketId: string

  @PrimaryColumn({ type: 'uuid', name: 'resident_id' })
  residentId: string

  @ManyToOne(() => Ticket)
  @JoinColumn({ name: 'ticket_id' })
  ticket?: Ticket

  @ManyToOne(() => Resident)
  @JoinColumn({ name: 'resident_id' })
  resident?: Resident

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date
}

/** A co-handler (难事联办): works the request beside its handler and sees it in their inbox. */
@Entity('ticket_co_handler')
// A staff member's co-handled requests (the relation on their inbox rows).
@Index('ticket_co_handler_staff_idx', ['staffId', 'ticketId'])
// The inbox: a staff member's co-handled requests that are still open (staff_id, ticket_id) WHERE
// ticket_open (migration CoHandlerOpen, left alone here).
@Index('ticket_co_handler_open_idx', { synchronize: false })
export class TicketCoHandler {
  @PrimaryColumn({ type: 'uuid', name: 'ticket_id' })
  ticketId: string

  @PrimaryColumn({ type: 'uuid', name: 'staff_id' })
  staffId: string

  @ManyToOne(() => Ticket)
  @JoinColumn({ name: 'ticket_id' })
  ticket?: Ticket

  @ManyToOne(() => Staff)
  @JoinColumn({ name: 'staff_id' })
  staff?: Staff

  @Column({ type: 'text' })
  role: Role

  /** Whether the request is open: kept by database triggers as its state changes (migration CoHandlerOpen). */
  @Column({ type: 'boolean', name: 'ticket_open', default: false, insert: false, update: false })
  ticketOpen: boolean

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date
}

/** A rating after resolution. A request reopened by a low rating may be rated again later. */
@Entity('ticket_rating')
@Index('ticket_rating_ticket_idx', ['ticketId', 'at'])
export class TicketRating {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string

  @Column({ type: 'uuid', name: 'ticket_id' })
  ticketId: string

  @ManyToOne(() => Ticket)
  @JoinColumn({ name: 'ticket_id' })
  ticket?: Ticket

  @Column({ type: 'smallint' })
  stars: number

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags: string[]

  @Column({ type: 'text', nullable: true })
  comment: string | null

  /** `callback`: a proxy entry's rating, recorded by the staff member who phoned the resident (回访). */
  @Column({ type: 'text' })
  via: 'resident' | 'callback'

  @Column({ type: 'uuid', name: 'resident_id', nullable: true })
  residentId: string | null

  @Column({ type: 'uuid', name: 'staff_id', nullable: true })
  staffId: string | null

  @Column({ type: 'timestamptz' })
  at: Date
}

/**
 * An `Idempotency-Key` of a create: the caller, the key, a hash of the body and the request it
 * created, written in the same transaction as the request.
 */
@Entity('idempotency_key')
export class IdempotencyKey {
  @PrimaryColumn({ type: 'text', name: 'principal' })
  principal: string

  @PrimaryColumn({ type: 'text' })
  key: string

  @Column({ type: 'text', name: 'body_hash' })
  bodyHash: string

  @Column({ type: 'uuid', name: 'ticket_id' })
  ticketId: string

  @ManyToOne(() => Ticket)
  @JoinColumn({ name: 'ticket_id' })
  ticket?: Ticket

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date
}
