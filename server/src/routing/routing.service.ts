import { Injectable } from '@nestjs/common'
import {
  can,
  OPEN_STATES,
  ROLE_LABELS,
  categoryOf,
  routingRuleFor,
  type CategoryCode,
  type HandlerRole,
  type PlaceKind,
  type Role,
  type RoutingRule,
  type Severity,
} from '@mq/shared'
import type { EntityManager } from 'typeorm'
import { DomainError } from '../common/domain-error'
import { prepared } from '../common/prepared'
import type { UnitContext } from '../places/places.service'
import { RoutingRuleOverride } from './routing-rule.entity'

/** A person a request goes to, with the membership that made them the pick. */
export interface Assignee {
  staffId: string
  name: string
  role: Role
  place: { id: string; kind: PlaceKind; name: string }
}

export interface RoutingDecision {
  rule: RoutingRule & { source: 'default' | 'compound' }
  handler: Assignee | null
  coHandlers: Assignee[]
  /** Why this person: for the timeline and the dry run. */
  reason: string
  /** Each role tried, in order. */
  steps: string[]
}

interface PickRow {
  staff_id: string
  name: string
  role: Role
  place_id: string
  place_kind: PlaceKind
  place_name: string
}

interface OverrideColumns {
  lead_role: HandlerRole | null
  co_roles: HandlerRole[] | null
  severity: Severity | null
}

function assignee(row: PickRow): Assignee {
  return {
    staffId: row.staff_id,
    name: row.name,
    role: row.role,
    place: { id: row.place_id, kind: row.place_kind, name: row.place_name },
  }
}

/**
 * Who handles a request: the compound's rule for the category (else the default 责任清单), the
 * lead role at the most specific place (unit → building → compound), least-loaded among several; nobody in
 * that role → 网格长; no 网格长 → compound secretary. Co-roles become co-handlers the same way.
 */
@Injectable()
export class RoutingService {
  /** The rule in force for a category in a compound. */
  async ruleFor(
    manager: EntityManager,
    compoundId: string,
    category: CategoryCode,
  ): Promise<RoutingDecision['rule']> {
    const override = await manager.getRepository(RoutingRuleOverride).findOneBy({ compoundId, category })
    const rule = routingRuleFor(category, override ? { [category]: override } : {})
    return { ...rule, source: override ? 'compound' : 'default' }
  }

  /**
   * The rule in force and every active member who could be picked (a role of the default rule or the
   * compound's own, 网格长, compound secretary) at the unit, building or compound, in one statement, in
   * `pick`'s order: the first of a role not excluded is the one `pick` would return.
   */
  private async ruleAndCandidates(
    manager: EntityManager,
    where: UnitContext,
    category: CategoryCode,
  ): Promise<{ rule: RoutingDecision['rule']; candidates: PickRow[] }> {
    const fallback = routingRuleFor(category)
    const roles = [
      ...new Set<Role>([fallback.leadRole, ...fallback.coRoles, 'grid_lead', 'compound_secretary']),
    ]
    // Prepared: routed on every filing.
    const rows = await manager.query<(Partial<PickRow> & OverrideColumns)[]>(
      prepared(`SELECT o.lead_role, o.co_roles, o.severity,
              c.staff_id, c.name, c.role, c.place_id, c.place_kind, c.place_name
         FROM (SELECT 1) one
         LEFT JOIN routing_rule o ON o.compound_id = $1 AND o.category = $2
         LEFT JOIN LATERAL (
           -- Open work is counted only where it decides: among several holders of a role at one place.
           SELECT h.*,
                  CASE WHEN h.holders > 1
                       THEN (SELECT count(*) FROM ticket t WHERE t.handler_staff_id = h.staff_id AND t.state = ANY($5))
                       ELSE 0 END AS open_work
             FROM (
               SELECT m.staff_id, s.name, m.role, p.id AS place_id, p.kind AS place_kind, p.name AS place_name,
                      array_position($4::uuid[], m.place_id) AS place_rank, m.created_at,
                      count(*) OVER (PARTITION BY m.role, m.place_id) AS holders
                 FROM membership m
                 JOIN staff s ON s.id = m.staff_id AND s.active
                 JOIN place p ON p.id = m.place_id
                WHERE m.place_id = ANY($4) AND (m.role = ANY($3) OR m.role = o.lead_role OR m.role = ANY(o.co_roles))
             ) h
         ) c ON true
        ORDER BY c.place_rank, c.open_work, c.created_at, c.staff_id`),
      [
        where.compound.id,
        category,
        roles,
        [where.unit.id, where.building.id, where.compound.id],
        [...OPEN_STATES],
      ],
    )
    const first = rows[0]
    const override = first?.lead_role
      ? { leadRole: first.lead_role, coRoles: first.co_roles ?? [], severity: first.severity! }
      : null
    const rule = routingRuleFor(category, override ? { [category]: override } : {})
    return {
      rule: { ...rule, source: override ? 'compound' : 'default' },
      candidates: rows.filter((r): r is PickRow & OverrideColumns => !!r.staff_id),
    }
  }

