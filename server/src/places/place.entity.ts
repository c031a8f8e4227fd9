import type { PlaceKind } from '@mq/shared'
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn , JoinColumn, ManyToOne } from 'typeorm'

/**
 * One node of district → street → community → compound → building → unit. `path` holds the ids of the
 * node's ancestors and itself, so "everything under place X" is one indexed `path @> ARRAY[X]`.
 */
@Entity('place')
// A street's or community's compounds by path (a GIN index of compounds only; migration 1798400000000).
@Index('place_compound_path_gin', { synchronize: false })
export class Place {
  @PrimaryGeneratedColumn('uuid')
  id: string

  @Column({ type: 'text' })
  kind: PlaceKind

  @Index('place_parent_idx')
  @Column({ type: 'uuid', name: 'parent_id', nullable: true })
  parentId: string | null

  @ManyToOne(() => Place, { nullable: true })
  @JoinColumn({ name: 'parent_id' })
  parent?: Place | null

  @Column({ type: 'text' })
  name: string

  @Column({ type: 'int', name: 'sort_order', default: 0 })
  sortOrder: number

  // A GIN index created by the migration; TypeORM cannot describe it, so it must leave it alone.
  @Index('place_path_gin', { synchronize: false })
  @Column({ type: 'uuid', array: true })
  path: string[]

  @Column({ type: 'timestamptz', name: 'retired_at', nullable: true })
  retiredAt: Date | null

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date
}
