import type { CategoryCode, RecurringKind, Role } from '@mq/shared'
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm'
import { Place } from '../places/place.entity'
import { Staff } from '../staff/staff.entity'

/**
 * A supervisor's decision on a proposed recurring problem (重点问题): adopted with an owner (a role), a plan
 * and a target date, or dismissed with a reason. Proposals themselves are computed on demand and not
 * stored; `key` ties a decision to the proposal it was made on. The requests it covered are kept.
 */
@Entity('recurring_problem')
@Index('recurring_problem_compound_idx', ['compoundId', 'status'])
@Index('recurring_problem_key_idx', ['compoundId', 'key'])
export class RecurringProblemRow {
  @PrimaryGeneratedColumn('uuid')
  id: string

  @Column({ type: 'uuid', name: 'compound_id' })
  compoundId: string

  @ManyToOne(() => Place)
  @JoinColumn({ name: 'compound_id' })
  compound?: Place

  @Column({ type: 'text' })
  key: string

  @Column({ type: 'text' })
  kind: RecurringKind

  @Column({ type: 'text', nullable: true })
  category: CategoryCode | null

  /** Public words only: the building and category, or an excerpt of a request's public text. */
  @Column({ type: 'text' })
  title: string

  @Column({ type: 'text' })
  status: 'adopted' | 'dismissed'

  @Column({ type: 'text', name: 'owner_role', nullable: true })
  ownerRole: Role | null

  @Column({ type: 'text', nullable: true })
  plan: string | null

  /** Local date 'YYYY-MM-DD'. */
  @Column({ type: 'date', name: 'target_date', nullable: true })
  targetDate: string | null

  @Column({ type: 'text', name: 'dismiss_reason', nullable: true })
  dismissReason: string | null

  @Column({ type: 'uuid', name: 'ticket_ids', array: true })
  ticketIds: string[]

  @Column({ type: 'uuid', name: 'decided_by' })
  decidedBy: string

  @ManyToOne(() => Staff)
  @JoinColumn({ name: 'decided_by' })
  decidedByStaff?: Staff

  @CreateDateColumn({ type: 'timestamptz', name: 'decided_at' })
  decidedAt: Date
}
