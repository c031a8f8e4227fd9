import {
  METRIC_GROUPINGS,
  METRIC_KEYS,
  TICKET_STATES,
  type CategoryCode,
  type MetricRates,
  type Metrics,
  type MetricsAttention,
  type MetricsHeat,
  type MetricsWeekly,
  type MetricTicket,
  type Role,
  type TicketState,
} from '@mq/shared'
import { definedRates, insertGeneratedTicket, KEY_OF, random } from './metrics-definition.testing'
import { startTestModule, type TestApp } from '../../test/app'
import { queryPlans } from '../../test/query-plans'
import {
  authHeader,
  makeCompound,
  makeResident,
  makeStaff,
  makeTicket,
  residentPrincipal,
  staffPrincipal,
  type CompoundFixture,
} from '../../test/factories'
import type { Resident } from '../residents/resident.entity'
import type { Staff } from '../staff/staff.entity'
import { Clock } from '../common/clock'
import { TicketWorkflowService } from '../tickets/ticket-workflow.service'
import { MetricsService } from './metrics.service'
import { RankingService } from './ranking.service'
import { MetricsModule } from './metrics.module'
import { TicketsModule } from '../tickets/tickets.module'

/**
 * A hand-built data set. Every deadline is set by hand relative to now,
 * and every expected rate below is counted by hand from this table:
 *
 * | # | category     | bldg | handler | state     | accept_by / accepted | resolve_by / resolved | stars    |
 * |---|--------------|------|---------|-----------|----------------------|-----------------------|----------|
 * | 1 | facilities   | 1    | pm      | closed    | -10h / -11h  on time | -5h / -6h   on time   | 5        |
 * | 2 | facilities   | 1    | pm      | accepted  | -10h / -9h   late    | -1h / —     overdue   |          |
 * | 3 | facilities   | 2    | pm      | closed, reopened once | -10h / -10h on time | +5h / -1h on time | 1 then 4 |
 * | 4 | elderly_care | 1    | grid    | rejected  | -10h / —     not due |                       |          |
 * | 5 | facilities   | 2    | pm      | merged    | -10h / —     not due |  (not received)       |          |
 * | 6 | facilities   | 2    | pm      | submitted | +1h  / —     not due |                       |          |
 * | 7 | elderly_care | 2    | grid    | waiting   | -10h / -10.5h on time| — (clock stopped)     |          |
 * | 8 | elderly_care | 1    | grid    | closed    | -10h / -12h  on time | -4h / -3h   late      | 3        |
 * (#6 is the request #5 was merged into.) #2 was transferred to the pm from the grid lead (回退); #4 was
 * routed to nobody and then assigned (no handoff). 重办: #3 of the resolved #1, #3, #8. Outside the data set: one filed 400 days ago, one in another
 * compound.
 */
