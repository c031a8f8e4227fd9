import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm'
import { AuthSession } from './auth-session.entity'

/**
 * An opaque refresh token, stored as its SHA-256 only. Each is good for one refresh: it is then marked
 * rotated, and presenting it again means it was copied, so the whole session is revoked.
 */
@Entity('refresh_token')
export class RefreshToken {
  @PrimaryGeneratedColumn('uuid')
  id: string

  @Index('refresh_token_session_idx')
  @Column({ type: 'uuid', name: 'session_id' })
  sessionId: string

  @ManyToOne(() => AuthSession)
  @JoinColumn({ name: 'session_id' })
  session?: AuthSession

  @Column({ type: 'text', name: 'token_hash', unique: true })
  tokenHash: string

  @Column({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date

  @Column({ type: 'timestamptz', name: 'expires_at' })
  expiresAt: Date

  @Column({ type: 'timestamptz', name: 'rotated_at', nullable: true })
  rotatedAt: Date | null
}
