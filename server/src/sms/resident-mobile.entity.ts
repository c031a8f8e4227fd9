import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm'
import { Resident } from '../residents/resident.entity'

/**
 * A resident's mobile number for text messages (H5 residents, who have no WeChat to be told through),
 * and the code that proves it is theirs. One row per resident. The number counts only once verified;
 * the pending code is stored as an HMAC of (resident, number, code) under the server secret, so neither
 * the code nor the number it was sent to can be read back from the table.
 */
@Entity('resident_mobile')
export class ResidentMobile {
  @PrimaryColumn({ type: 'uuid', name: 'resident_id' })
  residentId: string

  // Goes with the resident: retention removing a resident takes their number along.
  @OneToOne(() => Resident, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'resident_id' })
  resident?: Resident

  /** The verified number (11 digits); null until one is verified, or after the resident removed it. */
  @Column({ type: 'text', nullable: true })
  phone: string | null

  @Column({ type: 'timestamptz', name: 'verified_at', nullable: true })
  verifiedAt: Date | null

  /** HMAC of the code last sent; null when there is none to try (used, burned, never asked). */
  @Column({ type: 'text', name: 'code_hash', nullable: true })
  codeHash: string | null

  @Column({ type: 'timestamptz', name: 'code_expires_at', nullable: true })
  codeExpiresAt: Date | null

  /** Wrong tries at the current code; the fifth burns it. */
  @Column({ type: 'int', name: 'code_tries', default: 0 })
  codeTries: number
}
