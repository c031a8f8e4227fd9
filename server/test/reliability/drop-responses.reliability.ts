/**
 * Nothing lost under load: resident filings (2,000; 300 in the quick form) from 16
 * resident sessions, 32 at a time, through a TCP proxy that drops 10% of the responses after the server
 * handled the request. The client files again with the same Idempotency-Key until an answer arrives.
 * Every acknowledged request exists exactly once, rows = filings, no duplicates.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { scratchDatabase } from '../database'
import { startInstance, stopInstance, type Instance } from '../deploy/instances'
import { startDroppingProxy, type DroppingProxy } from './dropping-proxy'
import {
  builtServer,
  fileLoad,
  halfWritten,
  loadEnv,
  QUICK,
  reportFigure,
  residentSession,
  seededRandom,
  seedCompound,
  statusCounts,
  storedFigures,
  withClient,
  type Seeded,
} from './support'

const FILINGS = QUICK ? 300 : 2000
const CONCURRENCY = 32
const RESIDENTS = 32
const DROP_RATE = 0.1

describe('responses dropped after the server handled the request', () => {
  let dir: string
  let db: { url: string; drop(): Promise<void> }
  let seeded: Seeded
  let server: Instance | undefined
  let proxy: DroppingProxy | undefined

  beforeAll(async () => {
    builtServer()
    dir = await mkdtemp(join(tmpdir(), 'mq-drop-'))
    db = await scratchDatabase('mq_drop')
    seeded = await seedCompound(db.url)
    server = await startInstance('drop', loadEnv(db.url, join(dir, 'data')))
    proxy = await startDroppingProxy({
      upstreamPort: server.port,
      dropRate: DROP_RATE,
      random: seededRandom(12),
    })
  }, 180_000)

  afterAll(async () => {
    await proxy?.close()
    if (server) await stopInstance(server, 'SIGKILL')
    await db?.drop()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it(`${FILINGS} filings: every acknowledged request exists exactly once`, async () => {
    const p = proxy!
    const residents: string[] = []
    for (let r = 0; r < RESIDENTS; r++) residents.push(await residentSession(p.url, `drop-${r}`))
    const droppedBeforeLoad = p.dropped()

    const load = await fileLoad({
      base: () => p.url,
      residents,
      unitTokens: seeded.unitTokens,
      count: FILINGS,
      concurrency: CONCURRENCY,
      run: `drop${Date.now().toString(36)}`,
    })
    const dropped = p.dropped() - droppedBeforeLoad
    const stored = await withClient(db.url, (c) => storedFigures(c, seeded.compoundId, load.filings))
    const half = await withClient(db.url, (c) => halfWritten(c, seeded.compoundId))
    const acked = load.filings.filter((f) => f.ackedId).length
    const distinct = new Set(load.filings.map((f) => f.ackedId).filter(Boolean)).size
    const answers = statusCounts(load.attempts)
    reportFigure(
      `DROP filings=${FILINGS} acked=${acked} dropped_responses=${dropped} retries=${load.retries} ` +
        `rows=${stored.rows} duplicates=${stored.duplicates} missing=${stored.missing} ` +
        `half_written=${half.total} answers=${JSON.stringify(answers)}`,
    )

    if (load.unexpected.length > 0) console.error(`server output:\n${server!.output().slice(-4000)}`)
    expect(load.unexpected).toEqual([])
    expect(acked).toBe(FILINGS)
    expect(distinct).toBe(FILINGS) // one request per filing, none shared
    expect(stored).toEqual({ rows: FILINGS, duplicates: 0, missing: 0, mismatched: 0 })
    expect(half.byRule).toEqual(Object.fromEntries(Object.keys(half.byRule).map((k) => [k, 0])))
    // The proxy really lost answers (about 10% of them), and each loss was made good by a retry that the
    // server answered with the original request (200) rather than a second one.
    expect(dropped).toBeGreaterThan(FILINGS * DROP_RATE * 0.5)
    expect(load.retries).toBeGreaterThanOrEqual(dropped)
    // A filing whose answer was lost got the original back (200) on its retry; the others got 201.
    const lost = new Set(load.attempts.filter((a) => a.status === 'network-error').map((a) => a.filing))
    expect(lost.size).toBeGreaterThan(0)
    expect(answers['200'] ?? 0).toBe(lost.size)
    expect(answers['201'] ?? 0).toBe(FILINGS - lost.size)
  })
})
