import { TicketViewSchema, type ScopedMembership } from '@mq/shared'
import { startTestModule, type TestApp } from '../../test/app'
import {
  authHeader,
  count,
  makeCompound,
  makeResident,
  makeStaff,
  makeTicket,
  type CompoundFixture,
} from '../../test/factories'
import type { Place } from '../places/place.entity'
import type { Resident } from '../residents/resident.entity'
import type { Staff } from '../staff/staff.entity'
import { Ticket } from './ticket.entity'
import { toTicketView, type ViewableTicket } from './ticket.view'
import { TicketsModule } from './tickets.module'

const at = (role: ScopedMembership['role'], place: Place): ScopedMembership => ({
  role,
  placeId: place.id,
  placePath: place.path,
})

describe('toTicketView: the one mapping from a ticket to what a caller sees', () => {
  let t: TestApp
  let c: CompoundFixture
  let other: CompoundFixture
  let resident: Resident
  let ticket: ViewableTicket
  let proxyTicket: ViewableTicket
  let gridLead: Staff
  beforeAll(async () => {
    t = await startTestModule({ imports: [TicketsModule], http: true })
    c = await makeCompound(t, [1, 1])
    other = await makeCompound(t, [1])
    gridLead = await makeStaff(t, 'grid_lead', c.compound)
    resident = await makeResident(t, { name: '张三', phone: '13812341234' })
    const load = async (id: string) =>
      (await t.dataSource.getRepository(Ticket).findOneOrFail({
        where: { id },
        relations: { unit: true, building: true, compound: true, reporter: true, handler: true },
      })) as ViewableTicket
    ticket = await load((await makeTicket(t, { unit: c.units[0][0], resident, room: '302' })).id)
    proxyTicket = await load(
      (
        await makeTicket(t, {
          unit: c.units[1][0],
          proxy: { name: '欧阳娜娜', phone: '13987654321', staff: gridLead },
        })
      ).id,
    )
  })
  afterAll(() => t.close())

  it('网格长, 物业 and 居民自管小组 of the compound see the reporter in full, and the disclosure is reported', () => {
    for (const role of ['grid_lead', 'property_manager', 'self_management_lead'] as const) {
      const { view, disclosed } = toTicketView(ticket, {
        kind: 'staff',
        staffId: 's',
        memberships: [at(role, c.compound)],
      })
      expect(view.reporter).toEqual({
        kind: 'resident',
        masked: false,
        name: '张三',
        phone: '13812341234',
        openid: resident.openid,
        room: '302',
        contactConsent: false,
      })
      expect(disclosed).toEqual({ role, fields: ['name', 'phone', 'openid', 'room'] })
    }
  })

  it('every other role sees it masked and nothing is reported', () => {
    for (const role of ['police', 'building_lead', 'compound_secretary', 'liaison'] as const) {
      const { view, disclosed } = toTicketView(ticket, {
        kind: 'staff',
        staffId: 's',
        memberships: [at(role, c.compound)],
      })
      expect(view.reporter).toEqual({
        kind: 'resident',
        masked: true,
        name: '张*',
        phone: '138****1234',
        openid: `${resident.openid!.slice(0, 4)}****`,
        room: '***',
        contactConsent: false,
      })
      expect(disclosed).toBeNull()
    }
    // A personal-data role above the compound (a community grid lead) is not "of that compound".
    expect(
      toTicketView(ticket, { kind: 'staff', staffId: 's', memberships: [at('grid_lead', c.community)] }).view
        .reporter?.masked,
    ).toBe(true)
    // Nor is one of another compound.
    expect(
      toTicketView(ticket, { kind: 'staff', staffId: 's', memberships: [at('grid_lead', other.compound)] })
        .disclosed,
    ).toBeNull()
  })

  it('proxy entries carry the name and phone told to staff; residents and the public get no reporter at all', () => {
    const full = toTicketView(proxyTicket, {
      kind: 'staff',
      staffId: 's',
      memberships: [at('grid_lead', c.compound)],
    })
    expect(full.view.reporter).toEqual({
      kind: 'proxy',
      masked: false,
      name: '欧阳娜娜',
      phone: '13987654321',
      openid: null,
      room: null,
      contactConsent: true,
    })
    expect(full.disclosed).toEqual({ role: 'grid_lead', fields: ['name', 'phone'] })
    const masked = toTicketView(proxyTicket, {
      kind: 'staff',
      staffId: 's',
      memberships: [at('police', c.compound)],
    })
    expect(masked.view.reporter).toMatchObject({ name: '欧***', phone: '139****4321' })
    for (const viewer of [
      { kind: 'public' } as const,
      { kind: 'resident', residentId: resident.id } as const,
    ]) {
      const { view, disclosed } = toTicketView(ticket, viewer)
      expect(view.reporter).toBeNull()
      expect(disclosed).toBeNull()
      // Ids are random hex: one holding "302" is not the room (the check once failed on such an id).
      const words = JSON.stringify(view).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>')
      expect(words).not.toMatch(/1[3-9]\d{9}|张三|302/)
    }
    expect(TicketViewSchema.parse(full.view).number).toMatch(/^MQ\d{6}$/)
  })
})