describe('GET /api/metrics', () => {
  let t: TestApp
  let c: CompoundFixture
  let other: CompoundFixture
  let resident: Resident
  let pm: Staff
  let grid: Staff
  const n: Record<number, string> = {}
  const range = () => {
    const day = 86_400_000
    return `from=${new Date(Date.now() - day).toISOString()}&to=${new Date(Date.now() + day).toISOString()}`
  }

  beforeAll(async () => {
    t = await startTestModule({ imports: [MetricsModule, TicketsModule], http: true })
    c = await makeCompound(t, [1, 1])
    other = await makeCompound(t, [1])
    resident = await makeResident(t)
    pm = await makeStaff(t, 'property_manager', c.compound, '指标物业')
    grid = await makeStaff(t, 'grid_lead', c.compound, '指标网格长')
    await makeStaff(t, 'property_manager', other.compound)
    const workflow = t.app.get(TicketWorkflowService)
    const [b1, b2] = [c.units[0][0], c.units[1][0]]
    const file = async (i: number, unit: typeof b1, category: 'facilities' | 'elderly_care', state: Parameters<typeof makeTicket>[1]['state']) => {
      n[i] = (await makeTicket(t, { unit, resident, category, state })).id
    }
    await file(1, b1, 'facilities', 'closed')
    await file(2, b1, 'facilities', 'accepted')
    await file(3, b2, 'facilities', 'resolved')
    await workflow.rate(residentPrincipal(resident), n[3], { stars: 1, tags: [] }, null) // reopened
    await workflow.resolve(await staffPrincipal(t, pm), n[3], { note: '再次处理', photoIds: [] }, null)
    await workflow.rate(residentPrincipal(resident), n[3], { stars: 4, tags: [] }, null)
    await file(4, b1, 'elderly_care', 'rejected')
    await file(5, b2, 'facilities', 'merged')
    const [{ merged_into_id }] = await t.dataSource.query<{ merged_into_id: string }[]>(
      'SELECT merged_into_id FROM ticket WHERE id = $1',
      [n[5]],
    )
    n[6] = merged_into_id
    await file(7, b2, 'elderly_care', 'waiting_resident')
    await file(8, b1, 'elderly_care', 'resolved')
    await workflow.rate(residentPrincipal(resident), n[8], { stars: 3, tags: [] }, null)
    const set = (i: number, acceptBy: number | null, acceptedAt: number | null, resolveBy: number | null, resolvedAt: number | null) =>
      t.dataSource.query(
        `UPDATE ticket SET
           accept_by = now() + make_interval(mins => $2::int), accepted_at = now() + make_interval(mins => $3::int),
           resolve_by = now() + make_interval(mins => $4::int), resolved_at = now() + make_interval(mins => $5::int)
         WHERE id = $1`,
        [n[i], ...[acceptBy, acceptedAt, resolveBy, resolvedAt].map((h) => (h === null ? null : Math.round(h * 60)))],
      )
    await set(1, -10, -11, -5, -6)
    await set(2, -10, -9, -1, null)
    await set(3, -10, -10, 5, -1)
    await set(4, -10, null, null, null)
    await set(5, -10, null, null, null)
    await set(6, 1, null, null, null)
    await set(7, -10, -10.5, null, null)
    await set(8, -10, -12, -4, -3)
    const transferred = (i: number, fromRole: Role | null) =>
      t.dataSource.query(
        `INSERT INTO ticket_event (ticket_id, at, actor_kind, type, public, data)
         VALUES ($1, now(), 'staff', 'transferred', true, $2)`,
        [n[i], { fromRole, toRole: 'property_manager', toName: '指标物业', reason: '转办' }],
      )
    await transferred(2, 'grid_lead')
    await transferred(4, null)
    const old = await makeTicket(t, { unit: b1, resident, category: 'facilities', state: 'closed' })
    await t.dataSource.query(`UPDATE ticket SET created_at = now() - interval '400 days' WHERE id = $1`, [old.id])
    await makeTicket(t, { unit: other.units[0][0], resident, category: 'facilities', state: 'closed' })
  })
  afterAll(() => t.close())

  const get = async (who: Staff, query: string) =>
    t.app.inject({ method: 'GET', url: `/api/metrics?${query}`, headers: await authHeader(t, { staff: who }) })
  const ratio = (numerator: number, denominator: number) => ({
    numerator,
    denominator,
    rate: denominator === 0 ? null : numerator / denominator,
  })
  const rates = (
    received: number,
    r: [number, number],
    s: [number, number],
    sat: [number, number],
    o: [number, number],
    handoff: [number, number],
    redo: [number, number],
  ) => ({
    received,
    response: ratio(...r),
    resolution: ratio(...s),
    satisfaction: ratio(...sat),
    onTime: ratio(...o),
    handoff: ratio(...handoff),
    redo: ratio(...redo),
  })
  // By handler, and so by role, person and category (pm ↔ facilities, grid ↔ elderly_care).
  const pmRates = rates(4, [2, 3], [1, 4], [2, 2], [2, 3], [1, 4], [1, 2])
  const gridRates = rates(3, [2, 2], [1, 3], [0, 1], [0, 1], [0, 3], [0, 1])

  it('totals the compound as counted by hand', async () => {
    const res = await get(pm, `compoundId=${c.compound.id}&${range()}`)
    expect(res.statusCode).toBe(200)
    const body = res.json<Metrics>()
    expect(body.groupBy).toBeNull()
    expect(body.groups).toEqual([])
    expect(body.total).toEqual(rates(7, [4, 5], [2, 7], [2, 3], [2, 4], [1, 7], [1, 3]))
  })

  it('groups by role, person, category and building', async () => {
    const groups = async (by: string) => {
      const body = (await get(grid, `compoundId=${c.compound.id}&${range()}&groupBy=${by}`)).json<Metrics>()
      expect(body.total).toEqual(rates(7, [4, 5], [2, 7], [2, 3], [2, 4], [1, 7], [1, 3]))
      return Object.fromEntries(body.groups.map(({ key, label, ...r }) => [key, { label, ...r }]))
    }
    expect(await groups('role')).toEqual({
      property_manager: { label: '物业', ...pmRates },
      grid_lead: { label: '网格长', ...gridRates },
    })
    expect(await groups('person')).toEqual({
      [pm.id]: { label: '指标物业', ...pmRates },
      [grid.id]: { label: '指标网格长', ...gridRates },
    })
    expect(await groups('category')).toEqual({
      facilities: { label: '公共设施报修', ...pmRates },
      elderly_care: { label: '生活需求与助老', ...gridRates },
    })
    expect(await groups('building')).toEqual({
      [c.buildings[0].id]: { label: '1幢', ...rates(4, [2, 3], [2, 4], [1, 2], [1, 3], [1, 4], [0, 2]) },
      [c.buildings[1].id]: { label: '2幢', ...rates(3, [2, 2], [0, 3], [1, 1], [1, 1], [0, 3], [1, 1]) },
    })
  })

  it('takes a placeId under the compound, and only requests filed in the period', async () => {
    const body = (await get(pm, `placeId=${c.buildings[1].id}&${range()}`)).json<Metrics>()
    expect(body.total).toEqual(rates(3, [2, 2], [0, 3], [1, 1], [1, 1], [0, 3], [1, 1]))
    const past = (
      await get(pm, `placeId=${c.compound.id}&from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z`)
    ).json<Metrics>()
    expect(past.total.received).toBe(0)
  })

  it('answers 404 outside the caller’s view_tickets scope, 400 on a bad query', async () => {
    const buildingLead = await makeStaff(t, 'building_lead', c.buildings[0])
    const outsider = await makeStaff(t, 'grid_lead', other.compound)
    const supervisor = await makeStaff(t, 'street_supervisor', c.street)
    expect((await get(buildingLead, `compoundId=${c.compound.id}&${range()}`)).statusCode).toBe(404)
    expect((await get(buildingLead, `placeId=${c.buildings[0].id}&${range()}`)).statusCode).toBe(200)
    expect((await get(outsider, `compoundId=${c.compound.id}&${range()}`)).statusCode).toBe(404)
    expect((await get(supervisor, `compoundId=${c.compound.id}&${range()}`)).statusCode).toBe(200)
    expect((await get(pm, `compoundId=${c.buildings[0].id}&${range()}`)).statusCode).toBe(404)
    expect((await get(pm, range())).statusCode).toBe(400)
    expect((await get(pm, `compoundId=${c.compound.id}&from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z`)).statusCode).toBe(400)
  })
})

