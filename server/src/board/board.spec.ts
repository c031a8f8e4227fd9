import { randomUUID } from 'node:crypto'
import type { Board } from '@mq/shared'
import { startTestModule, type TestApp } from '../../test/app'
import {
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
import { Ticket } from '../tickets/ticket.entity'
import { TicketWorkflowService } from '../tickets/ticket-workflow.service'
import { BoardModule } from './board.module'
import { TicketsModule } from '../tickets/tickets.module'

describe('GET /api/board/:compoundId (公示)', () => {
  let t: TestApp
  let c: CompoundFixture
  let resident: Resident
  let handler: Staff
  let proxyStaff: Staff
  const ids: Record<string, string> = {}

  beforeAll(async () => {
    t = await startTestModule({ imports: [BoardModule, TicketsModule], http: true })
    c = await makeCompound(t, [1, 1])
    resident = await makeResident(t, { name: '公示测试居民', phone: '13712340001' })
    handler = await makeStaff(t, 'property_manager', c.compound, '公示测试物业')
    proxyStaff = await makeStaff(t, 'grid_lead', c.compound, '公示测试网格长')
    const unit = c.units[0][0]
    const file = async (key: string, state: Parameters<typeof makeTicket>[1]['state'], category?: 'leak') => {
      ids[key] = (await makeTicket(t, { unit, resident, state, room: '1203', category })).id
    }
    await file('submitted', 'submitted')
    await file('accepted', 'accepted')
    await file('replied', 'replied', 'leak')
    await file('resolved3', 'resolved')
    await file('closed', 'closed')
    await file('rejected', 'rejected')
    await file('merged', 'merged') // also files the request it is merged into, in the same unit
    // Withdrawn by its reporter before anyone accepted it: not the compound's business, not on the board.
    await file('withdrawn', 'submitted')
    await t.app.get(TicketWorkflowService).withdraw(residentPrincipal(resident), ids.withdrawn, {}, null)
    ids.old = (
      await makeTicket(t, {
        unit: c.units[1][0],
        proxy: { name: '代录测试人', phone: '13712340002', staff: proxyStaff },
        state: 'closed',
      })
    ).id
    // The resolved one is rated 3 stars by its reporter: closed.
    await t.app.get(TicketWorkflowService).rate(residentPrincipal(resident), ids.resolved3, { stars: 3, tags: [] }, null)
    // Deadlines set by hand so on-time is known: on time, late, on time exactly at the deadline.
    const setResolveBy = (id: string, offset: string) =>
      t.dataSource.query(`UPDATE ticket SET resolve_by = resolved_at + interval '${offset}' WHERE id = $1`, [id])
    await setResolveBy(ids.resolved3, '1 hour')
    await setResolveBy(ids.closed, '-1 hour')
    await setResolveBy(ids.old, '0')
    // The proxy entry was filed long ago: all time only.
    await t.dataSource.query(`UPDATE ticket SET created_at = now() - interval '400 days' WHERE id = $1`, [ids.old])
  })
  afterAll(() => t.close())

  const get = (url: string) => t.app.inject({ method: 'GET', url })

  it('counts this month and all time, by hand', async () => {
    const res = await get(`/api/board/${c.compound.id}`)
    expect(res.statusCode).toBe(200)
    const board = res.json<Board>()
    expect(board.compoundName).toBe(c.compound.name)
    // 9 requests: submitted, accepted, replied, resolved→rated 3 (closed), closed (5), rejected, merged,
    // the one it was merged into (submitted), and last year's proxy entry (closed, 5).
    // Accepted: accepted, replied, resolved3, closed, old. Committed: replied. Resolved and closed:
    // resolved3, closed, old. On time: resolved3 and old (closed was late). Rated: 3, 5, 5.
    expect(board.allTime).toEqual({
      received: 9,
      accepted: 5,
      committed: 1,
      resolved: 3,
      closed: 3,
      onTime: 2,
      rated: 3,
      averageRating: 4.33,
    })
    // This month: the same without the old one.
    expect(board.thisMonth).toEqual({
      received: 8,
      accepted: 4,
      committed: 1,
      resolved: 2,
      closed: 2,
      onTime: 1,
      rated: 2,
      averageRating: 4,
    })
  })

  it('lists the requests newest first, paginated, with commitment and resolution', async () => {
    const first = (await get(`/api/board/${c.compound.id}?pageSize=5`)).json<Board>()
    const second = (await get(`/api/board/${c.compound.id}?pageSize=5&page=2`)).json<Board>()
    expect(first.total).toBe(9)
    expect([...first.items, ...(await get(`/api/board/${c.compound.id}?pageSize=50`)).json<Board>().items].map((i) => i.id)).not.toContain(ids.withdrawn)
    expect(first.items).toHaveLength(5)
    expect(second.items).toHaveLength(4)
    const all = [...first.items, ...second.items]
    const times = all.map((i) => i.createdAt)
    expect([...times].sort().reverse()).toEqual(times)
    const numbers = await t.dataSource.getRepository(Ticket).findBy({ compoundId: c.compound.id })
    const byId = new Map(numbers.map((n) => [n.id, `MQ${String(n.number).padStart(6, '0')}`]))
    expect(all.at(-1)).toMatchObject({ number: byId.get(ids.old), buildingName: '2幢', state: 'closed' })
    const replied = all.find((i) => i.number === byId.get(ids.replied))
    expect(replied).toMatchObject({ category: 'leak', state: 'replied', buildingName: '1幢', resolution: null })
    expect(replied?.promise).toEqual({ plan: '先排查再维修', promisedAt: expect.any(String) })
    const resolved = all.find((i) => i.number === byId.get(ids.resolved3))
    expect(resolved?.resolution).toEqual({ note: '已处理', resolvedAt: expect.any(String) })
  })

  it('carries no name, phone, openid or room of the data, and of the description only its public text', async () => {
    await t.dataSource.query(`UPDATE ticket SET description = $2 WHERE id = $1`, [
      ids.accepted,
      '我是公示测试居民，住1203，电话13712340001，楼道灯坏了',
    ])
    const res = await get(`/api/board/${c.compound.id}?pageSize=50`)
    const body = res.body
    const accepted = res.json<Board>().items.find((i) => i.id === ids.accepted)
    expect(accepted?.publicText).toBe('我是******，住***，电话***，楼道灯坏了')
    const forbidden = [
      resident.name!,
      resident.phone!,
      resident.openid!,
      '代录测试人',
      '13712340002',
      '公示测试物业',
      '公示测试网格长',
      handler.phone,
      proxyStaff.phone,
      '1203',
    ]
    for (const value of forbidden) expect(body).not.toContain(value)
    // Request ids (UUIDs) may hold a run of digits: not a phone.
    const withoutIds = body.replace(/"id":"[0-9a-f-]{36}"/g, '')
    expect(withoutIds).not.toMatch(/1[3-9]\d{9}/)
    expect(withoutIds).not.toMatch(/"o[A-Za-z0-9_-]{27}"/)
  })

  it('shows staff’s edited public summary in place of the original, and still no personal data', async () => {
    const workflow = t.app.get(TicketWorkflowService)
    const staff = await staffPrincipal(t, handler)
    await workflow.editPublicSummary(staff, ids.replied, { commitment: '本月底前完成外墙防水' }, null)
    await workflow.editPublicSummary(staff, ids.resolved3, { resolution: '已更换灯具，居民确认' }, null)
    const numbers = new Map(
      (await t.dataSource.getRepository(Ticket).findBy({ compoundId: c.compound.id })).map((n) => [
        n.id,
        `MQ${String(n.number).padStart(6, '0')}`,
      ]),
    )
    const res = await get(`/api/board/${c.compound.id}?pageSize=50`)
    const items = res.json<Board>().items
    const item = (id: string) => items.find((i) => i.number === numbers.get(id))!
    expect(item(ids.replied).promise).toEqual({ plan: '本月底前完成外墙防水', promisedAt: expect.any(String) })
    expect(item(ids.resolved3).resolution).toEqual({ note: '已更换灯具，居民确认', resolvedAt: expect.any(String) })
    // The others still show their original text.
    expect(item(ids.closed).resolution?.note).toBe('已处理')
    expect(res.body).not.toContain('先排查再维修')
    for (const value of [resident.name!, resident.phone!, '公示测试物业', '1203']) expect(res.body).not.toContain(value)
  })

  it('answers 404 for anything but a compound, 400 for a bad id', async () => {
    expect((await get(`/api/board/${randomUUID()}`)).statusCode).toBe(404)
    expect((await get(`/api/board/${c.buildings[0].id}`)).statusCode).toBe(404)
    expect((await get('/api/board/not-a-uuid')).statusCode).toBe(400)
  })
})
