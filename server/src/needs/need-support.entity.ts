import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm'
import { Resident } from '../residents/resident.entity'
import { NeedRow } from './need.entity'

/**
 * One household's +1 for a need. `household_key` is a SHA-256 of (unit, room) when the supporter gave a
 * room, else of the resident account (shared householdKey): unique per need, so a household counts once,
 * and no room can be read from it.
 */
@Entity('need_support')
@Index('need_support_household_idx', ['needId', 'householdKey'], { unique: true })
@Index('need_support_resident_idx', ['residentId', 'needId'])
export class NeedSupportRow {
  @PrimaryGeneratedColumn('uuid')
  id: string

  @Column({ type: 'uuid', name: 'need_id' })
  needId: string

  @ManyToOne(() => NeedRow)
  @JoinColumn({ name: 'need_id' })
  need?: NeedRow

  @Column({ type: 'text', name: 'household_key' })
  householdKey: string

  /** The resident account that tapped +1 (null for a household staff counted when entering the need). */
  @Column({ type: 'uuid', name: 'resident_id', nullable: true })
  residentId: string | null

  // When retention deletes the account, its +1 still counts (the household supported it), nobody's.
  @ManyToOne(() => Resident, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'resident_id' })
  resident?: Resident | null

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date
}
