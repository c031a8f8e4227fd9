import { Staff } from './staff.entity'
import { Place } from '../places/place.entity'
import type { Role } from '@mq/shared'
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique , JoinColumn, ManyToOne } from 'typeorm'

/** (person, place, role): a membership at a place covers everything under it. */
@Entity('membership')
@Unique('membership_unique', ['staffId', 'placeId', 'role'])
@Index('membership_role_place_idx', ['role', 'placeId'])
@Index('membership_place_role_idx', ['placeId', 'role'])
export class Membership {
  @PrimaryGeneratedColumn('uuid')
  id: string

  @Column({ type: 'uuid', name: 'staff_id' })
  staffId: string

  @Column({ type: 'uuid', name: 'place_id' })
  placeId: string

  @ManyToOne(() => Staff)
  @JoinColumn({ name: 'staff_id' })
  staff?: Staff

  @ManyToOne(() => Place)
  @JoinColumn({ name: 'place_id' })
  place?: Place

  @Column({ type: 'text' })
  role: Role

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date
}
