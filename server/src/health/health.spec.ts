import { Client } from 'pg'
import { startTestApp, type TestApp } from '../../test/app'

describe('GET /api/health', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp()
  })
  afterAll(() => t.close())

  it('answers 200 with the database up', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ status: 'ok', database: 'up' })
    expect(res.headers['x-request-id']).toBeTruthy()
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
    const t = await startTestApp({}, url.toString())
    try {
      expect((await t.app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200)
      // Take the database away from under the running app: no new connections, existing ones cut.
      await client.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`)
      await client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [name])
      const down = await t.app.inject({ method: 'GET', url: '/api/health' })
      expect(down.statusCode).toBe(503)
      expect(down.json()).toMatchObject({ status: 'degraded', database: 'down' })
      await client.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`)
      expect((await t.app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200)
    } finally {
      await t.close()
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await client.end()
    }
  })
})
