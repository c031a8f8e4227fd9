import { DuplicateListSchema, TicketPageSchema, TicketViewSchema } from '@mq/shared'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Client } from 'pg'
import { startTestModule, testDatabaseUrl, type TestApp } from '../../test/app'
import {
  authHeader,
  count,
  makeCompound,
  makeResident,
  makeStaff,
  makeTicket,
  uploadPhoto,
  type CompoundFixture,
} from '../../test/factories'
import { PlacesService } from '../places/places.service'
import type { Resident } from '../residents/resident.entity'
import type { Staff } from '../staff/staff.entity'
import { TicketsModule } from './tickets.module'

describe('filing a request', () => {
  let t: TestApp
  let c: CompoundFixture
  let pm: Staff
  let resident: Resident
  let dataDir: string
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mq-filing-'))
    t = await startTestModule({ imports: [TicketsModule], http: true, env: { DATA_DIR: dataDir } })
    c = await makeCompound(t, [2, 1])
    pm = await makeStaff(t, 'property_manager', c.compound, '物业王')
    await makeStaff(t, 'grid_lead', c.compound, '网格长陈')
    resident = await makeResident(t, { name: '张三', phone: '13812345678' })
  })
  afterAll(async () => {
    await t.close()
    await rm(dataDir, { recursive: true, force: true })
  })

  let keySeq = 0
  const newKey = () => `test-key-${process.pid}-${Date.now()}-${keySeq++}`
  const post = async (who: Resident, body: Record<string, unknown>, key: string | null = newKey()) =>
    t.app.inject({
      method: 'POST',
      url: '/api/requests',
      payload: body,
      headers: { ...(await authHeader(t, { resident: who })), ...(key ? { 'idempotency-key': key } : {}) },
    })
  const body = (extra: Record<string, unknown> = {}) => ({
    unitToken: c.tokens[0][0],
    category: 'facilities',
    description: '楼道灯不亮了',
    ...extra,
  })

  it('routes, times and records it in one go, and queues the handler’s notification', async () => {
    const res = await post(resident, body({ room: '302', contactConsent: true }))
    expect(res.statusCode).toBe(201)
    const view = TicketViewSchema.parse(res.json())
    expect(view).toMatchObject({
      state: 'submitted',
      severity: 'simple',
      channel: 'miniapp',
      handlerRole: 'property_manager',
      handlerName: '物业王',
      reporter: null,
      viewer: { relation: 'reporter', commands: ['chase', 'message', 'withdraw'] },
    })
    expect(view.nextDueAt).toBe(view.acceptBy)
    expect(view.resolveBy).not.toBeNull()
    expect(view.timeline.map((e) => e.type)).toEqual(['filed', 'routed'])
    const outbox = await t.dataSource.query(
      `SELECT recipient_kind, recipient_id, type, payload FROM notification_outbox WHERE ticket_id = $1`,
      [view.id],
    )
    expect(outbox).toEqual([
      {
        recipient_kind: 'staff',
        recipient_id: pm.id,
        type: 'assigned',
        payload: expect.objectContaining({ number: view.number, category: 'facilities', as: 'handler' }),
      },
    ])
    const row = await t.dataSource.query(
      'SELECT room, contact_consent, reporter_resident_id FROM ticket WHERE id = $1',
      [view.id],
    )
    expect(row[0]).toEqual({ room: '302', contact_consent: true, reporter_resident_id: resident.id })
  })

  it('needs an Idempotency-Key', async () => {
    const res = await post(resident, body(), null)
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'Idempotency-Key' }] })
  })

  it('the same key and body returns the original request (200, same id); another body is 422', async () => {
    const key = newKey()
    const first = await post(resident, body(), key)
    expect(first.statusCode).toBe(201)
    const again = await post(resident, body(), key)
    expect(again.statusCode).toBe(200)
    expect(again.json().id).toBe(first.json().id)
    const other = await post(resident, body({ description: '另一件事' }), key)
    expect(other.statusCode).toBe(422)
    expect(other.json().code).toBe('IDEMPOTENCY_MISMATCH')
    expect(await count(t.dataSource, 'SELECT 1 FROM idempotency_key WHERE key = $1', [key])).toBe(1)
    // Keys belong to their caller: another resident's same key is another request.
    const neighbour = await post(await makeResident(t), body(), key)
    expect(neighbour.statusCode).toBe(201)
    expect(neighbour.json().id).not.toBe(first.json().id)
  })

  it('a request still in flight with the key is 409, and goes through once it is not', async () => {
    const key = newKey()
    const holder = new Client({ connectionString: testDatabaseUrl() })
    await holder.connect()
    try {
      // What a twin request's transaction holds while it files.
      await holder.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [
        `idempotency:resident:${resident.id}:${key}`,
      ])
      const inFlight = await post(resident, body(), key)
      expect(inFlight.statusCode).toBe(409)
      expect(inFlight.json().code).toBe('CONFLICT')
      await holder.query('SELECT pg_advisory_unlock_all()')
      expect((await post(resident, body(), key)).statusCode).toBe(201)
    } finally {
      await holder.end()
    }
  })

  it('200 concurrent POSTs with 100 distinct keys (each sent twice at once) make exactly 100 requests', async () => {
    const who = await makeResident(t)
    const auth = await authHeader(t, { resident: who })
    const keys = Array.from({ length: 100 }, (_, i) => `burst-${process.pid}-${Date.now()}-${i}`)
    const send = (key: string, i: number) =>
      t.app.inject({
        method: 'POST',
        url: '/api/requests',
        payload: body({ description: `并发测试 ${i}` }),
        headers: { ...auth, 'idempotency-key': key },
      })
    const responses = await Promise.all(keys.flatMap((key, i) => [send(key, i), send(key, i)]))
    const statuses = responses.map((r) => r.statusCode)
    expect(statuses.every((s) => [200, 201, 409].includes(s))).toBe(true)
    for (let i = 0; i < keys.length; i++) {
      const pair = [responses[2 * i], responses[2 * i + 1]]
      // Exactly one of each pair created the request; a twin got it back (200) or was told to retry (409).
      expect(pair.filter((r) => r.statusCode === 201)).toHaveLength(1)
      const ids = pair.filter((r) => r.statusCode < 300).map((r) => r.json().id)
      expect(new Set(ids).size).toBe(1)
    }
    expect(await count(t.dataSource, 'SELECT 1 FROM ticket WHERE reporter_resident_id = $1', [who.id])).toBe(
      100,
    )
    expect(
      await count(t.dataSource, 'SELECT 1 FROM idempotency_key WHERE principal = $1', [`resident:${who.id}`]),
    ).toBe(100)
    // A retry of the ones told 409 now gets the original.
    const retried = await send(keys[0], 0)
    expect(retried.statusCode).toBe(200)
  }, 60_000)

  it('attaches the resident’s own uploaded photos; someone else’s photo refuses the whole request', async () => {
    const photoId = await uploadPhoto(t, { resident })
    const res = await post(resident, body({ photoIds: [photoId] }))
    expect(res.statusCode).toBe(201)
    expect(res.json().photos.report).toEqual([
      { id: photoId, url: `/api/requests/${res.json().id}/photos/${photoId}` },
    ])
    const stranger = await makeResident(t)
    const theirs = await uploadPhoto(t, { resident: stranger })
    const before = await count(t.dataSource, 'SELECT 1 FROM ticket')
    const refused = await post(resident, body({ photoIds: [theirs] }))
    expect(refused.statusCode).toBe(400)
    expect(await count(t.dataSource, 'SELECT 1 FROM ticket')).toBe(before)
    // A used photo cannot be attached twice.
    expect((await post(resident, body({ photoIds: [photoId] }))).statusCode).toBe(400)
  })

  it('accepts a unit id instead of a token; a replaced QR code is 410 and nothing is filed', async () => {
    const byId = await post(resident, {
      unitId: c.units[1][0].id,
      category: 'sanitation',
      description: '垃圾没清',
    })
    expect(byId.statusCode).toBe(201)
    expect(byId.json().buildingName).toBe('2幢')
    await t.dataSource.query('UPDATE qr_code SET revoked_at = now() WHERE token = $1', [c.tokens[0][1]])
    const replaced = await post(resident, body({ unitToken: c.tokens[0][1] }))
    expect(replaced.statusCode).toBe(410)
  })

  describe('my requests', () => {
    it('newest first with state and next deadline, paginated; followed requests included', async () => {
      const me = await makeResident(t)
      for (const description of ['第一', '第二', '第三']) {
        expect((await post(me, body({ description }))).statusCode).toBe(201)
      }
      const someoneElses = await makeTicket(t, { unit: c.units[0][0], resident: await makeResident(t) })
      const followed = await t.app.inject({
        method: 'POST',
        url: `/api/requests/${someoneElses.id}/follow`,
        payload: { token: c.tokens[0][0] },
        headers: await authHeader(t, { resident: me }),
      })
      expect(followed.statusCode).toBe(200)
      const page = async (query: string) =>
        TicketPageSchema.parse(
          (
            await t.app.inject({
              method: 'GET',
              url: `/api/requests/mine${query}`,
              headers: await authHeader(t, { resident: me }),
            })
          ).json(),
        )
      const first = await page('?pageSize=2')
      expect(first.total).toBe(4)
      expect(first.items.map((i) => [i.description, i.relation])).toEqual([
        ['测试：楼道灯坏了', 'follower'],
        ['第三', 'reporter'],
      ])
      expect(first.items[1].nextDueAt).toBe(first.items[1].acceptBy)
      const second = await page('?pageSize=2&page=2')
      expect(second.items.map((i) => i.description)).toEqual(['第二', '第一'])
      const past = await page('?pageSize=2&page=3')
      expect([past.items.length, past.total]).toEqual([0, 4])
      expect(JSON.stringify(first)).not.toMatch(/1[3-9]\d{9}/)
    })
  })
})

