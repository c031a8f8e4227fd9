import { BatchResultSchema, type BatchResult } from '@mq/shared'
import { randomUUID } from 'node:crypto'
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
import type { Resident } from '../residents/resident.entity'
import type { Staff } from '../staff/staff.entity'
import { TicketsModule } from './tickets.module'

describe('batch actions (several requests at once)', () => {
  let t: TestApp
  let c: CompoundFixture
  let other: CompoundFixture
  let pm: Staff
  let gridLead: Staff
  let otherPm: Staff
  let reporter: Resident
  beforeAll(async () => {
    t = await startTestModule({ imports: [TicketsModule], http: true })
    c = await makeCompound(t, [1])
    other = await makeCompound(t, [1])
    pm = await makeStaff(t, 'property_manager', c.compound, '物业王')
    gridLead = await makeStaff(t, 'grid_lead', c.compound, '网格长陈')
    otherPm = await makeStaff(t, 'property_manager', other.compound, '别处物业')
    reporter = await makeResident(t)
  })
  afterAll(() => t.close())

  const post = async (who: { staff: Staff } | { resident: Resident }, action: string, payload: unknown) =>
    t.app.inject({
      method: 'POST',
      url: `/api/requests/batch/${action}`,
      payload: payload as Record<string, unknown>,
      headers: await authHeader(t, who),
    })
  const answered = (res: { statusCode: number; body: string; json: () => unknown }): BatchResult => {
    if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`)
    return BatchResultSchema.parse(res.json())
  }
  const fileMany = async (n: number, compound = c) => {
    const ids: string[] = []
    for (let i = 0; i < n; i++) ids.push((await makeTicket(t, { unit: compound.units[0][0], resident: reporter })).id)
    return ids
  }
  const events = (id: string, type: string) =>
    count(t.dataSource, 'SELECT 1 FROM ticket_event WHERE ticket_id = $1 AND type = $2', [id, type])
  const messages = (id: string, type: string) =>
    count(t.dataSource, 'SELECT 1 FROM notification_outbox WHERE ticket_id = $1 AND type = $2', [id, type])
  const stateOf = async (id: string) =>
    (await t.dataSource.query<{ state: string }[]>('SELECT state FROM ticket WHERE id = $1', [id]))[0].state

  it('accepts 20: 19 done and the one already accepted refused with its code, each journalled and told once', async () => {
    const ids = await fileMany(19)
    const already = (await makeTicket(t, { unit: c.units[0][0], resident: reporter, state: 'accepted' })).id
    const batch = [...ids.slice(0, 7), already, ...ids.slice(7)]
    const eventsBefore = await events(already, 'accepted')

    const result = answered(await post({ staff: pm }, 'accept', { ids: batch, input: {} }))

    expect(result.succeeded).toBe(19)
    expect(result.failed).toBe(1)
    expect(result.results.map((r) => r.id)).toEqual(batch) // in the order sent
    expect(result.results[7]).toEqual({
      id: already,
      ok: false,
      error: { code: 'ILLEGAL_TRANSITION', message: '已被受理' },
    })
    for (const id of ids) {
      expect(await stateOf(id)).toBe('accepted')
      expect(await events(id, 'accepted')).toBe(1)
      expect(await messages(id, 'accepted')).toBe(1)
    }
    // The refused one is as it was: no second entry, no second message.
    expect(await events(already, 'accepted')).toBe(eventsBefore)
    expect(await messages(already, 'accepted')).toBeLessThanOrEqual(1)
  })

  it('a request of another compound is "no such request" per id, the same as an id that does not exist', async () => {
    const [mine] = await fileMany(1)
    const [theirs] = await fileMany(1, other)
    const missing = randomUUID()
    const result = answered(await post({ staff: pm }, 'accept', { ids: [mine, theirs, missing], input: {} }))
    expect(result.results[0]).toEqual({ id: mine, ok: true })
    expect(result.results[1]).toEqual({ id: theirs, ok: false, error: result.results[2].ok ? null : result.results[2].error })
    expect(result.results[2]).toMatchObject({ ok: false, error: { code: 'TICKET_NOT_FOUND' } })
    expect(await stateOf(theirs)).toBe('submitted')
    expect(await events(theirs, 'accepted')).toBe(0)
    // Its own handler still can.
    expect(answered(await post({ staff: otherPm }, 'accept', { ids: [theirs] })).succeeded).toBe(1)
  })

  it('refuses the whole batch before running any of it: more than 50 ids, a repeated id, no ids', async () => {
    const [one] = await fileMany(1)
    const tooMany = [one, ...Array.from({ length: 50 }, () => randomUUID())]
    for (const ids of [tooMany, [one, one], []]) {
      const res = await post({ staff: pm }, 'accept', { ids, input: {} })
      expect(res.statusCode).toBe(400)
      expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED' })
    }
    expect(await stateOf(one)).toBe('submitted')
    expect((await post({ staff: pm }, 'accept', { ids: [one], input: {}, state: 'closed' })).statusCode).toBe(400)
    expect((await post({ resident: reporter }, 'accept', { ids: [one], input: {} })).statusCode).toBe(403)
  })

  it('transfers to one role with one reason, each as a single transfer (timeline entry, the new handler told)', async () => {
    const ids = await fileMany(3)
    const result = answered(
      await post({ staff: pm }, 'transfer', { ids, input: { toRole: 'grid_lead', reason: '不属物业职责' } }),
    )
    expect(result).toMatchObject({ succeeded: 3, failed: 0 })
    for (const id of ids) {
      const [row] = await t.dataSource.query<{ handler_staff_id: string }[]>(
        'SELECT handler_staff_id FROM ticket WHERE id = $1',
        [id],
      )
      expect(row.handler_staff_id).toBe(gridLead.id)
      expect(await events(id, 'transferred')).toBe(1)
      expect(
        await count(
          t.dataSource,
          `SELECT 1 FROM notification_outbox WHERE ticket_id = $1 AND type = 'assigned' AND recipient_id = $2`,
          [id, gridLead.id],
        ),
      ).toBe(1)
    }
    // Now 物业 no longer handles them: a second transfer by them is refused per id (403), not as a whole.
    const again = answered(await post({ staff: pm }, 'transfer', { ids, input: { toRole: 'police', reason: '再转' } }))
    expect(again.failed).toBe(3)
    expect(again.results.every((r) => !r.ok && r.error.code === 'FORBIDDEN')).toBe(true)
    const bad = await post({ staff: pm }, 'transfer', { ids, input: { reason: '没有对象' } })
    expect(bad.statusCode).toBe(400)
  })

  it('adds the same internal note to each, once', async () => {
    const ids = await fileMany(2)
    const result = answered(await post({ staff: gridLead }, 'notes', { ids, input: { text: '周末统一处理' } }))
    expect(result).toMatchObject({ succeeded: 2, failed: 0 })
    for (const id of ids) expect(await events(id, 'noted')).toBe(1)
  })
})
