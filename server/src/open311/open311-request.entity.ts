import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm'
import { Ticket } from '../tickets/ticket.entity'
import { Open311ApiKey } from './open311-key.entity'

/**
 * A request filed through Open311: which partner key filed it, the partner's `media_url`, and the
 * optional `Idempotency-Key` of the POST with a hash of its parameters (a retry returns the same request).
 */
@Entity('open311_request')
@Index('open311_request_idempotency_idx', ['apiKeyId', 'idempotencyKey'], {
  unique: true,
  where: 'idempotency_key IS NOT NULL',
})
export class Open311Request {
  @PrimaryColumn({ type: 'uuid', name: 'ticket_id' })
  ticketId: string

  @ManyToOne(() => Ticket)
  @JoinColumn({ name: 'ticket_id' })
  ticket?: Ticket

  @Column({ type: 'uuid', name: 'api_key_id' })
  apiKeyId: string

  @ManyToOne(() => Open311ApiKey)
  @JoinColumn({ name: 'api_key_id' })
  apiKey?: Open311ApiKey

  /** A public URL of a photo of the problem, as the partner gave it. */
  @Column({ type: 'text', name: 'media_url', nullable: true })
  mediaUrl: string | null

  @Column({ type: 'text', name: 'idempotency_key', nullable: true })
  idempotencyKey: string | null

  @Column({ type: 'text', name: 'body_hash', nullable: true })
  bodyHash: string | null

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date
}
