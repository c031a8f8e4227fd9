import { Injectable } from '@nestjs/common'
import {
  addLocalDays,
  CATEGORY_CODES,
  categoryOf,
  DEFAULT_TIME_ZONE,
  emptyCounts,
  mayAct,
  METRIC_KEYS,
  rate,
  ROLE_LABELS,
  startOfLocalWeek,
  type AttentionItem,
  type CategoryCode,
  type MetricCounts,
  type MetricGrouping,
  type MetricRates,
  type Metrics,
  type MetricsAttention,
  type MetricsAttentionQuery,
  type MetricsHeat,
  type MetricsPeriodQuery,
  type MetricsQuery,
  type MetricsWeekly,
  type Role,
  type TicketState,
} from '@mq/shared'
import type { EntityManager } from 'typeorm'
import type { StaffPrincipal } from '../auth/principal'
import { Clock } from '../common/clock'
import { DomainError } from '../common/domain-error'
import { ReadSource } from '../database/read-source'
import type { Place } from '../places/place.entity'
import { PlacesService } from '../places/places.service'
import { splitPeriod, type SplitPeriod } from '../tallies/tally-period'

/** Open requests (shared OPEN_STATES), spelled as the partial indexes of ticket.entity.ts spell it. */
const OPEN = "t.state IN ('submitted', 'accepted', 'replied', 'waiting_resident')"

/**
 * The requests. Whether one was handed off (a 转办 or 改派 away from someone who held it: the timeline's
 * `transferred` entries with a `fromRole`) is its own `handed_off`, kept by a trigger on the timeline
 * (migration Tallies).
 */
export const TICKETS = 'ticket t'

/**
 * The rates of shared/src/metrics.ts `countTicket()` as SQL aggregates over `t` (a ticket, with its latest
 * rating's `latest_stars` and `handed_off`), judged at `$now`. countTicket is the
 * definition; metrics.spec.ts compares the two over a generated set. Keep them in step.
 */
export function rateColumns(now: string): string {
  const received = "t.state NOT IN ('merged', 'withdrawn')"
  const leftAnotherWay = "t.state IN ('rejected', 'merged', 'withdrawn')"
  const dueForResolution = `NOT ${leftAnotherWay} AND t.resolve_by IS NOT NULL`
  return `
    count(*) AS filed,
    count(*) FILTER (WHERE t.accept_by IS NOT NULL
                       AND (t.accepted_at IS NOT NULL OR (NOT ${leftAnotherWay} AND t.accept_by <= ${now})))
      AS response_den,
    count(*) FILTER (WHERE t.accept_by IS NOT NULL AND t.accepted_at IS NOT NULL AND t.accepted_at <= t.accept_by)
      AS response_num,
    count(*) FILTER (WHERE ${received}) AS resolution_den,
    count(*) FILTER (WHERE ${received} AND t.resolved_at IS NOT NULL AND t.reopen_count = 0)
      AS resolution_num,
    count(t.latest_stars) AS satisfaction_den,
    count(*) FILTER (WHERE t.latest_stars >= 4) AS satisfaction_num,
    count(*) FILTER (WHERE ${dueForResolution} AND (t.resolved_at IS NOT NULL OR t.resolve_by <= ${now}))
      AS on_time_den,
    count(*) FILTER (WHERE ${dueForResolution} AND t.resolved_at IS NOT NULL AND t.resolved_at <= t.resolve_by)
      AS on_time_num,
    count(*) FILTER (WHERE ${received}) AS handoff_den,
    count(*) FILTER (WHERE ${received} AND t.handed_off) AS handoff_num,
    count(*) FILTER (WHERE t.resolved_at IS NOT NULL OR t.reopen_count > 0) AS redo_den,
    count(*) FILTER (WHERE t.reopen_count > 0) AS redo_num`
}


export type CountColumns = Record<
  | 'filed'
  | 'handoff_den'
  | 'handoff_num'
  | 'redo_den'
  | 'redo_num'
  | 'response_den'
  | 'response_num'
  | 'resolution_den'
  | 'resolution_num'
  | 'satisfaction_den'
  | 'satisfaction_num'
  | 'on_time_den'
  | 'on_time_num',
  string
>

