import { randomUUID } from 'node:crypto'
import { quarterOf, quarterRange, type QuarterlyReport, type RecurringList, type RecurringProblem } from '@mq/shared'
import { startTestModule, type TestApp } from '../../test/app'
import { authHeader, makeCompound, makeResident, makeStaff, makeTicket, type CompoundFixture } from '../../test/factories'
import { BoardModule } from '../board/board.module'
import type { Place } from '../places/place.entity'
import type { Resident } from '../residents/resident.entity'
import type { Staff } from '../staff/staff.entity'
import { TicketsModule } from '../tickets/tickets.module'

const DAY = 86_400_000

describe('recurring problems (重点问题) and the quarterly report', () => {
  let t: TestApp
  let resident: Resident

  beforeAll(async () => {
    t = await startTestModule({ imports: [BoardModule, TicketsModule], http: true })
    resident = await makeResident(t, { name: '重点测试居民', phone: '13712349901' })
  })
  afterAll(() => t.close())

  /** A request filed `daysAgo` days ago with its own words (so only the rule under test can group it). */
  const file = async (unit: Place, category: 'sanitation' | 'leak' | 'facilities', daysAgo: number, words: string) => {
    const ticket = await makeTicket(t, { unit, resident, category })
    await t.dataSource.query(`UPDATE ticket SET created_at = $2, description = $3 WHERE id = $1`, [
      ticket.id,
      new Date(Date.now() - daysAgo * DAY),
      words,
    ])
    return ticket.id
  }
  const as = async (staff: Staff) => ({ authorization: (await authHeader(t, { staff })).authorization })
  const list = async (staff: Staff, c: CompoundFixture) =>
    t.app.inject({ method: 'GET', url: `/api/recurring?compoundId=${c.compound.id}`, headers: await as(staff) })

  describe('the rule: one category in one building, or close words, three times in 30 days', () => {
    let c: CompoundFixture
    let supervisor: Staff
    const ids: Record<string, string> = {}

    beforeAll(async () => {
      c = await makeCompound(t, [1, 1, 1])
      await makeStaff(t, 'property_manager', c.compound)
      await makeStaff(t, 'grid_lead', c.compound)
      supervisor = await makeStaff(t, 'community_supervisor', c.community)
      const [b1, b2, b3] = [c.units[0][0], c.units[1][0], c.units[2][0]]
      // Three of 环境卫生 in 1幢 within 30 days (29 days ago, 10 days ago, today): proposed.
      ids.s1 = await file(b1, 'sanitation', 29, '门口垃圾桶满了没人清')
      ids.s2 = await file(b1, 'sanitation', 10, '楼下草坪有狗粪')
      ids.s3 = await file(b1, 'sanitation', 0, '地下室有异味')
      // One more of them 31 days ago: outside the window.
      ids.old = await file(b1, 'sanitation', 31, '楼梯间堆满纸箱')
      // Two of 房屋漏水 in 1幢: not enough.
      ids.l1 = await file(b1, 'leak', 3, '卫生间天花板滴水')
      ids.l2 = await file(b1, 'leak', 2, '阳台外墙渗水')
      // 环境卫生 in 2幢 twice and 3幢 once: another building each, not proposed.
      ids.o1 = await file(b2, 'sanitation', 5, '二楼平台烟头很多')
      ids.o2 = await file(b2, 'sanitation', 4, '自行车棚很脏')
      ids.o3 = await file(b3, 'sanitation', 4, '垃圾房门坏了')
    })

    it('proposes 3 of a category in a building in 30 days, not 2, not across buildings, not older ones', async () => {
      const res = await list(supervisor, c)
      expect(res.statusCode).toBe(200)
      const body = res.json<RecurringList>()
      expect(body.proposed).toHaveLength(1)
      const [p] = body.proposed
      expect(p).toMatchObject({ kind: 'same_category', category: 'sanitation', buildingName: '1幢', title: '1幢「环境卫生」30天内3次' })
      expect(p.key).toBe(`building:${c.buildings[0].id}:sanitation`)
      expect(p.requests.map((r) => r.id)).toEqual([ids.s1, ids.s2, ids.s3])
      expect(body.adopted).toEqual([])
    })

    it('proposes close words anywhere in the compound, with their public text only', async () => {
      const e1 = await file(c.units[0][0], 'facilities', 6, '电梯又坏了，我是重点测试居民，电话13712349901')
      const e2 = await file(c.units[1][0], 'facilities', 5, '电梯又坏了，没人修')
      const e3 = await file(c.units[2][0], 'leak', 1, '电梯又坏了，困了人')
      const res = await list(supervisor, c)
      const text = res.json<RecurringList>().proposed.find((p) => p.kind === 'similar_text')
      expect(text?.requests.map((r) => r.id)).toEqual([e1, e2, e3])
      expect(text?.title).toMatch(/^相近反映「电梯又坏了/)
      expect(res.body).not.toContain('重点测试居民')
      expect(res.body).not.toContain('13712349901')
      await t.dataSource.query(`UPDATE ticket SET state = 'withdrawn' WHERE id = ANY($1)`, [[e1, e2, e3]])
      expect((await list(supervisor, c)).json<RecurringList>().proposed.map((p) => p.kind)).toEqual(['same_category'])
    })
  })

  describe('adoption, dismissal and progress', () => {
    let c: CompoundFixture
    let other: CompoundFixture
    let supervisor: Staff
    let secretary: Staff
    let handler: Staff
    let outsider: Staff
    let key: string

    beforeAll(async () => {
      c = await makeCompound(t, [1, 1])
      other = await makeCompound(t, [1])
      handler = await makeStaff(t, 'property_manager', c.compound)
      supervisor = await makeStaff(t, 'community_supervisor', c.community)
      secretary = await makeStaff(t, 'compound_secretary', c.compound)
      outsider = await makeStaff(t, 'compound_secretary', other.compound)
      for (const [i, words] of ['一楼楼道灯不亮', '电梯按钮失灵', '单元门禁打不开'].entries()) await file(c.units[0][0], 'facilities', i + 1, words)
      for (const [i, words] of ['路灯坏了', '健身器材断了', '车棚顶破洞'].entries()) await file(c.units[1][0], 'facilities', i + 1, words)
      key = `building:${c.buildings[0].id}:facilities`
    })

    const adopt = async (staff: Staff, body: Record<string, unknown>) =>
      t.app.inject({
        method: 'POST',
        url: '/api/recurring/adopt',
        headers: await as(staff),
        payload: { compoundId: c.compound.id, key, ownerRole: 'property_manager', plan: '更换1幢公共设施并建立巡检', targetDate: '2099-12-31', ...body },
      })

    it('lets only the compound’s supervisors adopt, with a plan and a date not in the past', async () => {
      expect((await adopt(handler, {})).statusCode).toBe(403)
      expect((await adopt(outsider, {})).statusCode).toBe(404)
      const past = await adopt(supervisor, { targetDate: '2020-01-01' })
      expect(past.statusCode).toBe(400)
      expect(past.json()).toMatchObject({ code: 'VALIDATION_FAILED' })
      expect((await adopt(supervisor, { plan: '' })).statusCode).toBe(400)
      expect((await adopt(supervisor, { ownerRole: 'boss' })).statusCode).toBe(400)
      expect((await adopt(supervisor, { key: 'building:nothing' })).json()).toMatchObject({ code: 'RECURRING_NOT_FOUND' })

      const res = await adopt(supervisor, {})
      expect(res.statusCode).toBe(200)
      const problem = res.json<RecurringProblem>()
      expect(problem).toMatchObject({ status: 'adopted', ownerRole: 'property_manager', ownerLabel: '物业', targetDate: '2099-12-31' })
      expect(problem.requests).toHaveLength(3)
      // Decided: no longer proposed, and not adopted twice.
      const after = (await list(secretary, c)).json<RecurringList>()
      expect(after.proposed.map((p) => p.key)).toEqual([`building:${c.buildings[1].id}:facilities`])
      expect(after.adopted.map((a) => a.id)).toEqual([problem.id])
      expect((await adopt(supervisor, {})).statusCode).toBe(404)
      expect((await list(outsider, c)).statusCode).toBe(404)
    })

    it('keeps progress entries, shown on the public report without who wrote them', async () => {
      const [problem] = (await list(supervisor, c)).json<RecurringList>().adopted
      const post = async (staff: Staff, id: string, note: string) =>
        t.app.inject({ method: 'POST', url: `/api/recurring/${id}/progress`, headers: await as(staff), payload: { note } })
      expect((await post(outsider, problem.id, '越权进展')).statusCode).toBe(404)
      expect((await post(handler, problem.id, '物业进展')).statusCode).toBe(403)
      expect((await post(secretary, randomUUID(), '没有的问题')).statusCode).toBe(404)
      const res = await post(secretary, problem.id, '已更换全部楼道灯，门禁下周修')
      expect(res.statusCode).toBe(200)
      expect(res.json<RecurringProblem>().progress.map((p) => p.note)).toEqual(['已更换全部楼道灯，门禁下周修'])
      const report = await t.app.inject({ method: 'GET', url: `/api/board/${c.compound.id}/report` })
      expect(report.json<QuarterlyReport>().problems).toEqual([
        expect.objectContaining({ id: problem.id, ownerLabel: '物业', progress: [expect.objectContaining({ note: '已更换全部楼道灯，门禁下周修' })] }),
      ])
      for (const value of [secretary.name, secretary.phone, supervisor.name, resident.name!, resident.phone!]) expect(report.body).not.toContain(value)
    })

    it('dismisses with a reason; a new request the dismissal did not cover brings it back', async () => {
      const second = `building:${c.buildings[1].id}:facilities`
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/recurring/dismiss',
        headers: await as(secretary),
        payload: { compoundId: c.compound.id, key: second, reason: '三件各不相同，已分别办理' },
      })
      expect(res.statusCode).toBe(200)
      expect(res.json<RecurringProblem>()).toMatchObject({ status: 'dismissed', dismissReason: '三件各不相同，已分别办理' })
      expect((await list(secretary, c)).json<RecurringList>().proposed).toEqual([])
      await file(c.units[1][0], 'facilities', 0, '二号楼信箱门掉了')
      const back = (await list(secretary, c)).json<RecurringList>().proposed
      expect(back.map((p) => [p.key, p.requests.length])).toEqual([[second, 4]])
      // Dismissed ones are not on the public report.
      const report = (await t.app.inject({ method: 'GET', url: `/api/board/${c.compound.id}/report` })).json<QuarterlyReport>()
      expect(report.problems).toHaveLength(1)
    })
  })

  describe('dismissed problems stay listed, and the compounds a supervisor may open', () => {
    let c: CompoundFixture
    let secretary: Staff
    let supervisor: Staff

    beforeAll(async () => {
      c = await makeCompound(t, [1, 1])
      await makeStaff(t, 'property_manager', c.compound)
      secretary = await makeStaff(t, 'compound_secretary', c.compound)
      supervisor = await makeStaff(t, 'community_supervisor', c.community)
      for (const [i, words] of ['门口垃圾没人收', '楼道里堆了杂物', '草坪上有狗粪'].entries()) await file(c.units[0][0], 'sanitation', i + 1, words)
      for (const [i, words] of ['水管爆了', '顶楼渗水', '地下室进水'].entries()) await file(c.units[1][0], 'leak', i + 1, words)
    })

    const dismiss = async (staff: Staff, building: number, category: string, reason: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/recurring/dismiss',
        headers: await as(staff),
        payload: { compoundId: c.compound.id, key: `building:${c.buildings[building].id}:${category}`, reason },
      })

    it('lists dismissed ones newest first with the reason, the role of who decided and when, not as adopted', async () => {
      expect((await list(secretary, c)).json<RecurringList>().dismissed).toEqual([])
      const before = Date.now()
      expect((await dismiss(secretary, 0, 'sanitation', '三件已分别清理完毕')).statusCode).toBe(200)
      expect((await dismiss(supervisor, 1, 'leak', '已列入小区维修基金计划')).statusCode).toBe(200)
      const body = (await list(supervisor, c)).json<RecurringList>()
      expect(body.proposed).toEqual([])
      expect(body.adopted).toEqual([])
      expect(body.dismissed.map((d) => [d.title, d.status, d.dismissReason, d.decidedByLabel])).toEqual([
        ['2幢「房屋漏水」30天内3次', 'dismissed', '已列入小区维修基金计划', '社区'],
        ['1幢「环境卫生」30天内3次', 'dismissed', '三件已分别清理完毕', '小区党委书记'],
      ])
      expect(new Date(body.dismissed[1].adoptedAt).getTime()).toBeGreaterThanOrEqual(before - 1000)
      expect(body.dismissed[0].requests).toHaveLength(3)
      // Who decided is a role, never a name or a phone.
      const raw = (await list(secretary, c)).body
      for (const value of [secretary.name, secretary.phone, supervisor.name, supervisor.phone]) expect(raw).not.toContain(value)
      // Not on the public report.
      const report = (await t.app.inject({ method: 'GET', url: `/api/board/${c.compound.id}/report` })).json<QuarterlyReport>()
      expect(report.problems).toEqual([])
    })

    it('lists the compounds under the places the caller supervises, with their community', async () => {
      const other = await makeCompound(t, [1])
      const get = async (staff: Staff) => t.app.inject({ method: 'GET', url: '/api/recurring/compounds', headers: await as(staff) })
      const mine = (await get(supervisor)).json<{ compounds: { id: string; name: string; communityName: string }[] }>()
      expect(mine.compounds).toEqual([{ id: c.compound.id, name: c.compound.name, communityName: c.community.name }])
      const street = await makeStaff(t, 'street_supervisor', c.street)
      const ids = (await get(street)).json<{ compounds: { id: string }[] }>().compounds.map((x) => x.id)
      expect(ids).toContain(c.compound.id)
      expect(ids).not.toContain(other.compound.id)
      expect((await get(secretary)).json<{ compounds: { id: string }[] }>().compounds.map((x) => x.id)).toEqual([c.compound.id])
      const handler = await makeStaff(t, 'property_manager', c.compound)
      expect((await get(handler)).statusCode).toBe(403)
    })
  })

  describe('the quarterly 公开承诺 report', () => {
    let c: CompoundFixture

    beforeAll(async () => {
      c = await makeCompound(t, [1])
      await makeStaff(t, 'property_manager', c.compound)
      await makeStaff(t, 'grid_lead', c.compound)
      await makeStaff(t, 'self_management_lead', c.compound)
      const unit = c.units[0][0]
      const make = async (state: 'submitted' | 'replied' | 'resolved' | 'closed', category: 'facilities' | 'leak' | 'suggestion') =>
        (await makeTicket(t, { unit, resident, state, category })).id
      // 物业 (facilities, leak): a replied leak (committed), a resolved one on time, a closed one (5 stars) late.
      const replied = await make('replied', 'leak')
      const resolvedOnTime = await make('resolved', 'facilities')
      const closedLate = await make('closed', 'facilities')
      // 业委会/自管小组 (suggestions go to 自管小组组长): a closed one rated 2 after all, on time; a submitted one.
      const owners = await make('closed', 'suggestion')
      await make('submitted', 'suggestion')
      // 居委会/社区: one led by the 网格长, resolved on time and rated 4.
      const community = await make('closed', 'facilities')
      await t.dataSource.query(`UPDATE ticket SET handler_role = 'grid_lead', latest_stars = 4 WHERE id = $1`, [community])
      await t.dataSource.query(`UPDATE ticket SET latest_stars = 2 WHERE id = $1`, [owners])
      // Not counted: withdrawn, and one filed in the quarter before.
      const withdrawn = await make('submitted', 'facilities')
      await t.dataSource.query(`UPDATE ticket SET state = 'withdrawn' WHERE id = $1`, [withdrawn])
      const before = await make('closed', 'facilities')
      const start = quarterRange(quarterOf(new Date()))!.start
      await t.dataSource.query(`UPDATE ticket SET created_at = $2 WHERE id = $1`, [before, new Date(start.getTime() - 3600_000)])
      const setResolveBy = (id: string, offset: string) =>
        t.dataSource.query(`UPDATE ticket SET resolve_by = resolved_at + interval '${offset}' WHERE id = $1`, [id])
      await setResolveBy(resolvedOnTime, '1 hour')
      await setResolveBy(closedLate, '-1 hour')
      await setResolveBy(owners, '0')
      await setResolveBy(community, '2 days')
      void replied
    })

    it('counts the quarter by party, by hand', async () => {
      const res = await t.app.inject({ method: 'GET', url: `/api/board/${c.compound.id}/report` })
      expect(res.statusCode).toBe(200)
      const report = res.json<QuarterlyReport>()
      expect(report.quarter).toBe(quarterOf(new Date()))
      const figures = (party: string) => report.parties.find((p) => p.party === party)
      // 物业: replied, resolved, closed (5 stars): 3 collected, 1 committed, 2 resolved, 1 on time, 1 rated, 1 satisfied.
      expect(figures('property')).toEqual({ party: 'property', label: '物业', collected: 3, committed: 1, resolved: 2, onTime: 1, rated: 1, satisfied: 1 })
      // 业委会/自管小组: closed (2 stars, on time exactly at the deadline) and submitted.
      expect(figures('owners')).toEqual({ party: 'owners', label: '业委会/自管小组', collected: 2, committed: 0, resolved: 1, onTime: 1, rated: 1, satisfied: 0 })
      // 居委会/社区: the grid lead's, on time, 4 stars.
      expect(figures('community')).toEqual({ party: 'community', label: '居委会/社区', collected: 1, committed: 0, resolved: 1, onTime: 1, rated: 1, satisfied: 1 })
      expect(report.total).toEqual({ collected: 6, committed: 1, resolved: 4, onTime: 3, rated: 3, satisfied: 2 })
    })

    it('reports an earlier quarter on request, and refuses what is not a quarter', async () => {
      const start = quarterRange(quarterOf(new Date()))!.start
      const previous = quarterOf(new Date(start.getTime() - 3600_000))
      const res = await t.app.inject({ method: 'GET', url: `/api/board/${c.compound.id}/report?quarter=${previous}` })
      expect(res.json<QuarterlyReport>().total).toMatchObject({ collected: 1, resolved: 1, rated: 1, satisfied: 1 })
      expect((await t.app.inject({ method: 'GET', url: `/api/board/${c.compound.id}/report?quarter=2026-Q5` })).statusCode).toBe(400)
      expect((await t.app.inject({ method: 'GET', url: `/api/board/${c.buildings[0].id}/report` })).statusCode).toBe(404)
    })

    it('prints one A4 page as a PDF', async () => {
      const res = await t.app.inject({ method: 'GET', url: `/api/board/${c.compound.id}/report.pdf` })
      expect(res.statusCode).toBe(200)
      expect(res.headers['content-type']).toBe('application/pdf')
      expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-')
      expect(res.rawPayload.toString('latin1').match(/\/Type \/Page\b/g)).toHaveLength(1)
    })
  })
})
