import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm'

@Entity('staff')
export class Staff {
  @PrimaryGeneratedColumn('uuid')
  id: string

  @Column({ type: 'text' })
  name: string

  @Column({ type: 'text', unique: true })
  phone: string

  @Column({ type: 'text', name: 'password_hash' })
  passwordHash: string

  @Column({ type: 'boolean', default: true })
  active: boolean

  /** Failed logins since the last success or lockout (the 5th locks the account). */
  @Column({ type: 'int', name: 'failed_logins', default: 0 })
  failedLogins: number

  @Column({ type: 'timestamptz', name: 'locked_until', nullable: true })
  lockedUntil: Date | null

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date
}