/** Reads the aggregate columns of one row (bigint counts come back as strings). */
export function countsOf(row: CountColumns): MetricCounts {
  const n = (v: string) => Number(v)
  return {
    response: { numerator: n(row.response_num), denominator: n(row.response_den) },
    resolution: { numerator: n(row.resolution_num), denominator: n(row.resolution_den) },
    satisfaction: { numerator: n(row.satisfaction_num), denominator: n(row.satisfaction_den) },
    onTime: { numerator: n(row.on_time_num), denominator: n(row.on_time_den) },
    handoff: { numerator: n(row.handoff_num), denominator: n(row.handoff_den) },
    redo: { numerator: n(row.redo_num), denominator: n(row.redo_den) },
  }
}

export function addCounts(into: MetricCounts, more: MetricCounts): MetricCounts {
  for (const key of METRIC_KEYS) {
    into[key].numerator += more[key].numerator
    into[key].denominator += more[key].denominator
  }
  return into
}

export function toRates(c: MetricCounts): MetricRates {
  const out = { received: c.resolution.denominator } as MetricRates
  for (const key of METRIC_KEYS) out[key] = { ...c[key], rate: rate(c[key]) }
  return out
}

/** The counters' terms as rateColumns() names them; the time-dependent parts come from PENDING_COLUMNS. */
const TALLY_SUMS = `
    sum(tl.filed) AS filed,
    sum(tl.response_due) AS response_den, sum(tl.response_num) AS response_num,
    sum(tl.resolution_den) AS resolution_den, sum(tl.resolution_num) AS resolution_num,
    sum(tl.satisfaction_den) AS satisfaction_den, sum(tl.satisfaction_num) AS satisfaction_num,
    sum(tl.on_time_due) AS on_time_den, sum(tl.on_time_num) AS on_time_num,
    sum(tl.resolution_den) AS handoff_den, sum(tl.handoff_num) AS handoff_num,
    sum(tl.redo_den) AS redo_den, sum(tl.redo_num) AS redo_num`

/**
 * The requests whose terms depend on the time of the read: not rejected, merged or withdrawn, and not yet
 * accepted or not yet resolved against a deadline. Spelled as ticket.entity.ts's ticket_deadline_pending_idx.
 */
const PENDING = `t.state NOT IN ('rejected', 'merged', 'withdrawn')
  AND ((t.accepted_at IS NULL AND t.accept_by IS NOT NULL) OR (t.resolved_at IS NULL AND t.resolve_by IS NOT NULL))`

/** What PENDING requests add at `now`: due for acceptance or resolution because the deadline has passed. */
const PENDING_COLUMNS = (now: string) => `
    0 AS filed,
    count(*) FILTER (WHERE t.accepted_at IS NULL AND t.accept_by <= ${now}) AS response_den, 0 AS response_num,
    0 AS resolution_den, 0 AS resolution_num, 0 AS satisfaction_den, 0 AS satisfaction_num,
    count(*) FILTER (WHERE t.resolved_at IS NULL AND t.resolve_by <= ${now}) AS on_time_den, 0 AS on_time_num,
    0 AS handoff_den, 0 AS handoff_num, 0 AS redo_den, 0 AS redo_num`

/**
 * How counts are grouped: the key of a request `t` and of a counter row `tl` (SQL, equal for the same
 * request), the tables they join for it, and whether the key is a function of the compound and the
 * handler's role alone (then compound_tally's fewer rows answer it).
 */
export interface GroupKey {
  ticket: string
  tally: string
  join?: (alias: 't' | 'tl') => string
  coarse: boolean
  /** Also the handler's role of each group (the least, as min() orders roles). */
  role?: boolean
}

/** No grouping: one group, keyed null. */
const NO_GROUP: GroupKey = { ticket: 'NULL::text', tally: 'NULL::text', coarse: true }

/**
 * The metrics' groupings as keys (in the counters no handler is role '' and the nil uuid, null here);
 * labels() finds their labels.
 */
export const GROUPINGS: Record<MetricGrouping, GroupKey> = {
  role: { ticket: 't.handler_role', tally: "NULLIF(tl.handler_role, '')", coarse: true },
  person: {
    ticket: 't.handler_staff_id',
    tally: "NULLIF(tl.handler_staff_id, '00000000-0000-0000-0000-000000000000')::text",
    coarse: false,
  },
  category: { ticket: 't.category', tally: 'tl.category', coarse: false },
  building: { ticket: 't.building_id', tally: 'tl.building_id::text', coarse: false },
}

