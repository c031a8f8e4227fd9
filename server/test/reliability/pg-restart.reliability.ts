/**
 * Database faults: a PostgreSQL of its own (embedded, so the test can stop and start
 * it), the built server on it, and a filing load. Once a quarter of the filings are acknowledged the
 * PostgreSQL server is stopped (fast shutdown: connections cut) for a few seconds and started again.
 * While it is down the API answers 503 with Retry-After — never 500, never a hang (every attempt answered
 * within 5 s) — and it recovers by itself: same process, no restart. No acknowledged write is lost.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { migrate } from '../../src/database/data-source'
import { freePort } from '../database'
import { startInstance, stopInstance, type Instance } from '../deploy/instances'
import { startPgProcess, type PgProcess } from './pg-process'
import {
  builtServer,
  fileLoad,
  halfWritten,
  loadEnv,
  QUICK,
  reportFigure,
  residentSession,
  seedCompound,
  send,
  sleep,
  statusCounts,
  storedFigures,
  withClient,
  type Seeded,
} from './support'

const FILINGS = QUICK ? 300 : 1200
const CONCURRENCY = 16
const OUTAGE_MS = QUICK ? 3000 : 8000
/** An attempt with no answer within this is a hang. */
const ANSWER_BOUND_MS = 5000

describe('PostgreSQL restarted in the middle of a filing load', () => {
  let dir: string
  let pgDir: string
  let port: number
  let pg: PgProcess | undefined
  let url: string
  let seeded: Seeded
  let server: Instance | undefined

  const startPg = async () => {
    pg = await startPgProcess({ dataDir: pgDir, port, database: 'mq_pgrestart' })
    return pg
  }

  beforeAll(async () => {
    builtServer()
    dir = await mkdtemp(join(tmpdir(), 'mq-pgrestart-'))
    await chmod(dir, 0o755) // the postgres OS user must reach the data directory inside
    pgDir = join(dir, 'pg')
    port = await freePort()
    url = (await startPg()).url
    await migrate(url)
    seeded = await seedCompound(url)
    server = await startInstance('pgrestart', loadEnv(url, join(dir, 'data')))
  }, 180_000)

  afterAll(async () => {
    if (server) await stopInstance(server, 'SIGKILL')
    await pg?.stop()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it(`answers 503 while it is down, recovers without a restart, loses no acknowledged write (${FILINGS} filings)`, async () => {
    const s = server!
    const residents: string[] = []
    for (let r = 0; r < 16; r++) residents.push(await residentSession(s.url, `pgrestart-${r}`))

    const began = performance.now()
    let outage: Promise<void> | null = null
    let downAt = 0
    let upAt = 0
    const pullThePlug = async () => {
      downAt = performance.now() - began
      await pg!.stop()
      await sleep(OUTAGE_MS)
      await startPg()
      upAt = performance.now() - began
    }
    // Reads beside the writes: a resident's own list (the guard loads the session from the database too).
    const reads: { status: number | 'hang' | 'network-error'; ms: number; retryAfter: boolean }[] = []
    let loading = true
    const reader = (async () => {
      while (loading) {
        const started = performance.now()
        try {
          const res = await send(s.url, 'GET', '/api/requests/mine', {
            headers: { authorization: `Bearer ${residents[0]}` },
            timeoutMs: ANSWER_BOUND_MS,
          })
          reads.push({ status: res.status, ms: res.ms, retryAfter: res.headers['retry-after'] !== undefined })
        } catch (error) {
          const status = (error as { code?: string }).code === 'HANG' ? 'hang' : 'network-error'
          reads.push({ status, ms: performance.now() - started, retryAfter: false })
        }
        await sleep(100)
      }
    })()
    const load = await fileLoad({
      base: () => s.url,
      residents,
      unitTokens: seeded.unitTokens,
      count: FILINGS,
      concurrency: CONCURRENCY,
      run: `pg${Date.now().toString(36)}`,
      began,
      retryCapMs: 250, // sample the outage finely: the error window is measured, not waited out
      timeoutMs: ANSWER_BOUND_MS,
      onAttempt: (acked) => {
        if (!outage && acked >= FILINGS / 4) outage = pullThePlug()
      },
    })
    await outage
    loading = false
    await reader
    const readCounts: Record<string, number> = {}
    for (const r of reads) readCounts[String(r.status)] = (readCounts[String(r.status)] ?? 0) + 1
    const errors = load.attempts.filter((a) => a.status !== 201 && a.status !== 200)
    // From the first error answer to the first success begun after the last one.
    const lastError = errors.length ? Math.max(...errors.map((a) => a.end)) : 0
    const firstError = errors.length ? Math.min(...errors.map((a) => a.end)) : 0
    const backAt = Math.min(
      ...load.attempts
        .filter((a) => a.start >= lastError && (a.status === 201 || a.status === 200))
        .map((a) => a.end),
    )
    const windowMs = errors.length ? backAt - firstError : 0
    const counts = statusCounts(load.attempts)
    const hangs =
      load.attempts.filter((a) => a.status === 'hang').length +
      reads.filter((r) => r.status === 'hang').length
    const slowest = Math.max(...load.attempts.map((a) => a.end - a.start), ...reads.map((r) => r.ms))
    const stored = await withClient(url, (c) => storedFigures(c, seeded.compoundId, load.filings))
    const half = await withClient(url, (c) => halfWritten(c, seeded.compoundId))
    const ready = await send(s.url, 'GET', '/api/health/ready', { timeoutMs: ANSWER_BOUND_MS })
    reportFigure(
      `PGRESTART filings=${FILINGS} outage_s=${((upAt - downAt) / 1000).toFixed(1)} ` +
        `error_window_s=${(windowMs / 1000).toFixed(1)} status_counts=${JSON.stringify(counts)} read_status_counts=${JSON.stringify(readCounts)} ` +
        `slowest_answer_ms=${Math.round(slowest)} acknowledged_missing=${stored.missing} hangs=${hangs} ` +
        `rows=${stored.rows} duplicates=${stored.duplicates} half_written=${half.total} server_restarts=0`,
    )

    if (load.unexpected.length > 0) {
      const internal = s
        .output()
        .split('\n')
        .filter((l) => l.includes('"INTERNAL"'))
      console.error(`the server's 500s:\n${internal.slice(0, 5).join('\n')}`)
    }
    expect(outage).not.toBeNull() // the plug was pulled mid-load
    expect(load.unexpected).toEqual([]) // no 500, no 4xx: only 201/200 and the retryable 503 (409 on a twin)
    expect(Object.keys(counts).every((k) => ['200', '201', '503', '409'].includes(k))).toBe(true)
    expect(counts['503'] ?? 0).toBeGreaterThan(0) // it did answer 503 while the database was down
    expect(errors.filter((a) => a.status === 503 && a.retryAfter === null)).toEqual([])
    expect(Object.keys(readCounts).every((k) => ['200', '503'].includes(k))).toBe(true)
    expect(readCounts['503'] ?? 0).toBeGreaterThan(0)
    expect(reads.filter((r) => r.status === 503 && !r.retryAfter)).toEqual([])
    expect(hangs).toBe(0)
    expect(slowest).toBeLessThan(ANSWER_BOUND_MS)
    // The errors fell while the database was away (plus the moment it takes to notice it is back).
    expect(windowMs).toBeLessThan(upAt - downAt + 5000)
    // Recovered by itself: the same process (never restarted) acknowledged every filing.
    expect(s.child.exitCode).toBeNull()
    expect(s.child.signalCode).toBeNull()
    expect(ready.status).toBe(200)
    expect(load.filings.filter((f) => !f.ackedId)).toEqual([])
    expect(stored).toEqual({ rows: FILINGS, duplicates: 0, missing: 0, mismatched: 0 })
    expect(half.total).toBe(0)
  })
})
