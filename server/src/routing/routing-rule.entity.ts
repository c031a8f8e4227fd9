import type { CategoryCode, HandlerRole, Severity } from '@mq/shared'
import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm'
import { Place } from '../places/place.entity'
import { Staff } from '../staff/staff.entity'

/** A compound's own 责任清单 row for one category; without one the default applies. */
@Entity('routing_rule')
export class RoutingRuleOverride {
  @PrimaryColumn({ type: 'uuid', name: 'compound_id' })
  compoundId: string

  @PrimaryColumn({ type: 'text' })
  category: CategoryCode

  @ManyToOne(() => Place)
  @JoinColumn({ name: 'compound_id' })
  compound?: Place

  @Column({ type: 'text', name: 'lead_role' })
  leadRole: HandlerRole

  @Column({ type: 'text', name: 'co_roles', array: true, default: () => "'{}'" })
  coRoles: HandlerRole[]

  @Column({ type: 'text' })
  severity: Severity

  @Column({ type: 'timestamptz', name: 'updated_at' })
  updatedAt: Date

  @Column({ type: 'uuid', name: 'updated_by', nullable: true })
  updatedBy: string | null

  @ManyToOne(() => Staff, { nullable: true })
  @JoinColumn({ name: 'updated_by' })
  updatedByStaff?: Staff | null
}
