import { TicketCandidatesSchema } from '@mq/shared'
import { startTestModule, type TestApp } from '../../test/app'
import { authHeader, makeCompound, makeResident, makeStaff, makeTicket } from '../../test/factories'
import { TicketsModule } from './tickets.module'

describe('GET /api/requests/:id/candidates', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestModule({ imports: [TicketsModule], http: true })
  })
  afterAll(() => t.close())

  it('lists the active staff who may handle the request’s unit, by role, without phone numbers', async () => {
    const c = await makeCompound(t, [1, 1])
    const pm = await makeStaff(t, 'property_manager', c.compound, '物业王')
    const police = await makeStaff(t, 'police', c.compound, '民警赵')
    await makeStaff(t, 'building_lead', c.buildings[0], '一幢楼道长')
    await makeStaff(t, 'building_lead', c.buildings[1], '二幢楼道长')
    await makeStaff(t, 'community_supervisor', c.community, '社区孙')
    const gone = await makeStaff(t, 'liaison', c.compound, '已停用')
    await t.dataSource.query('UPDATE staff SET active = false WHERE id = $1', [gone.id])
    const ticket = await makeTicket(t, { unit: c.units[0][0], resident: await makeResident(t) })

    const res = await t.app.inject({
      method: 'GET',
      url: `/api/requests/${ticket.id}/candidates`,
      headers: await authHeader(t, { staff: pm }),
    })
    expect(res.statusCode).toBe(200)
    const { candidates } = TicketCandidatesSchema.parse(res.json())
    expect(candidates.map((x) => `${x.roleLabel} ${x.name}`).sort()).toEqual(
      ['物业 物业王', '辖区民警 民警赵', '楼道长 一幢楼道长'].sort(),
    )
    expect(candidates.find((x) => x.name === '民警赵')?.staffId).toBe(police.id)
    expect(res.body).not.toMatch(/1[3-9]\d{9}/)
  })

  it('is 404 for staff of another compound', async () => {
    const c = await makeCompound(t, [1])
    const other = await makeCompound(t, [1])
    const stranger = await makeStaff(t, 'property_manager', other.compound)
    const ticket = await makeTicket(t, { unit: c.units[0][0], resident: await makeResident(t) })
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/requests/${ticket.id}/candidates`,
      headers: await authHeader(t, { staff: stranger }),
    })
    expect(res.statusCode).toBe(404)
  })
})