/**
 * SQL narrowing `t` to a place by the column of its level (ticket rows carry unit, building and compound
 * ids), so the planner can use (compound_id, …) and (building_id, created_at) indexes; $1 is the place,
 * $2 its compound below a compound. Above a compound: its compounds.
 */
export function placeWhere(place: Place): { where: string; params: unknown[] } {
  // path: the ancestors and the place itself, oldest first; a building's parent is its compound.
  const ancestor = (up: number) => place.path[place.path.length - 1 - up]
  switch (place.kind) {
    case 'compound':
      return { where: 't.compound_id = $1', params: [place.id] }
    case 'building':
      return { where: 't.building_id = $1 AND t.compound_id = $2', params: [place.id, ancestor(1)] }
    case 'unit':
      return { where: 't.unit_id = $1 AND t.compound_id = $2', params: [place.id, ancestor(2)] }
    default:
      return {
        where: `t.compound_id IN (SELECT c.id FROM place c WHERE c.kind = 'compound' AND c.path @> ARRAY[$1::uuid])`,
        params: [place.id],
      }
  }
}

/** How a period is counted under a place (tallies/tally-period.ts): a unit has no counters, so all from requests. */
function splitFor(place: Place, period: { from: Date | string; to: Date | string }): SplitPeriod {
  return place.kind === 'unit'
    ? { months: null, edges: [{ from: new Date(period.from), to: new Date(period.to) }] }
    : splitPeriod(period.from, period.to)
}

/** One group's counts: its terms, how many requests were filed in it, and (GroupKey.role) its handler's role. */
export interface GroupCounts {
  counts: MetricCounts
  filed: number
  role: Role | null
}

/**
 * The counts of the requests filed under `place` in [from, to), by `key`, judged at `now`. The whole local
 * months of the period are read from the counters (tallies/), plus, live, the terms that depend on the time
 * of the read (over the requests not yet accepted or resolved against a deadline:
 * ticket_deadline_pending_idx); the days before and after them, and a unit's requests, are counted from the
 * requests themselves. Equal to rateColumns() over the period (tallies/tallies.spec.ts). A group a counter
 * row keeps at zero has `filed` 0.
 */
export async function countGroups(
  db: EntityManager,
  place: Place,
  key: GroupKey,
  period: { from: Date | string; to: Date | string },
  now: Date,
): Promise<Map<string | null, GroupCounts>> {
  const scope = placeWhere(place)
  const p = scope.params.length
  const join = (alias: 't' | 'tl') => key.join?.(alias) ?? ''
  const role = (column: string) => (key.role ? `min(${column})::text` : 'NULL::text')
  const split = splitFor(place, period)
  type Row = CountColumns & { key: string | null; role: Role | null }
  const parts: Promise<Row[]>[] = split.edges.map((edge) =>
    db.query(
      `SELECT ${key.ticket}::text AS key, ${role('t.handler_role')} AS role, ${rateColumns(`$${p + 3}`)}
         FROM ${TICKETS} ${join('t')}
        WHERE ${scope.where} AND t.created_at >= $${p + 1} AND t.created_at < $${p + 2}
        GROUP BY 1`,
      [...scope.params, edge.from, edge.to, now],
    ),
  )
  if (split.months) {
    const { months } = split
    parts.push(
      db.query(
        `SELECT ${key.tally} AS key, ${role("NULLIF(tl.handler_role, '')")} AS role, ${TALLY_SUMS}
           ${key.coarse && place.kind !== 'building' ? 'FROM compound_tally tl' : 'FROM ticket_tally tl'} ${join('tl')}
          WHERE ${scope.where.replace(/\bt\./g, 'tl.')} AND tl.month >= $${p + 1}::date AND tl.month < $${p + 2}::date
          GROUP BY 1`,
        [...scope.params, months.from, months.to],
      ),
      db.query(
        `SELECT ${key.ticket}::text AS key, ${role('t.handler_role')} AS role, ${PENDING_COLUMNS(`$${p + 3}`)}
           FROM ticket t ${join('t')}
          WHERE ${scope.where} AND t.created_at >= $${p + 1} AND t.created_at < $${p + 2} AND ${PENDING}
          GROUP BY 1`,
        [...scope.params, months.start, months.end, now],
      ),
    )
  }
  const groups = new Map<string | null, GroupCounts>()
  for (const row of (await Promise.all(parts)).flat()) {
    const group = groups.get(row.key) ?? { counts: emptyCounts(), filed: 0, role: null }
    addCounts(group.counts, countsOf(row))
    group.filed += Number(row.filed)
    if (row.role !== null && (group.role === null || row.role < group.role)) group.role = row.role
    groups.set(row.key, group)
  }
  return groups
}

