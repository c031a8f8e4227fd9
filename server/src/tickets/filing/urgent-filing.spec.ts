import { TicketPageSchema, TicketViewSchema, type CategoryCode } from '@mq/shared'
import { startTestModule, type TestApp } from '../../../test/app'
import { authHeader, makeCompound, makeResident, makeStaff, type CompoundFixture } from '../../../test/factories'
import { Clock } from '../../common/clock'
import type { Resident } from '../../residents/resident.entity'
import type { Staff } from '../../staff/staff.entity'
import { TicketsModule } from '../tickets.module'

const sh = (local: string) => new Date(`${local.replace(' ', 'T')}:00+08:00`)

describe('filing in the urgent lane (紧急)', () => {
  let t: TestApp
  let c: CompoundFixture
  let pm: Staff
  let secretary: Staff
  let resident: Resident
  let now: Date
  beforeAll(async () => {
    t = await startTestModule({ imports: [TicketsModule], http: true })
    jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => new Date(now))
    c = await makeCompound(t, [1])
    pm = await makeStaff(t, 'property_manager', c.compound, '物业值班')
    await makeStaff(t, 'grid_lead', c.compound)
    secretary = await makeStaff(t, 'compound_secretary', c.compound, '书记')
    resident = await makeResident(t)
  })
  afterAll(() => t.close())

  let seq = 0
  const file = async (category: CategoryCode, description: string, extra: Record<string, unknown> = {}) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/requests',
      payload: { unitToken: c.tokens[0][0], category, description, ...extra },
      headers: { ...(await authHeader(t, { resident })), 'idempotency-key': `urgent-${Date.now()}-${seq++}` },
    })
    return res
  }
  const outbox = async (ticketId: string) =>
    t.dataSource.query<{ recipient_id: string; type: string; payload: Record<string, unknown>; created_at: Date }[]>(
      `SELECT recipient_id, type, payload, created_at FROM notification_outbox
        WHERE ticket_id = $1 AND recipient_kind = 'staff' ORDER BY id`,
      [ticketId],
    )

  it('at 23:00 a report of people trapped in a lift is urgent: accepted within 30 minutes, handler and secretary told at once', async () => {
    now = sh('2026-03-06 23:00')
    const res = await file('facilities', '2号楼电梯困人了，里面有一位老人')
    expect(res.statusCode).toBe(201)
    const view = TicketViewSchema.parse(res.json())
    expect(view.urgent).toBe(true)
    // At any hour: not the next morning's 10:00 of an ordinary request filed at night.
    expect(view.acceptBy).toBe(sh('2026-03-06 23:30').toISOString())
    expect(view.nextDueAt).toBe(view.acceptBy)
    const rows = await t.dataSource.query<{ urgent: boolean }[]>('SELECT urgent FROM ticket WHERE id = $1', [view.id])
    expect(rows[0].urgent).toBe(true)
    const sent = await outbox(view.id)
    expect(sent.map((n) => [n.recipient_id, n.type, n.payload.as, n.payload.urgent])).toEqual([
      [pm.id, 'assigned', 'handler', true],
      [secretary.id, 'assigned', 'supervisor', true],
    ])
    // Queued with the filing itself, not by a later timer.
    expect(sent.every((n) => n.created_at.getTime() === now.getTime())).toBe(true)
    // Its timers: the warning at 75% of the 30 minutes, overdue (escalation) when they are up.
    const timers = await t.dataSource.query<{ kind: string; step: number; fire_at: Date }[]>(
      `SELECT kind, step, fire_at FROM deadline_timer WHERE ticket_id = $1 AND status = 'pending' ORDER BY fire_at`,
      [view.id],
    )
    expect(timers.map((r) => [r.kind, r.step, r.fire_at.toISOString()])).toEqual([
      ['warning', 0, sh('2026-03-06 23:22').toISOString().replace(':00.000Z', ':30.000Z')],
      ['overdue', 1, sh('2026-03-06 23:30').toISOString()],
    ])
  })

  it('an ordinary report filed at 23:00 keeps the night rule and tells only the handler', async () => {
    now = sh('2026-03-06 23:00')
    const view = TicketViewSchema.parse((await file('facilities', '楼道灯坏了，晚上看不清台阶')).json())
    expect(view.urgent).toBe(false)
    expect(view.acceptBy).toBe(sh('2026-03-07 10:00').toISOString())
    expect((await outbox(view.id)).map((n) => n.recipient_id)).toEqual([pm.id])
  })

  it('does not take the client’s word: an urgent claim in the body is refused, the words decide', async () => {
    now = sh('2026-03-06 23:05')
    const claimed = await file('facilities', '楼道灯坏了', { urgent: true })
    expect(claimed.statusCode).toBe(400)
    expect(claimed.json().code).toBe('VALIDATION_FAILED')
  })

  it('urgent requests head the handler’s inbox, ahead of older deadlines', async () => {
    now = sh('2026-03-07 08:00')
    const gas = TicketViewSchema.parse((await file('sanitation', '楼道里有很浓的燃气味')).json())
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/requests/inbox',
      headers: await authHeader(t, { staff: pm }),
    })
    const page = TicketPageSchema.parse(res.json())
    const urgentFlags = page.items.map((i) => i.urgent)
    expect(urgentFlags).toEqual([true, true, false])
    // Among the urgent ones, nearest deadline first: the lift (23:30 last night), then the gas (08:30).
    expect(page.items[1].id).toBe(gas.id)
  })
})