describe('GET /api/requests/:id', () => {
  let t: TestApp
  let c: CompoundFixture
  let other: CompoundFixture
  let owner: Resident
  let ticketId: string
  beforeAll(async () => {
    t = await startTestModule({ imports: [TicketsModule], http: true })
    c = await makeCompound(t, [1])
    other = await makeCompound(t, [1])
    owner = await makeResident(t, { name: '张三', phone: '13812341234' })
    ticketId = (await makeTicket(t, { unit: c.units[0][0], resident: owner })).id
  })
  afterAll(() => t.close())

  const get = async (who: { staff: Staff } | { resident: Resident }) =>
    t.app.inject({ method: 'GET', url: `/api/requests/${ticketId}`, headers: await authHeader(t, who) })
  const logRows = () => count(t.dataSource, 'SELECT 1 FROM access_log WHERE ticket_id = $1', [ticketId])

  it('an unmasked read writes an access-log row: who, when, which request, which fields, which request id', async () => {
    const gridLead = await makeStaff(t, 'grid_lead', c.compound)
    const res = await get({ staff: gridLead })
    expect(res.statusCode).toBe(200)
    expect(TicketViewSchema.parse(res.json()).reporter).toMatchObject({ masked: false, phone: '13812341234' })
    const rows = await t.dataSource.query('SELECT * FROM access_log WHERE ticket_id = $1 AND staff_id = $2', [
      ticketId,
      gridLead.id,
    ])
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      role: 'grid_lead',
      compound_id: c.compound.id,
      fields: ['name', 'phone', 'openid'],
      request_id: res.headers['x-request-id'],
    })
    expect(rows[0].at).toBeInstanceOf(Date)
  })

  it('a masked read writes nothing', async () => {
    const before = await logRows()
    const res = await get({ staff: await makeStaff(t, 'police', c.compound) })
    expect(res.statusCode).toBe(200)
    expect(res.json().reporter).toMatchObject({ masked: true, phone: '138****1234' })
    expect(res.body).not.toMatch(/1[3-9]\d{9}/)
    expect(await logRows()).toBe(before)
  })

  it('its reporter sees it without the personal block; another resident, other compounds and bad ids get 404', async () => {
    const mine = await get({ resident: owner })
    expect(mine.statusCode).toBe(200)
    expect(mine.json().reporter).toBeNull()
    const neighbour = await makeResident(t)
    expect((await get({ resident: neighbour })).statusCode).toBe(404)
    const outsider = await get({ staff: await makeStaff(t, 'grid_lead', other.compound) })
    expect(outsider.statusCode).toBe(404)
    expect(outsider.json().code).toBe('TICKET_NOT_FOUND')
    const gridLead = await makeStaff(t, 'grid_lead', c.compound)
    const missing = await t.app.inject({
      method: 'GET',
      url: '/api/requests/00000000-0000-4000-8000-000000000000',
      headers: await authHeader(t, { staff: gridLead }),
    })
    expect(missing.statusCode).toBe(404)
    // Admins set up and audit; they do not read requests.
    expect((await get({ staff: await makeStaff(t, 'admin', c.community) })).statusCode).toBe(403)
    expect((await t.app.inject({ method: 'GET', url: `/api/requests/${ticketId}` })).statusCode).toBe(401)
  })
})
