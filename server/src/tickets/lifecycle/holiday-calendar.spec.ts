/**
 * Deadlines and the escalation ladder on China's working calendar, driven by the injectable clock across
 * the 2026 National Day holiday (1–7 October off, Saturday 10 October a make-up workday). A working-time
 * handler (网格长) is never warned or escalated on a day off; an on-duty handler (物业) is, as before.
 */
import { TicketViewSchema } from '@mq/shared'
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
import { Ticket } from '../ticket.entity'
import { DeadlineTimersService } from './deadline-timers.service'
import { TicketsModule } from '../../tickets/tickets.module'
import { DeadlinesModule } from '../../deadlines/deadlines.module'

/** A Shanghai wall-clock time as an instant. */
const sh = (local: string) => new Date(`${local.replace(' ', 'T')}:00+08:00`)
const HOUR = 3_600_000
const OFF_DAYS = ['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07', '2026-10-11']

describe('deadlines across the National Day holiday', () => {
  let db: { url: string; drop(): Promise<void> }
  let t: TestApp
  let c: CompoundFixture
  let grid: Staff
  let pm: Staff
  let reporter: Resident
  let now: Date

  beforeAll(async () => {
    db = await scratchDatabase('mq_holiday')
    t = await startTestModule({ imports: [TicketsModule, DeadlinesModule], http: true, databaseUrl: db.url })
    jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => new Date(now))
    now = sh('2026-09-30 08:00')
    c = await makeCompound(t, [1])
    pm = await makeStaff(t, 'property_manager', c.compound, '物业王')
    grid = await makeStaff(t, 'grid_lead', c.compound, '网格长陈')
    await makeStaff(t, 'compound_secretary', c.compound, '书记刘')
    await makeStaff(t, 'community_supervisor', c.community, '社区孙')
    await makeStaff(t, 'street_supervisor', c.street, '街道周')
    await makeStaff(t, 'district_supervisor', c.district, '区吴')
    reporter = await makeResident(t)
  })
  afterAll(async () => {
    await t.close()
    await db.drop()
  })

  const sweep = () => t.app.get(DeadlineTimersService).runDue()
  const file = (category: 'other' | 'facilities' | 'neighbor_dispute') =>
    makeTicket(t, { unit: c.units[0][0], resident: reporter, category })
  /** Sweeps every 15 minutes from now to `until` (inclusive); every firing of `ticketId`, with its local time. */
  const runUntil = async (until: string, ticketId: string) => {
    const fired: Array<{ at: string; kind: string; step: number; level?: number }> = []
    const end = sh(until).getTime()
    for (let ms = now.getTime(); ms <= end; ms += HOUR / 4) {
      now = new Date(ms)
      for (const f of (await sweep()).firings) {
        if (f.ticketId !== ticketId || f.status !== 'fired') continue
        const local = new Date(ms + 8 * HOUR).toISOString().slice(0, 16).replace('T', ' ')
        fired.push({ at: local, kind: f.kind, step: f.step, ...(f.level !== undefined ? { level: f.level } : {}) })
      }
    }
    return fired
  }
  const post = async (staff: Staff, id: string, action: string, payload: Record<string, unknown>) =>
    t.app.inject({
      method: 'POST',
      url: `/api/requests/${id}/${action}`,
      payload,
      headers: await authHeader(t, { staff }),
    })

  it('网格长: filed the evening before the holiday, nothing fires until the first working day; then one step per working day', async () => {
    now = sh('2026-09-30 19:00')
    const ticket = await file('other') // 网格长, simple
    expect(ticket.handlerRole).toBe('grid_lead')
    // 60 working minutes tonight, 60 on 8 October; resolution by the end of 8 October.
    expect(ticket.acceptBy).toEqual(sh('2026-10-08 09:00'))
    expect(ticket.resolveBy).toEqual(new Date('2026-10-08T23:59:59.999+08:00'))

    const fired = await runUntil('2026-10-12 12:00', ticket.id)
    expect(fired).toEqual([
      { at: '2026-10-08 08:30', kind: 'warning', step: 0 }, // 75% of the two working hours
      { at: '2026-10-08 09:00', kind: 'overdue', step: 1, level: 1 }, // 小区党委书记
      { at: '2026-10-09 09:00', kind: 'overdue', step: 2, level: 2 }, // 社区
      { at: '2026-10-10 09:00', kind: 'overdue', step: 3, level: 3 }, // 街道, on the make-up Saturday
      { at: '2026-10-12 09:00', kind: 'overdue', step: 4, level: 4 }, // 区, Monday: Sunday 11 October is off
    ])
    for (const f of fired) expect(OFF_DAYS).not.toContain(f.at.slice(0, 10))
    const escalated = await t.dataSource.query<{ data: { role: string } }[]>(
      `SELECT data FROM ticket_event WHERE ticket_id = $1 AND type = 'escalated' ORDER BY at`,
      [ticket.id],
    )
    expect(escalated.map((e) => e.data.role)).toEqual([
      'compound_secretary',
      'community_supervisor',
      'street_supervisor',
      'district_supervisor',
    ])
  })

  it('物业 (on duty every day): the same evening, its ladder climbs through the holiday', async () => {
    now = sh('2026-09-30 19:00')
    const ticket = await file('facilities') // 物业, simple
    expect(ticket.acceptBy).toEqual(sh('2026-10-01 09:00'))
    const fired = await runUntil('2026-10-05 12:00', ticket.id)
    expect(fired).toEqual([
      { at: '2026-10-01 08:30', kind: 'warning', step: 0 },
      { at: '2026-10-01 09:00', kind: 'overdue', step: 1, level: 1 },
      { at: '2026-10-02 09:00', kind: 'overdue', step: 2, level: 2 },
      { at: '2026-10-03 09:00', kind: 'overdue', step: 3, level: 3 },
      { at: '2026-10-04 09:00', kind: 'overdue', step: 4, level: 4 },
    ])
  })

  it('a transfer from 物业 to the 网格长 recomputes what is still owed on the working calendar', async () => {
    now = sh('2026-09-30 19:00')
    const ticket = await file('facilities')
    now = sh('2026-09-30 19:30')
    expect(ticket.handlerStaffId).toBe(pm.id)
    const res = await post(pm, ticket.id, 'transfer', { toRole: 'grid_lead', reason: '需网格长协调' })
    expect(res.statusCode).toBe(200)
    const moved = await t.dataSource.getRepository(Ticket).findOneByOrFail({ id: ticket.id })
    expect(moved.handlerRole).toBe('grid_lead')
    expect(moved.acceptBy).toEqual(sh('2026-10-08 09:00'))
    expect(moved.nextDueAt).toEqual(sh('2026-10-08 09:00'))
    const pending = await t.dataSource.query<{ kind: string; fire_at: Date }[]>(
      `SELECT kind, fire_at FROM deadline_timer WHERE ticket_id = $1 AND status = 'pending' ORDER BY fire_at`,
      [ticket.id],
    )
    expect(pending).toEqual([
      { kind: 'warning', fire_at: sh('2026-10-08 08:30') },
      { kind: 'overdue', fire_at: sh('2026-10-08 09:00') },
    ])
  })

  it('a 网格长 may not promise a day off: 400 in Chinese naming the holiday and the next working day', async () => {
    now = sh('2026-09-29 10:00')
    const ticket = await file('neighbor_dispute') // 网格长, complex
    expect(ticket.replyBy).toEqual(sh('2026-10-09 10:00')) // 3 working days: 29, 30 Sep, 8 Oct
    expect((await post(grid, ticket.id, 'accept', {})).statusCode).toBe(200)
    const holiday = await post(grid, ticket.id, 'reply', { plan: '约双方调解', promisedAt: sh('2026-10-03 17:00').toISOString() })
    expect(holiday.statusCode).toBe(400)
    expect(holiday.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: '承诺办结日期须是工作日：10月3日是国庆节，可改为10月8日',
    })
    const ok = await post(grid, ticket.id, 'reply', { plan: '约双方调解', promisedAt: sh('2026-10-10 17:00').toISOString() })
    expect(ok.statusCode).toBe(200)
    expect(TicketViewSchema.parse(ok.json()).resolveBy).toBe(sh('2026-10-10 17:00').toISOString())
  })
})
