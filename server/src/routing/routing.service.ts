import { Injectable } from '@nestjs/common'
import {
  OPEN_STATES,
  ROLE_LABELS,
  categoryOf,
  routingRuleFor,
  type CategoryCode,
  type HandlerRole,
  type Role,
  type RoutingRule,
} from '@mq/shared'
import type { EntityManager } from 'typeorm'
import type { UnitContext } from '../places/places.service'

export interface RoutingDecision {
  rule: RoutingRule
  handler: { staffId: string; role: Role } | null
  /** Why this person: for the timeline and the dry run. */
  reason: string
}

/**
 * Who handles a request (SPEC §4): the lead role at the most specific place (unit → building →
 * compound), least-loaded among several; nobody in that role → 网格长; no 网格长 → compound secretary.
 */
@Injectable()
export class RoutingService {
  async route(manager: EntityManager, where: UnitContext, category: CategoryCode): Promise<RoutingDecision> {
    const rule = routingRuleFor(category)
    const candidates: Role[] = [rule.leadRole, 'grid_lead', 'compound_secretary']
    for (const role of candidates) {
      const staffId = await this.pick(manager, where, role)
      if (staffId) {
        const reason =
          role === rule.leadRole ? `责任清单：${categoryOf(category).label}由${ROLE_LABELS[role]}牵头` : `无人担任${ROLE_LABELS[rule.leadRole]}，由${ROLE_LABELS[role]}处理`
        return { rule, handler: { staffId, role }, reason }
      }
    }
    return { rule, handler: null, reason: '本小区尚未配置处理人' }
  }

  /** The active member holding `role` at the most specific place, least open work first. */
  private async pick(manager: EntityManager, where: UnitContext, role: Role | HandlerRole): Promise<string | null> {
    const rows = await manager.query<{ staff_id: string }[]>(
      `SELECT m.staff_id
         FROM membership m
         JOIN staff s ON s.id = m.staff_id AND s.active
        WHERE m.role = $1 AND m.place_id = ANY($2)
        ORDER BY array_position($2::uuid[], m.place_id),
                 (SELECT count(*) FROM ticket t WHERE t.handler_staff_id = m.staff_id AND t.state = ANY($3)),
                 m.created_at
        LIMIT 1`,
      [role, [where.unit.id, where.building.id, where.compound.id], [...OPEN_STATES]],
    )
    return rows[0]?.staff_id ?? null
  }
}
