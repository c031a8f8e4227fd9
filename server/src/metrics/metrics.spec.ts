import type { Metrics } from '@mq/shared'
import { startTestApp, type TestApp } from '../../test/app'
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
import { TicketWorkflowService } from '../tickets/ticket-workflow.service'

/**
 * A hand-built data set (SPEC §6, issue 9 "Must show"). Every deadline is set by hand relative to now,
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
 * (#6 is the request #5 was merged into.) Outside the data set: one filed 400 days ago, one in another
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
    t = await startTestApp()
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
  const rates = (received: number, r: [number, number], s: [number, number], sat: [number, number], o: [number, number]) => ({
    received,
    response: ratio(...r),
    resolution: ratio(...s),
    satisfaction: ratio(...sat),
    onTime: ratio(...o),
  })
  // By handler, and so by role, person and category (pm ↔ facilities, grid ↔ elderly_care).
  const pmRates = rates(4, [2, 3], [1, 4], [2, 2], [2, 3])
  const gridRates = rates(3, [2, 2], [1, 3], [0, 1], [0, 1])

  it('totals the compound as counted by hand', async () => {
    const res = await get(pm, `compoundId=${c.compound.id}&${range()}`)
    expect(res.statusCode).toBe(200)
    const body = res.json<Metrics>()
    expect(body.groupBy).toBeNull()
    expect(body.groups).toEqual([])
    expect(body.total).toEqual(rates(7, [4, 5], [2, 7], [2, 3], [2, 4]))
  })

  it('groups by role, person, category and building', async () => {
    const groups = async (by: string) => {
      const body = (await get(grid, `compoundId=${c.compound.id}&${range()}&groupBy=${by}`)).json<Metrics>()
      expect(body.total).toEqual(rates(7, [4, 5], [2, 7], [2, 3], [2, 4]))
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
      [c.buildings[0].id]: { label: '1幢', ...rates(4, [2, 3], [2, 4], [1, 2], [1, 3]) },
      [c.buildings[1].id]: { label: '2幢', ...rates(3, [2, 2], [0, 3], [1, 1], [1, 1]) },
    })
  })

  it('takes a placeId under the compound, and only requests filed in the period', async () => {
    const body = (await get(pm, `placeId=${c.buildings[1].id}&${range()}`)).json<Metrics>()
    expect(body.total).toEqual(rates(3, [2, 2], [0, 3], [1, 1], [1, 1]))
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
