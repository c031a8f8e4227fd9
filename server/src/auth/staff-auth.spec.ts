import { ErrorBodySchema, SessionSchema, TokenPairSchema, type TokenPair } from '@mq/shared'
import { JwtService } from '@nestjs/jwt'
import { startTestModule, type TestApp } from '../../test/app'
import { makeCompound, makeStaff, TEST_PASSWORD, type CompoundFixture } from '../../test/factories'
import { Clock } from '../common/clock'
import { PlacesModule } from '../places/places.module'
import type { Staff } from '../staff/staff.entity'
import { AuthModule } from './auth.module'

describe('staff login, lockout, token expiry, refresh rotation and logout', () => {
  let t: TestApp
  let c: CompoundFixture
  let now: number
  beforeAll(async () => {
    t = await startTestModule({ imports: [AuthModule, PlacesModule], http: true })
    c = await makeCompound(t, [1])
  })
  beforeEach(() => {
    // Every test runs on its own timeline, moved by hand instead of sleeping.
    now = Date.parse('2026-03-02T09:00:00+08:00')
    jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => new Date(now))
  })
  afterEach(() => jest.restoreAllMocks())
  afterAll(() => t.close())

  const login = (phone: string, password: string) =>
    t.app.inject({ method: 'POST', url: '/api/auth/staff/login', payload: { phone, password } })
  const me = (accessToken: string) =>
    t.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${accessToken}` } })
  const refresh = (refreshToken: string) =>
    t.app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken } })
  const signedIn = async (staff: Staff): Promise<TokenPair> => {
    const res = await login(staff.phone, TEST_PASSWORD)
    expect(res.statusCode).toBe(200)
    return SessionSchema.parse(res.json())
  }

  it('logs in with phone and password and says who the caller is and what they may do', async () => {
    const staff = await makeStaff(t, 'grid_lead', c.compound, '王网格')
    const res = await login(staff.phone, TEST_PASSWORD)
    expect(res.statusCode).toBe(200)
    const session = SessionSchema.parse(res.json())
    expect(session.expiresIn).toBe(15 * 60)
    expect(session.me).toMatchObject({ kind: 'staff', id: staff.id, name: '王网格' })
    expect(session.me.kind === 'staff' && session.me.memberships.map((m) => [m.role, m.place.id])).toEqual([
      ['grid_lead', c.compound.id],
    ])
    expect(session.me.kind === 'staff' && session.me.actions).toContain('view_tickets')
    expect((await me(session.accessToken)).json()).toMatchObject({ kind: 'staff', id: staff.id })
  })

  it('a wrong password and an unknown phone get the same 401, so phone numbers cannot be probed', async () => {
    const staff = await makeStaff(t, 'police', c.compound)
    const wrong = await login(staff.phone, 'Wrong@12345')
    const unknown = await login('13000000000', 'Wrong@12345')
    expect(wrong.statusCode).toBe(401)
    expect(unknown.statusCode).toBe(401)
    expect(ErrorBodySchema.parse(wrong.json())).toMatchObject({ code: 'INVALID_CREDENTIALS' })
    expect(unknown.json().message).toBe(wrong.json().message)
  })

  it('locks the account for 15 minutes after 5 failures in a row, says when it unlocks, then lets the owner in', async () => {
    const staff = await makeStaff(t, 'police', c.compound)
    for (let i = 1; i <= 4; i++) expect((await login(staff.phone, `Wrong${i}2345`)).statusCode).toBe(401)
    const fifth = await login(staff.phone, 'Wrong52345')
    expect(fifth.statusCode).toBe(423)
    expect(fifth.json().code).toBe('ACCOUNT_LOCKED')
    expect(fifth.headers['retry-after']).toBe('900')
    expect(fifth.json().message).toContain('09:15') // 09:00 Beijing time + 15 minutes

    // Locked: even the right password is refused, and the wait shrinks as time passes.
    now += 14 * 60_000
    const stillLocked = await login(staff.phone, TEST_PASSWORD)
    expect(stillLocked.statusCode).toBe(423)
    expect(stillLocked.headers['retry-after']).toBe('60')

    now += 60_000
    expect((await login(staff.phone, TEST_PASSWORD)).statusCode).toBe(200)
    // The count started over: four more failures do not lock.
    for (let i = 1; i <= 4; i++) expect((await login(staff.phone, `Again${i}2345`)).statusCode).toBe(401)
    expect((await login(staff.phone, TEST_PASSWORD)).statusCode).toBe(200)
  })

  it('a success in between resets the count: failures must be in a row', async () => {
    const staff = await makeStaff(t, 'police', c.compound)
    for (let i = 0; i < 4; i++) await login(staff.phone, 'Wrong12345')
    expect((await login(staff.phone, TEST_PASSWORD)).statusCode).toBe(200)
    for (let i = 0; i < 4; i++) expect((await login(staff.phone, 'Wrong12345')).statusCode).toBe(401)
  })

  it('access tokens expire after 15 minutes (TOKEN_EXPIRED); a refresh gets a new pair', async () => {
    const session = await signedIn(await makeStaff(t, 'police', c.compound))
    now += 15 * 60_000 - 1000
    expect((await me(session.accessToken)).statusCode).toBe(200)
    now += 2000
    const expired = await me(session.accessToken)
    expect(expired.statusCode).toBe(401)
    expect(expired.json().code).toBe('TOKEN_EXPIRED')

    const refreshed = await refresh(session.refreshToken)
    expect(refreshed.statusCode).toBe(200)
    const pair = TokenPairSchema.parse(refreshed.json())
    expect(pair.refreshToken).not.toBe(session.refreshToken)
    expect((await me(pair.accessToken)).statusCode).toBe(200)
  })

  it('refresh tokens rotate: a used one is refused and takes the whole session down with it', async () => {
    const staff = await makeStaff(t, 'police', c.compound)
    const first = await signedIn(staff)
    const elsewhere = await signedIn(staff) // another phone of the same person
    const second = TokenPairSchema.parse((await refresh(first.refreshToken)).json())
    expect((await me(second.accessToken)).statusCode).toBe(200)

    // Someone replays the first refresh token: refused, and every token of that login dies.
    const replay = await refresh(first.refreshToken)
    expect(replay.statusCode).toBe(401)
    expect(replay.json().code).toBe('UNAUTHENTICATED')
    expect((await refresh(second.refreshToken)).statusCode).toBe(401)
    expect((await me(second.accessToken)).statusCode).toBe(401)
    // Another login of the same person is a different family and carries on.
    expect((await me(elsewhere.accessToken)).statusCode).toBe(200)
    expect((await refresh(elsewhere.refreshToken)).statusCode).toBe(200)
  })

  it('refresh tokens expire after 30 days; garbage ones are refused', async () => {
    const session = await signedIn(await makeStaff(t, 'police', c.compound))
    now += 30 * 86_400_000 + 1000
    expect((await refresh(session.refreshToken)).statusCode).toBe(401)
    expect((await refresh('not-a-token')).statusCode).toBe(401)
  })

  it('logout revokes: the access token and the refresh token stop working at once', async () => {
    const staff = await makeStaff(t, 'police', c.compound)
    const session = await signedIn(staff)
    const other = await signedIn(staff)
    const out = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { authorization: `Bearer ${session.accessToken}` },
    })
    expect(out.statusCode).toBe(204)
    expect((await me(session.accessToken)).statusCode).toBe(401)
    expect((await refresh(session.refreshToken)).statusCode).toBe(401)
    expect((await me(other.accessToken)).statusCode).toBe(200)
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/logout' })).statusCode).toBe(401)
  })

  it('refuses forged tokens: another secret, no signature, or a resident token posing as staff', async () => {
    const staff = await makeStaff(t, 'police', c.compound)
    const session = await signedIn(staff)
    const claims = JSON.parse(Buffer.from(session.accessToken.split('.')[1], 'base64url').toString())
    const forged = await new JwtService({ secret: 'x'.repeat(40) }).signAsync(claims)
    const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${session.accessToken.split('.')[1]}.`
    const posing = await t.app
      .get(JwtService)
      .signAsync({ sid: claims.sid, kind: 'resident', iat: claims.iat }, { subject: staff.id, expiresIn: 60 })
    for (const token of [forged, unsigned, posing, 'garbage']) {
      const res = await me(token)
      expect(res.statusCode).toBe(401)
      expect(res.json().code).toBe('UNAUTHENTICATED')
    }
  })

  it('changing one’s password needs the current one, follows the policy, and ends other sessions', async () => {
    const staff = await makeStaff(t, 'police', c.compound)
    const session = await signedIn(staff)
    const other = await signedIn(staff)
    const change = (currentPassword: string, newPassword: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/me/password',
        headers: { authorization: `Bearer ${session.accessToken}` },
        payload: { currentPassword, newPassword },
      })
    expect((await change('Wrong@12345', 'Better2026x')).statusCode).toBe(400)
    const weak = await change(TEST_PASSWORD, 'password')
    expect(weak.statusCode).toBe(400)
    expect(weak.json().details[0].message).toMatch(/字母和数字/)
    expect((await change(TEST_PASSWORD, 'Better2026x')).statusCode).toBe(204)
    expect((await me(session.accessToken)).statusCode).toBe(200)
    expect((await me(other.accessToken)).statusCode).toBe(401)
    expect((await login(staff.phone, TEST_PASSWORD)).statusCode).toBe(401)
    expect((await login(staff.phone, 'Better2026x')).statusCode).toBe(200)
  })
})
