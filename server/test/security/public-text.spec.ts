/**
 * Public text end to end: a resident writes their name, phone and room into a description (as residents
 * do), and what the other residents and the public read of it (the scan page's open requests, the board,
 * Open311 GET requests as JSON and XML) carries none of them, only the redacted text.
 */
import { randomUUID } from 'node:crypto'
import type { PublicRequestList } from '@mq/shared'
import { startTestApp, type TestApp } from '../app'
import { authHeader, makeCompound, makeResident, newPhone, type CompoundFixture } from '../factories'
import type { Resident } from '../../src/residents/resident.entity'

describe('public text: the reporter’s phone, name and room never reach the public', () => {
  let t: TestApp
  let c: CompoundFixture
  let reporter: Resident
  let neighbour: Resident
  let phone: string
  let spaced: string
  const numbers: string[] = []

  beforeAll(async () => {
    t = await startTestApp()
    c = await makeCompound(t, [2])
    phone = newPhone('139')
    spaced = `${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`
    reporter = await makeResident(t, { name: '张建华', phone })
    neighbour = await makeResident(t)
    const file = async (description: string, category: string) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/requests',
        headers: { ...(await authHeader(t, { resident: reporter })), 'idempotency-key': randomUUID() },
        payload: { unitToken: c.tokens[0][0], category, description, photoIds: [], room: '3-502' },
      })
      expect(res.statusCode).toBe(201)
      numbers.push(res.json<{ number: string }>().number)
    }
    await file(`我是张建华，住3-502，电话${phone}，楼道灯坏了`, 'facilities')
    await file(`我叫张建华，家在1幢502室，手机 ${spaced}，浙A12345 天天堵在单元门口`, 'parking')
  })
  afterAll(() => t.close())

  /** What must not appear, however it is written. */
  const forbidden = () => ['张建华', '建华', phone, spaced, phone.slice(3), '3-502', '502', '浙A12345']

  /**
   * The body without what machines write: ids, timestamps and the requests' own numbers can hold "502" by
   * chance (a millisecond, a UUID's hex); what a person wrote cannot hide in them.
   */
  const written = (body: string) =>
    numbers
      .reduce((text, number) => text.split(number).join(' '), body)
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, ' ')
      .replace(/\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?/g, ' ')
  const expectNone = (body: string) => {
    const text = written(body)
    for (const value of forbidden())
      expect({ value, found: text.includes(value) }).toEqual({ value, found: false })
  }

  const expectClean = (body: string) => {
    expectNone(body)
    // Not vacuous: the requests are there, with what the public may read of them.
    for (const number of numbers) expect(body).toContain(number)
    expect(body).toContain('楼道灯坏了')
    expect(body).toContain('天天堵在单元门口')
  }

  it('the scan page’s open requests (all categories in one call) and the duplicates before filing', async () => {
    const headers = await authHeader(t, { resident: neighbour })
    const all = await t.app.inject({
      method: 'GET',
      url: `/api/requests/duplicates?unitToken=${c.tokens[0][1]}`,
      headers,
    })
    expect(all.statusCode).toBe(200)
    expectClean(all.body)
    const items = all.json<PublicRequestList>().items
    expect(items.map((i) => i.publicText).sort()).toEqual(
      ['我是***，住***，电话***，楼道灯坏了', '我叫***，家在1幢***室，手机 ***，*** 天天堵在单元门口'].sort(),
    )
    expect(items.every((i) => !('description' in i))).toBe(true)

    const one = await t.app.inject({
      method: 'GET',
      url: `/api/requests/duplicates?unitToken=${c.tokens[0][1]}&category=facilities`,
      headers,
    })
    expect(one.statusCode).toBe(200)
    expect(one.json<PublicRequestList>().items.map((i) => i.number)).toEqual([numbers[0]])
    expectNone(one.body)
  })

  it('the public board', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/board/${c.compound.id}?pageSize=50` })
    expect(res.statusCode).toBe(200)
    expectClean(res.body)
  })

  it('Open311 GET requests and GET requests/{id}, as JSON and as XML', async () => {
    for (const format of ['json', 'xml']) {
      const list = await t.app.inject({
        method: 'GET',
        url: `/open311/v2/requests.${format}?jurisdiction_id=${c.compound.id}`,
      })
      expect(list.statusCode).toBe(200)
      expectClean(list.body)
      for (const number of numbers) {
        const one = await t.app.inject({
          method: 'GET',
          url: `/open311/v2/requests/${number}.${format}?jurisdiction_id=${c.compound.id}`,
        })
        expect(one.statusCode).toBe(200)
        expect(one.body).toContain(number)
        expectNone(one.body)
      }
    }
  })

  it('a neighbour who follows one (我也遇到了) reads its public text in the detail and in 我的反映', async () => {
    const headers = await authHeader(t, { resident: neighbour })
    const list = await t.app.inject({
      method: 'GET',
      url: `/api/requests/duplicates?unitToken=${c.tokens[0][1]}`,
      headers,
    })
    for (const item of list.json<PublicRequestList>().items) {
      const follow = await t.app.inject({
        method: 'POST',
        url: `/api/requests/${item.id}/follow`,
        headers,
        payload: { token: c.tokens[0][1] },
      })
      expect(follow.statusCode).toBe(200)
      expectNone(follow.body)
      const detail = await t.app.inject({ method: 'GET', url: `/api/requests/${item.id}`, headers })
      expect(detail.statusCode).toBe(200)
      expect(detail.json<{ description: string }>().description).toBe(item.publicText)
      expectNone(detail.body)
    }
    const mine = await t.app.inject({ method: 'GET', url: '/api/requests/mine', headers })
    expectClean(mine.body)
  })

  it('the reporter still reads their own words in full', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/requests/mine',
      headers: await authHeader(t, { resident: reporter }),
    })
    expect(res.body).toContain(`我是张建华，住3-502，电话${phone}，楼道灯坏了`)
  })
})