interface Scope {
  place: Place
  /** SQL narrowing `t` to the place, using $1 (the place id) and, below a compound, $2 (its compound). */
  where: string
  params: unknown[]
}

/**
 * Requests received (not merged or withdrawn) filed under `place` in [from, to), per building and category,
 * the non-empty cells: the whole months from the counters (ticket_tally's resolution_den counts exactly
 * those), the days around them from the requests (tallies/tallies.spec.ts).
 */
export async function heatCells(
  db: EntityManager,
  place: Place,
  period: { from: Date | string; to: Date | string },
): Promise<{ buildingId: string; category: CategoryCode; count: number }[]> {
  const scope = placeWhere(place)
  const p = scope.params.length
  const split = splitFor(place, period)
  const parts: Promise<{ building_id: string; category: CategoryCode; count: string }[]>[] = split.edges.map((edge) =>
    db.query(
      `SELECT t.building_id, t.category, count(*) AS count
         FROM ticket t
        WHERE ${scope.where} AND t.created_at >= $${p + 1} AND t.created_at < $${p + 2}
          AND t.state NOT IN ('merged', 'withdrawn')
        GROUP BY 1, 2`,
      [...scope.params, edge.from, edge.to],
    ),
  )
  if (split.months) {
    parts.push(
      db.query(
        `SELECT tl.building_id, tl.category, sum(tl.resolution_den) AS count
           FROM ticket_tally tl
          WHERE ${scope.where.replace(/\bt\./g, 'tl.')} AND tl.month >= $${p + 1}::date AND tl.month < $${p + 2}::date
          GROUP BY 1, 2`,
        [...scope.params, split.months.from, split.months.to],
      ),
    )
  }
  const cells = new Map<string, { buildingId: string; category: CategoryCode; count: number }>()
  for (const row of (await Promise.all(parts)).flat()) {
    const key = `${row.building_id} ${row.category}`
    const cell = cells.get(key) ?? { buildingId: row.building_id, category: row.category, count: 0 }
    cell.count += Number(row.count)
    cells.set(key, cell)
  }
  return [...cells.values()].filter((cell) => cell.count > 0)
}

interface AttentionRow {
  id: string
  number: number
  category: CategoryCode
  building_name: string
  state: TicketState
  handler_role: Role | null
  handler_name: string | null
  next_due_at: Date | null
  escalation_level: number
}

/**
 * Staff metrics over the requests filed in a period under one place: the rates (optionally
 * grouped), their weekly trend, the building × category heat table, and the overdue and escalated lists.
 * The whole local months of the rates and of the heat table are sums of the counters of tallies/ (kept by
 * triggers in each change's transaction; countGroups); the rest is aggregated in PostgreSQL over the requests (GROUP BY with FILTER; the latest
 * rating and the handoff from the request's own `latest_stars` and `handed_off`, kept by triggers),
 * narrowed by the indexed place column of the place's level and `created_at`, so the cost follows the
 * requests of the place and period, not the table. A place the caller may not view answers
 * PLACE_NOT_FOUND, like one that does not exist.
 */
@Injectable()
export class MetricsService {
  constructor(
    private readonly reads: ReadSource,
    private readonly places: PlacesService,
    private readonly clock: Clock,
  ) {}

