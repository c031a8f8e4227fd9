import type { MyNeeds, PublicNeed, PublicNeedList, StaffNeed, StaffNeedList, SupportNeedResult, TicketView } from '@mq/shared'
import { startTestModule, type TestApp } from '../../test/app'
import { authHeader, makeCompound, makeResident, makeStaff, makeTicket, type CompoundFixture } from '../../test/factories'
import type { Resident } from '../residents/resident.entity'
import type { Staff } from '../staff/staff.entity'
import { TicketsModule } from '../tickets/tickets.module'
import { NeedsModule } from './needs.module'

describe('residents’ needs (居民需求清单)', () => {
  let t: TestApp
  let c: CompoundFixture
  let other: CompoundFixture
  let proposer: Resident
  let neighbour: Resident
  let sameFlat: Resident
  let gridLead: Staff
  let secretary: Staff
  let buildingLead: Staff
  let supervisor: Staff
  let outsider: Staff

  beforeAll(async () => {
    t = await startTestModule({ imports: [NeedsModule, TicketsModule], http: true })
    c = await makeCompound(t, [2, 1])
    other = await makeCompound(t, [1])
    proposer = await makeResident(t, { name: '李建国', phone: '13712340001' })
    neighbour = await makeResident(t, { name: '王秀英', phone: '13712340002' })
    sameFlat = await makeResident(t, { name: '李小明', phone: '13712340003' })
    gridLead = await makeStaff(t, 'grid_lead', c.compound)
    secretary = await makeStaff(t, 'compound_secretary', c.compound)
    buildingLead = await makeStaff(t, 'building_lead', c.buildings[0])
    supervisor = await makeStaff(t, 'community_supervisor', c.community)
    outsider = await makeStaff(t, 'grid_lead', other.compound)
  })
  afterAll(() => t.close())

  const as = (who: { staff: Staff } | { resident: Resident }) => authHeader(t, who)
  const post = async (url: string, who: { staff: Staff } | { resident: Resident }, payload: object) =>
    t.app.inject({ method: 'POST', url, headers: await as(who), payload })
  const publicList = async (compoundId = c.compound.id) =>
    t.app.inject({ method: 'GET', url: `/api/compounds/${compoundId}/needs` })
  const propose = (who: Resident, payload: object) => post('/api/needs', { resident: who }, payload)

  describe('proposing and supporting', () => {
    let need: PublicNeed

    beforeAll(async () => {
      const res = await propose(proposer, {
        unitToken: c.tokens[0][0],
        title: '增设电动自行车充电桩',
        description: '楼下没地方充电，我是李建国，电话13712340001，住3-502',
        room: '502',
      })
      expect(res.statusCode).toBe(201)
      need = res.json<PublicNeed>()
    })

    it('starts collecting, with the proposer’s household as its first support', () => {
      expect(need).toMatchObject({ status: 'collecting', supportCount: 1, source: 'resident', reason: null })
    })

    it('shows the public nothing personal: no name, phone or room, in the list or anywhere', async () => {
      const res = await publicList()
      expect(res.statusCode).toBe(200)
      const body = res.json<PublicNeedList>()
      expect(body.compoundName).toBe(c.compound.name)
      expect(body.needs.map((n) => n.id)).toEqual([need.id])
      expect(res.body).not.toContain('李建国')
      expect(res.body).not.toContain('13712340001')
      expect(res.body).not.toContain('3-502')
      expect(res.body).not.toContain(proposer.id)
      expect(body.needs[0].publicText).toContain('楼下没地方充电')
    })

    it('counts a neighbour’s +1 once: a second tap changes nothing and is no error', async () => {
      const first = await post(`/api/needs/${need.id}/support`, { resident: neighbour }, { unitToken: c.tokens[1][0], room: '101' })
      expect(first.statusCode).toBe(200)
      expect(first.json<SupportNeedResult>()).toEqual({ supportCount: 2, supported: true, counted: true })
      const again = await post(`/api/needs/${need.id}/support`, { resident: neighbour }, { unitToken: c.tokens[1][0] })
      expect(again.statusCode).toBe(200)
      expect(again.json<SupportNeedResult>()).toEqual({ supportCount: 2, supported: true, counted: false })
    })

    it('counts a household once: another account of the proposer’s flat adds nothing (however the room is typed)', async () => {
      const res = await post(`/api/needs/${need.id}/support`, { resident: sameFlat }, { unitToken: c.tokens[0][0], room: ' 502室' })
      expect(res.json<SupportNeedResult>()).toEqual({ supportCount: 2, supported: true, counted: false })
    })

    it('tells a resident which needs they proposed or supported', async () => {
      const mine = async (r: Resident) =>
        (await t.app.inject({ method: 'GET', url: `/api/needs/mine?compoundId=${c.compound.id}`, headers: await as({ resident: r }) })).json<MyNeeds>()
      expect(await mine(proposer)).toEqual({ supported: [need.id], proposed: [need.id] })
      expect(await mine(neighbour)).toEqual({ supported: [need.id], proposed: [] })
      const stranger = await makeResident(t)
      expect(await mine(stranger)).toEqual({ supported: [], proposed: [] })
    })

    it('takes support only with a code of the need’s compound, and not from staff', async () => {
      const stranger = await makeResident(t)
      const elsewhere = await post(`/api/needs/${need.id}/support`, { resident: stranger }, { unitToken: other.tokens[0][0], room: '1' })
      expect(elsewhere.json()).toMatchObject({ code: 'NEED_NOT_FOUND' })
      expect((await post(`/api/needs/${need.id}/support`, { resident: stranger }, { room: '1' })).statusCode).toBe(400)
      expect((await post(`/api/needs/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}/support`, { resident: stranger }, { unitToken: c.tokens[0][0] })).json()).toMatchObject({ code: 'NEED_NOT_FOUND' })
      expect((await post(`/api/needs/${need.id}/support`, { staff: gridLead }, { unitToken: c.tokens[0][0] })).statusCode).toBe(403)
      expect((await propose(proposer, { unitToken: c.tokens[0][0], title: '一' })).statusCode).toBe(400)
      expect((await publicList()).json<PublicNeedList>().needs.find((n) => n.id === need.id)?.supportCount).toBe(2)
    })
  })

  describe('status, set by the compound’s handlers and secretary', () => {
    let need: StaffNeed
    const setStatus = (who: Staff, id: string, payload: object) => post(`/api/needs/${id}/status`, { staff: who }, payload)

    beforeAll(async () => {
      const res = await post('/api/needs/staff', { staff: gridLead }, {
        compoundId: c.compound.id,
        unitId: c.units[0][1].id,
        room: '201',
        title: '老年食堂助餐点',
        description: '电话里张阿姨说想在小区里吃上午饭',
      })
      expect(res.statusCode).toBe(201)
      need = res.json<StaffNeed>()
    })

    it('counts the household a staff member entered it for', () => {
      expect(need).toMatchObject({ source: 'staff', supportCount: 1, unitLabel: '1幢2单元', compoundName: c.compound.name })
    })

    it('moves collecting → planned → in progress → done, and refuses skipping with ILLEGAL_TRANSITION', async () => {
      const skip = await setStatus(gridLead, need.id, { status: 'done' })
      expect(skip.statusCode).toBe(409)
      expect(skip.json()).toMatchObject({ code: 'ILLEGAL_TRANSITION', message: '需求「征集中」不能改为「已完成」' })
      expect((await setStatus(gridLead, need.id, { status: 'planned' })).json<StaffNeed>().status).toBe('planned')
      expect((await setStatus(secretary, need.id, { status: 'in_progress' })).json<StaffNeed>().status).toBe('in_progress')
      expect((await setStatus(buildingLead, need.id, { status: 'done' })).json<StaffNeed>().status).toBe('done')
      expect((await setStatus(gridLead, need.id, { status: 'collecting' })).json()).toMatchObject({ code: 'ILLEGAL_TRANSITION' })
      const listed = (await publicList()).json<PublicNeedList>().needs.find((n) => n.id === need.id)
      expect(listed?.status).toBe('done')
    })

    it('asks for a public reason to call a need not feasible, and shows it redacted', async () => {
      const n = (await post('/api/needs/staff', { staff: secretary }, { compoundId: c.compound.id, title: '加装电梯', description: '' })).json<StaffNeed>()
      expect(n.supportCount).toBe(0)
      const bare = await setStatus(gridLead, n.id, { status: 'not_feasible' })
      expect(bare.statusCode).toBe(400)
      expect(bare.json()).toMatchObject({ code: 'VALIDATION_FAILED' })
      const ok = await setStatus(gridLead, n.id, { status: 'not_feasible', reason: '楼间距不够，规划不许可，详询13900001111' })
      expect(ok.json<StaffNeed>()).toMatchObject({ status: 'not_feasible' })
      const listed = (await publicList()).json<PublicNeedList>().needs.find((x) => x.id === n.id)
      expect(listed?.reason).toContain('楼间距不够')
      expect(listed?.reason).not.toContain('13900001111')
      expect((await setStatus(gridLead, n.id, { status: 'collecting' })).json<StaffNeed>()).toMatchObject({ status: 'collecting', reason: null })
    })

    it('is not for staff of another compound (404), supervisors (403) or residents (403)', async () => {
      expect((await setStatus(outsider, need.id, { status: 'planned' })).json()).toMatchObject({ code: 'NEED_NOT_FOUND' })
      expect((await setStatus(supervisor, need.id, { status: 'planned' })).statusCode).toBe(403)
      expect((await post(`/api/needs/${need.id}/status`, { resident: proposer }, { status: 'planned' })).statusCode).toBe(403)
      expect((await post('/api/needs/staff', { staff: outsider }, { compoundId: c.compound.id, title: '别人的小区' })).json()).toMatchObject({ code: 'PLACE_NOT_FOUND' })
    })

    it('lists a compound’s needs to its staff only', async () => {
      const mine = (await t.app.inject({ method: 'GET', url: '/api/needs', headers: await as({ staff: buildingLead }) })).json<StaffNeedList>()
      expect(mine.compounds).toEqual([{ id: c.compound.id, name: c.compound.name }])
      expect(mine.needs.map((n) => n.id)).toContain(need.id)
      const theirs = (await t.app.inject({ method: 'GET', url: '/api/needs', headers: await as({ staff: outsider }) })).json<StaffNeedList>()
      expect(theirs.needs.map((n) => n.compoundId)).not.toContain(c.compound.id)
    })
  })

  describe('a request turned into a need', () => {
    it('links back, counts the reporter’s household, puts 转为居民需求 on the public timeline, once', async () => {
      const reporter = await makeResident(t, { name: '赵桂兰', phone: '13712340009' })
      const ticket = await makeTicket(t, { unit: c.units[1][0], resident: reporter, category: 'elderly_care', room: '301' })
      await t.dataSource.query('UPDATE ticket SET description = $2 WHERE id = $1', [ticket.id, '希望有人上门理发，我叫赵桂兰，13712340009'])
      const res = await post(`/api/needs/from-request/${ticket.id}`, { staff: gridLead }, { title: '上门理发服务' })
      expect(res.statusCode).toBe(201)
      const need = res.json<StaffNeed>()
      expect(need).toMatchObject({ source: 'request', ticketId: ticket.id, supportCount: 1, title: '上门理发服务' })
      expect(need.publicText).toContain('希望有人上门理发')
      expect(need.publicText).not.toContain('赵桂兰')
      expect(need.publicText).not.toContain('13712340009')
      // The reporter sees it on their request; its state is unchanged.
      const view = await t.app.inject({ method: 'GET', url: `/api/requests/${ticket.id}`, headers: await as({ resident: reporter }) })
      const detail = view.json<TicketView>()
      expect(detail.state).toBe('submitted')
      expect(detail.timeline.at(-1)).toMatchObject({ type: 'converted_to_need', data: { needId: need.id, title: '上门理发服务' } })
      // The reporter's household counts as having supported it.
      const mine = (await t.app.inject({ method: 'GET', url: `/api/needs/mine?compoundId=${c.compound.id}`, headers: await as({ resident: reporter }) })).json<MyNeeds>()
      expect(mine.supported).toContain(need.id)
      const twice = await post(`/api/needs/from-request/${ticket.id}`, { staff: gridLead }, { title: '再来一次' })
      expect(twice.statusCode).toBe(409)
      expect(twice.json()).toMatchObject({ code: 'NEED_NOT_CONVERTIBLE' })
    })

    it('refuses other categories, and callers who do not manage the request', async () => {
      const fault = await makeTicket(t, { unit: c.units[0][0], resident: proposer, category: 'facilities' })
      expect((await post(`/api/needs/from-request/${fault.id}`, { staff: gridLead }, { title: '修灯' })).json()).toMatchObject({ code: 'NEED_NOT_CONVERTIBLE' })
      const suggestion = await makeTicket(t, { unit: c.units[0][0], resident: proposer, category: 'suggestion' })
      expect((await post(`/api/needs/from-request/${suggestion.id}`, { staff: outsider }, { title: '建议' })).json()).toMatchObject({ code: 'TICKET_NOT_FOUND' })
      expect((await post(`/api/needs/from-request/${suggestion.id}`, { resident: proposer }, { title: '建议' })).statusCode).toBe(403)
    })
  })

  it('answers 404 for the public list of an unknown place or a building', async () => {
    expect((await publicList(c.buildings[0].id)).json()).toMatchObject({ code: 'PLACE_NOT_FOUND' })
  })
})
