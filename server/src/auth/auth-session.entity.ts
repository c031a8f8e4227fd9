import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm'
import { Resident } from '../residents/resident.entity'
import { Staff } from '../staff/staff.entity'

export type SessionRevokeReason =
  'logout' | 'refresh_reuse' | 'password_changed' | 'password_reset' | 'deactivated'

/**
 * One login: the family of refresh tokens it rotates through. Access tokens name their session, so
 * revoking it (logout, a reused refresh token, a password reset) ends every token of the family at once.
 */
@Entity('auth_session')
@Check('auth_session_one_subject', '(staff_id IS NULL) <> (resident_id IS NULL)')
export class AuthSession {
  @PrimaryGeneratedColumn('uuid')
  id: string

  @Index('auth_session_staff_idx')
  @Column({ type: 'uuid', name: 'staff_id', nullable: true })
  staffId: string | null

  @ManyToOne(() => Staff)
  @JoinColumn({ name: 'staff_id' })
  staff?: Staff

  @Index('auth_session_resident_idx')
  @Column({ type: 'uuid', name: 'resident_id', nullable: true })
  residentId: string | null

  @ManyToOne(() => Resident)
  @JoinColumn({ name: 'resident_id' })
  resident?: Resident

  @Column({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date

  @Column({ type: 'timestamptz', name: 'revoked_at', nullable: true })
  revokedAt: Date | null

  @Column({ type: 'text', name: 'revoked_reason', nullable: true })
  revokedReason: SessionRevokeReason | null
}
