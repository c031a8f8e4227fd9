import { ErrorBodySchema, SessionSchema } from '@mq/shared'
import { startTestModule, type TestApp } from '../../test/app'
import { freePort } from '../../test/database'
import { count } from '../../test/factories'
import {
  FAKE_APPID,
  FAKE_SECRET,
  FAKE_SESSION_KEY,
  fakeOpenid,
  startFakeWechat,
  wechatEnv,
  type FakeWechat,
} from '../../test/fake-wechat'
import { AuthModule } from './auth.module'

describe('POST /api/auth/wechat (code2Session against a fake WeChat on loopback)', () => {
  let fake: FakeWechat
  let t: TestApp
  beforeAll(async () => {
    fake = await startFakeWechat()
    t = await startTestModule({ imports: [AuthModule], http: true, env: wechatEnv(fake) })
  })
  afterAll(async () => {
    await t.close()
    await fake.close()
  })

  const login = (code: string) => t.app.inject({ method: 'POST', url: '/api/auth/wechat', payload: { code } })

  it('trades a wx.login code for our own session; the same WeChat user is the same resident', async () => {
    const first = await login('user-alice')
    expect(first.statusCode).toBe(200)
    const session = SessionSchema.parse(first.json())
    expect(session.me).toMatchObject({ kind: 'resident', via: 'wechat', phone: null })
    expect(fake.calls.at(-1)?.get('appid')).toBe(FAKE_APPID)
    expect(fake.calls.at(-1)?.get('secret')).toBe(FAKE_SECRET)
    expect(fake.calls.at(-1)?.get('js_code')).toBe('user-alice')
    expect(fake.calls.at(-1)?.get('grant_type')).toBe('authorization_code')

    const me = await t.app.inject({
      method: 'GET',
      url: '/api/me',
      headers: { authorization: `Bearer ${session.accessToken}` },
    })
    expect(me.statusCode).toBe(200)
    expect(me.json()).toMatchObject({ kind: 'resident', id: session.me.id })

    const again = SessionSchema.parse((await login('user-alice')).json())
    expect(again.me.id).toBe(session.me.id)
    expect(again.accessToken).not.toBe(session.accessToken)
    const other = SessionSchema.parse((await login('user-bob')).json())
    expect(other.me.id).not.toBe(session.me.id)
    expect(
      await count(t.dataSource, 'SELECT 1 FROM resident WHERE openid = $1', [fakeOpenid('user-alice')]),
    ).toBe(1)
  })

  it('never lets session_key out: not in the answer, not in any table, and not the openid either', async () => {
    const res = await login('user-carol')
    expect(res.body).not.toContain(FAKE_SESSION_KEY)
    expect(res.body).not.toContain(fakeOpenid('user-carol'))
    for (const table of ['resident', 'auth_session', 'refresh_token']) {
      const rows = await t.dataSource.query<{ row: string }[]>(
        `SELECT row_to_json(x)::text AS row FROM ${table} x`,
      )
      for (const { row } of rows) expect(row).not.toContain(FAKE_SESSION_KEY)
    }
  })

  it.each([
    ['busy', 503, 'UPSTREAM_UNAVAILABLE', '2'],
    ['invalid', 401, 'WECHAT_CODE_INVALID', undefined],
    ['used', 401, 'WECHAT_CODE_INVALID', undefined],
    ['limited', 429, 'RATE_LIMITED', '60'],
    ['slow', 503, 'UPSTREAM_UNAVAILABLE', '5'],
    ['garbage', 503, 'UPSTREAM_UNAVAILABLE', '5'],
    ['http502', 503, 'UPSTREAM_UNAVAILABLE', '5'],
    ['empty', 503, 'UPSTREAM_UNAVAILABLE', '5'],
  ])(
    'WeChat answering "%s" → %d %s (Retry-After %s), and no resident is created',
    async (code, status, errorCode, retryAfter) => {
      const residents = await count(t.dataSource, 'SELECT 1 FROM resident')
      const res = await login(code)
      expect(res.statusCode).toBe(status)
      const body = ErrorBodySchema.parse(res.json())
      expect(body.code).toBe(errorCode)
      expect(body.message).toMatch(/[\u4e00-\u9fa5]/)
      expect(res.headers['retry-after']).toBe(retryAfter)
      expect(await count(t.dataSource, 'SELECT 1 FROM resident')).toBe(residents)
    },
  )

  it('a wrong app secret (WeChat says 40013) is a 503 for the caller, not a crash', async () => {
    const misconfigured = await startTestModule({
      imports: [AuthModule],
      http: true,
      env: { ...wechatEnv(fake), WECHAT_SECRET: 'not-the-secret' },
    })
    try {
      const res = await misconfigured.app.inject({
        method: 'POST',
        url: '/api/auth/wechat',
        payload: { code: 'user-dave' },
      })
      expect(res.statusCode).toBe(503)
      expect(res.json().code).toBe('UPSTREAM_UNAVAILABLE')
    } finally {
      await misconfigured.close()
    }
  })

  it('WeChat unreachable or not configured → 503; a missing code → 400', async () => {
    const nobody = await startTestModule({
      imports: [AuthModule],
      http: true,
      env: { ...wechatEnv(fake), WECHAT_API_BASE: `http://127.0.0.1:${await freePort()}` },
    })
    const unconfigured = await startTestModule({ imports: [AuthModule], http: true })
    try {
      const unreachable = await nobody.app.inject({
        method: 'POST',
        url: '/api/auth/wechat',
        payload: { code: 'user-eve' },
      })
      expect(unreachable.statusCode).toBe(503)
      expect(unreachable.headers['retry-after']).toBe('5')
      const off = await unconfigured.app.inject({
        method: 'POST',
        url: '/api/auth/wechat',
        payload: { code: 'user-eve' },
      })
      expect(off.statusCode).toBe(503)
      expect(off.json().message).toMatch(/未配置微信登录/)
    } finally {
      await nobody.close()
      await unconfigured.close()
    }
    const missing = await login('')
    expect(missing.statusCode).toBe(400)
    expect(missing.json().code).toBe('VALIDATION_FAILED')
  })
})
