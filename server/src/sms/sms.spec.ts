/**
 * Verifying a resident's mobile number by text message, against a fake Alibaba Cloud SMS API on
 * loopback that checks every request's signature: codes, their expiry (moved by the clock), wrong
 * tries, the per-number limits, a provider that fails, and the `log` provider of the demo.
 */
import { readFile, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startTestModule, type TestApp } from '../../test/app'
import { authHeader, makeCompound, makeResident, makeStaff, newPhone } from '../../test/factories'
import { FAKE_CODE_TEMPLATE, smsEnv, startFakeSms, type FakeSmsProvider } from '../../test/fake-sms'
import { Clock } from '../common/clock'
import { PlacesModule } from '../places/places.module'
import { StaffModule } from '../staff/staff.module'
import type { Resident } from '../residents/resident.entity'
import { AliyunSmsProvider, aliyunSignature } from './sms-provider'
import { SmsModule } from './sms.module'

const GENEROUS = { RATE_LIMIT_SMS_CODE_PER_IP: '1000/1s', RATE_LIMIT_SMS_CODE_PER_PERSON: '1000/1s' }

describe('verifying a mobile number by text message', () => {
  let fake: FakeSmsProvider
  let t: TestApp
  let now: Date

  beforeAll(async () => {
    fake = await startFakeSms()
    t = await startTestModule({
      imports: [SmsModule, PlacesModule, StaffModule],
      http: true,
      env: { ...smsEnv(fake), ...GENEROUS },
    })
  })
  afterAll(async () => {
    await t.close()
    await fake.close()
  })
  beforeEach(() => {
    now = new Date()
    jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => new Date(now))
  })
  afterEach(() => jest.restoreAllMocks())

  const call = async (resident: Resident, method: 'GET' | 'POST' | 'DELETE', path: string, payload?: object) =>
    t.app.inject({ method, url: `/api/sms/mobile${path}`, headers: await authHeader(t, { resident }), payload })

  /** Asks for a code and reads it from what the fake received. */
  async function codeFor(resident: Resident, phone: string): Promise<string> {
    const before = fake.calls.length
    const res = await call(resident, 'POST', '/code', { phone })
    expect(res.statusCode).toBe(200)
    expect(fake.calls).toHaveLength(before + 1)
    return fake.calls[before].params.code
  }

  it('texts a signed 6-digit code; the right code makes the number the resident’s own', async () => {
    const resident = await makeResident(t)
    const phone = newPhone('138')
    const res = await call(resident, 'POST', '/code', { phone })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ expiresAt: new Date(now.getTime() + 5 * 60_000).toISOString(), resendAfter: 60 })
    const sms = fake.calls.at(-1)!
    expect(sms).toMatchObject({ to: phone, templateCode: FAKE_CODE_TEMPLATE, signatureProblem: null })
    expect(sms.params.code).toMatch(/^\d{6}$/)

    // Stored as an HMAC only: neither the code nor the number it went to is in the table yet.
    const [row] = await t.dataSource.query<Record<string, unknown>[]>(
      'SELECT * FROM resident_mobile WHERE resident_id = $1',
      [resident.id],
    )
    expect(JSON.stringify(row)).not.toContain(sms.params.code)
    expect(JSON.stringify(row)).not.toContain(phone)
    expect((await call(resident, 'GET', '')).json()).toEqual({ phone: null, verifiedAt: null })

    const verified = await call(resident, 'POST', '/verify', { phone, code: sms.params.code })
    expect(verified.statusCode).toBe(200)
    expect(verified.json()).toEqual({ phone, verifiedAt: now.toISOString() })
    expect((await call(resident, 'GET', '')).json()).toEqual({ phone, verifiedAt: now.toISOString() })
    // Used once: the same code again proves nothing.
    expect((await call(resident, 'POST', '/verify', { phone, code: sms.params.code })).statusCode).toBe(400)

    // Another resident sees only their own (none).
    expect((await call(await makeResident(t), 'GET', '')).json()).toEqual({ phone: null, verifiedAt: null })

    const removed = await call(resident, 'DELETE', '')
    expect(removed.statusCode).toBe(200)
    expect((await call(resident, 'GET', '')).json()).toEqual({ phone: null, verifiedAt: null })
  })

  it('a code sent to one number does not verify another', async () => {
    const resident = await makeResident(t)
    const code = await codeFor(resident, newPhone('139'))
    const res = await call(resident, 'POST', '/verify', { phone: newPhone('139'), code })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', message: '验证码不对，还可以再试4次' })
  })

  it('expires after 5 minutes', async () => {
    const resident = await makeResident(t)
    const phone = newPhone('136')
    const code = await codeFor(resident, phone)
    now = new Date(now.getTime() + 5 * 60_000 + 1000)
    const res = await call(resident, 'POST', '/verify', { phone, code })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', message: '验证码已过期，请重新获取' })
    expect((await call(resident, 'GET', '')).json()).toEqual({ phone: null, verifiedAt: null })
  })

  it('still works just before it expires', async () => {
    const resident = await makeResident(t)
    const phone = newPhone('136')
    const code = await codeFor(resident, phone)
    now = new Date(now.getTime() + 5 * 60_000 - 1000)
    expect((await call(resident, 'POST', '/verify', { phone, code })).statusCode).toBe(200)
  })

  it('five wrong codes burn it: the right one no longer works', async () => {
    const resident = await makeResident(t)
    const phone = newPhone('135')
    const code = await codeFor(resident, phone)
    const wrong = code === '000000' ? '111111' : '000000'
    const messages: string[] = []
    for (let i = 0; i < 5; i++) {
      const res = await call(resident, 'POST', '/verify', { phone, code: wrong })
      expect(res.statusCode).toBe(400)
      messages.push((res.json() as { message: string }).message)
    }
    expect(messages).toEqual([
      '验证码不对，还可以再试4次',
      '验证码不对，还可以再试3次',
      '验证码不对，还可以再试2次',
      '验证码不对，还可以再试1次',
      '验证码错误次数过多，请重新获取',
    ])
    const res = await call(resident, 'POST', '/verify', { phone, code })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ message: '请先获取验证码' })
  })

  it('one code a minute per number, whoever asks: 429 with Retry-After in the product’s error shape', async () => {
    const phone = newPhone('137')
    await codeFor(await makeResident(t), phone)
    const again = await call(await makeResident(t), 'POST', '/code', { phone })
    expect(again.statusCode).toBe(429)
    expect(again.json()).toMatchObject({ code: 'RATE_LIMITED', requestId: expect.any(String) })
    const wait = Number(again.headers['retry-after'])
    expect(wait).toBeGreaterThan(0)
    expect(wait).toBeLessThanOrEqual(60)
    // Another number is not held up.
    expect((await call(await makeResident(t), 'POST', '/code', { phone: newPhone('137') })).statusCode).toBe(200)
  })

  it('refuses what is not a mainland mobile number or a 6-digit code, with the reason', async () => {
    const resident = await makeResident(t)
    const sent = fake.calls.length
    for (const phone of ['12345678901', '1381234567', '+8613812345678', '']) {
      const res = await call(resident, 'POST', '/code', { phone })
      expect(res.statusCode).toBe(400)
      expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED' })
    }
    const bad = await call(resident, 'POST', '/verify', { phone: newPhone('138'), code: '12a456' })
    expect(bad.statusCode).toBe(400)
    expect(fake.calls).toHaveLength(sent)
  })

  it('answers 503 in the product’s shape when the provider does not take the message', async () => {
    const resident = await makeResident(t)
    fake.script({ http: 503 })
    const phone = newPhone('139')
    const res = await call(resident, 'POST', '/code', { phone })
    expect(res.statusCode).toBe(503)
    expect(res.json()).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', message: '短信发送失败，请稍后再试' })
  })

  it('is for residents: anonymous 401, staff 403', async () => {
    const c = await makeCompound(t, [1])
    const staff = await makeStaff(t, 'grid_lead', c.compound)
    const asStaff = await t.app.inject({
      method: 'POST',
      url: '/api/sms/mobile/code',
      headers: await authHeader(t, { staff }),
      payload: { phone: newPhone('138') },
    })
    expect(asStaff.statusCode).toBe(403)
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/sms/mobile' })
    expect(anonymous.statusCode).toBe(401)
  })
})

