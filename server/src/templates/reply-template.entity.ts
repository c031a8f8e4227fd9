import type { CategoryCode, TemplateAction } from '@mq/shared'
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm'
import { Place } from '../places/place.entity'
import { Staff } from '../staff/staff.entity'

/**
 * A reply template (常用回复) kept at a compound, community or street: staff of every compound under that
 * place see it; a nearer place's template of the same action, category and title stands in for it.
 */
@Entity('reply_template')
@Index('reply_template_place_idx', ['placeId', 'action'])
export class ReplyTemplateRow {
  @PrimaryGeneratedColumn('uuid')
  id: string

  @Column({ type: 'uuid', name: 'place_id' })
  placeId: string

  @ManyToOne(() => Place)
  @JoinColumn({ name: 'place_id' })
  place?: Place

  /** null: for requests of any category. */
  @Column({ type: 'text', nullable: true })
  category: CategoryCode | null

  @Column({ type: 'text' })
  action: TemplateAction

  @Column({ type: 'text' })
  title: string

  @Column({ type: 'text' })
  text: string

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date

  @Column({ type: 'timestamptz', name: 'updated_at' })
  updatedAt: Date

  @Column({ type: 'uuid', name: 'updated_by', nullable: true })
  updatedBy: string | null

  @ManyToOne(() => Staff, { nullable: true })
  @JoinColumn({ name: 'updated_by' })
  updatedByStaff?: Staff | null
}
