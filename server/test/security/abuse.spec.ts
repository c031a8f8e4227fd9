/**
 * Abuse limits: logins, filing, chasing and uploads are counted per client address and
 * per person (or account) in PostgreSQL, shared by every instance; beyond a limit the answer is 429
 * RATE_LIMITED with Retry-After in seconds and a Chinese message, and nothing is done. Request bodies and
 * uploads have size caps; every list has a maximum page size.
 *
 * Limits here are tight and explicit; the rest of the suite runs with generous ones (test/app.ts). Every
 * request of the run comes from 127.0.0.1 through inject, so these tests give each scenario addresses of
 * its own (TEST-NET ranges) and never share counters with other spec files.
 */
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startTestApp, testConfig, type TestApp } from '../app'
import {
  authHeader,
  count,
  IMAGES,
  makeCompound,
  makeResident,
  makeStaff,
  makeTicket,
  multipartBody,
  TEST_PASSWORD,
  type CompoundFixture,
} from '../factories'
import { ConfigError, loadConfig } from '../../src/config/config'
import type { Resident } from '../../src/residents/resident.entity'

const TIGHT = {
  RATE_LIMIT_STAFF_LOGIN_PER_IP: '3/1m',
  RATE_LIMIT_STAFF_LOGIN_PER_ACCOUNT: '3/1m',
  RATE_LIMIT_RESIDENT_LOGIN_PER_IP: '3/2s',
  RATE_LIMIT_FILING_PER_PERSON: '3/1h',
  RATE_LIMIT_FILING_PER_IP: '3/1h',
  RATE_LIMIT_CHASE_PER_PERSON: '2/1h',
  RATE_LIMIT_CHASE_PER_IP: '2/1h',
  RATE_LIMIT_UPLOAD_PER_PERSON: '2/1h',
  RATE_LIMIT_UPLOAD_PER_IP: '2/1h',
}

let nextAddress = 1
/** A client address no other scenario (or spec file) uses. */
const address = () => `203.0.113.${nextAddress++}`

interface Res {
  statusCode: number
  headers: Record<string, unknown>
  body: string
  json(): unknown
}

/** The 429 of an abuse limit: code, Chinese message, request id, Retry-After in whole seconds ≤ window. */
function expectLimited(res: Res, windowSeconds: number): void {
  expect(res.statusCode).toBe(429)
  const body = res.json() as { code: string; message: string; requestId: string }
  expect(body.code).toBe('RATE_LIMITED')
  expect(body.message).toMatch(/^操作太频繁了，请\d+(秒|分钟|小时)后再试$/)
  expect(body.requestId).toEqual(expect.any(String))
  const retryAfter = String(res.headers['retry-after'])
  expect(retryAfter).toMatch(/^\d+$/)
  expect(Number(retryAfter)).toBeGreaterThanOrEqual(1)
  expect(Number(retryAfter)).toBeLessThanOrEqual(windowSeconds)
}

