import {
  HANDLER_ROLES,
  RoutingDryRunSchema,
  RoutingRuleListSchema,
  TicketViewSchema,
  type CategoryCode,
  type HandlerRole,
  type Severity,
} from '@mq/shared'
import { startTestModule, type TestApp } from '../../test/app'
import { authHeader, makeCompound, makeResident, makeStaff, type CompoundFixture } from '../../test/factories'
import type { Resident } from '../residents/resident.entity'
import type { Staff } from '../staff/staff.entity'
import { RoutingModule } from './routing.module'
import { TicketsModule } from '../tickets/tickets.module'

/** The default 责任清单, written out here (not read from shared/) so the shared table is checked against it. */
const DEFAULT_LIST: [CategoryCode, HandlerRole, HandlerRole[], Severity][] = [
  ['sanitation', 'property_manager', [], 'simple'],
  ['facilities', 'property_manager', [], 'simple'],
  ['leak', 'property_manager', [], 'complex'],
  ['parking', 'traffic_police', ['property_manager'], 'complex'],
  ['public_security', 'police', [], 'complex'],
  ['group_rental', 'police', [], 'complex'],
  ['fire_safety', 'property_manager', ['city_management'], 'simple'],
  ['illegal_construction', 'city_management', [], 'complex'],
  ['shops', 'market_supervision', ['city_management'], 'complex'],
  ['neighbor_dispute', 'grid_lead', [], 'complex'],
  ['elderly_care', 'grid_lead', [], 'simple'],
  ['suggestion', 'self_management_lead', [], 'complex'],
  ['other', 'grid_lead', [], 'simple'],
]

