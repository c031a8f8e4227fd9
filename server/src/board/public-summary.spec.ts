import { randomUUID } from 'node:crypto'
import type { Board, TicketView } from '@mq/shared'
import { startTestModule, type TestApp } from '../../test/app'
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
import { Ticket } from '../tickets/ticket.entity'
import { BoardModule } from './board.module'
import { TicketsModule } from '../tickets/tickets.module'

/**
 * PATCH /api/requests/:id/public-summary (staff may edit a request's public summary; the
 * original stays in the internal timeline). The handler of the fixtures is the compound's 物业 (leak and
 * facilities route to property_manager).
 */
describe('PATCH /api/requests/:id/public-summary (公示内容)', () => {
  let t: TestApp
  let c: CompoundFixture
  let other: CompoundFixture
  let resident: Resident
  let pm: Staff
  let grid: Staff
  let police: Staff
  let street: Staff
  let outsider: Staff
  let replied: Ticket
  let resolved: Ticket
  let accepted: Ticket

  beforeAll(async () => {
    t = await startTestModule({ imports: [BoardModule, TicketsModule], http: true })
    c = await makeCompound(t, [1])
    other = await makeCompound(t, [1])
    resident = await makeResident(t)
    pm = await makeStaff(t, 'property_manager', c.compound, '公示物业')
    grid = await makeStaff(t, 'grid_lead', c.compound, '公示网格长')
    police = await makeStaff(t, 'police', c.compound)
    street = await makeStaff(t, 'street_supervisor', c.street, '街道督办')
    outsider = await makeStaff(t, 'property_manager', other.compound)
    const unit = c.units[0][0]
    replied = await makeTicket(t, { unit, resident, category: 'leak', state: 'replied' })
    resolved = await makeTicket(t, { unit, resident, category: 'facilities', state: 'resolved' })
    accepted = await makeTicket(t, { unit, resident, category: 'facilities', state: 'accepted' })
  })
  afterAll(() => t.close())

  const patch = async (who: { staff: Staff } | { resident: Resident } | null, id: string, payload: unknown) =>
    t.app.inject({
      method: 'PATCH',
      url: `/api/requests/${id}/public-summary`,
      headers: who ? await authHeader(t, who) : {},
      payload: payload as object,
    })
  const board = async () =>
    (await t.app.inject({ method: 'GET', url: `/api/board/${c.compound.id}?pageSize=50` })).json<Board>()
  const boardItem = async (ticket: Ticket) =>
    (await board()).items.find((i) => i.number === `MQ${String(ticket.number).padStart(6, '0')}`)!
  const detail = async (who: { staff: Staff } | { resident: Resident }, id: string) =>
    (
      await t.app.inject({ method: 'GET', url: `/api/requests/${id}`, headers: await authHeader(t, who) })
    ).json<TicketView>()

  it('lets the handler edit the commitment: the board shows it, the original plan and reply stay', async () => {
    const before = await detail({ staff: pm }, replied.id)
    expect(before.publicSummary).toEqual({ text: '测试：楼道灯坏了', commitment: '先排查再维修', resolution: null, edited: false })

    const res = await patch({ staff: pm }, replied.id, { commitment: '  本周五前完成屋面排查并修补  ' })
    expect(res.statusCode).toBe(200)
    const view = res.json<TicketView>()
    expect(view.publicSummary).toEqual({
      text: '测试：楼道灯坏了',
      commitment: '本周五前完成屋面排查并修补',
      resolution: null,
      edited: true,
    })
    // The reply itself is unchanged, on the request and on its timeline.
    expect(view.promise?.plan).toBe('先排查再维修')
    expect(view.timeline.find((e) => e.type === 'replied')?.data.plan).toBe('先排查再维修')
    const edit = view.timeline.filter((e) => e.type === 'public_summary_edited')
    expect(edit).toHaveLength(1)
    expect(edit[0]).toMatchObject({
      public: false,
      actor: { kind: 'staff', role: 'property_manager', name: '公示物业' },
      data: { commitment: { before: '先排查再维修', after: '本周五前完成屋面排查并修补' }, edited: true },
    })
    const row = await t.dataSource.getRepository(Ticket).findOneByOrFail({ id: replied.id })
    expect(row.replyPlan).toBe('先排查再维修')

    const item = await boardItem(replied)
    expect(item.promise).toEqual({ plan: '本周五前完成屋面排查并修补', promisedAt: expect.any(String) })
  })

  it('hides the edit from the resident’s view of their own request', async () => {
    const view = await detail({ resident }, replied.id)
    expect(view.timeline.map((e) => e.type)).not.toContain('public_summary_edited')
    expect(view.timeline.map((e) => e.type)).toContain('replied')
  })

  it('shows the original again on null, and records that too', async () => {
    const res = await patch({ staff: grid }, replied.id, { commitment: null })
    expect(res.statusCode).toBe(200)
    const view = res.json<TicketView>()
    expect(view.publicSummary).toEqual({ text: '测试：楼道灯坏了', commitment: '先排查再维修', resolution: null, edited: false })
    const edits = view.timeline.filter((e) => e.type === 'public_summary_edited')
    expect(edits.map((e) => e.data)).toEqual([
      { commitment: { before: '先排查再维修', after: '本周五前完成屋面排查并修补' }, edited: true },
      { commitment: { before: '本周五前完成屋面排查并修补', after: '先排查再维修' }, edited: false },
    ])
    expect((await boardItem(replied)).promise?.plan).toBe('先排查再维修')
    // Nothing changes, nothing is recorded.
    const again = (await patch({ staff: grid }, replied.id, { commitment: null })).json<TicketView>()
    expect(again.timeline.filter((e) => e.type === 'public_summary_edited')).toHaveLength(2)
  })

  it('edits the resolution note of a resolved request; a new resolution replaces the edit', async () => {
    const res = await patch({ staff: street }, resolved.id, {
      resolution: '已更换楼道灯泡，经居民确认恢复照明',
    })
    expect(res.statusCode).toBe(200)
    expect(res.json<TicketView>().publicSummary).toEqual({
      text: '测试：楼道灯坏了',
      commitment: null,
      resolution: '已更换楼道灯泡，经居民确认恢复照明',
      edited: true,
    })
    expect((await boardItem(resolved)).resolution?.note).toBe('已更换楼道灯泡，经居民确认恢复照明')
    expect(res.json<TicketView>().resolution?.note).toBe('已处理')

    // Rated 1 star: reopened; resolved again with a new note, which the board then shows as written.
    const workflow = t.app.get(TicketWorkflowService)
    await workflow.rate(residentPrincipal(resident), resolved.id, { stars: 1, tags: [] }, null)
    expect((await boardItem(resolved)).resolution).toBeNull()
    await workflow.resolve(
      await staffPrincipal(t, pm),
      resolved.id,
      { note: '重新更换了灯具', photoIds: [] },
      null,
    )
    expect((await boardItem(resolved)).resolution?.note).toBe('重新更换了灯具')
    expect((await detail({ staff: pm }, resolved.id)).publicSummary.edited).toBe(false)
  })

  it("edits the public text: the board shows staff's words instead of the redacted description; null restores it", async () => {
    await t.dataSource.query(`UPDATE ticket SET description = $2 WHERE id = $1`, [
      accepted.id,
      `我是王小明，住3-502，电话${resident.phone}，楼道灯坏了`,
    ])
    expect((await boardItem(accepted)).publicText).toBe('我是***，住***，电话***，楼道灯坏了')

    const res = await patch({ staff: pm }, accepted.id, { text: '1幢1单元楼道灯不亮' })
    expect(res.statusCode).toBe(200)
    expect(res.json<TicketView>().publicSummary).toMatchObject({ text: '1幢1单元楼道灯不亮', edited: true })
    expect((await boardItem(accepted)).publicText).toBe('1幢1单元楼道灯不亮')
    // The resident's own words stay as written, for the resident and staff.
    expect((await detail({ resident }, accepted.id)).description).toBe(`我是王小明，住3-502，电话${resident.phone}，楼道灯坏了`)

    expect((await patch({ staff: pm }, accepted.id, { text: null })).statusCode).toBe(200)
    expect((await boardItem(accepted)).publicText).toBe('我是***，住***，电话***，楼道灯坏了')
    const edits = (await detail({ staff: pm }, accepted.id)).timeline.filter((e) => e.type === 'public_summary_edited')
    expect(edits.map((e) => e.data.text)).toEqual([
      { before: '我是***，住***，电话***，楼道灯坏了', after: '1幢1单元楼道灯不亮' },
      { before: '1幢1单元楼道灯不亮', after: '我是***，住***，电话***，楼道灯坏了' },
    ])
  })

  it('refuses what there is nothing to edit yet with 409', async () => {
    const noReply = await patch({ staff: pm }, accepted.id, { commitment: '尽快处理' })
    expect(noReply.statusCode).toBe(409)
    expect(noReply.json()).toMatchObject({ code: 'ILLEGAL_TRANSITION' })
    const notResolved = await patch({ staff: pm }, replied.id, { resolution: '已修好' })
    expect(notResolved.statusCode).toBe(409)
    // Back to the original is always possible.
    expect((await patch({ staff: pm }, accepted.id, { resolution: null })).statusCode).toBe(200)
  })

  it('answers 400 on a bad body', async () => {
    for (const body of [
      {},
      { commitment: '' },
      { commitment: '   ' },
      { commitment: '字'.repeat(301) },
      { commitment: 5 },
      { resolution: ['a'] },
      { commitment: '好', note: 'x' },
    ]) {
      const res = await patch({ staff: pm }, replied.id, body)
      expect([res.statusCode, body]).toEqual([400, body])
      expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED' })
    }
    expect((await patch({ staff: pm }, 'not-a-uuid', { commitment: '好' })).statusCode).toBe(400)
    expect((await patch({ staff: pm }, replied.id, { commitment: '字'.repeat(300) })).statusCode).toBe(200)
  })

  it('admits the handler, coordinators and supervisors; others in scope 403; residents and outsiders 404', async () => {
    const body = { commitment: '按计划推进' }
    expect((await patch(null, replied.id, body)).statusCode).toBe(401)
    expect((await patch({ resident }, replied.id, body)).statusCode).toBe(404)
    expect((await patch({ staff: outsider }, replied.id, body)).statusCode).toBe(404)
    expect((await patch({ staff: police }, replied.id, body)).statusCode).toBe(403)
    expect((await patch({ staff: pm }, randomUUID(), body)).statusCode).toBe(404)
    const secretary = await makeStaff(t, 'compound_secretary', c.compound)
    expect((await patch({ staff: secretary }, replied.id, body)).statusCode).toBe(200)
    expect((await patch({ staff: street }, replied.id, { commitment: '街道督办后的承诺' })).statusCode).toBe(
      200,
    )
    expect((await boardItem(replied)).promise?.plan).toBe('街道督办后的承诺')
  })

  it('offers the public_summary command to exactly those the edit admits, so the app shows 编辑 only to them', async () => {
    const secretary = await makeStaff(t, 'compound_secretary', c.compound)
    for (const [staff, admitted] of [
      [pm, true],
      [grid, true],
      [secretary, true],
      [street, true],
      [police, false],
    ] as const) {
      const offered = (await detail({ staff }, replied.id)).viewer.commands.includes('public_summary')
      const status = (await patch({ staff }, replied.id, { commitment: null })).statusCode
      expect({ role: staff.name, offered, status }).toEqual({
        role: staff.name,
        offered: admitted,
        status: admitted ? 200 : 403,
      })
    }
    expect((await detail({ resident }, replied.id)).viewer.commands).not.toContain('public_summary')
  })
})
