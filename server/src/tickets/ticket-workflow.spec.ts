import { TicketPageSchema, TicketViewSchema, type TicketView } from '@mq/shared'
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
import { Clock } from '../common/clock'
import type { Resident } from '../residents/resident.entity'
import type { Staff } from '../staff/staff.entity'
import { TicketsModule } from './tickets.module'

/** A Shanghai wall-clock time as an instant. */
const sh = (local: string) => new Date(`${local.replace(' ', 'T')}:00+08:00`)

describe('handling, chasing and rating', () => {
  let t: TestApp
  let c: CompoundFixture
  let pm: Staff
  let police: Staff
  let cityManagement: Staff
  let gridLead: Staff
  let secretary: Staff
  let communitySupervisor: Staff
  let now: Date
  beforeAll(async () => {
    t = await startTestModule({ imports: [TicketsModule], http: true })
    jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => new Date(now))
    now = sh('2026-03-02 10:00') // a Monday
    c = await makeCompound(t, [1])
    pm = await makeStaff(t, 'property_manager', c.compound, '物业王')
    police = await makeStaff(t, 'police', c.compound, '民警赵')
    cityManagement = await makeStaff(t, 'city_management', c.compound, '城管李')
    gridLead = await makeStaff(t, 'grid_lead', c.compound, '网格长陈')
    secretary = await makeStaff(t, 'compound_secretary', c.compound, '书记刘')
    communitySupervisor = await makeStaff(t, 'community_supervisor', c.community, '社区孙')
  })
  afterAll(() => t.close())

  const call = async (
    who: { staff: Staff } | { resident: Resident },
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    payload?: Record<string, unknown>,
  ) => t.app.inject({ method, url, payload, headers: await authHeader(t, who) })
  const act = async (who: Staff, id: string, action: string, payload: Record<string, unknown> = {}) => {
    const res = await call({ staff: who }, 'POST', `/api/requests/${id}/${action}`, payload)
    if (res.statusCode !== 200) throw new Error(`${action}: ${res.statusCode} ${res.body}`)
    return TicketViewSchema.parse(res.json())
  }
  const outbox = (ticketId: string) =>
    t.dataSource.query<{ recipient_id: string; type: string; payload: Record<string, unknown> }[]>(
      'SELECT recipient_id, type, payload FROM notification_outbox WHERE ticket_id = $1 ORDER BY id',
      [ticketId],
    )

  describe('chase (催单)', () => {
    it('at most once every 2 hours: earlier is 429 with Retry-After and the next allowed time', async () => {
      now = sh('2026-03-02 10:00')
      const reporter = await makeResident(t)
      const ticket = await makeTicket(t, { unit: c.units[0][0], resident: reporter, category: 'leak' })
      const chase = () => call({ resident: reporter }, 'POST', `/api/requests/${ticket.id}/chase`)
      const first = await chase()
      expect(first.statusCode).toBe(200)
      expect(first.json()).toMatchObject({
        chaseCount: 1,
        viewer: { nextChaseAt: sh('2026-03-02 12:00').toISOString() },
      })

      now = sh('2026-03-02 11:59')
      const early = await chase()
      expect(early.statusCode).toBe(429)
      expect(early.headers['retry-after']).toBe('60')
      expect(early.json()).toMatchObject({
        code: 'RATE_LIMITED',
        details: [{ path: 'nextChaseAt', message: sh('2026-03-02 12:00').toISOString() }],
      })
      expect(early.json().message).toMatch(/12:00/)

      now = sh('2026-03-02 12:00')
      expect((await chase()).statusCode).toBe(200)
      const chases = (await outbox(ticket.id)).filter((n) => n.type === 'chased')
      expect(chases.map((n) => [n.recipient_id, n.payload.chaseCount])).toEqual([
        [pm.id, 1],
        [pm.id, 2],
      ])
      // Someone else's request: it does not exist for them. Staff who are not its contact: 403.
      expect(
        (await call({ resident: await makeResident(t) }, 'POST', `/api/requests/${ticket.id}/chase`))
          .statusCode,
      ).toBe(404)
      expect((await call({ staff: pm }, 'POST', `/api/requests/${ticket.id}/chase`)).statusCode).toBe(403)
    })

    it('a chase on an overdue request escalates one level at once and tells that level', async () => {
      now = sh('2026-03-02 10:00')
      const reporter = await makeResident(t)
      const ticket = await makeTicket(t, { unit: c.units[0][0], resident: reporter })
      expect(ticket.acceptBy).toEqual(sh('2026-03-02 12:00'))
      now = sh('2026-03-02 13:00') // an hour past the acceptance deadline
      expect(
        (await call({ resident: reporter }, 'POST', `/api/requests/${ticket.id}/chase`)).statusCode,
      ).toBe(200)
      const row = await t.dataSource.query('SELECT escalation_level FROM ticket WHERE id = $1', [ticket.id])
      expect(row[0].escalation_level).toBe(2) // overdue (1: compound secretary) + the chase → community
      const escalated = (await outbox(ticket.id)).filter((n) => n.type === 'escalated')
      expect(escalated).toEqual([
        expect.objectContaining({
          recipient_id: communitySupervisor.id,
          payload: expect.objectContaining({ level: 2 }),
        }),
      ])
      const staffView = await call({ staff: pm }, 'GET', `/api/requests/${ticket.id}`)
      expect(staffView.json().timeline.map((e: { type: string }) => e.type)).toContain('escalated')
    })
  })

  describe('rating (评价)', () => {
    it('1–2 stars reopens to the handler with a fresh window and tells handler and supervisor; 3–5 closes', async () => {
      now = sh('2026-03-02 10:00')
      const reporter = await makeResident(t)
      const ticket = await makeTicket(t, { unit: c.units[0][0], resident: reporter, state: 'resolved' })
      now = sh('2026-03-02 18:00')
      const rate = (payload: Record<string, unknown>) =>
        call({ resident: reporter }, 'POST', `/api/requests/${ticket.id}/rating`, payload)
      const low = await rate({ stars: 2, tags: ['没有解决'], comment: '灯还是不亮' })
      expect(low.statusCode).toBe(200)
      const reopened = TicketViewSchema.parse(low.json())
      expect(reopened).toMatchObject({
        state: 'accepted',
        // What the app reads as 重新办理 (shared stateLabel), in the resident's and the staff view alike.
        reopened: true,
        handlerName: '物业王',
        resolution: null,
        rating: { stars: 2, via: 'resident', comment: '灯还是不亮' },
      })
      // Simple: a new window from the reopening; after 17:00, the end of the next day.
      expect(reopened.resolveBy).toBe(new Date(sh('2026-03-04 00:00').getTime() - 1).toISOString())
      expect(reopened.nextDueAt).toBe(reopened.resolveBy)
      expect(reopened.timeline.slice(-2).map((e) => e.type)).toEqual(['rated', 'reopened'])
      const told = (await outbox(ticket.id)).filter((n) => n.type === 'reopened')
      expect(told.map((n) => [n.recipient_id, n.payload.as])).toEqual([
        [pm.id, 'handler'],
        [secretary.id, 'supervisor'],
      ])
      expect(
        (await t.dataSource.query('SELECT reopen_count FROM ticket WHERE id = $1', [ticket.id]))[0]
          .reopen_count,
      ).toBe(1)
      expect(
        TicketViewSchema.parse((await call({ staff: pm }, 'GET', `/api/requests/${ticket.id}`)).json())
          .reopened,
      ).toBe(true)

      // Rating is after resolution only.
      expect((await rate({ stars: 5 })).statusCode).toBe(409)
      await act(pm, ticket.id, 'resolve', { note: '换了新灯' })
      const high = await rate({ stars: 5, tags: ['解决彻底'] })
      expect(high.json()).toMatchObject({ state: 'closed', rating: { stars: 5 } })
      expect(await count(t.dataSource, 'SELECT 1 FROM ticket_rating WHERE ticket_id = $1', [ticket.id])).toBe(
        2,
      )
      // Followers do not rate.
      const done = await makeTicket(t, { unit: c.units[0][0], resident: reporter, state: 'accepted' })
      const follower = await makeResident(t)
      expect(
        (
          await call({ resident: follower }, 'POST', `/api/requests/${done.id}/follow`, {
            token: c.tokens[0][0],
          })
        ).statusCode,
      ).toBe(200)
      await act(pm, done.id, 'resolve', { note: '好了' })
      expect(
        (await call({ resident: follower }, 'POST', `/api/requests/${done.id}/rating`, { stars: 5 }))
          .statusCode,
      ).toBe(403)
    })
  })

  describe('deadlines', () => {
    it('waiting for the resident stops the clock; resuming adds the pause back (before and after the reply)', async () => {
      now = sh('2026-03-02 10:00')
      const reporter = await makeResident(t)
      const ticket = await makeTicket(t, { unit: c.units[0][0], resident: reporter, category: 'leak' })
      expect(ticket.replyBy).toEqual(sh('2026-03-05 10:00'))
      now = sh('2026-03-02 11:00')
      await act(pm, ticket.id, 'accept')
      now = sh('2026-03-02 12:00')
      const waiting = await act(pm, ticket.id, 'wait', { question: '请问漏水在哪个房间？' })
      expect(waiting).toMatchObject({ state: 'waiting_resident', replyBy: null, nextDueAt: null })
      // The resident sees the question.
      const theirs = await call({ resident: reporter }, 'GET', `/api/requests/${ticket.id}`)
      expect(theirs.json().timeline.at(-1)).toMatchObject({
        type: 'waiting',
        data: { question: '请问漏水在哪个房间？' },
      })

      now = sh('2026-03-02 17:00') // five hours later
      const resumed = await act(pm, ticket.id, 'resume', { note: '居民已回复' })
      expect(resumed.state).toBe('accepted')
      expect(resumed.replyBy).toBe(sh('2026-03-05 15:00').toISOString())
      expect(resumed.nextDueAt).toBe(resumed.replyBy)

      now = sh('2026-03-03 09:00')
      const replied = await act(pm, ticket.id, 'reply', {
        plan: '联系维修队，更换屋顶防水层',
        promisedAt: sh('2026-03-10 18:00').toISOString(),
      })
      // The earlier pause does not move a date promised after it.
      expect(replied).toMatchObject({
        state: 'replied',
        resolveBy: sh('2026-03-10 18:00').toISOString(),
        promise: { plan: '联系维修队，更换屋顶防水层', promisedAt: sh('2026-03-10 18:00').toISOString() },
      })
      // The kept reply deadline (met) stays as it was.
      expect(replied.replyBy).toBe(sh('2026-03-05 15:00').toISOString())

      now = sh('2026-03-04 09:00')
      await act(pm, ticket.id, 'wait', { question: '请约定上门时间' })
      now = sh('2026-03-04 12:00')
      const back = await act(pm, ticket.id, 'resume')
      expect(back).toMatchObject({ state: 'replied', resolveBy: sh('2026-03-10 21:00').toISOString() })
      const row = await t.dataSource.query('SELECT pauses, state_before_wait FROM ticket WHERE id = $1', [
        ticket.id,
      ])
      expect(row[0]).toEqual({
        pauses: [
          { start: sh('2026-03-02 12:00').toISOString(), end: sh('2026-03-02 17:00').toISOString() },
          { start: sh('2026-03-04 09:00').toISOString(), end: sh('2026-03-04 12:00').toISOString() },
        ],
        state_before_wait: null,
      })
    })

    it('acceptance may change category and severity, and the deadlines follow; residents are told', async () => {
      now = sh('2026-03-02 10:00')
      const reporter = await makeResident(t)
      const ticket = await makeTicket(t, { unit: c.units[0][0], resident: reporter, category: 'facilities' })
      expect(ticket).toMatchObject({ severity: 'simple', replyBy: null })
      now = sh('2026-03-02 10:30')
      const accepted = await act(pm, ticket.id, 'accept', { category: 'leak', severity: 'complex' })
      expect(accepted).toMatchObject({
        state: 'accepted',
        category: 'leak',
        severity: 'complex',
        replyBy: sh('2026-03-05 10:00').toISOString(),
        resolveBy: null,
        nextDueAt: sh('2026-03-05 10:00').toISOString(),
      })
      expect(accepted.timeline.at(-1)).toMatchObject({
        type: 'accepted',
        actor: { kind: 'staff', role: 'property_manager', name: '物业王' },
        data: { category: { from: 'facilities', to: 'leak' }, severity: { from: 'simple', to: 'complex' } },
      })
      expect(
        (await outbox(ticket.id)).filter((n) => n.recipient_id === reporter.id).map((n) => n.type),
      ).toEqual(['accepted'])
    })

    it('a promise must be after now and within 30 days', async () => {
      now = sh('2026-03-02 10:00')
      const ticket = await makeTicket(t, {
        unit: c.units[0][0],
        resident: await makeResident(t),
        category: 'leak',
        state: 'accepted',
      })
      for (const promisedAt of [sh('2026-03-02 09:00'), sh('2026-04-02 10:01')]) {
        const res = await call({ staff: pm }, 'POST', `/api/requests/${ticket.id}/reply`, {
          plan: '计划',
          promisedAt: promisedAt.toISOString(),
        })
        expect(res.statusCode).toBe(400)
        expect(res.json().details[0].path).toBe('promisedAt')
      }
    })
  })

  describe('who may act', () => {
    it('the handler and the coordinators manage; others in the compound note only; other compounds get 404', async () => {
      now = sh('2026-03-02 10:00')
      const ticket = await makeTicket(t, { unit: c.units[0][0], resident: await makeResident(t) })
      const accept = (who: Staff) => call({ staff: who }, 'POST', `/api/requests/${ticket.id}/accept`, {})
      expect((await accept(police)).statusCode).toBe(403)
      const elsewhere = await makeStaff(t, 'property_manager', (await makeCompound(t, [1])).compound)
      expect((await accept(elsewhere)).statusCode).toBe(404)
      expect(
        (await call({ staff: police }, 'POST', `/api/requests/${ticket.id}/notes`, { text: '我也去看过了' }))
          .statusCode,
      ).toBe(200)
      const view = await act(gridLead, ticket.id, 'accept') // a coordinator accepts for the handler
      expect(view).toMatchObject({ handlerName: '物业王', viewer: { relation: 'coordinator' } })
      expect(view.timeline.at(-1)?.actor).toEqual({ kind: 'staff', role: 'grid_lead', name: '网格长陈' })
    })

    it('transfer to a role or a person, with a reason: the new handler is told and takes over', async () => {
      now = sh('2026-03-02 10:00')
      const ticket = await makeTicket(t, {
        unit: c.units[0][0],
        resident: await makeResident(t),
        category: 'illegal_construction',
      })
      expect(ticket.handlerRole).toBe('city_management')
      const toPolice = await act(cityManagement, ticket.id, 'transfer', {
        toRole: 'police',
        reason: '涉及治安',
      })
      expect(toPolice).toMatchObject({ handlerRole: 'police', handlerName: '民警赵' })
      expect(toPolice.timeline.at(-1)).toMatchObject({
        type: 'transferred',
        public: true,
        data: { fromRole: 'city_management', toRole: 'police', toName: '民警赵', reason: '涉及治安' },
      })
      expect(
        (await outbox(ticket.id)).filter((n) => n.type === 'assigned').map((n) => n.recipient_id),
      ).toEqual([cityManagement.id, police.id])
      // The previous handler no longer manages it.
      expect(
        (await call({ staff: cityManagement }, 'POST', `/api/requests/${ticket.id}/accept`, {})).statusCode,
      ).toBe(403)
      const back = await act(police, ticket.id, 'transfer', {
        toStaffId: cityManagement.id,
        reason: '确属违建',
      })
      expect(back.handlerName).toBe('城管李')
      // Someone who does not serve this place cannot take it.
      const outsider = await makeStaff(t, 'police', (await makeCompound(t, [1])).compound)
      const res = await call({ staff: cityManagement }, 'POST', `/api/requests/${ticket.id}/transfer`, {
        toStaffId: outsider.id,
        reason: 'x',
      })
      expect(res.statusCode).toBe(404)
    })

    it('co-handlers (难事联办) see it in their inbox and may note, not manage; they can be removed', async () => {
      now = sh('2026-03-02 10:00')
      const reporter = await makeResident(t)
      const ticket = await makeTicket(t, { unit: c.units[0][0], resident: reporter, category: 'parking' })
      // Parking: 交警 leads with 物业; no 交警 here, so 网格长 handles and 物业 co-handles.
      const view = TicketViewSchema.parse(
        (await call({ staff: gridLead }, 'GET', `/api/requests/${ticket.id}`)).json(),
      )
      expect(view).toMatchObject({
        handlerRole: 'grid_lead',
        coHandlers: [{ staffId: pm.id, role: 'property_manager', name: '物业王' }],
      })
      const added = await act(gridLead, ticket.id, 'co-handlers', { staffId: police.id })
      expect(added.coHandlers.map((h) => h.name).sort()).toEqual(['民警赵', '物业王'].sort())
      const inbox = TicketPageSchema.parse(
        (await call({ staff: police }, 'GET', '/api/requests/inbox')).json(),
      )
      expect(inbox.items.find((i) => i.id === ticket.id)?.relation).toBe('co_handler')
      expect(
        (await call({ staff: police }, 'POST', `/api/requests/${ticket.id}/accept`, {})).statusCode,
      ).toBe(403)
      const removed = await call(
        { staff: gridLead },
        'DELETE',
        `/api/requests/${ticket.id}/co-handlers/${police.id}`,
      )
      expect(removed.statusCode).toBe(200)
      expect((removed.json() as TicketView).coHandlers.map((h) => h.name)).toEqual(['物业王'])
      // Residents see co-handlers by role and name only.
      const reporterView = await call({ resident: reporter }, 'GET', `/api/requests/${ticket.id}`)
      expect(reporterView.json().coHandlers).toEqual([
        { staffId: null, role: 'property_manager', name: '物业王' },
      ])
    })
  })

  describe('merge', () => {
    it('a duplicate merges into an open request of the compound; its reporter then follows that one', async () => {
      now = sh('2026-03-02 10:00')
      const first = await makeResident(t)
      const second = await makeResident(t)
      const original = await makeTicket(t, { unit: c.units[0][0], resident: first, category: 'sanitation' })
      const duplicate = await makeTicket(t, { unit: c.units[0][0], resident: second, category: 'sanitation' })
      const merged = await act(pm, duplicate.id, 'merge', { intoId: original.id })
      expect(merged).toMatchObject({ state: 'merged', nextDueAt: null, mergedInto: { id: original.id } })
      expect(merged.timeline.at(-1)).toMatchObject({ type: 'merged', public: true })

      const mine = TicketPageSchema.parse(
        (await call({ resident: second }, 'GET', '/api/requests/mine')).json(),
      )
      expect(mine.items.map((i) => [i.id, i.relation, i.state])).toEqual(
        expect.arrayContaining([
          [duplicate.id, 'reporter', 'merged'],
          [original.id, 'follower', 'submitted'],
        ]),
      )
      const followed = await call({ resident: second }, 'GET', `/api/requests/${original.id}`)
      expect(followed.statusCode).toBe(200)
      expect(followed.json()).toMatchObject({ followerCount: 1, viewer: { relation: 'follower' } })
      // Progress on the surviving request reaches the merged reporter too.
      await act(pm, original.id, 'accept')
      const told = (await outbox(original.id)).filter((n) => n.type === 'accepted').map((n) => n.recipient_id)
      expect(told).toEqual([first.id, second.id])

      // Not into a finished request, not across compounds, not into itself.
      const closed = await makeTicket(t, { unit: c.units[0][0], resident: first, state: 'closed' })
      const another = await makeTicket(t, { unit: c.units[0][0], resident: first })
      expect(
        (await call({ staff: pm }, 'POST', `/api/requests/${another.id}/merge`, { intoId: closed.id }))
          .statusCode,
      ).toBe(409)
      const foreign = await makeCompound(t, [1])
      await makeStaff(t, 'grid_lead', foreign.compound)
      const there = await makeTicket(t, { unit: foreign.units[0][0], resident: first })
      expect(
        (await call({ staff: pm }, 'POST', `/api/requests/${another.id}/merge`, { intoId: there.id }))
          .statusCode,
      ).toBe(404)
      expect(
        (await call({ staff: pm }, 'POST', `/api/requests/${another.id}/merge`, { intoId: another.id }))
          .statusCode,
      ).toBe(400)
    })
  })
})