const DAY = 86_400_000
const WEEK = 7 * DAY
/** Monday 5 Oct 2026, 00:00 in Shanghai. */
const MONDAY = new Date('2026-10-04T16:00:00.000Z')


/**
 * The SQL aggregates against the reference definition: a few hundred generated requests in every state,
 * with deadlines met, missed and pending, reopenings and several ratings each (ties on the time too), are
 * counted once by shared countTicket() here and once by the service, for the total, every grouping and
 * every week.
 */
describe('metrics in SQL agree with countTicket()', () => {
  let t: TestApp
  let c: CompoundFixture
  let pm: Staff
  let grid: Staff
  let principal: Awaited<ReturnType<typeof staffPrincipal>>
  const NOW = new Date(MONDAY.getTime() + 30 * DAY + 3_600_000)
  const from = MONDAY.toISOString()
  const to = new Date(MONDAY.getTime() + 5 * WEEK).toISOString()
  interface Generated extends MetricTicket {
    id: string
    createdAt: Date
    category: CategoryCode
    buildingId: string
    handlerStaffId: string | null
    handlerRole: Role | null
  }
  const generated: Generated[] = []

  beforeAll(async () => {
    t = await startTestModule({ imports: [MetricsModule, TicketsModule], http: true })
    c = await makeCompound(t, [1, 1])
    pm = await makeStaff(t, 'property_manager', c.compound, '生成物业')
    grid = await makeStaff(t, 'grid_lead', c.compound, '生成网格长')
    principal = await staffPrincipal(t, pm)
    const rand = random(20261121)
    const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]
    const around = (base: number, spanHours: number) => new Date(base + Math.round((rand() * 2 - 1) * spanHours * 3_600_000))
    const maybe = <T>(p: number, value: () => T): T | null => (rand() < p ? value() : null)
    const handlers = [
      { id: pm.id, role: 'property_manager' as Role },
      { id: grid.id, role: 'grid_lead' as Role },
      { id: null, role: null },
      { id: null, role: 'compound_secretary' as Role },
    ]
    for (let i = 0; i < 320; i++) {
      const b = i % 2
      // Mostly inside the five weeks, some before and after them.
      const createdAt = new Date(MONDAY.getTime() + Math.round((rand() * 5.6 - 0.3) * WEEK))
      const state = pick(TICKET_STATES)
      const acceptBy = maybe(0.9, () => around(NOW.getTime(), 48))
      const acceptedAt = acceptBy && maybe(0.6, () => (rand() < 0.15 ? new Date(acceptBy) : around(acceptBy.getTime(), 3)))
      const resolveBy = maybe(0.7, () => around(NOW.getTime(), 72))
      const resolvedAt = maybe(0.5, () =>
        resolveBy && rand() < 0.15 ? new Date(resolveBy) : around((resolveBy ?? NOW).getTime(), 24),
      )
      const handler = pick(handlers)
      const category = pick(['facilities', 'sanitation', 'leak', 'elderly_care'] as const)
      const id = await insertGeneratedTicket(t.dataSource, {
        unitId: c.units[b][0].id,
        buildingId: c.buildings[b].id,
        compoundId: c.compound.id,
        category: category,
        state: state,
        handlerId: handler.id,
        handlerRole: handler.role,
        acceptBy: acceptBy,
        acceptedAt: acceptedAt,
        resolveBy: resolveBy,
        resolvedAt: resolvedAt,
        reopenCount: pick([0, 0, 0, 1, 2]),
        createdAt: createdAt,
      })
      // 0–2 timeline transfers: from a handler (a handoff) or from nobody (a first assignment, not one).
      let handedOff = false
      const transfers = pick([0, 0, 0, 1, 1, 2])
      for (let k = 0; k < transfers; k++) {
        const fromRole = rand() < 0.7 ? pick(['grid_lead', 'property_manager'] as const) : null
        handedOff ||= fromRole !== null
        await t.dataSource.query(
          `INSERT INTO ticket_event (ticket_id, at, actor_kind, type, public, data)
           VALUES ($1, $2, 'staff', 'transferred', true, $3)`,
          [id, around(NOW.getTime(), 100), { fromRole, toRole: 'grid_lead', toName: '生成', reason: '生成' }],
        )
      }
      // Other timeline entries never count as handoffs.
      await t.dataSource.query(
        `INSERT INTO ticket_event (ticket_id, at, actor_kind, type, public, data)
         VALUES ($1, $2, 'staff', 'noted', false, '{"text": "生成", "fromRole": "grid_lead"}')`,
        [id, createdAt],
      )
      const [{ reopen_count }] = await t.dataSource.query<{ reopen_count: number }[]>(
        'SELECT reopen_count FROM ticket WHERE id = $1',
        [id],
      )
      // 0–3 ratings; the latest counts (by time, then by insertion on a tie).
      let latest: { at: number; stars: number } | null = null
      const ratings = pick([0, 0, 1, 1, 2, 3])
      for (let r = 0; r < ratings; r++) {
        const at: Date = latest && rand() < 0.3 ? new Date(latest.at) : around(NOW.getTime(), 200)
        const stars = 1 + Math.floor(rand() * 5)
        await t.dataSource.query(
          `INSERT INTO ticket_rating (ticket_id, stars, via, at) VALUES ($1, $2, 'resident', $3)`,
          [id, stars, at],
        )
        if (!latest || at.getTime() >= latest.at) latest = { at: at.getTime(), stars }
      }
      generated.push({
        id,
        createdAt,
        category,
        buildingId: c.buildings[b].id,
        handlerStaffId: handler.id,
        handlerRole: handler.role,
        state,
        acceptBy,
        acceptedAt,
        resolveBy,
        resolvedAt,
        reopenCount: reopen_count,
        stars: latest?.stars ?? null,
        handedOff,
      })
    }
    jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => new Date(NOW))
  }, 60_000)
  afterAll(() => t.close())

  const inPeriod = () =>
    generated.filter((g) => g.createdAt >= new Date(from) && g.createdAt < new Date(to))
  const rates = (tickets: Generated[]): MetricRates => definedRates(tickets, NOW)
  const keyOf = KEY_OF

  it('covers the cases the definition distinguishes', () => {
    const set = inPeriod()
    expect(set.length).toBeGreaterThan(250)
    for (const state of TICKET_STATES) expect(set.some((g) => g.state === state)).toBe(true)
    const counts = rates(set)
    for (const key of METRIC_KEYS) {
      // Every rate has requests in and out of its numerator.
      expect(counts[key].numerator).toBeGreaterThan(0)
      expect(counts[key].denominator).toBeGreaterThan(counts[key].numerator)
    }
  })

  it('totals and every grouping', async () => {
    const metrics = t.app.get(MetricsService)
    const set = inPeriod()
    const plain = await metrics.metrics(principal, { compoundId: c.compound.id, from, to })
    expect(plain.total).toEqual(rates(set))
    for (const by of METRIC_GROUPINGS) {
      const body = await metrics.metrics(principal, { compoundId: c.compound.id, from, to, groupBy: by })
      expect(body.total).toEqual(rates(set))
      const expected = new Map<string | null, Generated[]>()
      for (const g of set) expected.set(keyOf[by](g), [...(expected.get(keyOf[by](g)) ?? []), g])
      expect(Object.fromEntries(body.groups.map(({ key, label: _label, ...r }) => [String(key), r]))).toEqual(
        Object.fromEntries([...expected.entries()].map(([key, tickets]) => [String(key), rates(tickets)])),
      )
    }
    // Under a building: only its requests.
    const building = await metrics.metrics(principal, { placeId: c.buildings[1].id, from, to })
    expect(building.total).toEqual(rates(set.filter((g) => g.buildingId === c.buildings[1].id)))
  })

  it('week by week: five weeks, each counted like the total', async () => {
    const body = await t.app.get(MetricsService).weekly(principal, { compoundId: c.compound.id, from, to })
    expect(body.weeks.map((w) => w.weekStart)).toEqual(
      [0, 1, 2, 3, 4].map((i) => new Date(MONDAY.getTime() + i * WEEK).toISOString()),
    )
    for (const [i, week] of body.weeks.entries()) {
      const start = MONDAY.getTime() + i * WEEK
      const tickets = inPeriod().filter((g) => g.createdAt.getTime() >= start && g.createdAt.getTime() < start + WEEK)
      const { weekStart: _start, ...counted } = week
      expect(counted).toEqual(rates(tickets))
    }
  })
})

