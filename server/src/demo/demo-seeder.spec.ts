import { startTestModule, testDatabaseUrl, type TestApp } from '../../test/app'
import { count } from '../../test/factories'
import { DEMO_ACCOUNTS, DEMO_PLACES, DEMO_REQUESTS } from './demo-data'
import { DemoSeeder } from './demo-seeder'
import { DemoModule } from './demo.module'

describe('demo data', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestModule({ imports: [DemoModule] })
  })
  afterAll(() => t.close())

  it('seeds 石灰桥新村 once, with every role and a few routed requests; a second run changes nothing', async () => {
    const seeder = t.app.get(DemoSeeder)
    // Two app instances starting at once must still seed once.
    const other = await startTestModule({ imports: [DemoModule], databaseUrl: testDatabaseUrl() })
    const results = await Promise.all([seeder.seed(), other.app.get(DemoSeeder).seed()])
    await other.close()
    expect(results.filter(Boolean)).toHaveLength(1)
    const tables = ['place', 'staff', 'membership', 'ticket', 'ticket_event', 'qr_code', 'reply_template']
    const before = await Promise.all(tables.map((name) => count(t.dataSource, `SELECT 1 FROM ${name}`)))
    expect(await seeder.seed()).toBe(false)
    const after = await Promise.all(tables.map((name) => count(t.dataSource, `SELECT 1 FROM ${name}`)))
    expect(after).toEqual(before)

    const [compound] = await t.dataSource.query(`SELECT id FROM place WHERE kind = 'compound' AND name = $1`, [DEMO_PLACES.compound])
    const units = await t.dataSource.query<{ building: string; n: number }[]>(
      `SELECT b.name AS building, count(u.id)::int AS n FROM place b JOIN place u ON u.parent_id = b.id
        WHERE b.parent_id = $1 GROUP BY b.name`,
      [compound.id],
    )
    expect(units.length).toBeGreaterThanOrEqual(8)
    for (const row of units) expect(row.n).toBeGreaterThanOrEqual(2)
    for (const row of units) expect(row.n).toBeLessThanOrEqual(4)
    const roles = await t.dataSource.query<{ role: string }[]>(
      `SELECT DISTINCT m.role FROM membership m JOIN staff s ON s.id = m.staff_id WHERE s.phone = ANY($1)`,
      [DEMO_ACCOUNTS.map((a) => a.phone)],
    )
    expect(roles.map((r) => r.role).sort()).toEqual(DEMO_ACCOUNTS.map((a) => a.role).sort())
    const tickets = await t.dataSource.query<{ category: string; handler_role: string; accept_by: Date | null }[]>(
      `SELECT category, handler_role, accept_by FROM ticket WHERE compound_id = $1 ORDER BY number`,
      [compound.id],
    )
    expect(tickets.map((x) => x.category)).toEqual(DEMO_REQUESTS.map((r) => r.category))
    expect(tickets.map((x) => x.handler_role)).toEqual(['property_manager', 'property_manager', 'traffic_police', 'grid_lead'])
    for (const ticket of tickets) expect(ticket.accept_by).toBeInstanceOf(Date)

    // Reply templates for every action at the compound, one shared by its community.
    const templates = await t.dataSource.query<{ action: string; n: number }[]>(
      `SELECT action, count(*)::int AS n FROM reply_template WHERE place_id = $1 GROUP BY action ORDER BY action`,
      [compound.id],
    )
    expect(templates.map((r) => r.action)).toEqual(['accept', 'reject', 'reply', 'resolve', 'wait'])
    for (const row of templates) expect(row.n).toBeGreaterThanOrEqual(1)
    expect(await count(t.dataSource, `SELECT 1 FROM reply_template r JOIN place p ON p.id = r.place_id WHERE p.kind = 'community' AND p.name = $1`, [DEMO_PLACES.community])).toBe(1)
  })
})
