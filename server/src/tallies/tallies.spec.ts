import {
  METRIC_GROUPINGS,
  METRIC_KEYS,
  rankingPeriod,
  ROLE_LABELS,
  TICKET_STATES,
  type BoardCounts,
  type MetricRates,
  type MetricTicket,
  type Role,
  type TicketState,
} from '@mq/shared'
import { definedRates, insertGeneratedTicket, KEY_OF, random } from '../metrics/metrics-definition.testing'
import { startTestModule, type TestApp } from '../../test/app'
import { makeCompound, makeStaff, staffPrincipal, type CompoundFixture } from '../../test/factories'
import { BoardModule } from '../board/board.module'
import { BoardService } from '../board/board.service'
import { Clock } from '../common/clock'
import { TALLY_TABLES, tallySelect } from '../database/migrations/1798300000000-Tallies'
import { MetricsModule } from '../metrics/metrics.module'
import { MetricsService } from '../metrics/metrics.service'
import { RankingService } from '../metrics/ranking.service'
import { PlacesService } from '../places/places.service'
import type { Place } from '../places/place.entity'
import { TicketsModule } from '../tickets/tickets.module'


const HOUR = 3_600_000
const DAY = 24 * HOUR
/** 15 March 2026, 10:00 in Shanghai: the time of every read. */
const NOW = new Date('2026-03-15T02:00:00.000Z')
/** Local month starts (Shanghai, UTC+8). */
const month = (m: string) => new Date(`${m}-01T00:00:00+08:00`)

/** Periods of the metrics and the heat table: whole months, partial edges, none whole, and the future. */
const PERIODS: [string, string][] = [
  ['2026-01-01T00:00:00+08:00', '2026-04-01T00:00:00+08:00'], // whole months
  ['2026-02-01T00:00:00+08:00', '2026-03-01T00:00:00+08:00'], // one month
  ['2025-12-20T09:30:00+08:00', '2026-03-10T17:00:00+08:00'], // partial edges around whole months
  ['2026-01-20T00:00:00+08:00', '2026-02-10T00:00:00+08:00'], // no whole month
  ['2026-03-01T00:00:00+08:00', '2026-05-01T00:00:00+08:00'], // this month and after
]

interface Row extends MetricTicket {
  id: string
  createdAt: Date
  compoundId: string
  buildingId: string
  unitId: string
  category: string
  handlerRole: Role | null
  handlerStaffId: string | null
  repliedAt: Date | null
  promisedAt: Date | null
}

/**
 * The counters (migration Tallies) against the definitions, over generated requests taken through their
 * lifecycle by random changes (acceptance, resolution, reopening after a bad rating, transfers away from a
 * handler, ratings added, changed and removed, withdrawal, merging, a new category or handler, a request
 * deleted): the counter rows equal a recount from scratch, and the board, the quarterly report and the
 * metrics built on them equal the board's definition and shared countTicket() over the requests, for every
 * scope, grouping and several periods, judged at a time when some deadlines have passed and some not.
 */