  async route(manager: EntityManager, where: UnitContext, category: CategoryCode): Promise<RoutingDecision> {
    const { rule, candidates: members } = await this.ruleAndCandidates(manager, where, category)
    const pick = (role: Role, exclude: readonly string[] = []): Assignee | null => {
      const row = members.find((m) => m.role === role && !exclude.includes(m.staff_id))
      return row ? assignee(row) : null
    }
    const steps: string[] = []
    const candidates = [...new Set<Role>([rule.leadRole, 'grid_lead', 'compound_secretary'])]
    let handler: Assignee | null = null
    for (const role of candidates) {
      handler = pick(role)
      steps.push(
        handler
          ? `${ROLE_LABELS[role]}：${handler.place.name}的${handler.name}`
          : `${ROLE_LABELS[role]}：本单元、楼栋和小区都无人担任`,
      )
      if (handler) break
    }
    const label = categoryOf(category).label
    const source = rule.source === 'compound' ? '本小区责任清单' : '责任清单'
    const reason = !handler
      ? '本小区尚未配置处理人'
      : handler.role === rule.leadRole
        ? `${source}：${label}由${ROLE_LABELS[rule.leadRole]}牵头`
        : `无人担任${ROLE_LABELS[rule.leadRole]}，由${ROLE_LABELS[handler.role]}处理`
    const coHandlers: Assignee[] = []
    for (const role of rule.coRoles) {
      const exclude = [handler?.staffId, ...coHandlers.map((c) => c.staffId)].filter(
        (id): id is string => !!id,
      )
      const co = pick(role, exclude)
      steps.push(
        co
          ? `联办 ${ROLE_LABELS[role]}：${co.place.name}的${co.name}`
          : `联办 ${ROLE_LABELS[role]}：无人担任`,
      )
      if (co) coHandlers.push(co)
    }
    return { rule, handler, coHandlers, reason, steps }
  }

  /** The active member holding `role` at the most specific place, least open work first. */
  async pick(
    manager: EntityManager,
    where: UnitContext,
    role: Role,
    exclude: string[] = [],
  ): Promise<Assignee | null> {
    const rows = await manager.query<PickRow[]>(
      `SELECT m.staff_id, s.name, m.role, p.id AS place_id, p.kind AS place_kind, p.name AS place_name
         FROM membership m
         JOIN staff s ON s.id = m.staff_id AND s.active
         JOIN place p ON p.id = m.place_id
        WHERE m.role = $1 AND m.place_id = ANY($2) AND NOT (m.staff_id = ANY($4::uuid[]))
        ORDER BY array_position($2::uuid[], m.place_id),
                 (SELECT count(*) FROM ticket t WHERE t.handler_staff_id = m.staff_id AND t.state = ANY($3)),
                 m.created_at, m.staff_id
        LIMIT 1`,
      [role, [where.unit.id, where.building.id, where.compound.id], [...OPEN_STATES], exclude],
    )
    const row = rows[0]
    return row ? assignee(row) : null
  }

  /**
   * Someone else in `role` for the request's unit (transfer to a role, a supervisor's reassignment):
   * the same pick as routing, leaving out the current handler. 400 when the role does not handle
   * requests or nobody else holds it there.
   */
  async replacement(
    manager: EntityManager,
    where: UnitContext,
    role: Role,
    currentHandler: string | null,
  ): Promise<{ staffId: string; role: Role; name: string }> {
    if (!can(role, 'handle_tickets')) {
      throw new DomainError('VALIDATION_FAILED', `${ROLE_LABELS[role]}不承办诉求`, [
        { path: 'toRole', message: '该岗位不承办诉求' },
      ])
    }
    const picked = await this.pick(manager, where, role, currentHandler ? [currentHandler] : [])
    if (!picked) {
      throw new DomainError('VALIDATION_FAILED', `本单元、楼栋和小区没有其他${ROLE_LABELS[role]}`, [
        { path: 'toRole', message: '无人担任' },
      ])
    }
    return { staffId: picked.staffId, role: picked.role, name: picked.name }
  }
}
