/**
 * Production mode, as a deployment runs it (`NODE_ENV=production node dist/main.js`): it refuses to start
 * without what production needs, never seeds or offers demo logins, and on SIGTERM drains: readiness 503,
 * the request in flight finishes, new connections are refused, exit 0.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { Client } from 'pg'
import { scratchDatabase } from '../database'
import { MAIN, productionEnv, requireBuild, startInstance, stopInstance } from './instances'

function refusal(env: NodeJS.ProcessEnv): { status: number; stderr: string } {
  try {
    execFileSync(process.execPath, [MAIN], { env, encoding: 'utf8', stdio: 'pipe', timeout: 20_000 })
  } catch (error) {
    const e = error as { status: number; stderr: string }
    return { status: e.status, stderr: e.stderr }
  }
  throw new Error('the server started')
}

describe('NODE_ENV=production', () => {
  let db: { url: string; drop(): Promise<void> }
  beforeAll(async () => {
    requireBuild()
    db = await scratchDatabase('mq_prod')
  })
  afterAll(() => db?.drop())

  it('refuses to start without DATABASE_URL, PUBLIC_URL, TOKEN_SECRET and WeChat credentials: one line, exit 1', () => {
    const { status, stderr } = refusal({ PATH: process.env.PATH, NODE_ENV: 'production' })
    expect(status).toBe(1)
    expect(stderr.trim()).toBe(
      'Invalid configuration: NODE_ENV is production, which needs DATABASE_URL, PUBLIC_URL, TOKEN_SECRET, WECHAT_APPID, WECHAT_SECRET (not set)',
    )
  })

  it.each([
    [{ DEMO: 'true' }, 'Invalid configuration: DEMO must not be true in production (demo data and demo logins are for trying it out)'],
    [{ TOKEN_SECRET: 'x'.repeat(48) }, 'Invalid configuration: TOKEN_SECRET is not random enough (fewer than 12 different characters)'],
    [{ PUBLIC_URL: 'http://mq.example.test' }, 'Invalid configuration: PUBLIC_URL must be an https:// URL in production (WeChat opens only https links) (got "http://mq.example.test")'],
  ])('refuses %j', (change, line) => {
    const { status, stderr } = refusal(productionEnv(db.url, change))
    expect(status).toBe(1)
    expect(stderr.trim()).toBe(line)
  })

  it('starts without demo data or demo logins, and drains on SIGTERM: the request in flight finishes, exit 0', async () => {
    const server = await startInstance('prod', productionEnv(db.url, { SHUTDOWN_DELAY_MS: '700', LOG_LEVEL: 'info' }))
    const client = new Client({ connectionString: db.url })
    await client.connect()
    try {
      // The banner follows right after listen.
      for (let i = 0; i < 50 && !server.output().includes('Press Ctrl-C to stop'); i++) {
        await new Promise((r) => setTimeout(r, 100))
      }
      expect(server.output()).toContain('民情二维码 is running')
      expect(server.output()).not.toMatch(/Demo data|Demo staff logins|13800000001/)
      expect(Number((await client.query('SELECT count(*) AS n FROM place')).rows[0].n)).toBe(0)
      const demo = await fetch(`${server.url}/api/auth/demo-resident`, { method: 'POST' })
      expect(demo.status).toBe(404)
      expect(((await demo.json()) as { code: string }).code).toBe('ROUTE_NOT_FOUND')

      // A resident session, then its refresh held in flight by a lock on the token's row.
      const device = await fetch(`${server.url}/api/auth/device`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ deviceSecret: 'deploy-test-device-secret-0123456789abcdef' }),
      })
      expect(device.status).toBe(200)
      const tokens = (await device.json()) as { refreshToken: string }
      await client.query('BEGIN')
      await client.query('SELECT 1 FROM refresh_token WHERE token_hash = $1 FOR UPDATE', [
        createHash('sha256').update(tokens.refreshToken).digest('hex'),
      ])
      const inFlight = fetch(`${server.url}/api/auth/refresh`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken: tokens.refreshToken }),
      })
      await new Promise((r) => setTimeout(r, 200))
      const sigterm = Date.now()
      server.child.kill('SIGTERM')
      await new Promise((r) => setTimeout(r, 150))
      // Within SHUTDOWN_DELAY_MS: still answering, but not ready, so a polling balancer takes it out.
      const ready = await fetch(`${server.url}/api/health/ready`)
      expect(ready.status).toBe(503)
      expect(await ready.json()).toMatchObject({ status: 'not_ready', draining: true })
      expect((await fetch(`${server.url}/api/health/live`)).status).toBe(200)
      await new Promise((r) => setTimeout(r, 900))
      // After the delay the listener is closed; the refresh is still waiting for its row.
      await expect(fetch(`${server.url}/api/health/live`)).rejects.toThrow()
      expect(server.child.exitCode).toBeNull()
      await client.query('COMMIT')
      const answered = await inFlight
      expect(answered.status).toBe(200)
      expect(await answered.json()).toHaveProperty('refreshToken')
      expect(await server.exited).toBe(0)
      console.log(`graceful shutdown: SIGTERM → exit in ${Date.now() - sigterm} ms; the request in flight answered 200`)
      expect(server.output()).toMatch(/draining: readiness now 503, 1 request\(s\) in flight/)
      expect(server.output()).toMatch(/HTTP closed after \d+ ms; in-flight requests finished/)
    } finally {
      await client.end()
      await stopInstance(server, 'SIGKILL')
    }
  }, 60_000)
})
