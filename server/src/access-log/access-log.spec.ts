import { AccessLogPageSchema, type HouseholdDetail, type ResourceView } from '@mq/shared'
import { startTestModule, type TestApp } from '../../test/app'
import {
  authHeader,
  count,
  makeCompound,
  makeResident,
  makeStaff,
  makeTicket,
  newPhone,
  type CompoundFixture,
} from '../../test/factories'
import { ResourcesModule } from '../resources/resources.module'
import type { Staff } from '../staff/staff.entity'
import { TicketsModule } from '../tickets/tickets.module'
import { VisitsModule } from '../visits/visits.module'
import { AccessLogService } from './access-log.service'
import { AccessLogModule } from './access-log.module'

describe('the personal-data access log', () => {
  let t: TestApp
  let c: CompoundFixture
  let gridLead: Staff
  let ticketId: string
  beforeAll(async () => {
    t = await startTestModule({ imports: [AccessLogModule, TicketsModule, ResourcesModule, VisitsModule], http: true })
    c = await makeCompound(t, [1])
    gridLead = await makeStaff(t, 'grid_lead', c.compound, '王网格')
    ticketId = (await makeTicket(t, { unit: c.units[0][0], resident: await makeResident(t) })).id
  })
  afterAll(() => t.close())

  const record = () =>
    t.app.get(AccessLogService).record({
      staffId: gridLead.id,
      role: 'grid_lead',
      ticketId,
      compoundId: c.compound.id,
      fields: ['name', 'phone'],
      requestId: 'req-append-only',
    })

  it('is append-only: the database itself refuses UPDATE, DELETE and TRUNCATE', async () => {
    await record()
    const before = await t.dataSource.query('SELECT * FROM access_log WHERE ticket_id = $1 ORDER BY id', [
      ticketId,
    ])
    expect(before.length).toBeGreaterThan(0)
    await expect(
      t.dataSource.query(`UPDATE access_log SET fields = '{}' WHERE ticket_id = $1`, [ticketId]),
    ).rejects.toThrow(/access_log is append-only: UPDATE refused/)
    await expect(
      t.dataSource.query('DELETE FROM access_log WHERE ticket_id = $1', [ticketId]),
    ).rejects.toThrow(/access_log is append-only: DELETE refused/)
    await expect(t.dataSource.query('TRUNCATE access_log')).rejects.toThrow(
      /access_log is append-only: TRUNCATE refused/,
    )
    // Also through the ORM, the way application code would try.
    await expect(t.dataSource.getRepository('access_log').delete({ ticketId })).rejects.toThrow(/append-only/)
    const after = await t.dataSource.query('SELECT * FROM access_log WHERE ticket_id = $1 ORDER BY id', [
      ticketId,
    ])
    expect(after).toEqual(before)
  })

  it('admins read it for their place only, newest first, a page at a time', async () => {
    const other = await makeCompound(t, [1])
    const otherAdmin = await makeStaff(t, 'admin', other.community)
    const admin = await makeStaff(t, 'admin', c.community)
    const base = await count(t.dataSource, 'SELECT 1 FROM access_log WHERE compound_id = $1', [c.compound.id])
    for (let i = 0; i < 3; i++) await record()
    const list = async (who: Staff, query = '') =>
      t.app.inject({
        method: 'GET',
        url: `/api/admin/access-log${query}`,
        headers: await authHeader(t, { staff: who }),
      })

    const first = await list(admin, '?limit=2')
    expect(first.statusCode).toBe(200)
    const page = AccessLogPageSchema.parse(first.json())
    expect(page.items).toHaveLength(2)
    expect(page.items[0]).toMatchObject({
      staff: { id: gridLead.id, name: '王网格' },
      role: 'grid_lead',
      subject: { kind: 'ticket', id: ticketId },
      compound: { id: c.compound.id },
      fields: ['name', 'phone'],
      requestId: 'req-append-only',
    })
    expect(BigInt(page.items[0].id) > BigInt(page.items[1].id)).toBe(true)
    const rest = AccessLogPageSchema.parse((await list(admin, `?limit=50&before=${page.nextBefore}`)).json())
    expect(rest.items).toHaveLength(base + 3 - 2)
    expect(rest.nextBefore).toBeNull()

    const filtered = AccessLogPageSchema.parse(
      (await list(admin, `?staffId=${gridLead.id}&ticketId=${ticketId}`)).json(),
    )
    expect(filtered.items.length).toBe(base + 3)
    expect(AccessLogPageSchema.parse((await list(otherAdmin)).json()).items).toEqual([])
    expect((await list(gridLead)).statusCode).toBe(403)
    expect((await list(admin, '?limit=0')).statusCode).toBe(400)
  })

  it('holds the full reads of a resource’s contact and of a household on the visit register too: the admin over the compound reads all three kinds, named without resident data', async () => {
    const own = await makeCompound(t, [1])
    const lead = await makeStaff(t, 'grid_lead', own.compound, '李网格')
    const admin = await makeStaff(t, 'admin', own.community)
    const otherAdmin = await makeStaff(t, 'admin', (await makeCompound(t, [1])).community)
    const call = async (who: Staff, method: 'GET' | 'POST', url: string, payload?: object) =>
      t.app.inject({ method, url, headers: await authHeader(t, { staff: who }), ...(payload && { payload }) })
    const contactPhone = newPhone()
    const residentPhone = newPhone()

    const resource = (
      await call(lead, 'POST', '/api/resources', {
        compoundId: own.compound.id,
        kind: 'volunteer',
        name: '理发志愿队',
        contactName: '赵秀兰',
        contactPhone,
      })
    ).json<ResourceView>()
    expect((await call(lead, 'GET', `/api/resources/${resource.id}`)).statusCode).toBe(200)
    const household = (
      await call(lead, 'POST', '/api/visits/households', {
        unitId: own.units[0][0].id,
        room: '501',
        people: [{ name: '孙玉梅', phone: residentPhone }],
        reasons: ['living_alone'],
        intervalDays: 7,
        assigneeStaffId: lead.id,
      })
    ).json<HouseholdDetail>()
    expect((await call(lead, 'GET', `/api/visits/households?compoundId=${own.compound.id}`)).statusCode).toBe(200)
    const ticket = await makeTicket(t, { unit: own.units[0][0], resident: await makeResident(t) })
    await t.app.get(AccessLogService).record({
      staffId: lead.id,
      role: 'grid_lead',
      ticketId: ticket.id,
      compoundId: own.compound.id,
      fields: ['phone'],
      requestId: null,
    })

    const res = await call(admin, 'GET', '/api/admin/access-log?limit=200')
    expect(res.statusCode).toBe(200)
    const items = AccessLogPageSchema.parse(res.json()).items.filter((i) => i.staff.id === lead.id)
    expect(items.map((i) => i.subject.kind)).toEqual(['ticket', 'household', 'household', 'resource'])
    expect(items[0].subject).toMatchObject({ kind: 'ticket', id: ticket.id, number: expect.stringMatching(/^MQ\d+$/) })
    expect(items[1]).toMatchObject({
      subject: { kind: 'household', id: household.id, buildingName: household.buildingName, unitName: household.unitName },
      fields: ['name', 'phone', 'room'],
      role: 'grid_lead',
      compound: { id: own.compound.id },
    })
    expect(items[3]).toMatchObject({
      subject: { kind: 'resource', id: resource.id, name: '理发志愿队' },
      fields: ['name', 'phone'],
      staff: { id: lead.id, name: '李网格' },
      compound: { id: own.compound.id },
    })
    // Names what was read, never the resident's or the contact's data.
    for (const secret of ['孙玉梅', residentPhone, '赵秀兰', contactPhone]) expect(res.body).not.toContain(secret)

    const only = async (subject: string) =>
      AccessLogPageSchema.parse((await call(admin, 'GET', `/api/admin/access-log?subject=${subject}&staffId=${lead.id}`)).json())
        .items.map((i) => i.subject.kind)
    expect(await only('resource')).toEqual(['resource'])
    expect(await only('household')).toEqual(['household', 'household'])
    expect(await only('ticket')).toEqual(['ticket'])
    expect((await call(admin, 'GET', '/api/admin/access-log?subject=people')).statusCode).toBe(400)
    // Scoped: another community's admin sees none of it.
    const theirs = AccessLogPageSchema.parse((await call(otherAdmin, 'GET', '/api/admin/access-log?limit=200')).json())
    expect(theirs.items.filter((i) => i.staff.id === lead.id)).toEqual([])

    // The database holds exactly one subject per entry.
    await expect(
      t.dataSource.query(
        `INSERT INTO access_log (at, staff_id, role, subject, ticket_id, resource_id, compound_id, fields)
         VALUES (now(), $1, 'grid_lead', 'resource', $2, $3, $4, '{name}')`,
        [lead.id, ticket.id, resource.id, own.compound.id],
      ),
    ).rejects.toThrow(/access_log_subject_id_check/)
  })
})
