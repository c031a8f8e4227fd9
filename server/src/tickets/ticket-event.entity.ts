import type { Role, TicketEventData, TicketEventType } from '@mq/shared'
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm'
import { Ticket } from './ticket.entity'

/** Spelled as HANDED_OFF_EVENT spells it, so the planner matches the partial index. */
const HANDOFF = "type = 'transferred' AND data->>'fromRole' IS NOT NULL"

export type ActorKind = 'resident' | 'staff' | 'system'

/**
 * Append-only timeline entry: who did what, when, and whether residents and the public may see it.
 * `data` never holds personal data (names, phones, rooms): public entries reach followers too.
 */
@Entity('ticket_event')
@Index('ticket_event_ticket_idx', ['ticketId', 'at'])
// The handoffs (a 转办 or 改派 away from someone who held it: read/ticket-sql.ts HANDED_OFF_EVENT), probed once
// per request by 回退率 and the ranking; a few rows in a timeline of millions.
@Index('ticket_event_handoff_idx', ['ticketId'], { where: HANDOFF })
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

  /** The role a staff actor acted in (their display is role + name). */
  @Column({ type: 'text', name: 'actor_role', nullable: true })
  actorRole: Role | null

  @Column({ type: 'text' })
  type: TicketEventType

  @Column({ type: 'boolean' })
  public: boolean

  @Column({ type: 'jsonb', default: () => "'{}'" })
  data: TicketEventData
}
