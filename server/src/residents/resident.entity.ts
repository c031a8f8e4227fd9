import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm'

/** A resident known by WeChat openid (mini-app) or by a device-bound browser session (H5). */
@Entity('resident')
export class Resident {
  @PrimaryGeneratedColumn('uuid')
  id: string

  @Column({ type: 'text', unique: true, nullable: true })
  openid: string | null

  /**
   * SHA-256 (hex) of the secret an H5 browser keeps for itself. Only the hash is stored, so a copy of the
   * database cannot be used to sign in as a device; the secret is random (≥ 192 bits), so no salt is needed.
   */
  @Column({ type: 'text', name: 'device_secret_hash', unique: true, nullable: true })
  deviceSecretHash: string | null

  @Column({ type: 'text', nullable: true })
  name: string | null

  @Column({ type: 'text', nullable: true })
  phone: string | null

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date
}
