import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm'
import { Place } from '../places/place.entity'
import { Staff } from '../staff/staff.entity'

/**
 * A partner's Open311 API key. Only the SHA-256 of the key is stored (the key is 192 random bits, so a
 * fast hash suffices and every request can look it up by its hash). It files into the compounds under
 * `place_id`; revoking it is immediate and final.
 */
@Entity('open311_api_key')
export class Open311ApiKey {
  @PrimaryGeneratedColumn('uuid')
  id: string

  /** The partner, e.g. "12345市民热线". */
  @Column({ type: 'text' })
  name: string

  @Column({ type: 'uuid', name: 'place_id' })
  placeId: string

  @ManyToOne(() => Place)
  @JoinColumn({ name: 'place_id' })
  place?: Place

  @Index('open311_api_key_hash_idx', { unique: true })
  @Column({ type: 'text', name: 'key_hash' })
  keyHash: string

  /** The key's first characters, shown to admins to tell keys apart. */
  @Column({ type: 'text', name: 'key_prefix' })
  keyPrefix: string

  @Column({ type: 'uuid', name: 'created_by_staff_id' })
  createdByStaffId: string

  @ManyToOne(() => Staff)
  @JoinColumn({ name: 'created_by_staff_id' })
  createdBy?: Staff

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date

  @Column({ type: 'timestamptz', name: 'revoked_at', nullable: true })
  revokedAt: Date | null

  @Column({ type: 'uuid', name: 'revoked_by_staff_id', nullable: true })
  revokedByStaffId: string | null

  @ManyToOne(() => Staff)
  @JoinColumn({ name: 'revoked_by_staff_id' })
  revokedBy?: Staff | null

  @Column({ type: 'timestamptz', name: 'last_used_at', nullable: true })
  lastUsedAt: Date | null
}