describe('routing rules (责任清单): defaults, compound overrides and the dry run', () => {
  let t: TestApp
  let c: CompoundFixture
  let admin: Staff
  let resident: Resident
  const byRole = new Map<HandlerRole, Staff>()
  beforeAll(async () => {
    t = await startTestModule({ imports: [RoutingModule, TicketsModule], http: true })
    c = await makeCompound(t, [1, 1])
    for (const role of HANDLER_ROLES) {
      byRole.set(
        role,
        await makeStaff(t, role, role === 'building_lead' ? c.buildings[0] : c.compound, `${role}-person`),
      )
    }
    await makeStaff(t, 'compound_secretary', c.compound)
    admin = await makeStaff(t, 'admin', c.community)
    resident = await makeResident(t)
  })
  afterAll(() => t.close())

  let seq = 0
  const file = async (category: CategoryCode, unitToken = c.tokens[0][0]) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/requests',
      payload: { unitToken, category, description: '路由测试' },
      headers: {
        ...(await authHeader(t, { resident })),
        'idempotency-key': `routing-${Date.now()}-${seq++}`,
      },
    })
    expect(res.statusCode).toBe(201)
    return TicketViewSchema.parse(res.json())
  }
  const dryRun = async (category: CategoryCode, unitId = c.units[0][0].id, as: Staff = admin) =>
    t.app.inject({
      method: 'GET',
      url: `/api/admin/compounds/${c.compound.id}/routing/dry-run?unitId=${unitId}&category=${category}`,
      headers: await authHeader(t, { staff: as }),
    })
  const handlerIdOf = async (ticketId: string) =>
    (await t.dataSource.query('SELECT handler_staff_id FROM ticket WHERE id = $1', [ticketId]))[0]
      .handler_staff_id

  it.each(DEFAULT_LIST)(
    '%s → %s (with %j), %s; the dry run agrees',
    async (category, lead, coRoles, severity) => {
      // Dry run first: it must name who the real filing then gets.
      const preview = RoutingDryRunSchema.parse((await dryRun(category)).json())
      const ticket = await file(category)
      expect(ticket).toMatchObject({ category, severity, handlerRole: lead, handlerName: `${lead}-person` })
      expect(ticket.coHandlers.map((h) => h.role)).toEqual(coRoles)
      expect(preview.rule).toMatchObject({ category, leadRole: lead, coRoles, severity, source: 'default' })
      expect(preview.handler?.staffId).toBe(byRole.get(lead)!.id)
      expect(preview.handler?.staffId).toBe(await handlerIdOf(ticket.id))
      const coHandlerIds = await t.dataSource.query<{ staff_id: string; ticket_open: boolean }[]>(
        'SELECT staff_id, ticket_open FROM ticket_co_handler WHERE ticket_id = $1 ORDER BY created_at',
        [ticket.id],
      )
      expect(preview.coHandlers.map((h) => h.staffId)).toEqual(coHandlerIds.map((r) => r.staff_id))
      // Filed with its co-handlers in one statement: each row knows the new request is open (their inbox).
      expect(coHandlerIds.every((r) => r.ticket_open)).toBe(true)
      expect(preview.coHandlers.map((h) => h.staffId)).toEqual(coRoles.map((r) => byRole.get(r)!.id))
      expect(preview.reason).toMatch(/责任清单/)
      expect(preview.deadlines.acceptBy).not.toBeNull()
    },
  )

  it('a compound override changes lead, co-roles and severity; the dry run agrees; deleting it restores the default', async () => {
    const url = `/api/admin/compounds/${c.compound.id}/routing/rules/sanitation`
    const put = await t.app.inject({
      method: 'PUT',
      url,
      payload: { leadRole: 'building_lead', coRoles: ['self_management_lead'], severity: 'complex' },
      headers: await authHeader(t, { staff: admin }),
    })
    expect(put.statusCode).toBe(200)
    const rules = RoutingRuleListSchema.parse(put.json())
    expect(rules.items.find((r) => r.category === 'sanitation')).toMatchObject({
      leadRole: 'building_lead',
      source: 'compound',
    })
    expect(rules.items.filter((r) => r.source === 'compound')).toHaveLength(1)

    const preview = RoutingDryRunSchema.parse((await dryRun('sanitation')).json())
    const ticket = await file('sanitation')
    expect(ticket).toMatchObject({
      severity: 'complex',
      handlerRole: 'building_lead',
      handlerName: 'building_lead-person',
    })
    expect(ticket.replyBy).not.toBeNull()
    expect(ticket.coHandlers.map((h) => h.role)).toEqual(['self_management_lead'])
    expect(preview.handler?.staffId).toBe(await handlerIdOf(ticket.id))
    expect(preview.reason).toMatch(/本小区责任清单/)
    expect(ticket.timeline.find((e) => e.type === 'routed')?.data.reason).toBe(preview.reason)

    // The building lead sits at building 1: in building 2 nobody holds the role, so 网格长 handles it.
    const elsewhere = RoutingDryRunSchema.parse((await dryRun('sanitation', c.units[1][0].id)).json())
    const there = await file('sanitation', c.tokens[1][0])
    expect(elsewhere.handler).toMatchObject({ role: 'grid_lead' })
    expect(elsewhere.handler?.staffId).toBe(await handlerIdOf(there.id))
    expect(elsewhere.reason).toMatch(/无人担任楼道长/)

    const reset = await t.app.inject({
      method: 'DELETE',
      url,
      headers: await authHeader(t, { staff: admin }),
    })
    expect(reset.json().items.find((r: { category: string }) => r.category === 'sanitation')).toMatchObject({
      leadRole: 'property_manager',
      source: 'default',
    })
    expect((await file('sanitation')).handlerRole).toBe('property_manager')
  })

  it('only admins over the compound; bad rules are 400', async () => {
    const rulesUrl = `/api/admin/compounds/${c.compound.id}/routing/rules`
    const otherAdmin = await makeStaff(t, 'admin', (await makeCompound(t, [1])).community)
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: rulesUrl,
          headers: await authHeader(t, { staff: otherAdmin }),
        })
      ).statusCode,
    ).toBe(404)
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: rulesUrl,
          headers: await authHeader(t, { staff: byRole.get('grid_lead')! }),
        })
      ).statusCode,
    ).toBe(403)
    const list = await t.app.inject({
      method: 'GET',
      url: rulesUrl,
      headers: await authHeader(t, { staff: admin }),
    })
    expect(RoutingRuleListSchema.parse(list.json()).items).toHaveLength(DEFAULT_LIST.length)
    const bad = await t.app.inject({
      method: 'PUT',
      url: `${rulesUrl}/leak`,
      payload: { leadRole: 'police', coRoles: ['police'], severity: 'simple' },
      headers: await authHeader(t, { staff: admin }),
    })
    expect(bad.statusCode).toBe(400)
    const foreignUnit = (await makeCompound(t, [1])).units[0][0]
    expect((await dryRun('leak', foreignUnit.id)).statusCode).toBe(404)
  })
})
