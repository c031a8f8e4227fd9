import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm'
import { Staff } from '../staff/staff.entity'
import { RecurringProblemRow } from './recurring-problem.entity'

/** A progress entry of an adopted recurring problem: public words, shown on the board (never the author). */
@Entity('recurring_progress')
@Index('recurring_progress_problem_idx', ['problemId', 'createdAt'])
export class RecurringProgressRow {
  @PrimaryGeneratedColumn('uuid')
  id: string

  @Column({ type: 'uuid', name: 'problem_id' })
  problemId: string

  @ManyToOne(() => RecurringProblemRow)
  @JoinColumn({ name: 'problem_id' })
  problem?: RecurringProblemRow

  @Column({ type: 'text' })
  note: string

  @Column({ type: 'uuid', name: 'created_by' })
  createdBy: string

  @ManyToOne(() => Staff)
  @JoinColumn({ name: 'created_by' })
  createdByStaff?: Staff

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date
}
