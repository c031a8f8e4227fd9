import type { PhotoContentType } from '@mq/shared'
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
 * An uploaded photo. Uploaded first (no ticket yet), then attached when the request is filed (`report`)
 * or resolved (`resolution`) by the same person. The bytes live in the photo store under `storage_key`.
 */
@Entity('photo')
@Index('photo_ticket_idx', ['ticketId'])
@Index('photo_uploader_idx', ['uploaderKind', 'uploaderId', 'createdAt'])
export class Photo {
  @PrimaryGeneratedColumn('uuid')
  id: string

  @Column({ type: 'text', name: 'uploader_kind' })
  uploaderKind: 'resident' | 'staff'

  @Column({ type: 'uuid', name: 'uploader_id' })
  uploaderId: string

  @Column({ type: 'uuid', name: 'ticket_id', nullable: true })
  ticketId: string | null

  @ManyToOne(() => Ticket, { nullable: true })
  @JoinColumn({ name: 'ticket_id' })
  ticket?: Ticket | null

  /** Null until attached. */
  @Column({ type: 'text', nullable: true })
  kind: 'report' | 'resolution' | null

  @Column({ type: 'text', name: 'content_type' })
  contentType: PhotoContentType

  @Column({ type: 'int' })
  size: number

  @Column({ type: 'text' })
  sha256: string

  @Column({ type: 'text', name: 'storage_key' })
  storageKey: string

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date
}
