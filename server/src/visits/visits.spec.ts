import { AccessLogPageSchema, type HouseholdDetail, type HouseholdList, type VisitDueCount, type VisitFigures, type VisitSchedule, type VisitView } from '@mq/shared'
import { startTestModule, type TestApp } from '../../test/app'
import { authHeader, makeCompound, makeStaff, newPhone, type CompoundFixture } from '../../test/factories'
import { Clock } from '../common/clock'
import type { Staff } from '../staff/staff.entity'
import { VisitsModule } from './visits.module'

const DAY = 86_400_000
/** 09:00 in Shanghai: the day arithmetic below stays inside one local day whatever hour the test runs. */
const START = Date.parse('2026-11-02T01:00:00Z')

describe('visits (走访与电话问候): register, schedule, visit log, a request filed from a visit', () => {
  let t: TestApp
  let c: CompoundFixture
  let other: CompoundFixture
  let gridLead: Staff
  let property: Staff
  let selfManagement: Staff
  let police: Staff
  let buildingLeadB2: Staff
  let secretary: Staff
  let community: Staff
  let admin: Staff
  let otherGridLead: Staff
  let now = START
  const phone = newPhone('138')

  beforeAll(async () => {
    t = await startTestModule({ imports: [VisitsModule], http: true })
    jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => new Date(now))
    c = await makeCompound(t, [2, 1])
    other = await makeCompound(t, [1])
    gridLead = await makeStaff(t, 'grid_lead', c.compound, '网格长老周')
    property = await makeStaff(t, 'property_manager', c.compound)
    selfManagement = await makeStaff(t, 'self_management_lead', c.compound)
    police = await makeStaff(t, 'police', c.compound)
    buildingLeadB2 = await makeStaff(t, 'building_lead', c.buildings[1])
    secretary = await makeStaff(t, 'compound_secretary', c.compound)
    community = await makeStaff(t, 'community_supervisor', c.community)
    admin = await makeStaff(t, 'admin', c.community)
    otherGridLead = await makeStaff(t, 'grid_lead', other.compound)
  })
  afterAll(() => t.close())

  const as = async (staff: Staff) => ({ authorization: (await authHeader(t, { staff })).authorization })
  const call = async (staff: Staff, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: await as(staff), ...(payload && { payload }) })
  const logCount = async (householdId: string) =>
    Number((await t.dataSource.query(`SELECT count(*) FROM access_log WHERE subject = 'household' AND household_id = $1`, [householdId]))[0].count)

  let household: HouseholdDetail
  let visit: VisitView

  it('puts a household on the register; only a 网格长/物业/自管小组 of the compound may be its grid worker', async () => {
    const body = {
      unitId: c.units[0][0].id,
      room: '302',
      people: [{ name: '王桂英', phone }],
      reasons: ['living_alone', 'no_smartphone'],
      intervalDays: 7,
      assigneeStaffId: police.id,
      notes: '耳背，敲门要用力',
    }
    const refused = await call(gridLead, 'POST', '/api/visits/households', body)
    expect(refused.statusCode).toBe(400)
    expect(refused.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'assigneeStaffId' }] })
    // A grid worker of another compound is refused the same way.
    expect((await call(gridLead, 'POST', '/api/visits/households', { ...body, assigneeStaffId: otherGridLead.id })).statusCode).toBe(400)

    const res = await call(gridLead, 'POST', '/api/visits/households', { ...body, assigneeStaffId: gridLead.id })
    expect(res.statusCode).toBe(200)
    household = res.json<HouseholdDetail>()
    expect(household).toMatchObject({
      access: 'full',
      buildingName: '1幢',
      unitName: '1单元',
      room: '302',
      people: [{ name: '王桂英', phone }],
      assignee: { id: gridLead.id, name: '网格长老周' },
      due: { dueDate: '2026-11-09', state: 'upcoming', daysOverdue: 0 },
      visits: [],
    })
  })

  it('refuses writes by roles that see the register masked (403) and by other compounds (404)', async () => {
    const body = { unitId: c.units[0][0].id, room: '101', people: [{ name: '李四' }], reasons: ['disabled'], intervalDays: 3, assigneeStaffId: gridLead.id }
    expect((await call(police, 'POST', '/api/visits/households', body)).statusCode).toBe(403)
    expect((await call(otherGridLead, 'POST', '/api/visits/households', body)).statusCode).toBe(404)
    expect((await call(community, 'POST', '/api/visits/households', body)).statusCode).toBe(403) // no handle_tickets
    expect((await call(police, 'POST', '/api/visits', { householdId: household.id, kind: 'call', wellbeing: 'good' })).statusCode).toBe(403)
    expect((await call(otherGridLead, 'POST', '/api/visits', { householdId: household.id, kind: 'call', wellbeing: 'good' })).statusCode).toBe(404)
  })

  it('shows the register in full to 网格长/物业/自管小组, each read logged; masked to other handlers, unlogged', async () => {
    for (const staff of [gridLead, property, selfManagement]) {
      const before = await logCount(household.id)
      const res = await call(staff, 'GET', `/api/visits/households?compoundId=${c.compound.id}`)
      expect(res.statusCode).toBe(200)
      const [h] = res.json<HouseholdList>().households
      expect(h).toMatchObject({ access: 'full', room: '302', people: [{ name: '王桂英', phone }], notes: '耳背，敲门要用力' })
      expect(await logCount(household.id)).toBe(before + 1)
    }
    const [entry] = await t.dataSource.query(
      `SELECT staff_id, role, compound_id, fields, ticket_id, resource_id FROM access_log WHERE subject = 'household' AND household_id = $1 ORDER BY id LIMIT 1`,
      [household.id],
    )
    expect(entry).toEqual({
      staff_id: gridLead.id,
      role: 'grid_lead',
      compound_id: c.compound.id,
      fields: ['name', 'phone', 'room', 'notes'],
      ticket_id: null,
      resource_id: null,
    })

    for (const staff of [police, secretary]) {
      const before = await logCount(household.id)
      const res = await call(staff, 'GET', `/api/visits/households?compoundId=${c.compound.id}`)
      expect(res.statusCode).toBe(200)
      const [h] = res.json<HouseholdList>().households
      expect(h).toMatchObject({ access: 'masked', room: null, notes: null, people: [{ name: '王**', phone: `${phone.slice(0, 3)}****${phone.slice(-4)}` }] })
      expect(res.body).not.toContain(phone)
      expect(res.body).not.toContain('王桂英')
      expect(await logCount(household.id)).toBe(before)
    }
    // A 楼道长 of another building sees none of building 1's households.
    const b2 = await call(buildingLeadB2, 'GET', `/api/visits/households?compoundId=${c.compound.id}`)
    expect(b2.json<HouseholdList>().households).toEqual([])
    // Supervisors get the counts, not the people; other compounds learn nothing.
    expect((await call(community, 'GET', `/api/visits/households?compoundId=${c.compound.id}`)).statusCode).toBe(403)
    expect((await call(admin, 'GET', `/api/visits/households?compoundId=${c.compound.id}`)).statusCode).toBe(403)
    expect((await call(otherGridLead, 'GET', `/api/visits/households?compoundId=${c.compound.id}`)).statusCode).toBe(404)
    expect((await call(otherGridLead, 'GET', `/api/visits/households/${household.id}`)).statusCode).toBe(404)
    expect((await call(community, 'GET', `/api/visits/households/${household.id}`)).statusCode).toBe(404)
  })

  it('schedules by last contact + interval: overdue the day after, shown first, counted on the inbox card', async () => {
    const second = (
      await call(property, 'POST', '/api/visits/households', {
        unitId: c.units[1][0].id,
        room: '501',
        people: [{ name: '赵大爷' }],
        reasons: ['disabled'],
        intervalDays: 30,
        assigneeStaffId: gridLead.id,
      })
    ).json<HouseholdDetail>()

    now = START + 7 * DAY // the due date of the first
    let schedule = (await call(gridLead, 'GET', '/api/visits/schedule')).json<VisitSchedule>()
    expect(schedule.today).toBe('2026-11-09')
    expect(schedule.households.map((h) => [h.id, h.due.state])).toEqual([
      [household.id, 'due_today'],
      [second.id, 'upcoming'],
    ])
    expect((await call(gridLead, 'GET', '/api/visits/due')).json<VisitDueCount>()).toEqual({ overdue: 0, dueToday: 1 })

    now = START + 9 * DAY
    schedule = (await call(gridLead, 'GET', '/api/visits/schedule')).json<VisitSchedule>()
    expect(schedule.households[0]).toMatchObject({ id: household.id, due: { state: 'overdue', daysOverdue: 2 } })
    expect((await call(gridLead, 'GET', '/api/visits/due')).json<VisitDueCount>()).toEqual({ overdue: 1, dueToday: 0 })
    // Someone else's schedule holds none of them.
    expect((await call(property, 'GET', '/api/visits/schedule')).json<VisitSchedule>().households).toEqual([])

    // Supervisors' figures: counts per compound under their place, no one's data.
    const figures = await call(community, 'GET', `/api/visits/figures?placeId=${c.community.id}`)
    expect(figures.json<VisitFigures>()).toEqual({ compounds: [{ id: c.compound.id, name: c.compound.name, households: 2, overdue: 1 }] })
    expect(figures.body).not.toContain('王')
    expect((await call(otherGridLead, 'GET', `/api/visits/figures?placeId=${c.compound.id}`)).statusCode).toBe(404)
  })

  it('logs a visit in one call: the next due date moves on from today', async () => {
    const res = await call(gridLead, 'POST', '/api/visits', {
      householdId: household.id,
      kind: 'visit',
      wellbeing: 'attention',
      needsFound: '卫生间水管漏水，地上积水',
    })
    expect(res.statusCode).toBe(200)
    visit = res.json<VisitView>()
    expect(visit).toMatchObject({ kind: 'visit', wellbeing: 'attention', staffName: '网格长老周', ticket: null })
    const detail = (await call(gridLead, 'GET', `/api/visits/households/${household.id}`)).json<HouseholdDetail>()
    expect(detail.due).toEqual({ dueDate: '2026-11-18', state: 'upcoming', daysOverdue: 0 })
    expect(detail.lastWellbeing).toBe('attention')
    expect(detail.visits.map((v) => v.needsFound)).toEqual(['卫生间水管漏水，地上积水'])
    // Masked roles see that a visit happened, not what was said.
    const masked = (await call(police, 'GET', `/api/visits/households/${household.id}`)).json<HouseholdDetail>()
    expect(masked.visits.map((v) => v.needsFound)).toEqual([null])
    expect((await call(gridLead, 'GET', '/api/visits/due')).json<VisitDueCount>()).toEqual({ overdue: 0, dueToday: 0 })
  })

  it('files a request from the visit in one step: a proxy entry for the household, linked from the visit, once', async () => {
    expect((await call(police, 'POST', `/api/visits/${visit.id}/request`, { category: 'leak' })).statusCode).toBe(403)
    expect((await call(otherGridLead, 'POST', `/api/visits/${visit.id}/request`, { category: 'leak' })).statusCode).toBe(404)
    const res = await call(gridLead, 'POST', `/api/visits/${visit.id}/request`, { category: 'leak' })
    expect(res.statusCode).toBe(200)
    const filed = res.json<VisitView>()
    expect(filed.ticket).toEqual({ id: expect.any(String), number: expect.any(String) })
    const [ticket] = await t.dataSource.query(
      `SELECT unit_id, category, description, channel, proxy_name, proxy_phone, proxy_staff_id, room, reporter_resident_id FROM ticket WHERE id = $1`,
      [filed.ticket!.id],
    )
    expect(ticket).toEqual({
      unit_id: c.units[0][0].id,
      category: 'leak',
      description: '卫生间水管漏水，地上积水',
      channel: 'visit',
      proxy_name: '王桂英',
      proxy_phone: phone,
      proxy_staff_id: gridLead.id,
      room: '302',
      reporter_resident_id: null,
    })
    // A retry returns the same request; the visit shows it.
    const again = (await call(gridLead, 'POST', `/api/visits/${visit.id}/request`, { category: 'leak' })).json<VisitView>()
    expect(again.ticket).toEqual(filed.ticket)
    // Another grid worker of the compound gets the same request, not a second one.
    const other = (await call(property, 'POST', `/api/visits/${visit.id}/request`, { category: 'facilities' })).json<VisitView>()
    expect(other.ticket).toEqual(filed.ticket)
    expect(Number((await t.dataSource.query(`SELECT count(*) FROM ticket WHERE proxy_name = '王桂英'`))[0].count)).toBe(1)
    const detail = (await call(gridLead, 'GET', `/api/visits/households/${household.id}`)).json<HouseholdDetail>()
    expect(detail.visits[0].ticket).toEqual(filed.ticket)
  })

  it('a call files as 电话; a visit with nothing written needs a description', async () => {
    const call1 = (await call(selfManagement, 'POST', '/api/visits', { householdId: household.id, kind: 'call', wellbeing: 'good' })).json<VisitView>()
    const empty = await call(selfManagement, 'POST', `/api/visits/${call1.id}/request`, { category: 'facilities' })
    expect(empty.statusCode).toBe(400)
    const res = await call(selfManagement, 'POST', `/api/visits/${call1.id}/request`, { category: 'facilities', description: '楼道灯坏了' })
    const [ticket] = await t.dataSource.query(`SELECT channel FROM ticket WHERE id = $1`, [res.json<VisitView>().ticket!.id])
    expect(ticket.channel).toBe('phone')
  })

  it('enters a need from a visit in one step: source 走访, the household counted, names and phones kept out of its public text', async () => {
    const v = (
      await call(gridLead, 'POST', '/api/visits', {
        householdId: household.id,
        kind: 'visit',
        wellbeing: 'fair',
        needsFound: `王桂英想要老年助餐，电话${phone}`,
      })
    ).json<VisitView>()
    expect((await call(police, 'POST', `/api/visits/${v.id}/need`, { title: '老年助餐' })).statusCode).toBe(403)
    const res = await call(gridLead, 'POST', `/api/visits/${v.id}/need`, { title: '老年助餐' })
    expect(res.statusCode).toBe(200)
    const needId = res.json<VisitView>().needId!
    const [need] = await t.dataSource.query(`SELECT compound_id, unit_id, source, title, public_text FROM need WHERE id = $1`, [needId])
    expect(need).toMatchObject({ compound_id: c.compound.id, unit_id: c.units[0][0].id, source: 'visit', title: '老年助餐' })
    expect(need.public_text).not.toContain(phone)
    expect(need.public_text).not.toContain('王桂英')
    expect(Number((await t.dataSource.query(`SELECT count(*) FROM need_support WHERE need_id = $1`, [needId]))[0].count)).toBe(1)
    // Once per visit.
    expect((await call(gridLead, 'POST', `/api/visits/${v.id}/need`, { title: '老年助餐' })).json<VisitView>().needId).toBe(needId)
  })

  it('shows the register’s full reads to an admin over the compound on the one access log, by building and unit (no resident data); others get 403 or nothing', async () => {
    const res = await call(admin, 'GET', `/api/admin/access-log?subject=household&limit=200`)
    expect(res.statusCode).toBe(200)
    const page = AccessLogPageSchema.parse(res.json())
    expect(page.items.length).toBeGreaterThan(3)
    expect(page.items.every((i) => i.subject.kind === 'household')).toBe(true)
    const mine = page.items.filter((i) => i.subject.id === household.id)
    expect(mine.length).toBeGreaterThan(0)
    expect(mine[0].subject).toEqual({ kind: 'household', id: household.id, buildingName: household.buildingName, unitName: household.unitName })
    expect(mine.some((i) => i.fields.includes('phone') && i.compound.id === c.compound.id)).toBe(true)
    expect(page.items.map((i) => i.role)).toEqual(expect.arrayContaining(['grid_lead', 'property_manager', 'self_management_lead']))
    expect(res.body).not.toContain(phone)
    expect(res.body).not.toContain('王桂英')
    expect((await call(gridLead, 'GET', `/api/admin/access-log?subject=household`)).statusCode).toBe(403)
    const otherAdmin = await makeStaff(t, 'admin', other.community)
    const others = AccessLogPageSchema.parse((await call(otherAdmin, 'GET', `/api/admin/access-log?limit=200`)).json())
    expect(others.items.filter((i) => i.subject.id === household.id)).toEqual([])
  })

  it('leaving the register clears its personal data at once; the access log stays and cannot be changed', async () => {
    const logged = await logCount(household.id)
    expect((await call(police, 'DELETE', `/api/visits/households/${household.id}`)).statusCode).toBe(403)
    expect((await call(gridLead, 'DELETE', `/api/visits/households/${household.id}`)).statusCode).toBe(204)
    const [row] = await t.dataSource.query(`SELECT people, room, notes, left_at FROM visit_household WHERE id = $1`, [household.id])
    expect(row).toMatchObject({ people: [], room: null, notes: null, left_at: expect.any(Date) })
    const words = await t.dataSource.query(`SELECT needs_found FROM visit WHERE household_id = $1`, [household.id])
    expect(words.map((w: { needs_found: string | null }) => w.needs_found)).toEqual([null, null, null])
    expect((await call(gridLead, 'GET', `/api/visits/households/${household.id}`)).statusCode).toBe(404)
    expect(await logCount(household.id)).toBe(logged)
    await expect(t.dataSource.query(`DELETE FROM access_log WHERE household_id = $1`, [household.id])).rejects.toThrow(/append-only/)
  })
})