describe('five codes a day per number', () => {
  let fake: FakeSmsProvider
  let t: TestApp
  beforeAll(async () => {
    fake = await startFakeSms()
    t = await startTestModule({
      imports: [SmsModule],
      http: true,
      env: { ...smsEnv(fake), ...GENEROUS, RATE_LIMIT_SMS_CODE_PER_NUMBER_MINUTE: 'off' },
    })
  })
  afterAll(async () => {
    await t.close()
    await fake.close()
  })

  it('the sixth is refused until the day is over', async () => {
    const resident = await makeResident(t)
    const headers = await authHeader(t, { resident })
    const phone = newPhone('158')
    const statuses: number[] = []
    for (let i = 0; i < 6; i++) {
      statuses.push((await t.app.inject({ method: 'POST', url: '/api/sms/mobile/code', headers, payload: { phone } })).statusCode)
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429])
    expect(fake.delivered()).toHaveLength(5)
    const refused = await t.app.inject({ method: 'POST', url: '/api/sms/mobile/code', headers, payload: { phone } })
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(23 * 3600)
  })
})

describe('the Alibaba Cloud signature', () => {
  let fake: FakeSmsProvider
  beforeAll(async () => {
    fake = await startFakeSms()
  })
  afterAll(() => fake.close())

  const config = (secret: string) => ({
    provider: 'aliyun' as const,
    timeoutMs: 1000,
    apiBase: fake.url,
    accessKeyId: 'LTAI-fake-sms-key',
    accessKeySecret: secret,
    signName: '民情直通',
    codeTemplate: 'SMS_100000001',
    noticeTemplate: 'SMS_100000002',
  })

  it('is accepted by the fake with the right secret and refused with a wrong one', async () => {
    const message = { to: newPhone('138'), template: 'code' as const, params: { code: '123456' } }
    const good = await new AliyunSmsProvider(config('fake-sms-key-secret-for-tests')).send(message)
    expect(good).toEqual({ kind: 'sent', messageId: expect.stringMatching(/^biz-/) })
    const bad = await new AliyunSmsProvider(config('not-the-secret')).send(message)
    expect(bad).toEqual({ kind: 'failed', error: 'HTTP 400 SignatureDoesNotMatch' })
    expect(fake.calls.map((c) => c.signatureProblem)).toEqual([null, 'signature does not match'])
  })

  it('encodes as Alibaba Cloud does: spaces %20, * %2A, ~ kept, sorted by name', () => {
    const params = { b: 'a b*c~', a: '{"x":"中"}' }
    const expected = aliyunSignature('POST', { a: '{"x":"中"}', b: 'a b*c~' }, 's')
    expect(aliyunSignature('POST', params, 's')).toBe(expected)
    // The documented example of SendSms (GET, testId/testSecret).
    expect(
      aliyunSignature(
        'GET',
        {
          AccessKeyId: 'testId',
          Action: 'SendSms',
          Format: 'XML',
          OutId: '123',
          PhoneNumbers: '15300000001',
          RegionId: 'cn-hangzhou',
          SignName: '阿里云短信测试专用',
          SignatureMethod: 'HMAC-SHA1',
          SignatureNonce: '45e25e9b-0a6f-4070-8c85-2956eda1b466',
          SignatureVersion: '1.0',
          TemplateCode: 'SMS_71390007',
          TemplateParam: '{"customer":"test"}',
          Timestamp: '2017-07-12T02:42:19Z',
          Version: '2017-05-25',
        },
        'testSecret',
      ),
    ).toBe('zJDF+Lrzhj/ThnlvIToysFRq6t4=')
  })
})

