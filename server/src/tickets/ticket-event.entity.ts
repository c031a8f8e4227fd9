import { Ticket } from './ticket.entity'
import { Column, Entity, Index, PrimaryGeneratedColumn , JoinColumn, ManyToOne } from 'typeorm'

export type ActorKind = 'resident' | 'staff' | 'system'

/** Append-only timeline entry: who did what, when, and whether residents and the public may see it. */
@Entity('ticket_event')
@Index('ticket_event_ticket_idx', ['ticketId', 'at'])
export class TicketEvent {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string

  @Column({ type: 'uuid', name: 'ticket_id' })
  ticketId: string

  @ManyToOne(() => Ticket)
  @JoinColumn({ name: 'ticket_id' })
  ticket?: Ticket

  @Column({ type: 'timestamptz' })
  at: Date

  @Column({ type: 'text', name: 'actor_kind' })
  actorKind: ActorKind

  @Column({ type: 'uuid', name: 'actor_id', nullable: true })
  actorId: string | null

  @Column({ type: 'text' })
  type: string

  @Column({ type: 'boolean' })
  public: boolean

  @Column({ type: 'jsonb', default: () => "'{}'" })
  data: Record<string, unknown>
}