/**
 * The trend, the heat table and the attention lists on a hand-built set:
 *
 * | request | bldg | category   | filed (Shanghai)      | state     | next due      | escalation |
 * |---------|------|------------|-----------------------|-----------|---------------|------------|
 * | a       | 1    | facilities | Sun 15 Nov 23:30      | submitted | now − 180 min | 0          |
 * | b       | 1    | facilities | Mon 16 Nov 00:10      | accepted  | now − 61 min  | 1          |
 * | c       | 1    | facilities | Mon 16 Nov 09:00      | accepted  | now + 1 day   | 2          |
 * | d       | 1    | sanitation | Tue 17 Nov 09:00      | waiting   | —             | 1          |
 * | e       | 2    | leak       | Wed 18 Nov 09:00      | closed    | —             | 3          |
 * | f       | 2    | leak       | Thu 19 Nov 09:00      | replied   | now + 2 h     | 0          |
 * | g       | 2    | facilities | Thu 19 Nov 10:00      | merged    | —             | 0          |
 * | h       | 2    | facilities | Sat 31 Oct 09:00      | submitted | now − 10 min  | 0          |  (before the period)
 * Another compound has an overdue, escalated request of its own.
 */
describe('GET /api/metrics/weekly, /heat and /attention', () => {
  let t: TestApp
  let c: CompoundFixture
  let other: CompoundFixture
  let resident: Resident
  let pm: Staff
  const ids: Record<string, string> = {}
  const numbers: Record<string, number> = {}
  const NOW = new Date(Math.floor(Date.now() / 60_000) * 60_000)
  // Wed 4 Nov 00:00 UTC → Tue 24 Nov 00:00 UTC: the weeks of Mon 2, 9, 16 and 23 Nov overlap it.
  const period = 'from=2026-11-04T00:00:00Z&to=2026-11-24T00:00:00Z'

  beforeAll(async () => {
    t = await startTestModule({ imports: [MetricsModule, TicketsModule], http: true })
    c = await makeCompound(t, [1, 1])
    other = await makeCompound(t, [1])
    resident = await makeResident(t, { name: '热力居民', phone: '13712345670' })
    pm = await makeStaff(t, 'property_manager', c.compound, '热力物业')
    await makeStaff(t, 'grid_lead', c.compound, '热力网格长')
    await makeStaff(t, 'property_manager', other.compound)
    const rows: [string, number, CategoryCode, string, TicketState, number | null, number][] = [
      ['a', 0, 'facilities', '2026-11-15T15:30:00Z', 'submitted', -180, 0],
      ['b', 0, 'facilities', '2026-11-15T16:10:00Z', 'accepted', -61, 1],
      ['c', 0, 'facilities', '2026-11-16T01:00:00Z', 'accepted', 1440, 2],
      ['d', 0, 'sanitation', '2026-11-17T01:00:00Z', 'waiting_resident', null, 1],
      ['e', 1, 'leak', '2026-11-18T01:00:00Z', 'closed', null, 3],
      ['f', 1, 'leak', '2026-11-19T01:00:00Z', 'replied', 120, 0],
      ['g', 1, 'facilities', '2026-11-19T02:00:00Z', 'submitted', null, 0],
      ['h', 1, 'facilities', '2026-10-31T01:00:00Z', 'submitted', -10, 0],
    ]
    for (const [key, b, category, filed, state, dueInMinutes, level] of rows) {
      const ticket = await makeTicket(t, { unit: c.units[b][0], resident, category, room: '0808' })
      ids[key] = ticket.id
      numbers[key] = ticket.number
      await t.dataSource.query(
        `UPDATE ticket SET created_at = $2, state = $3, next_due_at = $4, escalation_level = $5 WHERE id = $1`,
        [ticket.id, filed, key === 'g' ? 'merged' : state, dueInMinutes === null ? null : new Date(NOW.getTime() + dueInMinutes * 60_000), level],
      )
    }
    const elsewhere = await makeTicket(t, { unit: other.units[0][0], resident })
    await t.dataSource.query(
      `UPDATE ticket SET next_due_at = $2, escalation_level = 2, created_at = '2026-11-16T01:00:00Z' WHERE id = $1`,
      [elsewhere.id, new Date(NOW.getTime() - 999 * 60_000)],
    )
  })
  afterAll(() => t.close())
  afterEach(() => jest.restoreAllMocks())

  const get = async (who: Staff, path: string) => {
    const res = await t.app.inject({ method: 'GET', url: `/api/metrics/${path}`, headers: await authHeader(t, { staff: who }) })
    return res
  }

  it('weekly: every overlapping week from Monday 00:00 Shanghai, empty ones too', async () => {
    const res = await get(pm, `weekly?compoundId=${c.compound.id}&${period}`)
    expect(res.statusCode).toBe(200)
    const body = res.json<MetricsWeekly>()
    expect(body.placeId).toBe(c.compound.id)
    expect(body.weeks.map((w) => [w.weekStart, w.received])).toEqual([
      ['2026-11-01T16:00:00.000Z', 0],
      ['2026-11-08T16:00:00.000Z', 1], // a: Sunday 23:30 still belongs to the week of the 9th
      ['2026-11-15T16:00:00.000Z', 5], // b, c, d, e, f (g is merged: not received)
      ['2026-11-22T16:00:00.000Z', 0],
    ])
    expect(body.weeks[0]).toEqual({
      weekStart: '2026-11-01T16:00:00.000Z',
      received: 0,
      response: { numerator: 0, denominator: 0, rate: null },
      resolution: { numerator: 0, denominator: 0, rate: null },
      satisfaction: { numerator: 0, denominator: 0, rate: null },
      onTime: { numerator: 0, denominator: 0, rate: null },
      handoff: { numerator: 0, denominator: 0, rate: null },
      redo: { numerator: 0, denominator: 0, rate: null },
    })
  })

  it('heat: building × category in the period, merged and earlier requests left out, largest first', async () => {
    const res = await get(pm, `heat?compoundId=${c.compound.id}&${period}`)
    expect(res.statusCode).toBe(200)
    expect(res.json<MetricsHeat>()).toEqual({
      placeId: c.compound.id,
      buildings: [
        { id: c.buildings[0].id, name: '1幢' },
        { id: c.buildings[1].id, name: '2幢' },
      ],
      categories: [
        { code: 'facilities', label: '公共设施报修' },
        { code: 'leak', label: '房屋漏水' },
        { code: 'sanitation', label: '环境卫生' },
      ],
      cells: [
        { buildingId: c.buildings[0].id, category: 'facilities', count: 3 },
        { buildingId: c.buildings[0].id, category: 'sanitation', count: 1 },
        { buildingId: c.buildings[1].id, category: 'leak', count: 2 },
      ],
      max: 3,
    })
    // Above a compound, each building is named with its compound, so two compounds' 1幢 differ.
    const supervisor = await makeStaff(t, 'community_supervisor', c.community)
    const community = (await get(supervisor, `heat?placeId=${c.community.id}&${period}`)).json<MetricsHeat>()
    expect(community.buildings).toEqual([
      { id: c.buildings[0].id, name: `${c.compound.name} 1幢` },
      { id: c.buildings[1].id, name: `${c.compound.name} 2幢` },
    ])
    const building = (await get(pm, `heat?placeId=${c.buildings[1].id}&${period}`)).json<MetricsHeat>()
    expect(building.buildings).toEqual([{ id: c.buildings[1].id, name: '2幢' }])
    expect(building.cells).toEqual([{ buildingId: c.buildings[1].id, category: 'leak', count: 2 }])
    const empty = (await get(pm, `heat?compoundId=${c.compound.id}&from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z`)).json<MetricsHeat>()
    expect(empty).toEqual({ placeId: c.compound.id, buildings: [], categories: [], cells: [], max: 0 })
  })

  it('attention: overdue most overdue first, escalated highest first, open only, no resident data', async () => {
    jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => new Date(NOW))
    const res = await get(pm, `attention?compoundId=${c.compound.id}`)
    expect(res.statusCode).toBe(200)
    const body = res.json<MetricsAttention>()
    expect(body.overdue.map((i) => [i.number, i.overdueMinutes])).toEqual([
      [numbers.a, 180],
      [numbers.b, 61],
      [numbers.h, 10],
    ])
    expect(body.escalated.map((i) => [i.number, i.escalationLevel, i.overdueMinutes])).toEqual([
      [numbers.c, 2, 0],
      [numbers.b, 1, 61],
      [numbers.d, 1, 0],
    ])
    expect(body.overdue[0]).toEqual({
      id: ids.a,
      number: numbers.a,
      category: 'facilities',
      categoryLabel: '公共设施报修',
      buildingName: '1幢',
      state: 'submitted',
      handlerRole: 'property_manager',
      handlerName: '热力物业',
      dueAt: new Date(NOW.getTime() - 180 * 60_000).toISOString(),
      overdueMinutes: 180,
      escalationLevel: 0,
    })
    expect(body.escalated[2]).toMatchObject({ state: 'waiting_resident', dueAt: null })
    for (const value of ['热力居民', '13712345670', resident.openid!, '0808', '楼道灯坏了']) {
      expect(res.body).not.toContain(value)
    }
    const limited = (await get(pm, `attention?compoundId=${c.compound.id}&limit=1`)).json<MetricsAttention>()
    expect([limited.overdue.length, limited.escalated.length]).toEqual([1, 1])
    const building = (await get(pm, `attention?placeId=${c.buildings[1].id}`)).json<MetricsAttention>()
    expect(building).toEqual({ overdue: [expect.objectContaining({ id: ids.h })], escalated: [] })
  })

  it('answers 404 outside the caller’s scope and 400 on a bad query, on every route', async () => {
    const outsider = await makeStaff(t, 'property_manager', other.compound)
    const buildingLead = await makeStaff(t, 'building_lead', c.buildings[0])
    for (const route of ['weekly', 'heat']) {
      expect((await get(outsider, `${route}?compoundId=${c.compound.id}&${period}`)).statusCode).toBe(404)
      expect((await get(buildingLead, `${route}?compoundId=${c.compound.id}&${period}`)).statusCode).toBe(404)
      expect((await get(buildingLead, `${route}?placeId=${c.buildings[0].id}&${period}`)).statusCode).toBe(200)
      expect((await get(pm, `${route}?${period}`)).statusCode).toBe(400)
      expect((await get(pm, `${route}?compoundId=${c.compound.id}&placeId=${c.compound.id}&${period}`)).statusCode).toBe(400)
      expect((await get(pm, `${route}?compoundId=${c.compound.id}&from=2026-11-24T00:00:00Z&to=2026-11-04T00:00:00Z`)).statusCode).toBe(400)
      // More than two years at once.
      expect((await get(pm, `${route}?compoundId=${c.compound.id}&from=2023-01-01T00:00:00Z&to=2026-01-01T00:00:00Z`)).statusCode).toBe(400)
      expect((await get(pm, `${route}?compoundId=${c.compound.id}&${period}&groupBy=role`)).statusCode).toBe(400)
    }
    expect((await get(outsider, `attention?compoundId=${c.compound.id}`)).statusCode).toBe(404)
    expect((await get(pm, `attention?compoundId=${c.compound.id}&limit=0`)).statusCode).toBe(400)
    expect((await get(pm, `attention?compoundId=${c.compound.id}&limit=101`)).statusCode).toBe(400)
    expect((await get(pm, `attention?compoundId=${c.compound.id}&limit=abc`)).statusCode).toBe(400)
    expect((await get(pm, 'attention')).statusCode).toBe(400)
    expect((await get(pm, `metrics?compoundId=${c.compound.id}`)).statusCode).toBe(404)
  })
})