describe('proxy entry (代录)', () => {
  let t: TestApp
  let c: CompoundFixture
  let gridLead: Staff
  let pm: Staff
  beforeAll(async () => {
    t = await startTestModule({ imports: [TicketsModule], http: true })
    c = await makeCompound(t, [1])
    gridLead = await makeStaff(t, 'grid_lead', c.compound, '网格长陈')
    pm = await makeStaff(t, 'property_manager', c.compound, '物业王')
  })
  afterAll(() => t.close())

  const entry = {
    unitId: '',
    category: 'facilities',
    description: '电梯坏了，老人下不了楼',
    channel: 'phone',
    residentName: '李奶奶',
    residentPhone: '13700001111',
    room: '501',
  }
  const call = async (
    who: Staff,
    method: 'GET' | 'POST',
    url: string,
    payload?: Record<string, unknown>,
    headers: Record<string, string> = {},
  ) =>
    t.app.inject({ method, url, payload, headers: { ...(await authHeader(t, { staff: who })), ...headers } })

  it('files with the same routing and deadlines; the filer is the contact, chases and records the 回访 rating', async () => {
    const res = await call(
      gridLead,
      'POST',
      '/api/requests/proxy',
      { ...entry, unitId: c.units[0][0].id },
      {
        'idempotency-key': `proxy-${Date.now()}`,
      },
    )
    expect(res.statusCode).toBe(201)
    const view = TicketViewSchema.parse(res.json())
    expect(view).toMatchObject({
      channel: 'phone',
      handlerRole: 'property_manager',
      reporter: {
        kind: 'proxy',
        masked: false,
        name: '李奶奶',
        phone: '13700001111',
        room: '501',
        contactConsent: true,
      },
      viewer: { relation: 'coordinator' },
    })
    expect(view.viewer.commands).toEqual(expect.arrayContaining(['chase', 'accept']))
    expect(view.acceptBy).not.toBeNull()
    // The filer chases on the resident's behalf.
    expect((await call(gridLead, 'POST', `/api/requests/${view.id}/chase`)).statusCode).toBe(200)
    // The handler resolves; the filer is told (they phone the resident), then records the rating.
    expect((await call(pm, 'POST', `/api/requests/${view.id}/accept`, {})).statusCode).toBe(200)
    expect((await call(pm, 'POST', `/api/requests/${view.id}/resolve`, { note: '已修复' })).statusCode).toBe(
      200,
    )
    const told = await t.dataSource.query(
      `SELECT type FROM notification_outbox WHERE ticket_id = $1 AND recipient_kind = 'staff' AND recipient_id = $2 ORDER BY id`,
      [view.id, gridLead.id],
    )
    expect(told.map((r: { type: string }) => r.type)).toEqual(['accepted', 'resolved'])
    // Only the filer rates it: the handler may not rate their own work.
    expect((await call(pm, 'POST', `/api/requests/${view.id}/rating`, { stars: 5 })).statusCode).toBe(403)
    const rated = await call(gridLead, 'POST', `/api/requests/${view.id}/rating`, {
      stars: 5,
      tags: ['响应及时'],
      comment: '李奶奶电话里说很满意',
    })
    expect(rated.statusCode).toBe(200)
    expect(rated.json()).toMatchObject({
      state: 'closed',
      rating: { stars: 5, via: 'callback', tags: ['响应及时'], comment: '李奶奶电话里说很满意' },
    })
    const rating = await t.dataSource.query(
      'SELECT via, staff_id, resident_id FROM ticket_rating WHERE ticket_id = $1',
      [view.id],
    )
    expect(rating).toEqual([{ via: 'callback', staff_id: gridLead.id, resident_id: null }])
  })

  it('only for units the filer serves; residents cannot use it', async () => {
    const other = await makeCompound(t, [1])
    const res = await call(
      gridLead,
      'POST',
      '/api/requests/proxy',
      { ...entry, unitId: other.units[0][0].id },
      {
        'idempotency-key': `proxy-other-${Date.now()}`,
      },
    )
    expect(res.statusCode).toBe(404)
    const resident = await makeResident(t)
    const asResident = await t.app.inject({
      method: 'POST',
      url: '/api/requests/proxy',
      payload: { ...entry, unitId: c.units[0][0].id },
      headers: { ...(await authHeader(t, { resident })), 'idempotency-key': `proxy-res-${Date.now()}` },
    })
    expect(asResident.statusCode).toBe(403)
  })
})

