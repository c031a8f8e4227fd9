/**
 * Deadline timers, driven by the injectable clock: every rule is shown by moving time and
 * running a sweep, never by sleeping. On a database of its own, so the counts are the whole truth.
 */
import { TicketViewSchema, warningAt } from '@mq/shared'
import { startTestModule, type TestApp } from '../../../test/app'
import { scratchDatabase } from '../../../test/database'
import {
  authHeader,
  makeCompound,
  makeResident,
  makeStaff,
  makeTicket,
  type CompoundFixture,
} from '../../../test/factories'
import { Clock } from '../../common/clock'
import type { Resident } from '../../residents/resident.entity'
import type { Staff } from '../../staff/staff.entity'
import { DeadlineTimersService } from './deadline-timers.service'
import { TicketsModule } from '../../tickets/tickets.module'
import { DeadlinesModule } from '../../deadlines/deadlines.module'

/** A Shanghai wall-clock time as an instant. */
const sh = (local: string) => new Date(`${local.replace(' ', 'T')}:00+08:00`)
const HOUR = 3_600_000

describe('deadline timers', () => {
  let db: { url: string; drop(): Promise<void> }
  let t: TestApp
  let c: CompoundFixture
  let pm: Staff
  let police: Staff
  let secretary: Staff
  let community: Staff
  let street: Staff
  let district: Staff
  let reporter: Resident
  let now: Date

  beforeAll(async () => {
    db = await scratchDatabase('mq_timers')
    t = await startTestModule({ imports: [TicketsModule, DeadlinesModule], http: true, databaseUrl: db.url })
    jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => new Date(now))
    now = sh('2026-03-02 08:00') // a Monday
    c = await makeCompound(t, [1])
    pm = await makeStaff(t, 'property_manager', c.compound, '物业王')
    police = await makeStaff(t, 'police', c.compound, '民警赵')
    await makeStaff(t, 'grid_lead', c.compound, '网格长陈')
    secretary = await makeStaff(t, 'compound_secretary', c.compound, '书记刘')
    community = await makeStaff(t, 'community_supervisor', c.community, '社区孙')
    street = await makeStaff(t, 'street_supervisor', c.street, '街道周')
    district = await makeStaff(t, 'district_supervisor', c.district, '区吴')
    reporter = await makeResident(t)
  })
  afterAll(async () => {
    await t.close()
    await db.drop()
  })

  const sweep = () => t.app.get(DeadlineTimersService).runDue()
  /** Moves the clock to `local` and sweeps; what fired for `ticketId`. */
  const at = async (local: string | Date, ticketId: string) => {
    now = typeof local === 'string' ? sh(local) : local
    return (await sweep()).firings.filter((f) => f.ticketId === ticketId)
  }
  const file = (category: 'facilities' | 'leak' = 'facilities') =>
    makeTicket(t, { unit: c.units[0][0], resident: reporter, category })
  const post = async (
    who: { staff: Staff } | { resident: Resident },
    id: string,
    action: string,
    payload: Record<string, unknown> = {},
  ) => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/requests/${id}/${action}`,
      payload,
      headers: await authHeader(t, who),
    })
    if (res.statusCode !== 200) throw new Error(`${action}: ${res.statusCode} ${res.body}`)
    return TicketViewSchema.parse(res.json())
  }
  const staffAct = (staff: Staff, id: string, action: string, payload: Record<string, unknown> = {}) =>
    post({ staff }, id, action, payload)
  const act = (resident: Resident, id: string, action: string, payload: Record<string, unknown> = {}) =>
    post({ resident }, id, action, payload)
  const timers = (ticketId: string) =>
    t.dataSource.query<
      {
        kind: string
        deadline_type: string | null
        deadline_at: Date
        step: number
        fire_at: Date
        status: string
      }[]
    >(
      `SELECT kind, deadline_type, deadline_at, step, fire_at, status FROM deadline_timer WHERE ticket_id = $1 ORDER BY fire_at, step, id`,
      [ticketId],
    )
  const pending = async (ticketId: string) =>
    (await timers(ticketId))
      .filter((r) => r.status === 'pending')
      .map((r) => [r.kind, r.deadline_type, r.step, r.fire_at.toISOString()])
  const outbox = (ticketId: string, type?: string) =>
    t.dataSource.query<{ recipient_id: string; type: string; payload: Record<string, unknown> }[]>(
      `SELECT recipient_id, type, payload FROM notification_outbox WHERE ticket_id = $1 ${type ? 'AND type = $2' : ''} ORDER BY id`,
      type ? [ticketId, type] : [ticketId],
    )
  const escalations = (ticketId: string) =>
    t.dataSource.query<{ data: Record<string, unknown> }[]>(
      `SELECT data FROM ticket_event WHERE ticket_id = $1 AND type = 'escalated' ORDER BY at, id`,
      [ticketId],
    )
  const level = async (ticketId: string) =>
    (await t.dataSource.query('SELECT escalation_level FROM ticket WHERE id = $1', [ticketId]))[0]
      .escalation_level as number

  it('warns the handler at 75% of the window, marks overdue at the deadline and escalates one level a day up to the district', async () => {
    now = sh('2026-03-02 10:00')
    const ticket = await file() // 物业, accept by 12:00
    expect(await pending(ticket.id)).toEqual([
      ['warning', 'accept', 0, sh('2026-03-02 11:30').toISOString()],
      ['overdue', 'accept', 1, sh('2026-03-02 12:00').toISOString()],
    ])

    expect(await at('2026-03-02 11:29', ticket.id)).toEqual([])
    const warned = await at('2026-03-02 11:30', ticket.id)
    expect(warned).toEqual([
      expect.objectContaining({ ticketId: ticket.id, kind: 'warning', status: 'fired', lateMs: 0 }),
    ])
    expect(await outbox(ticket.id, 'warning')).toEqual([
      expect.objectContaining({
        recipient_id: pm.id,
        payload: expect.objectContaining({ deadline: 'accept', dueAt: sh('2026-03-02 12:00').toISOString() }),
      }),
    ])
    expect(await at('2026-03-02 11:45', ticket.id)).toEqual([]) // once

    const overdue = await at('2026-03-02 12:00', ticket.id)
    expect(overdue).toEqual([expect.objectContaining({ kind: 'overdue', step: 1, level: 1 })])
    expect(await level(ticket.id)).toBe(1)
    expect((await outbox(ticket.id, 'overdue')).map((n) => n.recipient_id)).toEqual([pm.id])
    expect((await outbox(ticket.id, 'escalated')).map((n) => [n.recipient_id, n.payload.level])).toEqual([
      [secretary.id, 1],
    ])

    expect(await at('2026-03-03 11:59', ticket.id)).toEqual([])
    expect(await at('2026-03-03 12:00', ticket.id)).toEqual([expect.objectContaining({ step: 2, level: 2 })])
    expect(await at('2026-03-04 12:00', ticket.id)).toEqual([expect.objectContaining({ step: 3, level: 3 })])
    expect(await at('2026-03-05 12:00', ticket.id)).toEqual([expect.objectContaining({ step: 4, level: 4 })])
    expect(await at('2026-03-09 12:00', ticket.id)).toEqual([]) // the district is the top: nothing more
    expect(await pending(ticket.id)).toEqual([])

    expect((await escalations(ticket.id)).map((e) => [e.data.level, e.data.role, e.data.cause])).toEqual([
      [1, 'compound_secretary', 'overdue'],
      [2, 'community_supervisor', 'overdue'],
      [3, 'street_supervisor', 'overdue'],
      [4, 'district_supervisor', 'overdue'],
    ])
    expect((await outbox(ticket.id, 'escalated')).map((n) => n.recipient_id)).toEqual([
      secretary.id,
      community.id,
      street.id,
      district.id,
    ])
    // The timeline shows it to staff; the supervisors' list has it at the top.
    const detail = await t.app.inject({
      method: 'GET',
      url: `/api/requests/${ticket.id}`,
      headers: await authHeader(t, { staff: district }),
    })
    expect(detail.json().timeline.filter((e: { type: string }) => e.type === 'escalated')).toHaveLength(4)
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/escalations',
      headers: await authHeader(t, { staff: district }),
    })
    expect(list.json().items[0]).toMatchObject({
      id: ticket.id,
      escalation: { level: 4, role: 'district_supervisor' },
    })
  })

  it('catches up after downtime: each missed step fires once, a warning whose deadline passed is skipped', async () => {
    now = sh('2026-03-10 09:00')
    const ticket = await file() // accept by 11:00
    const firings = await at('2026-03-12 13:00', ticket.id) // 50 h past the deadline
    expect(firings.map((f) => [f.kind, f.step, f.status, f.level])).toEqual([
      ['warning', 0, 'skipped', undefined],
      ['overdue', 1, 'fired', 1],
      ['overdue', 2, 'fired', 2],
      ['overdue', 3, 'fired', 3],
    ])
    expect(firings[1].lateMs).toBe(50 * HOUR)
    expect(await outbox(ticket.id, 'warning')).toEqual([])
    expect((await escalations(ticket.id)).map((e) => e.data.level)).toEqual([1, 2, 3])
    expect(await pending(ticket.id)).toEqual([['overdue', 'accept', 4, sh('2026-03-13 11:00').toISOString()]])
    expect(await at('2026-03-12 13:00', ticket.id)).toEqual([])
  })

  it('a chase on an overdue request escalates at once; the daily steps carry on from there, never counting it twice', async () => {
    now = sh('2026-03-16 10:00')
    const ticket = await file() // accept by 12:00
    now = sh('2026-03-16 13:00') // overdue; no sweep has run yet
    await act(reporter, ticket.id, 'chase')
    expect(await level(ticket.id)).toBe(2) // the tickets code: overdue (1) + the chase

    // The sweep finds step 1 late: the chase already counted the deadline, so the level stays.
    const firings = await at('2026-03-16 13:00', ticket.id)
    expect(firings.map((f) => [f.kind, f.status, f.level])).toEqual([
      ['warning', 'skipped', undefined],
      ['overdue', 'fired', 2],
    ])
    expect((await escalations(ticket.id)).map((e) => [e.data.level, e.data.cause])).toEqual([[2, 'chase']])
    expect((await outbox(ticket.id, 'overdue')).map((n) => n.recipient_id)).toEqual([pm.id])
    // A day after the deadline: one level above where the chase left it.
    expect((await at('2026-03-17 12:00', ticket.id)).map((f) => f.level)).toEqual([3])
    expect((await escalations(ticket.id)).map((e) => [e.data.level, e.data.cause])).toEqual([
      [2, 'chase'],
      [3, 'overdue'],
    ])
  })

  it('severity change at acceptance: the acceptance timers go, the reply window’s come', async () => {
    now = sh('2026-03-23 10:00')
    const ticket = await file() // simple: accept by 12:00
    now = sh('2026-03-23 10:30')
    await staffAct(pm, ticket.id, 'accept', { severity: 'complex' }) // reply within 72 h of filing
    expect(await pending(ticket.id)).toEqual([
      ['warning', 'reply', 0, sh('2026-03-25 16:00').toISOString()],
      ['overdue', 'reply', 1, sh('2026-03-26 10:00').toISOString()],
    ])
    expect(
      (await timers(ticket.id)).filter((r) => r.deadline_type === 'accept').map((r) => r.status),
    ).toEqual(['cancelled', 'cancelled'])
    expect(await at('2026-03-23 12:30', ticket.id)).toEqual([]) // the old acceptance deadline: nothing
    expect((await at('2026-03-25 16:00', ticket.id)).map((f) => [f.kind, f.status])).toEqual([
      ['warning', 'fired'],
    ])
    // The reply meets it: the resolution timers follow the promised date.
    now = sh('2026-03-25 17:00')
    await staffAct(pm, ticket.id, 'reply', {
      plan: '请施工队维修',
      promisedAt: sh('2026-03-29 17:00').toISOString(),
    })
    expect(await pending(ticket.id)).toEqual([
      ['warning', 'resolve', 0, sh('2026-03-28 17:00').toISOString()],
      ['overdue', 'resolve', 1, sh('2026-03-29 17:00').toISOString()],
    ])
    expect(await at('2026-03-26 10:00', ticket.id)).toEqual([])
  })

  it('waiting for the resident stops the timers; resuming plans them later by the time spent waiting', async () => {
    now = sh('2026-04-06 10:00')
    const ticket = await file() // simple
    now = sh('2026-04-06 10:10')
    await staffAct(pm, ticket.id, 'accept') // resolve by the end of today; warned ~20:30
    const before = await pending(ticket.id)
    expect(before.map((p) => [p[0], p[1]])).toEqual([
      ['warning', 'resolve'],
      ['overdue', 'resolve'],
    ])
    now = sh('2026-04-06 11:00')
    await staffAct(pm, ticket.id, 'wait', { question: '请问是几楼的灯？' })
    expect(await pending(ticket.id)).toEqual([])
    expect(await at('2026-04-07 08:00', ticket.id)).toEqual([]) // past the old warning and deadline: nothing fires
    now = sh('2026-04-07 09:00') // waited 22 h
    await staffAct(pm, ticket.id, 'resume', { note: '居民已补充' })
    const shifted = (iso: string) => new Date(new Date(iso).getTime() + 22 * HOUR).toISOString()
    expect(await pending(ticket.id)).toEqual([
      ['warning', 'resolve', 0, shifted(before[0][3] as string)],
      ['overdue', 'resolve', 1, shifted(before[1][3] as string)],
    ])
    const row = (await t.dataSource.query('SELECT resolve_by FROM ticket WHERE id = $1', [ticket.id]))[0]
    expect(row.resolve_by.toISOString()).toBe(shifted(before[1][3] as string))
    expect(
      await at(new Date(new Date(shifted(before[0][3] as string)).getTime() - 60_000), ticket.id),
    ).toEqual([])
    expect((await at(new Date(shifted(before[0][3] as string)), ticket.id)).map((f) => f.kind)).toEqual([
      'warning',
    ])
    expect(
      (await at(new Date(shifted(before[1][3] as string)), ticket.id)).map((f) => [f.kind, f.level]),
    ).toEqual([['overdue', 1]])
  })

  it('a supervisor extends a promised date: the old deadline’s timers and escalation end, the new date’s begin', async () => {
    now = sh('2026-04-13 09:00')
    const ticket = await file('leak') // 房屋漏水: 物业, complex
    now = sh('2026-04-13 09:30')
    await staffAct(pm, ticket.id, 'accept')
    await staffAct(pm, ticket.id, 'reply', {
      plan: '联系防水公司',
      promisedAt: sh('2026-04-17 09:30').toISOString(),
    })
    expect((await at('2026-04-16 09:30', ticket.id)).map((f) => [f.kind, f.status])).toEqual([
      ['warning', 'fired'],
    ])
    expect((await at('2026-04-17 09:30', ticket.id)).map((f) => [f.kind, f.level])).toEqual([['overdue', 1]])
    now = sh('2026-04-17 15:00')
    const extended = await staffAct(community, ticket.id, 'extend', {
      promisedAt: sh('2026-05-30 18:00').toISOString(), // beyond the handler's 30 days
      reason: '需要业委会表决维修基金',
    })
    expect(extended.promise?.promisedAt).toBe(sh('2026-05-30 18:00').toISOString())
    expect(extended.resolveBy).toBe(sh('2026-05-30 18:00').toISOString())
    expect(extended.timeline.at(-1)).toMatchObject({
      type: 'promise_extended',
      public: true,
      actor: { role: 'community_supervisor' },
      data: { reason: '需要业委会表决维修基金' },
    })
    expect(await level(ticket.id)).toBe(0) // no longer late
    expect(await pending(ticket.id)).toEqual([
      ['warning', 'resolve', 0, warningAt(sh('2026-04-13 09:30'), sh('2026-05-30 18:00')).toISOString()],
      ['overdue', 'resolve', 1, sh('2026-05-30 18:00').toISOString()],
    ])
    expect((await outbox(ticket.id, 'promise_extended')).map((n) => n.recipient_id)).toEqual([pm.id])
    expect((await outbox(ticket.id, 'replied')).map((n) => n.payload.extended ?? false)).toEqual([
      false,
      true,
    ])
    expect(await at('2026-04-18 09:30', ticket.id)).toEqual([]) // the old date's next step: gone
    const warnAt = warningAt(sh('2026-04-13 09:30'), sh('2026-05-30 18:00'))
    expect((await at(warnAt, ticket.id)).map((f) => [f.kind, f.status])).toEqual([['warning', 'fired']])
    expect((await at('2026-05-30 18:00', ticket.id)).map((f) => [f.kind, f.status, f.level])).toEqual([
      ['overdue', 'fired', 1],
    ])
    expect((await outbox(ticket.id, 'warning')).map((n) => n.payload.dueAt)).toEqual([
      sh('2026-04-17 09:30').toISOString(),
      sh('2026-05-30 18:00').toISOString(),
    ])
    // Only later than the current promise, and within 180 days.
    const tooEarly = await t.app.inject({
      method: 'POST',
      url: `/api/requests/${ticket.id}/extend`,
      payload: { promisedAt: sh('2026-05-01 18:00').toISOString(), reason: '再议' },
      headers: await authHeader(t, { staff: community }),
    })
    expect(tooEarly.statusCode).toBe(400)
    // The handler may not extend their own promise.
    const byHandler = await t.app.inject({
      method: 'POST',
      url: `/api/requests/${ticket.id}/extend`,
      payload: { promisedAt: sh('2026-06-30 18:00').toISOString(), reason: '再议' },
      headers: await authHeader(t, { staff: pm }),
    })
    expect(byHandler.statusCode).toBe(403)
  })

  it('transfer and reassignment keep the deadline; its timers tell whoever handles it when they fire', async () => {
    now = sh('2026-04-20 10:00')
    const ticket = await file() // 物业, accept by 12:00
    now = sh('2026-04-20 10:15')
    await staffAct(pm, ticket.id, 'transfer', { toStaffId: police.id, reason: '涉及治安' })
    expect((await pending(ticket.id)).map((p) => p[3])).toEqual([
      sh('2026-04-20 11:30').toISOString(),
      sh('2026-04-20 12:00').toISOString(),
    ])
    await at('2026-04-20 11:30', ticket.id)
    expect((await outbox(ticket.id, 'warning')).map((n) => n.recipient_id)).toEqual([police.id])
    now = sh('2026-04-20 11:40')
    const reassigned = await staffAct(secretary, ticket.id, 'reassign', {
      toStaffId: pm.id,
      reason: '仍由物业处理',
    })
    expect(reassigned.handlerRole).toBe('property_manager')
    expect(reassigned.timeline.at(-1)).toMatchObject({ type: 'transferred', data: { by: 'supervisor' } })
    expect((await outbox(ticket.id, 'assigned')).map((n) => n.recipient_id)).toContain(pm.id)
    await at('2026-04-20 12:00', ticket.id)
    expect((await outbox(ticket.id, 'overdue')).map((n) => n.recipient_id)).toEqual([pm.id])
    expect((await outbox(ticket.id, 'warning')).map((n) => n.recipient_id)).toEqual([police.id]) // once only
  })

  it('auto-closes a resolved request 7 days later unless it was rated first; a reopening starts new timers', async () => {
    now = sh('2026-05-04 10:00')
    const quiet = await makeTicket(t, { unit: c.units[0][0], resident: reporter, state: 'resolved' })
    const rated = await makeTicket(t, { unit: c.units[0][0], resident: reporter, state: 'resolved' })
    const reopened = await makeTicket(t, { unit: c.units[0][0], resident: reporter, state: 'resolved' })
    expect(await pending(quiet.id)).toEqual([['auto_close', null, 0, sh('2026-05-11 10:00').toISOString()]])

    now = sh('2026-05-05 10:00')
    await act(reporter, rated.id, 'rating', { stars: 5 })
    await act(reporter, reopened.id, 'rating', { stars: 1, tags: ['没有解决'] })
    expect(await pending(rated.id)).toEqual([])
    expect((await pending(reopened.id)).map((p) => [p[0], p[1]])).toEqual([
      ['warning', 'resolve'],
      ['overdue', 'resolve'],
    ])

    expect(await at('2026-05-11 09:59', quiet.id)).toEqual([])
    expect(await at('2026-05-11 10:00', quiet.id)).toEqual([
      expect.objectContaining({ kind: 'auto_close', status: 'fired' }),
    ])
    expect((await timers(rated.id)).filter((r) => r.kind === 'auto_close').map((r) => r.status)).toEqual([
      'cancelled',
    ])
    const state = async (id: string) =>
      (await t.dataSource.query('SELECT state, closed_at FROM ticket WHERE id = $1', [id]))[0]
    expect(await state(quiet.id)).toEqual({ state: 'closed', closed_at: sh('2026-05-11 10:00') })
    expect(await state(rated.id)).toEqual({ state: 'closed', closed_at: sh('2026-05-05 10:00') })
    const closedEvents = await t.dataSource.query<
      { ticket_id: string; data: Record<string, unknown>; public: boolean }[]
    >(
      `SELECT ticket_id, data, public FROM ticket_event WHERE type = 'closed' AND ticket_id = ANY($1::uuid[]) ORDER BY at`,
      [[quiet.id, rated.id]],
    )
    expect(closedEvents).toEqual([
      { ticket_id: rated.id, data: { stars: 5 }, public: true },
      { ticket_id: quiet.id, data: { auto: true, days: 7 }, public: true },
    ])
    expect(await at('2026-05-20 10:00', quiet.id)).toEqual([])
  })

  it('a rejected or merged request has no timers left', async () => {
    now = sh('2026-05-25 10:00')
    const rejected = await makeTicket(t, { unit: c.units[0][0], resident: reporter, state: 'rejected' })
    const merged = await makeTicket(t, { unit: c.units[0][0], resident: reporter, state: 'merged' })
    expect(await pending(rejected.id)).toEqual([])
    expect(await pending(merged.id)).toEqual([])
    expect((await timers(rejected.id)).map((r) => r.status)).toEqual(['cancelled', 'cancelled'])
  })

  it('sweeps racing each other fire every timer exactly once', async () => {
    now = sh('2026-06-01 09:00')
    const ids: string[] = []
    for (let i = 0; i < 20; i++) ids.push((await file()).id)
    const race = async () => {
      const sweeps = await Promise.all([sweep(), sweep(), sweep(), sweep()])
      return sweeps.flatMap((s) => s.firings).filter((f) => ids.includes(f.ticketId))
    }
    now = sh('2026-06-01 10:45') // every warning (10:30) due
    expect((await race()).map((f) => `${f.kind}:${f.status}`).sort()).toEqual(Array(20).fill('warning:fired'))
    now = sh('2026-06-01 11:00') // every deadline
    expect((await race()).map((f) => `${f.kind}:${f.status}`).sort()).toEqual(Array(20).fill('overdue:fired'))
    expect(await race()).toEqual([])
    const [{ w }] = await t.dataSource.query(
      `SELECT count(*)::int AS w FROM notification_outbox WHERE type = 'warning' AND ticket_id = ANY($1::uuid[])`,
      [ids],
    )
    expect(w).toBe(20)
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM ticket_event WHERE type = 'escalated' AND ticket_id = ANY($1::uuid[])`,
      [ids],
    )
    expect(n).toBe(20)
    const [{ m }] = await t.dataSource.query(
      `SELECT count(*)::int AS m FROM notification_outbox WHERE type = 'escalated' AND ticket_id = ANY($1::uuid[])`,
      [ids],
    )
    expect(m).toBe(20)
  })
})
