import { CATEGORIES } from '@mq/shared'
import { startTestModule, type TestApp } from '../../test/app'
import { makeCompound, makeStaff } from '../../test/factories'
import { PlacesService } from '../places/places.service'
import { TicketsService } from '../tickets/tickets.service'
import { RoutingService } from './routing.service'
import { RoutingModule } from './routing.module'
import { TicketsModule } from '../tickets/tickets.module'

describe('routing a request to its handler', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestModule({ imports: [RoutingModule, TicketsModule] })
  })
  afterAll(() => t.close())

  const route = async (unitId: string, category: (typeof CATEGORIES)[number]['code']) => {
    const where = await t.app.get(PlacesService).unitContext(unitId)
    return t.app.get(RoutingService).route(t.dataSource.manager, where, category)
  }

  it('picks the lead role at the most specific place', async () => {
    const c = await makeCompound(t, [1, 1])
    await makeStaff(t, 'property_manager', c.compound, '小区物业')
    const buildingPm = await makeStaff(t, 'property_manager', c.buildings[0], '一幢物业')
    const decision = await route(c.units[0][0].id, 'facilities')
    expect(decision.handler).toMatchObject({ staffId: buildingPm.id, role: 'property_manager' })
    const other = await route(c.units[1][0].id, 'facilities')
    expect(other.handler?.staffId).not.toBe(buildingPm.id)
  })

  it('picks the least-loaded among several', async () => {
    const c = await makeCompound(t, [1])
    const a = await makeStaff(t, 'police', c.compound, '民警甲')
    const b = await makeStaff(t, 'police', c.compound, '民警乙')
    await makeStaff(t, 'grid_lead', c.compound)
    const tickets = t.app.get(TicketsService)
    const first = await tickets.file({
      unitId: c.units[0][0].id,
      category: 'public_security',
      description: 'x',
      channel: 'h5',
    })
    const second = await tickets.file({
      unitId: c.units[0][0].id,
      category: 'group_rental',
      description: 'y',
      channel: 'h5',
    })
    expect(new Set([first.handlerStaffId, second.handlerStaffId])).toEqual(new Set([a.id, b.id]))
  })

  it('counts open work only where it decides: several holders of a role at one place', async () => {
    const c = await makeCompound(t, [1])
    await makeStaff(t, 'police', c.compound, '民警甲')
    await makeStaff(t, 'grid_lead', c.compound)
    const where = await t.app.get(PlacesService).unitContext(c.units[0][0].id)
    // The routing statement run again under EXPLAIN ANALYZE: how often its count of open work ran.
    const countsRun = async () => {
      const manager = t.dataSource.createEntityManager()
      const spy = jest.spyOn(manager, 'query')
      const decision = await t.app.get(RoutingService).route(manager, where, 'public_security')
      const [sql, params] = spy.mock.calls[0] as [{ text: string } | string, unknown[]]
      const [{ 'QUERY PLAN': plan }] = await t.dataSource.query<{ 'QUERY PLAN': unknown }[]>(
        `EXPLAIN (ANALYZE, FORMAT JSON) ${typeof sql === 'string' ? sql : sql.text}`,
        params,
      )
      const loops: number[] = []
      const walk = (node: { 'Subplan Name'?: string; 'Actual Loops': number; Plans?: unknown[] }) => {
        if (node['Subplan Name']?.startsWith('SubPlan')) loops.push(node['Actual Loops'])
        for (const child of node.Plans ?? []) walk(child as typeof node)
      }
      walk((plan as { Plan: Parameters<typeof walk>[0] }[])[0].Plan)
      return { handler: decision.handler?.role, loops }
    }
    expect(await countsRun()).toEqual({ handler: 'police', loops: [0] })
    await makeStaff(t, 'police', c.compound, '民警乙')
    expect(await countsRun()).toEqual({ handler: 'police', loops: [2] })
  })

  it('falls back to 网格长, then to the compound secretary', async () => {
    const c = await makeCompound(t, [1])
    const secretary = await makeStaff(t, 'compound_secretary', c.compound)
    expect((await route(c.units[0][0].id, 'shops')).handler).toMatchObject({
      staffId: secretary.id,
      role: 'compound_secretary',
    })
    const grid = await makeStaff(t, 'grid_lead', c.compound)
    const decision = await route(c.units[0][0].id, 'shops')
    expect(decision.handler).toMatchObject({ staffId: grid.id, role: 'grid_lead' })
    expect(decision.reason).toMatch(/无人担任市场监管/)
  })

  it('ignores deactivated staff', async () => {
    const c = await makeCompound(t, [1])
    const gone = await makeStaff(t, 'grid_lead', c.compound)
    await t.dataSource.query('UPDATE staff SET active = false WHERE id = $1', [gone.id])
    expect((await route(c.units[0][0].id, 'other')).handler).toBeNull()
  })

  it('files with deadlines from the shared rules and a public timeline', async () => {
    const c = await makeCompound(t, [1])
    await makeStaff(t, 'property_manager', c.compound)
    const ticket = await t.app
      .get(TicketsService)
      .file({ unitId: c.units[0][0].id, category: 'leak', description: '漏水', channel: 'miniapp' })
    expect(ticket).toMatchObject({ state: 'submitted', severity: 'complex', handlerRole: 'property_manager' })
    expect(ticket.replyBy!.getTime() - ticket.createdAt.getTime()).toBe(72 * 3_600_000)
    expect(ticket.acceptBy).toBeInstanceOf(Date)
    const events = await t.dataSource.query(
      'SELECT type, public FROM ticket_event WHERE ticket_id = $1 ORDER BY id',
      [ticket.id],
    )
    expect(events).toEqual([
      { type: 'filed', public: true },
      { type: 'routed', public: true },
    ])
  })
})
