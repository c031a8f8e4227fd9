import type { VoiceContentType } from '@mq/shared'
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm'
import { Ticket } from '../tickets/ticket.entity'

/**
 * A voice note (按住说话). Uploaded first (no ticket yet), then attached to a message of the request's
 * thread by the same person. The bytes live in the photo store under `storage_key` (its `voice/` prefix).
 * A voice is personal data: only the reporter's side and staff allowed the reporter's data may play it.
 */
@Entity('voice_note')
@Index('voice_note_ticket_idx', ['ticketId'])
@Index('voice_note_uploader_idx', ['uploaderKind', 'uploaderId', 'createdAt'])
export class VoiceNote {
  @PrimaryGeneratedColumn('uuid')
  id: string

  @Column({ type: 'text', name: 'uploader_kind' })
  uploaderKind: 'resident' | 'staff'

  @Column({ type: 'uuid', name: 'uploader_id' })
  uploaderId: string

  /** Null until attached to a message. */
  @Column({ type: 'uuid', name: 'ticket_id', nullable: true })
  ticketId: string | null

  @ManyToOne(() => Ticket, { nullable: true })
  @JoinColumn({ name: 'ticket_id' })
  ticket?: Ticket | null

  @Column({ type: 'text', name: 'content_type' })
  contentType: VoiceContentType

  @Column({ type: 'int' })
  size: number

  /** As the recorder declared it (≤ VOICE_MAX_MS); the server does not decode the audio. */
  @Column({ type: 'int', name: 'duration_ms' })
  durationMs: number

  @Column({ type: 'text' })
  sha256: string

  @Column({ type: 'text', name: 'storage_key' })
  storageKey: string

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date
}
