import { Place } from './place.entity'
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn , JoinColumn, ManyToOne } from 'typeorm'

/** A unit's QR token. At most one active (not revoked) token per unit; revoked ones stay for the 410 page. */
@Entity('qr_code')
@Index('qr_code_active_unit', ['unitId'], { unique: true, where: 'revoked_at IS NULL' })
export class QrCode {
  @PrimaryColumn({ type: 'text' })
  token: string

  @Column({ type: 'uuid', name: 'unit_id' })
  unitId: string

  @ManyToOne(() => Place)
  @JoinColumn({ name: 'unit_id' })
  unit?: Place

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date

  @Column({ type: 'timestamptz', name: 'revoked_at', nullable: true })
  revokedAt: Date | null
}