  /**
   * The rates of the requests filed in [from, to), optionally grouped. The whole local months of the period
   * are read from the counters (tallies/), plus, live, the terms that depend on the time of the read (over
   * the requests not yet accepted or resolved against a deadline); the days before and after them, and a
   * unit's requests, are counted from the requests themselves. Equal to rateColumns() over the period
   * (tallies/tallies.spec.ts).
   */
  async metrics(staff: StaffPrincipal, query: MetricsQuery): Promise<Metrics> {
    const scope = await this.scope(staff, query, 'view_metrics')
    return this.reads.read(staff, async (db) => {
      const groupBy = query.groupBy ?? null
      const byKey = await countGroups(db, scope.place, groupBy ? GROUPINGS[groupBy] : NO_GROUP, query, this.clock.now())
      // A group is listed when a request of the period has its key (a counter row may be left at zero).
      const groups = [...byKey.entries()].filter(([, g]) => g.filed > 0)
      const total = emptyCounts()
      for (const [, g] of groups) addCounts(total, g.counts)
      const labels = groupBy
        ? await this.labels(
            db,
            groupBy,
            groups.map(([k]) => k),
          )
        : new Map<string | null, string>()
      return {
        placeId: scope.place.id,
        from: new Date(query.from).toISOString(),
        to: new Date(query.to).toISOString(),
        groupBy,
        total: toRates(total),
        groups: groupBy
          ? groups
              .map(([k, g]) => ({
                key: k,
                label: labels.get(k) ?? '未分派',
                ...toRates(g.counts),
              }))
              .sort((a, b) => a.label.localeCompare(b.label, 'zh-CN'))
          : [],
      }
    })
  }

  /** The rates week by week (from Monday 00:00 local time); every week overlapping [from, to), empty ones too. */
  async weekly(staff: StaffPrincipal, query: MetricsPeriodQuery): Promise<MetricsWeekly> {
    const scope = await this.scope(staff, query, 'view_metrics')
    return this.reads.read(staff, async (db) => {
      const p = scope.params.length
      const rows = await db.query<(CountColumns & { week: Date })[]>(
        `SELECT date_trunc('week', t.created_at AT TIME ZONE $${p + 4}) AT TIME ZONE $${p + 4} AS week,
                ${rateColumns(`$${p + 3}`)}
           FROM ${TICKETS}
          WHERE ${scope.where} AND t.created_at >= $${p + 1} AND t.created_at < $${p + 2}
          GROUP BY 1`,
        [...scope.params, query.from, query.to, this.clock.now(), DEFAULT_TIME_ZONE],
      )
      const byWeek = new Map(rows.map((row) => [row.week.getTime(), countsOf(row)]))
      const weeks: MetricsWeekly['weeks'] = []
      const end = new Date(query.to).getTime()
      for (let start = startOfLocalWeek(query.from); start.getTime() < end; start = addLocalDays(start, 7)) {
        const { received, ...rates } = toRates(byWeek.get(start.getTime()) ?? emptyCounts())
        weeks.push({ weekStart: start.toISOString(), received, ...rates })
      }
      return { placeId: scope.place.id, weeks }
    })
  }

  /**
   * Requests filed in the period per building × category (merged and withdrawn excluded), largest first;
   * above a compound each building is named with its compound ("阳光小区 1幢").
   */
  async heat(staff: StaffPrincipal, query: MetricsPeriodQuery): Promise<MetricsHeat> {
    const scope = await this.scope(staff, query, 'view_metrics')
    return this.reads.read(staff, async (db) => {
      // Above a compound, two compounds' "1幢" would read the same: the building is named with its compound.
      const severalCompounds = !['compound', 'building', 'unit'].includes(scope.place.kind)
      const cells = await heatCells(db, scope.place, query)
      const names = new Map(
        (
          await db.query<{ id: string; name: string }[]>(
            `SELECT b.id, ${severalCompounds ? `k.name || ' ' || b.name` : 'b.name'} AS name
               FROM place b JOIN place k ON k.id = b.parent_id WHERE b.id = ANY($1::uuid[])`,
            [[...new Set(cells.map((cell) => cell.buildingId))]],
          )
        ).map((b) => [b.id, b.name]),
      )
      const buildingTotals = new Map<string, { name: string; total: number }>()
      const categoryTotals = new Map<CategoryCode, number>()
      for (const cell of cells) {
        const b = buildingTotals.get(cell.buildingId) ?? { name: names.get(cell.buildingId) ?? '', total: 0 }
        b.total += cell.count
        buildingTotals.set(cell.buildingId, b)
        categoryTotals.set(cell.category, (categoryTotals.get(cell.category) ?? 0) + cell.count)
      }
      const buildings = [...buildingTotals.entries()]
        .sort(([, a], [, b]) => b.total - a.total || a.name.localeCompare(b.name, 'zh-CN', { numeric: true }))
        .map(([id, b]) => ({ id, name: b.name }))
      const categories = [...categoryTotals.entries()]
        .sort(([a, x], [b, y]) => y - x || CATEGORY_CODES.indexOf(a) - CATEGORY_CODES.indexOf(b))
        .map(([code]) => ({ code, label: categoryOf(code).label }))
      const order = new Map(buildings.map((b, i) => [b.id, i]))
      cells.sort(
        (a, b) =>
          order.get(a.buildingId)! - order.get(b.buildingId)! ||
          categories.findIndex((c) => c.code === a.category) -
            categories.findIndex((c) => c.code === b.category),
      )
      return {
        placeId: scope.place.id,
        buildings,
        categories,
        cells,
        max: cells.reduce((m, c) => Math.max(m, c.count), 0),
      }
    })
  }

