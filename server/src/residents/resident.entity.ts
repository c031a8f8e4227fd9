import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm'

/** A resident known by WeChat openid (mini-app) or by a device-bound browser session (H5). */
@Entity('resident')
export class Resident {
  @PrimaryGeneratedColumn('uuid')
  id: string

  @Column({ type: 'text', unique: true, nullable: true })
  openid: string | null

  @Column({ type: 'text', name: 'device_id', unique: true, nullable: true })
  deviceId: string | null

  @Column({ type: 'text', nullable: true })
  name: string | null

  @Column({ type: 'text', nullable: true })
  phone: string | null

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date
}