describe('the log provider (demo, development)', () => {
  it('writes the code to the server log, the number masked', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mq-sms-log-'))
    const logFile = join(dir, 'server.log')
    const t = await startTestModule({
      imports: [SmsModule],
      http: true,
      env: { ...GENEROUS, SMS_PROVIDER: 'log', LOG_LEVEL: 'info', LOG_FILE: logFile },
    })
    try {
      const resident = await makeResident(t)
      const phone = newPhone('186')
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/sms/mobile/code',
        headers: await authHeader(t, { resident }),
        payload: { phone },
      })
      expect(res.statusCode).toBe(200)
      await new Promise((resolve) => setTimeout(resolve, 200))
      const log = await readFile(logFile, 'utf8')
      const line = log.split('\n').find((l) => l.includes('SMS_PROVIDER=log'))
      expect(line).toBeDefined()
      const code = /验证码 (\d{6})/.exec(line!)?.[1]
      expect(code).toMatch(/^\d{6}$/)
      expect(log).not.toContain(phone)
      expect(line).toContain(`${phone.slice(0, 3)}****${phone.slice(7)}`)
      const verified = await t.app.inject({
        method: 'POST',
        url: '/api/sms/mobile/verify',
        headers: await authHeader(t, { resident }),
        payload: { phone, code },
      })
      expect(verified.statusCode).toBe(200)
    } finally {
      await t.close()
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('codes per client address and per resident', () => {
  let fake: FakeSmsProvider
  let t: TestApp
  beforeAll(async () => {
    fake = await startFakeSms()
    t = await startTestModule({
      imports: [SmsModule],
      http: true,
      env: { ...smsEnv(fake), RATE_LIMIT_SMS_CODE_PER_IP: '2/1h', RATE_LIMIT_SMS_CODE_PER_PERSON: '2/1d' },
    })
  })
  afterAll(async () => {
    await t.close()
    await fake.close()
  })

  const ask = async (resident: Resident, remoteAddress: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/sms/mobile/code',
      remoteAddress,
      headers: await authHeader(t, { resident }),
      payload: { phone: newPhone('159') },
    })

  it('from one address, whichever residents and numbers', async () => {
    const statuses = []
    for (let i = 0; i < 3; i++) statuses.push((await ask(await makeResident(t), '203.0.113.7')).statusCode)
    expect(statuses).toEqual([200, 200, 429])
    expect((await ask(await makeResident(t), '203.0.113.8')).statusCode).toBe(200)
  })

  it('by one resident, whichever addresses and numbers', async () => {
    const resident = await makeResident(t)
    const statuses = []
    for (let i = 0; i < 3; i++) statuses.push((await ask(resident, `198.51.100.${i + 1}`)).statusCode)
    expect(statuses).toEqual([200, 200, 429])
    const refused = await ask(resident, '198.51.100.9')
    expect(refused.json()).toMatchObject({ code: 'RATE_LIMITED' })
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(3600)
  })
})