  /**
   * Open requests that need a supervisor's eye now: overdue (the deadline owed now, `next_due_at`, has
   * passed; most overdue first) and escalated (highest level first). No resident data.
   */
  async attention(staff: StaffPrincipal, query: MetricsAttentionQuery): Promise<MetricsAttention> {
    const scope = await this.scope(staff, query, 'view_tickets')
    return this.reads.read(staff, async (db) => {
      const now = this.clock.now()
      const p = scope.params.length
      const select = (where: string, order: string, params: unknown[]) =>
        db.query<AttentionRow[]>(
          `SELECT t.id, t.number, t.category, b.name AS building_name, t.state, t.handler_role,
                  s.name AS handler_name, t.next_due_at, t.escalation_level
             FROM ticket t
             JOIN place b ON b.id = t.building_id
             LEFT JOIN staff s ON s.id = t.handler_staff_id
            WHERE ${scope.where} AND ${OPEN} AND ${where}
            ORDER BY ${order}
            LIMIT $${p + params.length + 1}`,
          [...scope.params, ...params, query.limit],
        )
      const [overdue, escalated] = await Promise.all([
        select(`t.next_due_at < $${p + 1}`, 't.next_due_at ASC, t.number ASC', [now]),
        select(
          't.escalation_level > 0',
          't.escalation_level DESC, t.next_due_at ASC NULLS LAST, t.number ASC',
          [],
        ),
      ])
      const item = (r: AttentionRow): AttentionItem => ({
        id: r.id,
        number: r.number,
        category: r.category,
        categoryLabel: categoryOf(r.category).label,
        buildingName: r.building_name,
        state: r.state,
        handlerRole: r.handler_role,
        handlerName: r.handler_name,
        dueAt: r.next_due_at?.toISOString() ?? null,
        overdueMinutes:
          r.next_due_at && r.next_due_at < now
            ? Math.floor((now.getTime() - r.next_due_at.getTime()) / 60_000)
            : 0,
        escalationLevel: r.escalation_level,
      })
      return { overdue: overdue.map(item), escalated: escalated.map(item) }
    })
  }

  /**
   * The place of a query, if the caller may take `action` there (aggregates: view_metrics; lists of
   * requests: view_tickets), and the SQL narrowing `t` to it (placeWhere).
   */
  private async scope(
    staff: StaffPrincipal,
    query: { compoundId?: string; placeId?: string },
    action: 'view_metrics' | 'view_tickets',
  ): Promise<Scope> {
    const placeId = (query.placeId ?? query.compoundId)!
    const place = await this.places.get(placeId, query.compoundId ? 'compound' : undefined)
    if (!mayAct(staff.memberships, action, place.path)) {
      throw new DomainError('PLACE_NOT_FOUND', '找不到这个地点')
    }
    return { place, ...placeWhere(place) }
  }

  /** Display labels of group keys: roles and categories from the vocabulary, people and buildings by name. */
  private async labels(db: EntityManager, by: MetricGrouping, keys: (string | null)[]): Promise<Map<string | null, string>> {
    const labels = new Map<string | null, string>()
    const ids = keys.filter((k): k is string => k !== null)
    switch (by) {
      case 'role':
        for (const k of ids) labels.set(k, ROLE_LABELS[k as Role] ?? k)
        break
      case 'category':
        for (const k of ids) labels.set(k, categoryOf(k as CategoryCode).label)
        break
      case 'person':
      case 'building': {
        const table = by === 'person' ? 'staff' : 'place'
        const rows = await db.query<{ id: string; name: string }[]>(
          `SELECT id, name FROM ${table} WHERE id = ANY($1::uuid[])`,
          [ids],
        )
        for (const r of rows) labels.set(r.id, r.name)
        break
      }
    }
    labels.set(null, '未分派')
    return labels
  }
}
