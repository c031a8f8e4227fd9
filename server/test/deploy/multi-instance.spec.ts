/**
 * Several instances behind nginx on one PostgreSQL: three `node dist/main.js` processes
 * in production mode, nginx from Debian's packages in front (server/deploy/nginx/minqing-proxy.conf as a
 * deployment uses it), all on 127.0.0.1. Sessions and the login lockout hold whichever instance answers;
 * one instance is stopped (SIGTERM) and another killed (SIGKILL) under load, and no request fails once
 * the balancer has noticed. nginx missing is a failure, not a skip: .ci/run installs it.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startTestApp } from '../app'
import { scratchDatabase } from '../database'
import { makeCompound, makeStaff, TEST_PASSWORD } from '../factories'
import type { Staff } from '../../src/staff/staff.entity'
import { productionEnv, requireBuild, startInstance, stopInstance, type Instance } from './instances'
import { figures, startLoad, type Shot } from './load'
import { findNginx, startNginx, type Nginx } from './nginx'

const json = (body: unknown) => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

async function call(base: string, method: string, path: string, init: { headers?: Record<string, string>; body?: string } = {}) {
  const res = await fetch(`${base}${path}`, { method, ...init })
  const text = await res.text()
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} }
}

describe('several instances behind nginx on one PostgreSQL', () => {
  let dir: string
  let db: { url: string; drop(): Promise<void> }
  let instances: Instance[] = []
  let nginx: Nginx | null = null
  let staff: Staff
  let lockable: Staff
  let token: string

  beforeAll(async () => {
    findNginx() // fails with the reason before anything starts
    requireBuild()
    dir = await mkdtemp(join(tmpdir(), 'mq-multi-'))
    await chmod(dir, 0o755)
    db = await scratchDatabase('mq_multi')
    const t = await startTestApp({}, db.url)
    try {
      const compound = await makeCompound(t, [1])
      staff = await makeStaff(t, 'grid_lead', compound.compound, '多实例网格长')
      lockable = await makeStaff(t, 'property_manager', compound.compound, '锁定测试')
      token = compound.tokens[0][0]
    } finally {
      await t.close()
    }
    // One DATA_DIR for all: uploads are a shared store.
    const env = productionEnv(db.url, { DATA_DIR: join(dir, 'data') })
    instances = await Promise.all(['a', 'b', 'c'].map((name) => startInstance(name, env)))
    nginx = await startNginx(join(dir, 'nginx'), instances.map((i) => `127.0.0.1:${i.port}`))
  }, 120_000)

  afterAll(async () => {
    await nginx?.stop()
    await Promise.all(instances.map((i) => stopInstance(i, 'SIGKILL')))
    await db?.drop()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('sessions: a login on one instance works on the others; refresh, reuse and logout hold everywhere', async () => {
    const [a, b, c] = instances.map((i) => i.url)
    const login = await call(a, 'POST', '/api/auth/staff/login', json({ phone: staff.phone, password: TEST_PASSWORD }))
    expect(login.status).toBe(200)
    const first = login.body as { accessToken: string; refreshToken: string }
    const me = await call(b, 'GET', '/api/me', { headers: { authorization: `Bearer ${first.accessToken}` } })
    expect(me.status).toBe(200)
    expect(me.body).toMatchObject({ kind: 'staff', name: '多实例网格长' })
    // Refresh on B; the new access token works on C.
    const refreshed = await call(b, 'POST', '/api/auth/refresh', json({ refreshToken: first.refreshToken }))
    expect(refreshed.status).toBe(200)
    const second = refreshed.body as { accessToken: string; refreshToken: string }
    expect((await call(c, 'GET', '/api/me', { headers: { authorization: `Bearer ${second.accessToken}` } })).status).toBe(200)
    // The old refresh token replayed on C: refused, and the session ends on every instance.
    const replay = await call(c, 'POST', '/api/auth/refresh', json({ refreshToken: first.refreshToken }))
    expect(replay.status).toBe(401)
    for (const base of [a, b, c]) {
      expect((await call(base, 'GET', '/api/me', { headers: { authorization: `Bearer ${second.accessToken}` } })).status).toBe(401)
    }
    // Logout on A ends a session started through nginx, on every instance.
    const viaNginx = await call(nginx!.url, 'POST', '/api/auth/staff/login', json({ phone: staff.phone, password: TEST_PASSWORD }))
    expect(viaNginx.status).toBe(200)
    const third = viaNginx.body as { accessToken: string }
    const auth = { headers: { authorization: `Bearer ${third.accessToken}` } }
    expect((await call(a, 'POST', '/api/auth/logout', auth)).status).toBe(204)
    for (const base of [a, b, c, nginx!.url]) expect((await call(base, 'GET', '/api/me', auth)).status).toBe(401)
  })

  it('rate limits: five wrong passwords spread over the instances lock the account on all of them', async () => {
    const bases = instances.map((i) => i.url)
    const statuses: number[] = []
    for (let attempt = 0; attempt < 5; attempt++) {
      const base = bases[attempt % bases.length]
      statuses.push((await call(base, 'POST', '/api/auth/staff/login', json({ phone: lockable.phone, password: 'Wrong#password1' }))).status)
    }
    expect(statuses).toEqual([401, 401, 401, 401, 423])
    for (const base of [...bases, nginx!.url]) {
      const right = await call(base, 'POST', '/api/auth/staff/login', json({ phone: lockable.phone, password: TEST_PASSWORD }))
      expect(right.status).toBe(423)
    }
  })

  it('one instance stopped (SIGTERM) and another killed (SIGKILL) under load: no failed request once nginx noticed', async () => {
    const login = await call(nginx!.url, 'POST', '/api/auth/staff/login', json({ phone: staff.phone, password: TEST_PASSWORD }))
    expect(login.status).toBe(200)
    const bearer = { authorization: `Bearer ${(login.body as { accessToken: string }).accessToken}` }
    // Reads with a session (the guard loads it from the database), public reads, and POST logins.
    const shot = (w: number, i: number): Shot => {
      switch (i % 3) {
        case 0:
          return { kind: 'me', method: 'GET', path: '/api/me', headers: bearer, expect: 200 }
        case 1:
          return { kind: 'scan', method: 'GET', path: `/api/places/by-token/${token}`, expect: 200 }
        default:
          return {
            kind: 'device-login',
            method: 'POST',
            path: '/api/auth/device',
            ...json({ deviceSecret: `multi-instance-load-worker-${w}-secret-0123456789` }),
            expect: 200,
          }
      }
    }
    const [a, b, c] = instances
    const at = (i: Instance) => `127.0.0.1:${i.port}`
    const names = new Map(instances.map((i) => [at(i), i.name]))
    const report = (label: string, f: ReturnType<typeof figures>) =>
      console.log(
        `${label}: ${f.sent} requests through nginx in ${f.durationMs} ms (8 workers); ${f.failures} failed ` +
          `(${f.inFlightAtKill} in flight at the signal), failure window ${f.failureWindowMs} ms; ` +
          `nginx noticed ${f.noticedAfterMs} ms after the signal, ${f.failedAfterNotice} failed after that; ` +
          `${f.retried} request(s) retried on a live instance; answered by ` +
          Object.entries(f.perUpstream)
            .map(([u, n]) => `${names.get(u) ?? u}: ${n}`)
            .join(', ') +
          (f.failed.length ? `; failed: ${f.failed.join('; ')}` : ''),
      )

    // 1. SIGTERM: the instance drains; the requests in flight finish, nginx takes the rest elsewhere.
    const graceful = startLoad({ url: nginx!.url, concurrency: 8, maxRequests: 20_000, maxMs: 20_000, shot })
    await new Promise((r) => setTimeout(r, 1500))
    const termAt = graceful.now()
    a.child.kill('SIGTERM')
    expect(await a.exited).toBe(0)
    await new Promise((r) => setTimeout(r, 2000))
    const calmSamples = await graceful.stop()
    const calm = figures(calmSamples, termAt, at(a))
    report('SIGTERM a', calm)
    expect(calm.failedAfterNotice).toBe(0)
    // Every request in flight at the signal finished, and nginx repeated whatever the closed listener
    // refused. What can remain is a connection the kernel accepted for a in the instant its listener closed
    // (about 1 restart in 15 under this load): nginx repeats a GET, not a POST. docs/deployment.md says how a
    // planned restart avoids even that.
    expect(calm.inFlightAtKill).toBe(0)
    expect(calmSamples.filter((s) => !s.ok && s.kind !== 'device-login')).toEqual([])
    expect(calm.perUpstream[at(a)]).toBeGreaterThan(0) // a served before it stopped
    expect(calm.perUpstream[at(b)]).toBeGreaterThan(0)
    expect(calm.perUpstream[at(c)]).toBeGreaterThan(0)

    // 2. SIGKILL: a crash. Requests in flight on it at that instant may fail (nginx never repeats a POST
    // it sent); nothing sent after the kill does.
    const crash = startLoad({ url: nginx!.url, concurrency: 8, maxRequests: 20_000, maxMs: 20_000, shot })
    await new Promise((r) => setTimeout(r, 1500))
    const killAt = crash.now()
    b.child.kill('SIGKILL')
    await b.exited
    await new Promise((r) => setTimeout(r, 2000))
    const samples = await crash.stop()
    const hard = figures(samples, killAt, at(b))
    report('SIGKILL b', hard)
    expect(hard.failedAfterNotice).toBe(0)
    expect(hard.failures).toBeLessThanOrEqual(8) // at most one per worker: what was on its way to b
    expect(hard.failureWindowMs).toBeLessThan(2000)
    const afterNotice = samples.filter((s) => s.start > killAt + hard.noticedAfterMs)
    expect(afterNotice.length).toBeGreaterThan(50)
    expect(afterNotice.filter((s) => !s.ok || s.upstream !== at(c))).toEqual([])
  }, 90_000)
})
