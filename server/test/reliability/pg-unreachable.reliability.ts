/**
 * Database faults, the harder half: a database that stops answering without closing anything (a network
 * partition): the built server reaches its PostgreSQL through a proxy that, once a quarter of a filing
 * load is acknowledged, goes silent for a while and then lets everything through again. Nothing is
 * refused and nothing is reset, so only the server's own timeouts end the wait.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { migrate } from '../../src/database/data-source'
import { freePort } from '../database'
import { startInstance, stopInstance, type Instance } from '../deploy/instances'
import { startFreezingProxy, type FreezingProxy } from './freezing-proxy'
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

const FILINGS = QUICK ? 200 : 600
const CONCURRENCY = 16
/** Longer than the pool's query_timeout (15 s, data-source.ts), so the server's own timeouts must act. */
const SILENCE_MS = QUICK ? 17_000 : 25_000
/**
 * An attempt with no answer within this is a hang. The worst case by construction: a wait for a pooled
 * connection (connectionTimeoutMillis, 10 s), its query (query_timeout, 15 s), and its transaction's
 * ROLLBACK, queued behind that query on the same connection (up to 15 s more).
 */
const ANSWER_BOUND_MS = 45_000

describe('PostgreSQL unreachable (silent) in the middle of a filing load', () => {
  let dir: string
  let pg: PgProcess | undefined
  let proxy: FreezingProxy | undefined
  let seeded: Seeded
  let server: Instance | undefined
  let directUrl: string

  beforeAll(async () => {
    builtServer()
    dir = await mkdtemp(join(tmpdir(), 'mq-pgsilent-'))
    await chmod(dir, 0o755)
    pg = await startPgProcess({ dataDir: join(dir, 'pg'), port: await freePort(), database: 'mq_pgsilent' })
    directUrl = pg.url
    await migrate(directUrl)
    seeded = await seedCompound(directUrl)
    proxy = await startFreezingProxy(Number(new URL(directUrl).port))
    const viaProxy = new URL(directUrl)
    viaProxy.port = String(proxy.port)
    server = await startInstance('pgsilent', loadEnv(viaProxy.toString(), join(dir, 'data')))
  }, 180_000)

  afterAll(async () => {
    if (server) await stopInstance(server, 'SIGKILL')
    await proxy?.close()
    await pg?.stop()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it(`answers 503 within the timeouts while it is silent, recovers, loses nothing (${FILINGS} filings)`, async () => {
    const s = server!
    const residents: string[] = []
    for (let r = 0; r < 16; r++) residents.push(await residentSession(s.url, `pgsilent-${r}`))
    const began = performance.now()
    let silence: Promise<void> | null = null
    let silentAt = 0
    let backAt = 0
    const load = await fileLoad({
      base: () => s.url,
      residents,
      unitTokens: seeded.unitTokens,
      count: FILINGS,
      concurrency: CONCURRENCY,
      run: `silent${Date.now().toString(36)}`,
      began,
      retryCapMs: 250,
      timeoutMs: ANSWER_BOUND_MS,
      onAttempt: (acked) => {
        if (!silence && acked >= FILINGS / 4) {
          silence = (async () => {
            silentAt = performance.now() - began
            proxy!.freeze()
            await sleep(SILENCE_MS)
            proxy!.thaw()
            backAt = performance.now() - began
          })()
        }
      },
    })
    await silence
    const counts = statusCounts(load.attempts)
    const hangs = load.attempts.filter((a) => a.status === 'hang').length
    const slowest = Math.max(...load.attempts.map((a) => a.end - a.start))
    const stored = await withClient(directUrl, (c) => storedFigures(c, seeded.compoundId, load.filings))
    const half = await withClient(directUrl, (c) => halfWritten(c, seeded.compoundId))
    const ready = await send(s.url, 'GET', '/api/health/ready', { timeoutMs: ANSWER_BOUND_MS })
    reportFigure(
      `PGSILENT filings=${FILINGS} silence_s=${((backAt - silentAt) / 1000).toFixed(1)} ` +
        `status_counts=${JSON.stringify(counts)} slowest_answer_ms=${Math.round(slowest)} hangs=${hangs} ` +
        `acknowledged_missing=${stored.missing} rows=${stored.rows} duplicates=${stored.duplicates} half_written=${half.total}`,
    )
    if (load.unexpected.length > 0) {
      const internal = s
        .output()
        .split('\n')
        .filter((l) => l.includes('"INTERNAL"'))
      console.error(`the server's 500s:\n${internal.slice(0, 5).join('\n')}`)
    }
    expect(load.unexpected).toEqual([]) // no 500: only 201/200 and 503 (409 on a twin)
    expect(counts['503'] ?? 0).toBeGreaterThan(0) // the timeouts answered, as 503
    expect(load.attempts.filter((a) => a.status === 503 && a.retryAfter === null)).toEqual([])
    expect(hangs).toBe(0)
    expect(slowest).toBeLessThan(ANSWER_BOUND_MS)
    expect(s.child.exitCode).toBeNull()
    expect(ready.status).toBe(200)
    expect(stored).toEqual({ rows: FILINGS, duplicates: 0, missing: 0, mismatched: 0 })
    expect(half.total).toBe(0)
  })
})