describe('abuse limits', () => {
  let t: TestApp
  let dataDir: string
  let c: CompoundFixture
  let limited = 0

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mq-abuse-'))
    t = await startTestApp({ ...TIGHT, DATA_DIR: dataDir })
    c = await makeCompound(t, [1])
  })
  afterAll(async () => {
    console.log(`ABUSE limited_429=${limited} (each with Retry-After, RATE_LIMITED and a Chinese message)`)
    await t.close()
    await rm(dataDir, { recursive: true, force: true })
  })

  const login = (phone: string, password: string, remoteAddress: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/auth/staff/login',
      payload: { phone, password },
      remoteAddress,
    })
  const file = async (resident: Resident, remoteAddress: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/requests',
      remoteAddress,
      headers: { ...(await authHeader(t, { resident })), 'idempotency-key': randomUUID() },
      payload: { unitToken: c.tokens[0][0], category: 'facilities', description: '楼道灯坏了' },
    })
  const limitedRes = (res: Res, window: number) => {
    expectLimited(res, window)
    limited++
  }

  it('staff login: per client address, whoever the account', async () => {
    const ip = address()
    const staff = await Promise.all([1, 2, 3, 4].map((i) => makeStaff(t, 'liaison', c.compound, `登录${i}`)))
    for (const s of staff.slice(0, 3)) expect((await login(s.phone, TEST_PASSWORD, ip)).statusCode).toBe(200)
    limitedRes(await login(staff[3].phone, TEST_PASSWORD, ip), 60)
    // The same account from another address is not affected.
    expect((await login(staff[3].phone, TEST_PASSWORD, address())).statusCode).toBe(200)
  })

  it('staff login: per account, from any address, even with the right password', async () => {
    const target = await makeStaff(t, 'liaison', c.compound, '被撞库')
    for (let i = 0; i < 3; i++)
      expect((await login(target.phone, TEST_PASSWORD, address())).statusCode).toBe(200)
    limitedRes(await login(target.phone, TEST_PASSWORD, address()), 60)
    // A spaced-out variant of the phone is the same account (trimmed), and is refused before validation.
    limitedRes(await login(` ${target.phone} `, TEST_PASSWORD, address()), 60)
  })

  it('resident login: per client address; allowed again after Retry-After', async () => {
    const ip = address()
    const device = (remoteAddress: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/device',
        payload: { deviceSecret: `abuse-device-secret-${randomUUID()}` },
        remoteAddress,
      })
    for (let i = 0; i < 3; i++) expect((await device(ip)).statusCode).toBe(200)
    const refused = await device(ip)
    limitedRes(refused, 2)
    await new Promise((r) => setTimeout(r, Number(refused.headers['retry-after']) * 1000 + 100))
    expect((await device(ip)).statusCode).toBe(200)
  })

  it('filing: per resident, and nothing is filed beyond the limit', async () => {
    const resident = await makeResident(t)
    for (let i = 0; i < 3; i++) expect((await file(resident, address())).statusCode).toBe(201)
    const before = await count(t.dataSource, 'SELECT 1 FROM ticket WHERE reporter_resident_id = $1', [
      resident.id,
    ])
    limitedRes(await file(resident, address()), 3600)
    expect(
      await count(t.dataSource, 'SELECT 1 FROM ticket WHERE reporter_resident_id = $1', [resident.id]),
    ).toBe(before)
  })

  it('filing: per client address, whichever residents', async () => {
    const ip = address()
    for (let i = 0; i < 3; i++) expect((await file(await makeResident(t), ip)).statusCode).toBe(201)
    limitedRes(await file(await makeResident(t), ip), 3600)
  })

  it('chase: per person across requests (on top of the per-request cooldown), and per address', async () => {
    const resident = await makeResident(t)
    const ids = await Promise.all(
      [1, 2, 3].map(async () => (await makeTicket(t, { unit: c.units[0][0], resident })).id),
    )
    const chase = async (id: string, remoteAddress: string) =>
      t.app.inject({
        method: 'POST',
        url: `/api/requests/${id}/chase`,
        remoteAddress,
        headers: await authHeader(t, { resident }),
      })
    expect((await chase(ids[0], address())).statusCode).toBe(200)
    expect((await chase(ids[1], address())).statusCode).toBe(200)
    limitedRes(await chase(ids[2], address()), 3600)
    const [row] = await t.dataSource.query<{ chase_count: number }[]>(
      'SELECT chase_count FROM ticket WHERE id = $1',
      [ids[2]],
    )
    expect(row.chase_count).toBe(0)

    const ip = address()
    for (let i = 0; i < 2; i++) {
      const other = await makeResident(t)
      const id = (await makeTicket(t, { unit: c.units[0][0], resident: other })).id
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/requests/${id}/chase`,
        remoteAddress: ip,
        headers: await authHeader(t, { resident: other }),
      })
      expect(res.statusCode).toBe(200)
    }
    const last = await makeResident(t)
    const lastId = (await makeTicket(t, { unit: c.units[0][0], resident: last })).id
    limitedRes(
      await t.app.inject({
        method: 'POST',
        url: `/api/requests/${lastId}/chase`,
        remoteAddress: ip,
        headers: await authHeader(t, { resident: last }),
      }),
      3600,
    )
  })

  it('upload: per person and per address, refused before the file is read or stored', async () => {
    const upload = async (resident: Resident, remoteAddress: string) => {
      const body = multipartBody(IMAGES.jpeg)
      return t.app.inject({
        method: 'POST',
        url: '/api/photos',
        remoteAddress,
        payload: body.payload,
        headers: { ...(await authHeader(t, { resident })), ...body.headers },
      })
    }
    const resident = await makeResident(t)
    for (let i = 0; i < 2; i++) expect((await upload(resident, address())).statusCode).toBe(201)
    limitedRes(await upload(resident, address()), 3600)
    expect(await count(t.dataSource, 'SELECT 1 FROM photo WHERE uploader_id = $1', [resident.id])).toBe(2)

    const ip = address()
    for (let i = 0; i < 2; i++) expect((await upload(await makeResident(t), ip)).statusCode).toBe(201)
    limitedRes(await upload(await makeResident(t), ip), 3600)
  })

  it('holds across instances: two apps on one database share the counters', async () => {
    const second = await startTestApp({ ...TIGHT, DATA_DIR: dataDir })
    try {
      const resident = await makeResident(t)
      const on = async (app: TestApp) =>
        app.app.inject({
          method: 'POST',
          url: '/api/requests',
          remoteAddress: address(),
          headers: { ...(await authHeader(t, { resident })), 'idempotency-key': randomUUID() },
          payload: { unitToken: c.tokens[0][0], category: 'facilities', description: '楼道灯坏了' },
        })
      expect((await on(t)).statusCode).toBe(201)
      expect((await on(second)).statusCode).toBe(201)
      expect((await on(t)).statusCode).toBe(201)
      limitedRes(await on(second), 3600)
    } finally {
      await second.close()
    }
  })

  it('the client address: X-Forwarded-For counts only from a trusted proxy (TRUST_PROXY, default loopback)', async () => {
    const staff = await Promise.all(
      [1, 2, 3, 4, 5].map((i) => makeStaff(t, 'liaison', c.compound, `代理${i}`)),
    )
    // A client that talks to the instance directly cannot pick a fresh address per attempt.
    const direct = address()
    for (const [i, s] of staff.slice(0, 3).entries()) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/staff/login',
        payload: { phone: s.phone, password: TEST_PASSWORD },
        remoteAddress: direct,
        headers: { 'x-forwarded-for': `198.51.100.${i + 1}` },
      })
      expect(res.statusCode).toBe(200)
    }
    limitedRes(
      await t.app.inject({
        method: 'POST',
        url: '/api/auth/staff/login',
        payload: { phone: staff[3].phone, password: TEST_PASSWORD },
        remoteAddress: direct,
        headers: { 'x-forwarded-for': '198.51.100.99' },
      }),
      60,
    )
    // Through nginx on the same host (a loopback peer), the forwarded address is the client's.
    const behindProxy = await t.app.inject({
      method: 'POST',
      url: '/api/auth/staff/login',
      payload: { phone: staff[4].phone, password: TEST_PASSWORD },
      remoteAddress: '127.0.0.1',
      headers: { 'x-forwarded-for': `${direct}, 127.0.0.1` },
    })
    limitedRes(behindProxy, 60)
  })

  it('body caps: JSON over 1 MB → 413, a photo over 5 MB → 413, a sheet over 5 MB → 413', async () => {
    const resident = await makeResident(t)
    const auth = await authHeader(t, { resident })
    const json = await t.app.inject({
      method: 'PATCH',
      url: '/api/me',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 1) }),
    })
    expect(json.statusCode).toBe(413)
    expect(json.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: '内容太大了' })

    const big = multipartBody(Buffer.concat([IMAGES.jpeg, Buffer.alloc(5 * 1024 * 1024 + 1)]))
    const photo = await t.app.inject({
      method: 'POST',
      url: '/api/photos',
      remoteAddress: address(),
      payload: big.payload,
      headers: { ...auth, ...big.headers },
    })
    expect(photo.statusCode).toBe(413)
    expect(photo.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' })

    const admin = await makeStaff(t, 'admin', c.community)
    const sheet = await t.app.inject({
      method: 'POST',
      url: `/api/admin/places/${c.compound.id}/import`,
      headers: { ...(await authHeader(t, { staff: admin })), 'content-type': 'text/csv' },
      payload: Buffer.alloc(5 * 1024 * 1024 + 1, 'a'),
    })
    expect(sheet.statusCode).toBe(413)
    expect(sheet.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' })
  })

  it('every list has a maximum page size: a huge one is refused with 400, the same way everywhere', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<
        string,
        Record<string, { parameters?: { name: string; in: string; schema?: { maximum?: number } }[] }>
      >
    }
    const resident = await makeResident(t)
    await makeTicket(t, { unit: c.units[0][0], resident })
    const who = [
      {},
      await authHeader(t, { resident }),
      await authHeader(t, { staff: await makeStaff(t, 'grid_lead', c.compound) }),
      await authHeader(t, { staff: await makeStaff(t, 'community_supervisor', c.community) }),
      await authHeader(t, { staff: await makeStaff(t, 'admin', c.community) }),
    ]
    const paged: string[] = []
    const problems: string[] = []
    for (const [path, ops] of Object.entries(doc.paths)) {
      const params = ops.get?.parameters ?? []
      const sizes = params.filter((p) => p.in === 'query' && /^(pageSize|limit)$/.test(p.name))
      for (const size of sizes) {
        paged.push(`${path}?${size.name}`)
        if (!size.schema?.maximum) problems.push(`${path}: ${size.name} has no maximum in the schema`)
        const url = path.replace('{compoundId}', c.compound.id)
        // The other query parameters a list needs, filled in where the route has them.
        const fill: Record<string, string> = { compoundId: c.compound.id, filter: 'all' }
        const extra = params
          .filter((p) => p.in === 'query' && fill[p.name])
          .map((p) => `&${p.name}=${fill[p.name]}`)
          .join('')
        let reached = false
        for (const headers of who) {
          const ok = await t.app.inject({
            method: 'GET',
            url: `${url}?${size.name}=${size.schema?.maximum ?? 20}${extra}`,
            headers,
          })
          if (ok.statusCode !== 200) continue
          reached = true
          const huge = await t.app.inject({
            method: 'GET',
            url: `${url}?${size.name}=1000000${extra}`,
            headers,
          })
          const body = huge.json() as { code?: string; details?: { path: string }[] }
          if (
            huge.statusCode !== 400 ||
            body.code !== 'VALIDATION_FAILED' ||
            !body.details?.some((d) => d.path === size.name)
          )
            problems.push(`${path}?${size.name}=1000000: ${huge.statusCode} ${huge.body.slice(0, 100)}`)
        }
        if (!reached) problems.push(`${path}: no caller got 200 at ${size.name}=${size.schema?.maximum}`)
      }
    }
    console.log(
      `PAGES lists=${paged.length} huge_page_refused=${paged.length - problems.length} (${paged.join(', ')})`,
    )
    expect(paged.length).toBeGreaterThanOrEqual(5)
    expect(problems).toEqual([])
  })

  it('limits are configuration: N/window or off, and a bad value names the variable', () => {
    const config = testConfig({ RATE_LIMIT_FILING_PER_PERSON: '5/30m', RATE_LIMIT_CHASE_PER_IP: 'off' })
    expect(config.rateLimits.filingPerPerson).toEqual({ points: 5, seconds: 1800 })
    expect(config.rateLimits.chasePerIp).toBeNull()
    const defaults = loadConfig({})
    expect(defaults.rateLimits.staffLoginPerAccount).toEqual({ points: 20, seconds: 900 })
    expect(defaults.trustProxy).toBe('loopback')
    expect(() => testConfig({ RATE_LIMIT_UPLOAD_PER_IP: 'lots' })).toThrow(ConfigError)
    expect(() => testConfig({ RATE_LIMIT_UPLOAD_PER_IP: 'lots' })).toThrow(
      /RATE_LIMIT_UPLOAD_PER_IP must be N\/window/,
    )
    for (const bad of ['everyone', 'cafe', '10.0.0.0/33', 'loopback/8', '1.2.3'])
      expect(() => testConfig({ TRUST_PROXY: bad })).toThrow(/TRUST_PROXY must be true, false, a hop count/)
    expect(testConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toBe('10.0.0.0/8, 127.0.0.1')
    expect(testConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2)
  })
})
