import { PAGE_SIZE_MAX, TicketPageSchema } from '@mq/shared'
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
import { Clock } from '../common/clock'
import type { Resident } from '../residents/resident.entity'
import type { Staff } from '../staff/staff.entity'
import { TicketsService } from './tickets.service'
import { TicketsModule } from './tickets.module'

const sh = (local: string) => new Date(`${local.replace(' ', 'T')}:00+08:00`)

describe('staff inbox', () => {
  let t: TestApp
  let c: CompoundFixture
  let pm: Staff
  let police: Staff
  let secretary: Staff
  let supervisor: Staff
  let reporter: Resident
  let now: Date
  const ids: Record<string, string> = {}
  beforeAll(async () => {
    t = await startTestModule({ imports: [TicketsModule], http: true })
    jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => new Date(now))
    c = await makeCompound(t, [1])
    pm = await makeStaff(t, 'property_manager', c.compound, '物业王')
    police = await makeStaff(t, 'police', c.compound, '民警赵')
    await makeStaff(t, 'grid_lead', c.compound)
    secretary = await makeStaff(t, 'compound_secretary', c.compound)
    supervisor = await makeStaff(t, 'community_supervisor', c.community)
    reporter = await makeResident(t)
    const unit = c.units[0][0]
    // Yesterday: an acceptance deadline long past.
    now = sh('2026-03-01 09:00')
    ids.overdue = (await makeTicket(t, { unit, resident: reporter })).id
    now = sh('2026-03-02 09:00')
    ids.waiting = (await makeTicket(t, { unit, resident: reporter, state: 'waiting_resident' })).id
    ids.closed = (await makeTicket(t, { unit, resident: reporter, state: 'closed' })).id
    ids.complex = (await makeTicket(t, { unit, resident: reporter, category: 'leak', state: 'accepted' })).id // reply in 72 h
    now = sh('2026-03-02 10:00')
    ids.toAccept = (await makeTicket(t, { unit, resident: reporter })).id // accept by 12:00
    ids.accepted = (await makeTicket(t, { unit, resident: reporter, state: 'accepted' })).id // resolve by 23:59:59
    ids.police = (await makeTicket(t, { unit, resident: reporter, category: 'public_security' })).id
    await t.app.inject({
      method: 'POST',
      url: `/api/requests/${ids.toAccept}/chase`,
      headers: await authHeader(t, { resident: reporter }),
    })
    now = sh('2026-03-02 11:00')
  })
  afterAll(() => t.close())

  const inbox = async (who: Staff, query = '') => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/requests/inbox${query}`,
      headers: await authHeader(t, { staff: who }),
    })
    expect(res.statusCode).toBe(200)
    return TicketPageSchema.parse(res.json())
  }
  const named = (page: { items: { id: string }[] }) =>
    page.items.map((i) => Object.entries(ids).find(([, id]) => id === i.id)?.[0] ?? i.id)

  it('a handler’s open requests, nearest deadline first (waiting ones last), with chase counts', async () => {
    const page = await inbox(pm)
    expect(named(page)).toEqual(['overdue', 'toAccept', 'accepted', 'complex', 'waiting'])
    expect(page.total).toBe(5)
    expect(page.items.every((i) => i.relation === 'handler')).toBe(true)
    expect(page.items.find((i) => i.id === ids.toAccept)?.chaseCount).toBe(1)
    expect(JSON.stringify(page)).not.toMatch(/1[3-9]\d{9}/)
  })

  it.each([
    ['to_accept', ['overdue', 'toAccept']],
    ['due_today', ['toAccept', 'accepted']],
    ['overdue', ['overdue']],
    ['waiting', ['waiting']],
  ])('filter %s', async (filter, expected) => {
    expect(named(await inbox(pm, `?filter=${filter}`))).toEqual(expected)
  })

  it('supervisors see every open request under their places; other handlers only their own', async () => {
    for (const boss of [secretary, supervisor]) {
      const page = await inbox(boss)
      expect(page.total).toBe(6)
      expect(new Set(page.items.map((i) => i.relation))).toEqual(new Set(['supervisor']))
    }
    expect(named(await inbox(police))).toEqual(['police'])
  })

  it('paginates, and caps the page size', async () => {
    const first = await inbox(pm, '?pageSize=2')
    const second = await inbox(pm, '?pageSize=2&page=2')
    expect([...named(first), ...named(second)]).toEqual(['overdue', 'toAccept', 'accepted', 'complex'])
    expect(second.total).toBe(5)
    // Past the end: no rows, and the total counted on its own.
    const past = await inbox(pm, '?pageSize=2&page=9')
    expect([past.items.length, past.total]).toEqual([0, 5])
    expect((await inbox(secretary, '?filter=waiting&page=3')).total).toBe(1)
    const tooBig = await t.app.inject({
      method: 'GET',
      url: `/api/requests/inbox?pageSize=${PAGE_SIZE_MAX + 1}`,
      headers: await authHeader(t, { staff: pm }),
    })
    expect(tooBig.statusCode).toBe(400)
  })
})

/**
 * The inbox and "my requests" must stay index scans at a million requests. Here: a few thousand rows of
 * other people's requests around ours, then EXPLAIN of the very queries the service ran.
 */
describe('query plans', () => {
  let t: TestApp
  let c: CompoundFixture
  let pm: Staff
  let secretary: Staff
  let reporter: Resident
  /** A resident of the crowd with 400 requests. */
  let busy: string
  /** The crowd's two compounds. */
  let crowds: string[]
  beforeAll(async () => {
    t = await startTestModule({ imports: [TicketsModule], http: true })
    c = await makeCompound(t, [1])
    pm = await makeStaff(t, 'property_manager', c.compound)
    reporter = await makeResident(t)
    for (let i = 0; i < 3; i++) await makeTicket(t, { unit: c.units[0][0], resident: reporter })
    const crowd = await makeCompound(t, [1])
    // Nine in ten of the crowd's requests in other compounds, as in a district: a compound is a small part.
    const elsewhere = await makeCompound(t, [1])
    const others: string[] = []
    for (let i = 0; i < 20; i++) others.push((await makeStaff(t, 'property_manager', crowd.compound)).id)
    const residents: string[] = []
    for (let i = 0; i < 50; i++) residents.push((await makeResident(t)).id)
    busy = residents[0]
    crowds = [crowd.compound.id, elsewhere.compound.id]
    await t.dataSource.query(
      `INSERT INTO ticket (unit_id, building_id, compound_id, category, severity, state, channel, description,
                           reporter_resident_id, handler_staff_id, handler_role, accept_by, next_due_at, created_at)
       SELECT $1, $2, CASE WHEN i % 10 = 0 THEN $3 ELSE $6 END::uuid, 'facilities', 'simple',
              (ARRAY['submitted','accepted','resolved','closed','closed','closed'])[1 + i % 6], 'miniapp', 'x',
              ($4::uuid[])[1 + i % 50], ($5::uuid[])[1 + i % 20], 'property_manager',
              now() + i * interval '1 minute', now() + i * interval '1 minute', now() - i * interval '1 minute'
         FROM generate_series(1, 20000) i`,
      [
        crowd.units[0][0].id,
        crowd.buildings[0].id,
        crowd.compound.id,
        residents,
        others,
        elsewhere.compound.id,
      ],
    )
    await t.dataSource.query(
      `INSERT INTO ticket_co_handler (ticket_id, staff_id, role)
       SELECT id, ($1::uuid[])[1 + number % 20], 'city_management' FROM ticket
        WHERE compound_id IN ($2, $3) AND number % 5 = 0`,
      [others, crowd.compound.id, elsewhere.compound.id],
    )
    // The crowd's compound secretary: a supervisor's inbox over 2,000 requests (~667 open).
    secretary = await makeStaff(t, 'compound_secretary', crowd.compound)
    // As after autovacuum: the visibility map lets the lists' scans skip the table.
    await t.dataSource.query('VACUUM (ANALYZE) ticket')
    await t.dataSource.query('ANALYZE ticket_co_handler')
    await t.dataSource.query('ANALYZE ticket_follower')
  }, 60_000)
  afterAll(() => t.close())

  /** Queries of the view loader seen by `plans`. */
  const loader: string[] = []

  /** The plans of the ticket queries `run` sends; the view loader's are set aside in `loader`. */
  const plans = (run: () => Promise<unknown>) =>
    queryPlans(t.dataSource, run, (sql) => {
      if (!/\bFROM ticket\b/.test(sql)) return false
      // The view loader (ticket-loader.ts) reads the listed ids by primary key: checked on its own below.
      // (A page read with its rows in one statement, loadListedPage, is checked as the list's own.)
      if (sql.includes('"t__id"') && !sql.includes('WITH page AS')) {
        loader.push(sql)
        return false
      }
      return true
    })

  it('inbox: index scans on the partial inbox indexes, no sequential scan of ticket', async () => {
    const principal = await staffPrincipal(t, pm)
    for (const filter of ['all', 'to_accept', 'overdue', 'due_today'] as const) {
      const found = await plans(() =>
        t.app.get(TicketsService).inbox(principal, { filter, page: 1, pageSize: 20 }),
      )
      expect(found.length).toBeGreaterThan(0)
      for (const plan of found) {
        expect(plan).not.toMatch(/Seq Scan on ticket(_co_handler)?\b/)
        // The handler's open requests by one of their indexes (a filter on the state may be pushed into the
        // scope, where PostgreSQL 15 takes (handler, state) instead; `due_today` run just before local
        // midnight is a window of minutes, which PostgreSQL 15 reads from the open requests' deadline index).
        expect(plan).toMatch(/ticket_inbox_handler_idx|ticket_handler_open_idx|ticket_open_due_idx/)
      }
    }
  })

  it('a co-handler’s inbox: their open co-handled requests from ticket_co_handler_open_idx, not their history', async () => {
    // A co-handler with a long history, as at 1M requests: 2,000 closed co-handled requests and 5 open.
    const historian = await makeStaff(t, 'police', c.compound)
    await t.dataSource.query(
      `INSERT INTO ticket_co_handler (ticket_id, staff_id, role)
       (SELECT id, $1::uuid, 'police' FROM ticket WHERE compound_id = ANY($2::uuid[]) AND state = 'closed' LIMIT 2000)
       UNION ALL
       (SELECT id, $1::uuid, 'police' FROM ticket WHERE compound_id = ANY($2::uuid[]) AND state = 'submitted' LIMIT 5)`,
      [historian.id, crowds],
    )
    await t.dataSource.query('ANALYZE ticket_co_handler')
    const principal = await staffPrincipal(t, historian)
    let page: Awaited<ReturnType<TicketsService['inbox']>> | undefined
    const found = await plans(async () => {
      page = await t.app.get(TicketsService).inbox(principal, { filter: 'all', page: 1, pageSize: 20 })
    })
    expect(page?.total).toBe(5)
    expect(page?.items.map((i) => i.relation)).toEqual(Array(5).fill('co_handler'))
    expect(found.length).toBeGreaterThan(0)
    for (const plan of found) {
      expect(plan).toMatch(/Scan (using|on) ticket_co_handler_open_idx/)
      // Each open one looked up by key; nothing hashed from the open requests or from the history.
      expect(plan).toMatch(/Nested Loop/)
      expect(plan).not.toMatch(/Seq Scan on ticket(_co_handler)?\b|Hash Join|hashed SubPlan/i)
    }
  })

  it('ticket is vacuumed after 1% new or 2% changed rows: the visibility map these index-only scans need', async () => {
    const [{ reloptions }] = await t.dataSource.query<{ reloptions: string[] | null }[]>(
      `SELECT reloptions FROM pg_class WHERE oid = 'ticket'::regclass`,
    )
    expect([...(reloptions ?? [])].sort()).toEqual([
      'autovacuum_vacuum_insert_scale_factor=0.01',
      'autovacuum_vacuum_scale_factor=0.02',
    ])
  })

  it('a supervisor’s inbox: the scope, its order and its count from ticket_inbox_compound_idx alone', async () => {
    const principal = await staffPrincipal(t, secretary)
    for (const filter of ['all', 'to_accept', 'overdue'] as const) {
      const found = await plans(() =>
        t.app.get(TicketsService).inbox(principal, { filter, page: 1, pageSize: 20 }),
      )
      expect(found.length).toBeGreaterThan(0)
      for (const plan of found) {
        // Not a row of the compound's requests read from the table (a bitmap heap scan or an index scan).
        expect(plan).toMatch(/Index Only Scan using ticket_inbox_compound_idx/)
        expect(plan).not.toMatch(
          /Seq Scan on ticket\b|Bitmap Heap Scan on ticket\b|Index Scan using ticket_inbox/,
        )
      }
    }
  })

  it('my requests and duplicates: index scans', async () => {
    const mine = await plans(() =>
      t.app.get(TicketsService).mine(residentPrincipal(reporter), { page: 1, pageSize: 20 }),
    )
    expect(mine.length).toBeGreaterThan(0)
    for (const plan of mine) {
      expect(plan).not.toMatch(/Seq Scan on ticket\b/)
      // The page and the count from the resident's index alone: no sort of their whole history.
      expect(plan).toMatch(/Index Only Scan (Backward )?using ticket_reporter_created_idx/)
      // The page's rows joined in the same statement, each by primary key.
      expect(plan).toMatch(/Index Scan using "?PK_d9a0835407701eb86f874474b7c"? on ticket t\b/)
    }
    // A resident of the crowd (~400 requests): the page is read newest-first and stops at 20.
    const busyPlans = await plans(() =>
      t.app.get(TicketsService).mine(residentPrincipal(busy), { page: 1, pageSize: 20 }),
    )
    // The page: newest first straight off the index (a backward scan under the LIMIT), not a sort.
    expect(busyPlans[0]).toMatch(/Limit[\s\S]*Index Only Scan Backward using ticket_reporter_created_idx/)
    expect(busyPlans[0]).not.toMatch(
      /Sort Key: t\.created_at DESC, t\.number DESC\n[\s\S]*Index Only Scan Backward/,
    )
    const duplicates = await plans(() =>
      t.app
        .get(TicketsService)
        .duplicates(residentPrincipal(reporter), { unitId: c.units[0][0].id, category: 'facilities' }),
    )
    expect(duplicates.some((plan) => /ticket_duplicates_idx/.test(plan))).toBe(true)
  })

  it('my requests page by page equal the whole list sorted once (reported and followed merged)', async () => {
    // They follow 30 requests of others spread over the years (and one of their own, which is listed once, as theirs).
    await t.dataSource.query(
      `INSERT INTO ticket_follower (ticket_id, resident_id)
       (SELECT id, $1::uuid FROM ticket
         WHERE compound_id = ANY($2::uuid[]) AND reporter_resident_id <> $1 AND number % 97 = 0 LIMIT 30)
       UNION ALL (SELECT id, $1::uuid FROM ticket WHERE reporter_resident_id = $1 LIMIT 1)`,
      [busy, crowds],
    )
    const expected = await t.dataSource.query<{ id: string; relation: string }[]>(
      `SELECT id, CASE WHEN reporter_resident_id = $1 THEN 'reporter' ELSE 'follower' END AS relation
         FROM ticket t
        WHERE reporter_resident_id = $1 OR id IN (SELECT ticket_id FROM ticket_follower WHERE resident_id = $1)
        ORDER BY created_at DESC, number DESC`,
      [busy],
    )
    expect(expected.length).toBe(430)
    const got: { id: string; relation: string }[] = []
    for (let page = 1; page <= 22; page++) {
      const result = await t.app.get(TicketsService).mine(residentPrincipal(busy), { page, pageSize: 20 })
      expect(result.total).toBe(430)
      got.push(...result.items.map((i) => ({ id: i.id, relation: i.relation })))
    }
    expect(got).toEqual(expected)
  })

  it('the list view loader reads the page by primary key, never scanning ticket', async () => {
    const page = await t.app
      .get(TicketsService)
      .inbox(await staffPrincipal(t, pm), { filter: 'all', page: 1, pageSize: 20 })
    expect(page.items.length).toBeGreaterThan(0)
    expect(loader.length).toBeGreaterThan(0)
    const rows = await t.dataSource.query<{ 'QUERY PLAN': string }[]>(
      `EXPLAIN ${loader[loader.length - 1]}`,
      [page.items.map((i) => i.id)],
    )
    const text = rows.map((r) => r['QUERY PLAN']).join('\n')
    expect(text).not.toMatch(/Seq Scan on ticket\b/)
    expect(text).toMatch(/PK_d9a0835407701eb86f874474b7c/)
  })
})

describe('co-handlers’ open requests (ticket_co_handler.ticket_open, kept by triggers)', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestModule({ imports: [TicketsModule], http: true })
  })
  afterAll(() => t.close())

  it('starts as its request is, follows it as it closes and reopens; the inbox lists the open ones', async () => {
    const c = await makeCompound(t, [1])
    await makeStaff(t, 'property_manager', c.compound)
    const police = await makeStaff(t, 'police', c.compound)
    const resident = await makeResident(t)
    const first = await makeTicket(t, { unit: c.units[0][0], resident })
    const second = await makeTicket(t, { unit: c.units[0][0], resident })
    const setState = (id: string, state: string) =>
      t.dataSource.query(`UPDATE ticket SET state = $2 WHERE id = $1`, [id, state])
    await setState(second.id, 'closed')
    await t.dataSource.query(
      `INSERT INTO ticket_co_handler (ticket_id, staff_id, role) VALUES ($1, $3, 'police'), ($2, $3, 'police')`,
      [first.id, second.id, police.id],
    )
    const flags = async () =>
      Object.fromEntries(
        (
          await t.dataSource.query<{ ticket_id: string; ticket_open: boolean }[]>(
            'SELECT ticket_id, ticket_open FROM ticket_co_handler WHERE staff_id = $1',
            [police.id],
          )
        ).map((r) => [r.ticket_id, r.ticket_open]),
      )
    const listed = async () =>
      (
        await t.app
          .get(TicketsService)
          .inbox(await staffPrincipal(t, police), { filter: 'all', page: 1, pageSize: 20 })
      ).items.map((i) => i.id)

    expect(await flags()).toEqual({ [first.id]: true, [second.id]: false })
    expect(await listed()).toEqual([first.id])
    await setState(first.id, 'resolved')
    await setState(second.id, 'accepted') // reopened
    expect(await flags()).toEqual({ [first.id]: false, [second.id]: true })
    expect(await listed()).toEqual([second.id])
    await setState(second.id, 'replied') // still open: unchanged
    await setState(first.id, 'closed') // still closed: unchanged
    expect(await flags()).toEqual({ [first.id]: false, [second.id]: true })
    expect(await listed()).toEqual([second.id])
  })
})
