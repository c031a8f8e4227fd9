import type { CategoryCode } from '@mq/shared'
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm'
import { Place } from '../places/place.entity'

/**
 * What staff taught a compound's category suggestion: a short phrase of a description they re-categorised
 * and how many times a request holding it went to the category. No request, person or date is kept.
 */
@Entity('category_lesson')
@Index('category_lesson_compound_count_idx', ['compoundId', 'count'])
export class CategoryLessonRow {
  @PrimaryColumn({ type: 'uuid', name: 'compound_id' })
  compoundId: string

  @ManyToOne(() => Place)
  @JoinColumn({ name: 'compound_id' })
  compound?: Place

  @PrimaryColumn({ type: 'text' })
  term: string

  @PrimaryColumn({ type: 'text' })
  category: CategoryCode

  @Column({ type: 'integer' })
  count: number
}
