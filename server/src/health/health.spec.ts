import { createHash } from 'node:crypto'
import { Client } from 'pg'
import { startTestModule, type TestApp } from '../../test/app'
import { makeResident, signIn } from '../../test/factories'
import { drain } from './drain'
import { Lifecycle } from './lifecycle'
import { HealthModule } from './health.module'

describe('GET /api/health', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestModule({ imports: [HealthModule], http: true })
  })
  afterAll(() => t.close())

  it('answers 200 with the database up', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ status: 'ok', database: 'up' })
    expect(res.headers['x-request-id']).toBeTruthy()
  })

  it('live and ready answer 200 while the instance serves', async () => {
    const live = await t.app.inject({ method: 'GET', url: '/api/health/live' })
    expect(live.statusCode).toBe(200)
    expect(live.json()).toMatchObject({ status: 'alive' })
    const ready = await t.app.inject({ method: 'GET', url: '/api/health/ready' })
    expect(ready.statusCode).toBe(200)
    expect(ready.json()).toEqual({ status: 'ready', database: 'up', draining: false })
    expect(ready.headers.connection).not.toBe('close')
  })
})

describe('draining (SIGTERM)', () => {
  it('turns readiness 503 at once while liveness stays 200, and asks clients to close their connections', async () => {
    const t = await startTestModule({ imports: [HealthModule], http: true })
    try {
      t.app.get(Lifecycle).beginDrain()
      const ready = await t.app.inject({ method: 'GET', url: '/api/health/ready' })
      expect(ready.statusCode).toBe(503)
      expect(ready.json()).toEqual({ status: 'not_ready', database: 'up', draining: true })
      const live = await t.app.inject({ method: 'GET', url: '/api/health/live' })
      expect(live.statusCode).toBe(200)
      expect(live.headers.connection).toBe('close')
    } finally {
      await t.close()
    }
  })

  it('drain() lets a request in flight finish, then refuses new connections', async () => {
    const t = await startTestModule({ imports: [HealthModule], http: true })
    const client = new Client({ connectionString: process.env.MQ_TEST_DATABASE_URL })
    await client.connect()
    try {
      await t.app.listen({ port: 0, host: '127.0.0.1' })
      const address = t.app.getHttpServer().address()
      const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
      const { refreshToken } = await signIn(t, { resident: await makeResident(t) })
      // Hold the refresh token's row: the refresh below waits on it, in flight, until we let go.
      await client.query('BEGIN')
      await client.query('SELECT 1 FROM refresh_token WHERE token_hash = $1 FOR UPDATE', [
        createHash('sha256').update(refreshToken).digest('hex'),
      ])
      const inFlight = fetch(`${base}/api/auth/refresh`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken }),
      })
      await new Promise((r) => setTimeout(r, 200))
      let drained = false
      const draining = drain(t.app, { delayMs: 300, timeoutMs: 10_000 }).then(() => (drained = true))
      // During the delay the instance still answers; readiness says 503.
      expect((await fetch(`${base}/api/health/ready`)).status).toBe(503)
      await new Promise((r) => setTimeout(r, 500))
      expect(drained).toBe(false) // still waiting for the refresh
      await expect(fetch(`${base}/api/health/live`)).rejects.toThrow() // listener closed
      await client.query('COMMIT')
      const answered = await inFlight
      expect(answered.status).toBe(200)
      expect(answered.headers.get('connection')).toBe('close')
      await draining
    } finally {
      await client.end()
      await t.close()
    }
  })
})

describe('GET /api/health with the database gone', () => {
  const name = `mq_health_${process.pid}`
  const admin = () => new Client({ connectionString: process.env.MQ_TEST_ADMIN_URL })

  it('answers 503 once the database refuses connections, and 200 again when it is back', async () => {
    const client = admin()
    await client.connect()
    await client.query(`CREATE DATABASE ${name}`)
    const url = new URL(process.env.MQ_TEST_ADMIN_URL!)
    url.pathname = `/${name}`
    const t = await startTestModule({ imports: [HealthModule], http: true, databaseUrl: url.toString() })
    try {
      expect((await t.app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200)
      // Take the database away from under the running app: no new connections, existing ones cut.
      await client.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`)
      await client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [name])
      const down = await t.app.inject({ method: 'GET', url: '/api/health' })
      expect(down.statusCode).toBe(503)
      expect(down.json()).toMatchObject({ status: 'degraded', database: 'down' })
      const notReady = await t.app.inject({ method: 'GET', url: '/api/health/ready' })
      expect(notReady.statusCode).toBe(503)
      expect(notReady.json()).toEqual({ status: 'not_ready', database: 'down', draining: false })
      expect((await t.app.inject({ method: 'GET', url: '/api/health/live' })).statusCode).toBe(200)
      await client.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`)
      expect((await t.app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200)
    } finally {
      await t.close()
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await client.end()
    }
  })
})
