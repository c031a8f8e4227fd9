import { SessionSchema } from '@mq/shared'
import { createHash, randomBytes } from 'node:crypto'
import { startTestModule, type TestApp } from '../../test/app'
import { scratchDatabase } from '../../test/database'
import { authHeader, makeCompound, makeStaff } from '../../test/factories'
import { DEMO_RESIDENT } from '../demo/demo-data'
import { DemoSeeder } from '../demo/demo-seeder'
import { AuthModule } from './auth.module'
import { DemoModule } from '../demo/demo.module'

const newDeviceSecret = () => randomBytes(24).toString('base64url')

describe('residents in a browser (H5): device-bound sessions and their phone number', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestModule({ imports: [AuthModule, DemoModule], http: true })
  })
  afterAll(() => t.close())

  const deviceLogin = (deviceSecret: string) =>
    t.app.inject({ method: 'POST', url: '/api/auth/device', payload: { deviceSecret } })

  it('the same device secret is the same resident; only its hash is stored', async () => {
    const secret = newDeviceSecret()
    const first = SessionSchema.parse((await deviceLogin(secret)).json())
    expect(first.me).toMatchObject({ kind: 'resident', via: 'device', name: null, phone: null })
    const again = SessionSchema.parse((await deviceLogin(secret)).json())
    expect(again.me.id).toBe(first.me.id)
    const other = SessionSchema.parse((await deviceLogin(newDeviceSecret())).json())
    expect(other.me.id).not.toBe(first.me.id)

    const [row] = await t.dataSource.query('SELECT device_secret_hash FROM resident WHERE id = $1', [
      first.me.id,
    ])
    expect(row.device_secret_hash).toBe(createHash('sha256').update(secret).digest('hex'))
    expect(row.device_secret_hash).not.toContain(secret)
  })

  it('refuses guessable device secrets', async () => {
    for (const deviceSecret of ['short', 'a'.repeat(31), 'has spaces in it and is long enough!!', '']) {
      expect((await deviceLogin(deviceSecret)).statusCode).toBe(400)
    }
  })

  it('a resident may add, change and remove a phone number; it must be a mainland mobile number', async () => {
    const session = SessionSchema.parse((await deviceLogin(newDeviceSecret())).json())
    const headers = { authorization: `Bearer ${session.accessToken}` }
    const patch = (payload: object) => t.app.inject({ method: 'PATCH', url: '/api/me', headers, payload })

    const added = await patch({ phone: '13912345678', name: '李阿姨' })
    expect(added.statusCode).toBe(200)
    expect(added.json()).toMatchObject({ kind: 'resident', phone: '13912345678', name: '李阿姨' })
    for (const phone of ['12345678901', '1391234567', '+8613912345678', 'abc']) {
      const bad = await patch({ phone })
      expect(bad.statusCode).toBe(400)
      expect(bad.json().details[0]).toMatchObject({ path: 'phone' })
    }
    expect((await patch({ role: 'admin' })).statusCode).toBe(400) // unknown fields are refused, not ignored
    expect((await patch({ phone: null })).json()).toMatchObject({ phone: null, name: '李阿姨' })
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers })).json()).toMatchObject({
      phone: null,
    })
  })

  it('staff cannot use the resident profile route, and nobody can without signing in', async () => {
    const c = await makeCompound(t, [1])
    const staff = await makeStaff(t, 'police', c.compound)
    const asStaff = await t.app.inject({
      method: 'PATCH',
      url: '/api/me',
      headers: await authHeader(t, { staff }),
      payload: { phone: '13912345678' },
    })
    expect(asStaff.statusCode).toBe(403)
    expect(asStaff.json().code).toBe('FORBIDDEN')
    const anonymous = await t.app.inject({
      method: 'PATCH',
      url: '/api/me',
      payload: { phone: '13912345678' },
    })
    expect(anonymous.statusCode).toBe(401)
  })

  it('the one-tap demo resident login exists only in demo mode', async () => {
    const off = await t.app.inject({ method: 'POST', url: '/api/auth/demo-resident' })
    expect(off.statusCode).toBe(404)
    expect(off.json().code).toBe('ROUTE_NOT_FOUND')

    // Its own database: the demo data exists once per database, and the seeder's own test counts on that.
    const db = await scratchDatabase('mq_demo_login')
    const demo = await startTestModule({
      imports: [AuthModule, DemoModule],
      http: true,
      env: { DEMO: 'true' },
      databaseUrl: db.url,
    })
    try {
      expect(await demo.app.get(DemoSeeder).seed()).toBe(true)
      const res = await demo.app.inject({ method: 'POST', url: '/api/auth/demo-resident' })
      expect(res.statusCode).toBe(200)
      const session = SessionSchema.parse(res.json())
      expect(session.me).toMatchObject({
        kind: 'resident',
        name: DEMO_RESIDENT.name,
        phone: DEMO_RESIDENT.phone,
      })
    } finally {
      await demo.close()
      await db.drop()
    }
  })
})