/**
 * At a million requests the metrics must read only the place's requests of the period, by index. Here:
 * 30 000 requests spread over 30 compounds and 60 days, then EXPLAIN of the very queries the service ran.
 */
describe('metrics query plans', () => {
  let t: TestApp
  let c: CompoundFixture
  let principal: Awaited<ReturnType<typeof staffPrincipal>>
  let supervisor: Awaited<ReturnType<typeof staffPrincipal>>
  const from = '2026-10-01T00:00:00Z'
  const to = '2026-10-08T00:00:00Z'

  beforeAll(async () => {
    t = await startTestModule({ imports: [MetricsModule, TicketsModule], http: true })
    c = await makeCompound(t, [1, 1])
    principal = await staffPrincipal(t, await makeStaff(t, 'property_manager', c.compound))
    supervisor = await staffPrincipal(t, await makeStaff(t, 'street_supervisor', c.street))
    const places = [c]
    for (let i = 0; i < 29; i++) places.push(await makeCompound(t, [1]))
    await t.dataSource.query(
      `INSERT INTO ticket (unit_id, building_id, compound_id, category, severity, state, channel, description,
                           accept_by, accepted_at, resolve_by, resolved_at, next_due_at, escalation_level, created_at)
       SELECT ($1::uuid[])[1 + i % 30], ($2::uuid[])[1 + i % 30], ($3::uuid[])[1 + i % 30],
              (ARRAY['facilities','sanitation','leak'])[1 + i % 3], 'simple',
              (ARRAY['submitted','accepted','resolved','closed','closed','closed'])[1 + i % 6], 'miniapp', 'x',
              ts + interval '2 hours', ts + interval '1 hour', ts + interval '1 day', ts + interval '20 hours',
              ts + interval '2 hours', i % 7 / 6, ts
         FROM (SELECT i, timestamptz '2026-09-01T00:00:00Z' + i * interval '172 seconds' AS ts
                 FROM generate_series(1, 30000) i) g`,
      [
        places.map((p) => p.units[0][0].id),
        places.map((p) => p.buildings[0].id),
        places.map((p) => p.compound.id),
      ],
    )
    await t.dataSource.query(
      `INSERT INTO ticket_rating (ticket_id, stars, via, at)
       SELECT id, 1 + number % 5, 'resident', created_at + interval '2 days' FROM ticket WHERE state = 'closed'`,
    )
    await t.dataSource.query(
      `INSERT INTO ticket_event (ticket_id, at, actor_kind, type, public, data)
       SELECT id, created_at, 'staff', 'transferred', true, '{"fromRole": "grid_lead"}' FROM ticket WHERE number % 5 = 0`,
    )
    // As autovacuum leaves a table in service: statistics, and the visibility map index-only scans rely on.
    await t.dataSource.query('VACUUM (ANALYZE) ticket')
    await t.dataSource.query('ANALYZE ticket_event')
    await t.dataSource.query('ANALYZE ticket_rating')
    await t.dataSource.query('ANALYZE place')
  }, 120_000)
  afterAll(() => t.close())

  /** The plans of the ticket queries `run` sends. */
  const plans = (run: () => Promise<unknown>) => queryPlans(t.dataSource, run, (sql) => /FROM ticket t\b/.test(sql))

  it('reads the compound or building by (place, created_at) index, never the whole table', async () => {
    const metrics = t.app.get(MetricsService)
    const cases: [string, () => Promise<unknown>, RegExp][] = [
      ['metrics', () => metrics.metrics(principal, { compoundId: c.compound.id, from, to }), /ticket_compound_created_idx/],
      ['grouped', () => metrics.metrics(principal, { compoundId: c.compound.id, from, to, groupBy: 'person' }), /ticket_compound_created_idx/],
      ['weekly', () => metrics.weekly(principal, { compoundId: c.compound.id, from, to }), /ticket_compound_created_idx/],
      ['heat', () => metrics.heat(principal, { compoundId: c.compound.id, from, to }), /ticket_compound_created_idx/],
      ['building', () => metrics.metrics(principal, { placeId: c.buildings[0].id, from, to }), /ticket_(building|compound)_created_idx/],
      ['street', () => metrics.metrics(supervisor, { placeId: c.street.id, from, to }), /ticket_compound_created_idx/],
      ['street heat', () => metrics.heat(supervisor, { placeId: c.street.id, from, to }), /ticket_compound_created_idx/],
      ['attention', () => metrics.attention(principal, { compoundId: c.compound.id, limit: 50 }), /ticket_(inbox_compound|escalated|open_due)_idx/],
    ]
    for (const [name, run, index] of cases) {
      const found = await plans(run)
      expect([name, found.length > 0]).toEqual([name, true])
      for (const plan of found) {
        expect([name, plan]).toEqual([name, expect.not.stringMatching(/Seq Scan on ticket\b/)])
        // 回退率 looks up each request's transfers by the timeline's (ticket_id, at) index.
        if (/ticket_event/.test(plan)) expect([name, plan]).toEqual([name, expect.not.stringMatching(/Seq Scan on ticket_event\b/)])
        expect([name, plan]).toEqual([name, expect.stringMatching(index)])
      }
    }
  })

  it("counts the live terms of a whole month from the pending requests' index alone (no row fetched)", async () => {
    const metrics = t.app.get(MetricsService)
    // October 2026 in local time: a whole month, read from the counters plus the live terms.
    const month = { from: '2026-09-30T16:00:00.000Z', to: '2026-10-31T16:00:00.000Z' }
    for (const [name, run] of [
      ['street', () => metrics.metrics(supervisor, { placeId: c.street.id, ...month })],
      ['compound by person', () => metrics.metrics(principal, { compoundId: c.compound.id, ...month, groupBy: 'person' })],
      ['building by category', () => metrics.metrics(principal, { placeId: c.buildings[0].id, ...month, groupBy: 'category' })],
    ] as const) {
      const live = (await plans(run)).filter((plan) => /ticket_deadline_pending_idx/.test(plan))
      expect([name, live.length]).toEqual([name, 1])
      expect([name, live[0]]).toEqual([name, expect.stringMatching(/Index Only Scan using ticket_deadline_pending_idx/)])
    }
  })

  it('ranks over whole months and quarters from the counters and that index alone: no request row read', async () => {
    const ranking = t.app.get(RankingService)
    for (const [name, run] of [
      // Places below a street (by compound), a compound's buildings, its handlers, a building's handlers.
      ['street', () => ranking.ranking(supervisor, { placeId: c.street.id, period: '2026-10', by: 'composite' })],
      ['compound', () => ranking.ranking(supervisor, { placeId: c.compound.id, period: '2026-10', by: 'handoff' })],
      ['handlers', () => ranking.ranking(supervisor, { placeId: c.compound.id, period: '2026-Q4', by: 'redo', of: 'handlers' })],
      ['building', () => ranking.ranking(supervisor, { placeId: c.buildings[0].id, period: '2026-10', by: 'composite' })],
    ] as const) {
      const found = await plans(run)
      expect([name, found.length]).toEqual([name, 1])
      expect([name, found[0]]).toEqual([name, expect.stringMatching(/Index Only Scan using ticket_deadline_pending_idx/)])
      expect([name, found[0]]).toEqual([name, expect.not.stringMatching(/(Seq|Bitmap Heap) Scan on ticket\b|Index Scan using \S+ on ticket\b/)])
    }
  })
})
