import { Injectable } from '@nestjs/common'
import { InjectDataSource } from '@nestjs/typeorm'
import {
  categoryOf,
  countTicket,
  emptyCounts,
  mayAct,
  METRIC_KEYS,
  rate,
  ROLE_LABELS,
  type CategoryCode,
  type MetricCounts,
  type MetricGrouping,
  type MetricRates,
  type Metrics,
  type MetricsQuery,
  type Role,
  type TicketState,
} from '@mq/shared'
import { DataSource } from 'typeorm'
import type { StaffPrincipal } from '../auth/principal'
import { Clock } from '../common/clock'
import { DomainError } from '../common/domain-error'
import { PlacesService } from '../places/places.service'

interface Row {
  state: TicketState
  category: CategoryCode
  handler_role: Role | null
  handler_staff_id: string | null
  handler_name: string | null
  building_id: string
  building_name: string
  accept_by: Date | null
  accepted_at: Date | null
  resolve_by: Date | null
  resolved_at: Date | null
  reopen_count: number
  stars: number | null
}

function toRates(c: MetricCounts): MetricRates {
  const out = { received: c.resolution.denominator } as MetricRates
  for (const key of METRIC_KEYS) out[key] = { ...c[key], rate: rate(c[key]) }
  return out
}

function groupOf(row: Row, by: MetricGrouping): { key: string | null; label: string } {
  switch (by) {
    case 'role':
      return { key: row.handler_role, label: row.handler_role ? ROLE_LABELS[row.handler_role] : '未分派' }
    case 'person':
      return { key: row.handler_staff_id, label: row.handler_name ?? '未分派' }
    case 'category':
      return { key: row.category, label: categoryOf(row.category).label }
    case 'building':
      return { key: row.building_id, label: row.building_name }
  }
}

/**
 * Staff metrics (SPEC §6) over the requests filed in a period under one place. The rate definitions are
 * shared/src/metrics.ts; this reads the few columns they need and adds them up per group. A place the
 * caller may not view answers PLACE_NOT_FOUND, like one that does not exist.
 */
@Injectable()
export class MetricsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly places: PlacesService,
    private readonly clock: Clock,
  ) {}

  async metrics(staff: StaffPrincipal, query: MetricsQuery): Promise<Metrics> {
    const placeId = (query.placeId ?? query.compoundId)!
    const place = await this.places.get(placeId, query.compoundId ? 'compound' : undefined)
    if (!mayAct(staff.memberships, 'view_tickets', place.path)) {
      throw new DomainError('PLACE_NOT_FOUND', '找不到这个地点')
    }
    const rows = await this.dataSource.query<Row[]>(
      `SELECT t.state, t.category, t.handler_role, t.handler_staff_id, s.name AS handler_name,
              t.building_id, b.name AS building_name, t.accept_by, t.accepted_at, t.resolve_by, t.resolved_at,
              t.reopen_count,
              (SELECT r.stars FROM ticket_rating r WHERE r.ticket_id = t.id ORDER BY r.at DESC, r.id DESC LIMIT 1)
                AS stars
         FROM ticket t
         JOIN place u ON u.id = t.unit_id
         JOIN place b ON b.id = t.building_id
         LEFT JOIN staff s ON s.id = t.handler_staff_id
        WHERE u.path @> ARRAY[$1::uuid] AND t.created_at >= $2 AND t.created_at < $3`,
      [place.id, query.from, query.to],
    )
    const now = this.clock.now()
    const total = emptyCounts()
    const groups = new Map<string | null, { label: string; counts: MetricCounts }>()
    for (const row of rows) {
      const ticket = {
        state: row.state,
        acceptBy: row.accept_by,
        acceptedAt: row.accepted_at,
        resolveBy: row.resolve_by,
        resolvedAt: row.resolved_at,
        reopenCount: row.reopen_count,
        stars: row.stars,
      }
      countTicket(total, ticket, now)
      if (query.groupBy) {
        const { key, label } = groupOf(row, query.groupBy)
        let group = groups.get(key)
        if (!group) groups.set(key, (group = { label, counts: emptyCounts() }))
        countTicket(group.counts, ticket, now)
      }
    }
    return {
      placeId: place.id,
      from: new Date(query.from).toISOString(),
      to: new Date(query.to).toISOString(),
      groupBy: query.groupBy ?? null,
      total: toRates(total),
      groups: [...groups.entries()]
        .map(([key, g]) => ({ key, label: g.label, ...toRates(g.counts) }))
        .sort((a, b) => a.label.localeCompare(b.label, 'zh-CN')),
    }
  }
}