describe('tallies equal the definitions over generated requests', () => {
  let t: TestApp
  let c: CompoundFixture
  let d: { compound: Place; buildings: Place[]; units: Place[][] }
  let staff: { id: string; role: Role }[]
  let supervisor: Awaited<ReturnType<typeof staffPrincipal>>
  const rand = random(20261206)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]
  const around = (base: number, spanHours: number) => new Date(base + Math.round((rand() * 2 - 1) * spanHours * HOUR))
  const maybe = <T>(p: number, value: () => T): T | null => (rand() < p ? value() : null)
  const ids: string[] = []

  async function transfer(id: string) {
    const fromRole = rand() < 0.7 ? pick(['grid_lead', 'property_manager'] as const) : null
    const to = pick(staff)
    await t.dataSource.query(
      `INSERT INTO ticket_event (ticket_id, at, actor_kind, type, public, data) VALUES ($1, now(), 'staff', 'transferred', true, $2)`,
      [id, { fromRole, toRole: to.role, toName: '生成', reason: '生成' }],
    )
    await t.dataSource.query('UPDATE ticket SET handler_staff_id = $2, handler_role = $3 WHERE id = $1', [id, to.id, to.role])
  }

  async function rateIt(id: string) {
    await t.dataSource.query(`INSERT INTO ticket_rating (ticket_id, stars, via, at) VALUES ($1, $2, 'resident', $3)`, [
      id,
      1 + Math.floor(rand() * 5),
      around(NOW.getTime(), 400),
    ])
  }

  /** One random step of a request's life. */
  async function change(id: string) {
    const step = pick([
      'accept', 'resolve', 'reopen', 'transfer', 'rate', 'rerate', 'unrate', 'withdraw', 'merge', 'category',
      'handler', 'reply', 'close', 'reject', 'untransfer', 'refile',
    ] as const)
    const q = (sql: string, params: unknown[] = []) => t.dataSource.query(sql, [id, ...params])
    switch (step) {
      case 'accept':
        return q(`UPDATE ticket SET state = 'accepted', accepted_at = $2 WHERE id = $1`, [around(NOW.getTime(), 200)])
      case 'resolve':
        return q(`UPDATE ticket SET state = 'resolved', resolved_at = $2 WHERE id = $1`, [around(NOW.getTime(), 200)])
      case 'reopen':
        return q(`UPDATE ticket SET state = 'accepted', resolved_at = NULL, reopen_count = reopen_count + 1 WHERE id = $1`)
      case 'transfer':
        return transfer(id)
      case 'rate':
        return rateIt(id)
      case 'rerate':
        return q(`UPDATE ticket_rating SET stars = 6 - stars WHERE ticket_id = $1`)
      case 'unrate':
        return q(`DELETE FROM ticket_rating WHERE id IN (SELECT id FROM ticket_rating WHERE ticket_id = $1 ORDER BY at DESC LIMIT 1)`)
      case 'withdraw':
        return q(`UPDATE ticket SET state = 'withdrawn' WHERE id = $1`)
      case 'merge':
        return q(`UPDATE ticket SET state = 'merged', merged_into_id = $2 WHERE id = $1`, [pick(ids.slice(5).filter((x) => x !== id))])
      case 'category':
        return q(`UPDATE ticket SET category = $2 WHERE id = $1`, [pick(['facilities', 'sanitation', 'leak'])])
      case 'handler': {
        const to = pick([...staff, { id: null, role: null }])
        return q('UPDATE ticket SET handler_staff_id = $2, handler_role = $3 WHERE id = $1', [to.id, to.role])
      }
      case 'reply':
        return q(`UPDATE ticket SET state = 'replied', replied_at = $2, promised_at = $3 WHERE id = $1`, [
          around(NOW.getTime(), 100),
          maybe(0.8, () => around(NOW.getTime(), 100)),
        ])
      case 'close':
        return q(`UPDATE ticket SET state = 'closed', resolved_at = coalesce(resolved_at, $2) WHERE id = $1`, [
          around(NOW.getTime(), 100),
        ])
      case 'reject':
        return q(`UPDATE ticket SET state = 'rejected' WHERE id = $1`)
      case 'untransfer':
        return q(`DELETE FROM ticket_event WHERE ticket_id = $1 AND type = 'transferred'`)
      case 'refile':
        // Filed in another month (a correction of created_at moves the request between counter rows).
        return q('UPDATE ticket SET created_at = $2 WHERE id = $1', [new Date(month('2025-12').getTime() + rand() * 120 * DAY)])
    }
  }

  beforeAll(async () => {
    t = await startTestModule({ imports: [MetricsModule, BoardModule, TicketsModule], http: false })
    c = await makeCompound(t, [2, 1])
    // A second compound in the same street, for the street's scope.
    const places = t.app.get(PlacesService)
    const compound = await places.create({ kind: 'compound', name: '计数小区', parent: c.community })
    const building = await places.create({ kind: 'building', name: '1幢', parent: compound, sortOrder: 0 })
    const unit = await places.create({ kind: 'unit', name: '1单元', parent: building, sortOrder: 1 })
    d = { compound, buildings: [building], units: [[unit]] }
    const pm = await makeStaff(t, 'property_manager', c.compound, '计数物业')
    const grid = await makeStaff(t, 'grid_lead', c.compound, '计数网格长')
    staff = [
      { id: pm.id, role: 'property_manager' },
      { id: grid.id, role: 'grid_lead' },
    ]
    supervisor = await staffPrincipal(t, await makeStaff(t, 'street_supervisor', c.street))
    const units = [
      { compound: c.compound, building: c.buildings[0], unit: c.units[0][0] },
      { compound: c.compound, building: c.buildings[0], unit: c.units[0][1] },
      { compound: c.compound, building: c.buildings[1], unit: c.units[1][0] },
      { compound: d.compound, building: d.buildings[0], unit: d.units[0][0] },
    ]
    for (let i = 0; i < 260; i++) {
      const where = pick(units)
      // December 2025 to April 2026, around the local month boundaries too.
      const createdAt =
        rand() < 0.15
          ? around(pick([month('2026-01'), month('2026-02'), month('2026-03')]).getTime(), 3)
          : new Date(month('2025-12').getTime() + rand() * 140 * DAY)
      // Some deadlines fall exactly at the time of the read (due then: `<=`).
      const acceptBy = maybe(0.9, () => (rand() < 0.1 ? new Date(NOW) : around(NOW.getTime(), 48)))
      const acceptedAt = acceptBy && maybe(0.6, () => (rand() < 0.15 ? new Date(acceptBy) : around(acceptBy.getTime(), 3)))
      const resolveBy = maybe(0.7, () => (rand() < 0.1 ? new Date(NOW) : around(NOW.getTime(), 72)))
      const resolvedAt = maybe(0.4, () => (resolveBy && rand() < 0.15 ? new Date(resolveBy) : around(NOW.getTime(), 72)))
      const handler = pick([...staff, { id: null, role: null }, { id: null, role: 'compound_secretary' as Role }])
      const id = await insertGeneratedTicket(t.dataSource, {
        unitId: where.unit.id,
        buildingId: where.building.id,
        compoundId: where.compound.id,
        category: pick(['facilities', 'sanitation', 'leak', 'elderly_care']),
        state: pick(TICKET_STATES),
        handlerId: handler.id,
        handlerRole: handler.role,
        acceptBy: acceptBy,
        acceptedAt: acceptedAt,
        resolveBy: resolveBy,
        resolvedAt: resolvedAt,
        reopenCount: pick([0, 0, 0, 1]),
        createdAt: createdAt,
      })
      ids.push(id)
    }
    // Their lives: 700 random steps, then a few requests deleted.
    for (let i = 0; i < 700; i++) await change(pick(ids))
    for (const id of ids.splice(0, 5)) {
      await t.dataSource.query('UPDATE ticket SET merged_into_id = NULL WHERE merged_into_id = $1', [id])
      await t.dataSource.query('DELETE FROM ticket_event WHERE ticket_id = $1', [id])
      await t.dataSource.query('DELETE FROM ticket_rating WHERE ticket_id = $1', [id])
      await t.dataSource.query('DELETE FROM ticket WHERE id = $1', [id])
    }
    jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => new Date(NOW))
  }, 120_000)
  afterAll(() => t.close())

  /** The requests as the definitions see them: the latest rating and the handoffs read from their own tables. */
  async function requests(): Promise<Row[]> {
    const rows = await t.dataSource.query<Record<string, unknown>[]>(
      `SELECT t.*,
              (SELECT r.stars FROM ticket_rating r WHERE r.ticket_id = t.id ORDER BY r.at DESC, r.id DESC LIMIT 1) AS stars,
              EXISTS (SELECT 1 FROM ticket_event e WHERE e.ticket_id = t.id AND e.type = 'transferred'
                                                     AND e.data->>'fromRole' IS NOT NULL) AS handed
         FROM ticket t WHERE t.compound_id = ANY($1)`,
      [[c.compound.id, d.compound.id]],
    )
    return rows.map((r) => ({
      id: r.id as string,
      createdAt: r.created_at as Date,
      compoundId: r.compound_id as string,
      buildingId: r.building_id as string,
      unitId: r.unit_id as string,
      category: r.category as string,
      handlerRole: r.handler_role as Role | null,
      handlerStaffId: r.handler_staff_id as string | null,
      state: r.state as TicketState,
      acceptBy: r.accept_by as Date | null,
      acceptedAt: r.accepted_at as Date | null,
      resolveBy: r.resolve_by as Date | null,
      resolvedAt: r.resolved_at as Date | null,
      repliedAt: r.replied_at as Date | null,
      promisedAt: r.promised_at as Date | null,
      reopenCount: r.reopen_count as number,
      stars: r.stars as number | null,
      handedOff: r.handed as boolean,
    }))
  }

  const rates = (tickets: Row[]): MetricRates => definedRates(tickets, NOW)
  /** The rates of a ranking row (it carries its key, label, score and rank beside them). */
  const ratesOf = (row: MetricRates): MetricRates =>
    ({ received: row.received, ...Object.fromEntries(METRIC_KEYS.map((k) => [k, row[k]])) }) as MetricRates
  const keyOf = KEY_OF

  it('covers the cases the definitions distinguish', async () => {
    const all = await requests()
    expect(all.length).toBe(255)
    for (const state of TICKET_STATES) expect(all.some((g) => g.state === state)).toBe(true)
    expect(all.some((g) => g.handedOff)).toBe(true)
    expect(all.some((g) => g.reopenCount > 0 && g.resolvedAt === null)).toBe(true)
    // Deadlines passed and not, on requests not yet accepted or resolved: the live part has work.
    const open = all.filter((g) => !['rejected', 'merged', 'withdrawn'].includes(g.state))
    expect(open.some((g) => g.acceptedAt === null && g.acceptBy !== null && g.acceptBy <= NOW)).toBe(true)
    expect(open.some((g) => g.acceptedAt === null && g.acceptBy !== null && g.acceptBy > NOW)).toBe(true)
    expect(open.some((g) => g.resolvedAt === null && g.resolveBy !== null && g.resolveBy <= NOW)).toBe(true)
  })

  it('hold what a recount from scratch (the backfill) finds, and nothing else', async () => {
    for (const table of TALLY_TABLES) {
      const columns = [...table.keys, ...table.terms.map(([column]) => column)]
      const order = table.keys.map((_, i) => i + 1).join(', ')
      const kept = await t.dataSource.query<Record<string, unknown>[]>(
        `SELECT ${columns.join(', ')} FROM ${table.name} WHERE filed <> 0 ORDER BY ${order}`,
      )
      const recount = await t.dataSource.query<Record<string, unknown>[]>(
        `SELECT * FROM (${tallySelect(table, 'ticket t')}) x ORDER BY ${order}`,
      )
      expect(kept.length).toBeGreaterThan(10)
      expect(kept).toEqual(recount)
      // A row no request has any longer is all zeros.
      const stale = await t.dataSource.query<Record<string, unknown>[]>(
        `SELECT * FROM ${table.name} WHERE filed = 0 AND (${table.terms.map(([column]) => `${column} <> 0`).join(' OR ')})`,
      )
      expect(stale).toEqual([])
    }
  })

  it('answer the metrics as countTicket() counts them: every scope, grouping and period', async () => {
    const metrics = t.app.get(MetricsService)
    const all = await requests()
    const periods = PERIODS
    const scopes: [string, (g: Row) => boolean][] = [
      [c.compound.id, (g) => g.compoundId === c.compound.id],
      [c.street.id, () => true],
      [c.community.id, () => true],
      [c.buildings[0].id, (g) => g.buildingId === c.buildings[0].id],
      [c.units[0][1].id, (g) => g.unitId === c.units[0][1].id],
      [d.compound.id, (g) => g.compoundId === d.compound.id],
    ]
    for (const [from, to] of periods) {
      const inPeriod = all.filter((g) => g.createdAt >= new Date(from) && g.createdAt < new Date(to))
      for (const [placeId, inScope] of scopes) {
        const set = inPeriod.filter(inScope)
        const plain = await metrics.metrics(supervisor, { placeId, from, to })
        expect([placeId, from, plain.total]).toEqual([placeId, from, rates(set)])
        for (const by of METRIC_GROUPINGS) {
          const body = await metrics.metrics(supervisor, { placeId, from, to, groupBy: by })
          expect([placeId, from, by, body.total]).toEqual([placeId, from, by, rates(set)])
          const expected = new Map<string | null, Row[]>()
          for (const g of set) expected.set(keyOf[by](g), [...(expected.get(keyOf[by](g)) ?? []), g])
          expect([placeId, from, by, Object.fromEntries(body.groups.map(({ key, label: _l, ...r }) => [String(key), r]))]).toEqual([
            placeId,
            from,
            by,
            Object.fromEntries([...expected.entries()].map(([key, tickets]) => [String(key), rates(tickets)])),
          ])
        }
      }
    }
  })

  it('answer the heat table as requests received per building and category: every scope and period', async () => {
    const metrics = t.app.get(MetricsService)
    const all = await requests()
    const scopes: [string, (g: Row) => boolean][] = [
      [c.street.id, () => true],
      [c.compound.id, (g) => g.compoundId === c.compound.id],
      [c.buildings[0].id, (g) => g.buildingId === c.buildings[0].id],
      [c.units[0][1].id, (g) => g.unitId === c.units[0][1].id],
    ]
    let compared = 0
    for (const [from, to] of PERIODS) {
      const received = all.filter(
        (g) => g.createdAt >= new Date(from) && g.createdAt < new Date(to) && !['merged', 'withdrawn'].includes(g.state),
      )
      for (const [placeId, inScope] of scopes) {
        const expected = new Map<string, number>()
        for (const g of received.filter(inScope)) {
          const key = `${g.buildingId} ${g.category}`
          expected.set(key, (expected.get(key) ?? 0) + 1)
        }
        const heat = await metrics.heat(supervisor, { placeId, from, to })
        const got = new Map(heat.cells.map((cell) => [`${cell.buildingId} ${cell.category}`, cell.count]))
        expect([placeId, from, Object.fromEntries(got)]).toEqual([placeId, from, Object.fromEntries(expected)])
        expect(heat.buildings.every((b) => b.name.length > 0)).toBe(true)
        compared += [...expected.values()].reduce((a, b) => a + b, 0)
      }
    }
    expect(compared).toBeGreaterThan(300)
  })

  it('answer the ranking as countTicket() counts them: every level, months and quarters', async () => {
    const ranking = t.app.get(RankingService)
    const all = await requests()
    const names = new Map(staff.map((s) => [s.id, ROLE_LABELS[s.role]]))
    const cases: [string, 'places' | 'handlers', (g: Row) => boolean, (g: Row) => string | null][] = [
      [c.street.id, 'places', () => true, () => c.community.id],
      [c.community.id, 'places', () => true, (g) => g.compoundId],
      [c.compound.id, 'places', (g) => g.compoundId === c.compound.id, (g) => g.buildingId],
      [c.compound.id, 'handlers', (g) => g.compoundId === c.compound.id, (g) => g.handlerStaffId],
      [c.buildings[0].id, 'handlers', (g) => g.buildingId === c.buildings[0].id, (g) => g.handlerStaffId],
    ]
    let compared = 0
    for (const period of ['2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2025-Q4', '2026-Q1', '2026-Q2']) {
      const { from, to } = rankingPeriod(period)!
      const inPeriod = all.filter((g) => g.createdAt >= from && g.createdAt < to)
      for (const [placeId, of, inScope, keyOf] of cases) {
        const set = inPeriod.filter(inScope)
        const body = await ranking.ranking(supervisor, { placeId, period, by: 'composite', of })
        const got = new Map(body.rows.map(({ key, label, ...r }) => [key, { label, ...ratesOf(r) }]))
        const keys = new Set(set.map(keyOf))
        // Handlers: those with requests in the period; places: every place below, empty ones too.
        if (of === 'handlers') expect([placeId, period, [...got.keys()].sort()]).toEqual([placeId, period, [...keys].sort()])
        for (const key of keys) {
          const mine = set.filter((g) => keyOf(g) === key)
          expect([placeId, period, key, got.get(key) && ratesOf(got.get(key)!)]).toEqual([placeId, period, key, rates(mine)])
          if (of === 'handlers' && key !== null) expect(got.get(key)!.label).toContain(names.get(key))
          compared += mine.length
        }
      }
    }
    expect(compared).toBeGreaterThan(500)
  })

  it('answer the board and the quarterly report as they count requests', async () => {
    const board = t.app.get(BoardService)
    const all = (await requests()).filter((g) => g.compoundId === c.compound.id && g.state !== 'withdrawn')
    const counts = (set: Row[]): BoardCounts => {
      const rated = set.filter((g) => g.stars !== null)
      return {
        received: set.length,
        accepted: set.filter((g) => g.acceptedAt !== null).length,
        committed: set.filter((g) => g.repliedAt !== null && g.promisedAt !== null).length,
        resolved: set.filter((g) => g.resolvedAt !== null).length,
        closed: set.filter((g) => g.state === 'closed').length,
        onTime: set.filter((g) => g.resolvedAt !== null && g.resolveBy !== null && g.resolvedAt <= g.resolveBy).length,
        rated: rated.length,
        averageRating:
          rated.length === 0 ? null : Math.round((rated.reduce((s, g) => s + g.stars!, 0) / rated.length) * 100) / 100,
      }
    }
    const body = await board.board(c.compound.id, { page: 1, pageSize: 20 })
    expect(body.allTime).toEqual(counts(all))
    expect(body.thisMonth).toEqual(counts(all.filter((g) => g.createdAt >= month('2026-03'))))
    expect(body.total).toBe(all.length)
    expect(body.thisMonth.received).toBeGreaterThan(0)
    expect(body.thisMonth.received).toBeLessThan(body.allTime.received)

    const report = await board.report(c.compound.id, '2026-Q1')
    const quarter = all.filter((g) => g.createdAt >= month('2026-01') && g.createdAt < month('2026-04'))
    expect(report.total).toEqual({
      collected: quarter.length,
      committed: quarter.filter((g) => g.repliedAt !== null && g.promisedAt !== null).length,
      resolved: quarter.filter((g) => g.resolvedAt !== null).length,
      onTime: quarter.filter((g) => g.resolvedAt !== null && g.resolveBy !== null && g.resolvedAt <= g.resolveBy).length,
      rated: quarter.filter((g) => g.stars !== null).length,
      satisfied: quarter.filter((g) => (g.stars ?? 0) >= 4).length,
    })
  })

  it('keep every count when one compound’s requests are filed and moved in parallel transactions', async () => {
    const where = { compound: c.compound, building: c.buildings[0], unit: c.units[0][0] }
    // Filings into the same counter rows, each also accepting its request in a second statement.
    const file = (i: number) =>
      t.dataSource.transaction(async (m) => {
        const role = staff[i % 2]
        const [{ id }] = await m.query<{ id: string }[]>(
          `INSERT INTO ticket (unit_id, building_id, compound_id, category, severity, state, channel, description,
                               handler_staff_id, handler_role, accept_by, created_at)
           VALUES ($1, $2, $3, 'facilities', 'simple', 'submitted', 'miniapp', '并发', $4, $5, now(), $6) RETURNING id`,
          [where.unit.id, where.building.id, where.compound.id, role.id, role.role, month('2026-03')],
        )
        await m.query(`UPDATE ticket SET state = 'accepted', accepted_at = now() WHERE id = $1`, [id])
        return id
      })
    // Transfers between the two handlers in opposite directions at once: each locks both keys' rows, in
    // the keys' order whichever way it moves.
    const [{ ids: moving }] = await t.dataSource.query<{ ids: string[] }[]>(
      `SELECT array_agg(id) AS ids FROM ticket WHERE compound_id = $1 AND handler_staff_id IS NOT NULL`,
      [c.compound.id],
    )
    const move = (id: string, i: number) =>
      t.dataSource.transaction(async (m) => {
        const to = staff[i % 2]
        await m.query('UPDATE ticket SET handler_staff_id = $2, handler_role = $3 WHERE id = $1', [id, to.id, to.role])
      })
    const before = await t.dataSource.query<{ n: string }[]>(
      `SELECT sum(filed) AS n FROM compound_tally WHERE compound_id = $1`,
      [c.compound.id],
    )
    const results = await Promise.allSettled([
      ...Array.from({ length: 24 }, (_, i) => file(i)),
      ...moving.slice(0, 24).map((id, i) => move(id, i)),
    ])
    expect(moving.length).toBeGreaterThan(10)
    expect(results.filter((r) => r.status === 'rejected')).toEqual([])
    const after = await t.dataSource.query<{ n: string }[]>(
      `SELECT sum(filed) AS n FROM compound_tally WHERE compound_id = $1`,
      [c.compound.id],
    )
    expect(Number(after[0].n) - Number(before[0].n)).toBe(24)
    for (const table of TALLY_TABLES) {
      const order = table.keys.map((_, i) => i + 1).join(', ')
      const columns = [...table.keys, ...table.terms.map(([column]) => column)]
      expect(
        await t.dataSource.query(`SELECT ${columns.join(', ')} FROM ${table.name} WHERE filed <> 0 ORDER BY ${order}`),
      ).toEqual(await t.dataSource.query(`SELECT * FROM (${tallySelect(table, 'ticket t')}) x ORDER BY ${order}`))
    }
  })
  it('are kept by bulk loads that skip triggers of replication (session_replication_role = replica)', async () => {
    const where = { compound: d.compound, building: d.buildings[0], unit: d.units[0][0] }
    const filed = () =>
      t.dataSource
        .query<{ n: string }[]>('SELECT coalesce(sum(filed), 0) AS n FROM ticket_tally WHERE compound_id = $1', [d.compound.id])
        .then((r) => Number(r[0].n))
    const before = await filed()
    await t.dataSource.transaction(async (m) => {
      await m.query('SET LOCAL session_replication_role = replica')
      const [{ id }] = await m.query<{ id: string }[]>(
        `INSERT INTO ticket (unit_id, building_id, compound_id, category, severity, state, channel, description, created_at)
         SELECT $1, $2, $3, 'leak', 'simple', 'submitted', 'miniapp', '批量', now() FROM generate_series(1, 3)
         RETURNING id`,
        [where.unit.id, where.building.id, where.compound.id],
      )
      await m.query(
        `INSERT INTO ticket_event (ticket_id, at, actor_kind, type, public, data)
         VALUES ($1, now(), 'staff', 'transferred', true, '{"fromRole": "grid_lead"}')`,
        [id],
      )
    })
    expect(await filed()).toBe(before + 3)
    const [{ n }] = await t.dataSource.query<{ n: string }[]>(
      `SELECT sum(handoff_num) AS n FROM ticket_tally WHERE compound_id = $1`,
      [d.compound.id],
    )
    const handedOff = (await requests()).filter((g) => g.compoundId === d.compound.id && g.handedOff && !['merged', 'withdrawn'].includes(g.state))
    expect(Number(n)).toBe(handedOff.length)
  })
})