describe('duplicates and following', () => {
  let t: TestApp
  let c: CompoundFixture
  beforeAll(async () => {
    t = await startTestModule({ imports: [TicketsModule], http: true })
    c = await makeCompound(t, [2, 1])
    await makeStaff(t, 'property_manager', c.compound)
    await makeStaff(t, 'grid_lead', c.compound)
  })
  afterAll(() => t.close())

  it('lists open requests of the category in the building from the last 14 days, public fields only', async () => {
    const reporter = await makeResident(t, { name: '王五', phone: '13911112222' })
    const older = await makeTicket(t, { unit: c.units[0][0], resident: reporter, category: 'sanitation' })
    const newer = await makeTicket(t, {
      unit: c.units[0][1],
      resident: reporter,
      category: 'sanitation',
      room: '101',
    })
    // Not duplicates: another building, another category, finished, too old.
    await makeTicket(t, { unit: c.units[1][0], resident: reporter, category: 'sanitation' })
    await makeTicket(t, { unit: c.units[0][0], resident: reporter, category: 'facilities' })
    await makeTicket(t, {
      unit: c.units[0][0],
      resident: reporter,
      category: 'sanitation',
      state: 'resolved',
    })
    const stale = await makeTicket(t, { unit: c.units[0][0], resident: reporter, category: 'sanitation' })
    await t.dataSource.query(`UPDATE ticket SET created_at = now() - interval '15 days' WHERE id = $1`, [
      stale.id,
    ])

    const someone = await makeResident(t)
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/requests/duplicates?unitToken=${c.tokens[0][0]}&category=sanitation`,
      headers: await authHeader(t, { resident: someone }),
    })
    expect(res.statusCode).toBe(200)
    const list = DuplicateListSchema.parse(res.json())
    expect(list.items.map((i) => i.id)).toEqual([newer.id, older.id])
    expect(Object.keys(list.items[0])).not.toContain('reporter')
    // The room (101) is checked in the values, not inside ids or timestamps (a UUID or the milliseconds of
    // a time may hold "101").
    const values = res.body.replace(/"[0-9a-f]{8}-[0-9a-f-]{27}"|"\d{4}-\d\d-\d\dT[\d:.]+Z"/g, '""')
    expect(values).not.toMatch(/王五|13911112222|101/)
    // Staff only for units they serve.
    const outsider = await makeStaff(t, 'grid_lead', (await makeCompound(t, [1])).compound)
    const staffRes = await t.app.inject({
      method: 'GET',
      url: `/api/requests/duplicates?unitId=${c.units[0][0].id}&category=sanitation`,
      headers: await authHeader(t, { staff: outsider }),
    })
    expect(staffRes.statusCode).toBe(404)
  })

  /** 我也遇到了 as `who` with the stairwell QR token they scanned, or with another body (`null`: none). */
  const followAs = async (who: Resident, id: string, token: string | null, body?: Record<string, unknown>) =>
    t.app.inject({
      method: 'POST',
      url: `/api/requests/${id}/follow`,
      ...(body ? { payload: body } : token ? { payload: { token } } : {}),
      headers: await authHeader(t, { resident: who }),
    })
  const followers = (id: string) =>
    count(t.dataSource, 'SELECT 1 FROM ticket_follower WHERE ticket_id = $1', [id])

  it('a resident follows (+1) an open request instead of filing again; then sees it, without the reporter’s photos', async () => {
    const reporter = await makeResident(t)
    const photoId = await uploadPhoto(t, { resident: reporter })
    const ticket = await makeTicket(t, { unit: c.units[0][0], resident: reporter, photoIds: [photoId] })
    const neighbour = await makeResident(t)
    // Any unit's code of the building will do: this one is the building's other unit.
    const follow = () => followAs(neighbour, ticket.id, c.tokens[0][1])
    const res = await follow()
    expect(res.statusCode).toBe(200)
    const view = TicketViewSchema.parse(res.json())
    expect(view).toMatchObject({
      followerCount: 1,
      viewer: { relation: 'follower', commands: ['chase'] },
      reporter: null,
    })
    expect(view.photos.report).toEqual([])
    const photo = await t.app.inject({
      method: 'GET',
      url: `/api/requests/${ticket.id}/photos/${photoId}`,
      headers: await authHeader(t, { resident: neighbour }),
    })
    expect(photo.statusCode).toBe(404)
    // Twice is once.
    expect((await follow()).json().followerCount).toBe(1)
    // Finished requests take no followers.
    const done = await makeTicket(t, { unit: c.units[0][0], resident: reporter, state: 'closed' })
    const late = await followAs(neighbour, done.id, c.tokens[0][0])
    expect(late.statusCode).toBe(409)
    // The reporter following their own request changes nothing.
    const own = await followAs(reporter, ticket.id, c.tokens[0][0])
    expect(own.statusCode).toBe(200)
    expect(own.json()).toMatchObject({ followerCount: 1, viewer: { relation: 'reporter' } })
    expect(await followers(ticket.id)).toBe(1)
  })

  it('following needs the QR code of the request’s building: another building’s, a replaced or unknown one finds nothing', async () => {
    const ticket = await makeTicket(t, { unit: c.units[0][0], resident: await makeResident(t) })
    const stranger = await makeResident(t)
    const notFound = (res: { statusCode: number; json: () => unknown }) => {
      expect(res.statusCode).toBe(404)
      expect(res.json()).toMatchObject({ code: 'TICKET_NOT_FOUND' })
    }
    // A code of the compound's other building.
    notFound(await followAs(stranger, ticket.id, c.tokens[1][0]))
    // A code of another compound.
    const elsewhere = await makeCompound(t, [1])
    notFound(await followAs(stranger, ticket.id, elsewhere.tokens[0][0]))
    // Well-formed but issued to no unit.
    notFound(await followAs(stranger, ticket.id, 'NoSuchToken_0123456789'))
    // A replaced code of the right building: the old poster proves nothing any more.
    const unit = c.units[0][0]
    const [{ token: old }] = await t.dataSource.query<{ token: string }[]>(
      'SELECT token FROM qr_code WHERE unit_id = $1 AND revoked_at IS NULL',
      [unit.id],
    )
    const reissued = await t.app.get(PlacesService).reissueQrToken(unit.id)
    notFound(await followAs(stranger, ticket.id, old))
    // Closed or not, another building's code learns nothing about the request's state.
    const done = await makeTicket(t, {
      unit: c.units[0][0],
      resident: await makeResident(t),
      state: 'closed',
    })
    notFound(await followAs(stranger, done.id, c.tokens[1][0]))
    // No body, no token, a malformed token or an extra field: 400.
    for (const body of [
      undefined,
      {},
      { token: 'not a token' },
      { token: 42 },
      { token: reissued.token, extra: 1 },
    ]) {
      const res = await followAs(stranger, ticket.id, null, body)
      expect(res.statusCode).toBe(400)
      expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED' })
    }
    expect(await followers(ticket.id)).toBe(0)
    expect(await followers(done.id)).toBe(0)
    // The building's current code works.
    const ok = await followAs(stranger, ticket.id, reissued.token)
    expect(ok.statusCode).toBe(200)
    expect(await followers(ticket.id)).toBe(1)
  })
})
