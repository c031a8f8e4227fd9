/**
 * Process crash: the built server is killed with SIGKILL (kill -9) twice and started
 * again each time, on the same database and port.
 *
 * 1. In the middle of a filing load (1,000 filings; 200 quick): the client files again with the same
 *    Idempotency-Key until acknowledged. Every acknowledged request exists once, and no request is
 *    half-written (SQL invariants: its timeline, key, timers and handler message exist with it).
 * 2. In the middle of a timer batch: the filed requests are moved back in time, as if filed earlier (all
 *    their times shift together, so each stays consistent), so that every one has a deadline timer due:
 *    half an acceptance deadline already passed (the warning and overdue step 1 are due), half a warning
 *    due before a deadline still ahead. The server starts with its timer worker on, is killed when part
 *    of the batch is settled, and started again. Every due timer is settled exactly once: fired (or, a
 *    warning whose deadline passed first, skipped) with its effect written once — one `escalated` entry
 *    per overdue step, one warning message — and never twice.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Client } from 'pg'
import { freePort, scratchDatabase } from '../database'
import { MAIN, startInstance, stopInstance, type Instance } from '../deploy/instances'
import {
  builtServer,
  fileLoad,
  halfWritten,
  loadEnv,
  QUICK,
  reportFigure,
  residentSession,
  seedCompound,
  sleep,
  statusCounts,
  storedFigures,
  withClient,
  type Seeded,
} from './support'

const FILINGS = QUICK ? 200 : 1000
const CONCURRENCY = 16

describe('kill -9 in the middle of a filing load and of a timer batch', () => {
  let dir: string
  let db: { url: string; drop(): Promise<void> }
  let seeded: Seeded
  let env: NodeJS.ProcessEnv
  let server: Instance | undefined
  const figures: Record<string, string | number> = {}

  beforeAll(async () => {
    builtServer()
    dir = await mkdtemp(join(tmpdir(), 'mq-kill9-'))
    db = await scratchDatabase('mq_kill9')
    seeded = await seedCompound(db.url)
    // One port for every incarnation: the client does not learn of the restart.
    env = loadEnv(db.url, join(dir, 'data'), {
      PORT: String(await freePort()),
      DEADLINE_SCAN_INTERVAL_MS: '100',
    })
    server = await startInstance('kill9-a', env)
  }, 180_000)

  afterAll(async () => {
    if (server) await stopInstance(server, 'SIGKILL')
    await db?.drop()
    if (dir) await rm(dir, { recursive: true, force: true })
    if (Object.keys(figures).length) {
      reportFigure(
        `KILL9 ${Object.entries(figures)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')}`,
      )
    }
  })

  it(`killed mid-load (${FILINGS} filings): every acknowledged request exists once, none half-written`, async () => {
    const residents: string[] = []
    for (let r = 0; r < 16; r++) residents.push(await residentSession(server!.url, `kill9-${r}`))
    let crash: Promise<void> | null = null
    let killedPid = 0
    let ackedAtKill = 0
    const crashAndRestart = async () => {
      const victim = server!
      killedPid = victim.child.pid!
      victim.child.kill('SIGKILL')
      expect(await victim.exited).toBeNull() // killed by the signal, no exit code
      server = await startInstance('kill9-b', env)
    }
    const load = await fileLoad({
      base: () => server!.url,
      residents,
      unitTokens: seeded.unitTokens,
      count: FILINGS,
      concurrency: CONCURRENCY,
      run: `k9${Date.now().toString(36)}`,
      retryDelayMs: 200, // connection refused while it is down
      onAttempt: (acked) => {
        if (!crash && acked >= FILINGS * 0.4) {
          ackedAtKill = acked
          crash = crashAndRestart()
        }
      },
    })
    await crash
    const stored = await withClient(db.url, (c) => storedFigures(c, seeded.compoundId, load.filings))
    const half = await withClient(db.url, (c) => halfWritten(c, seeded.compoundId))
    const acked = load.filings.filter((f) => f.ackedId).length
    const lost = new Set(load.attempts.filter((a) => a.status === 'network-error').map((a) => a.filing))
    const counts = statusCounts(load.attempts)
    Object.assign(figures, {
      filings: FILINGS,
      acked,
      acked_at_kill: ackedAtKill,
      cut_by_kill: lost.size,
      missing: stored.missing,
      duplicates: stored.duplicates,
      half_written: half.total,
    })
    console.log(
      `kill -9 of pid ${killedPid} mid-load: answers ${JSON.stringify(counts)}, half-written by rule ${JSON.stringify(half.byRule)}`,
    )

    expect(crash).not.toBeNull()
    expect(killedPid).not.toBe(server!.child.pid)
    expect(load.unexpected).toEqual([])
    expect(lost.size).toBeGreaterThan(0) // the kill did cut requests off
    expect(acked).toBe(FILINGS)
    expect(stored).toEqual({ rows: FILINGS, duplicates: 0, missing: 0, mismatched: 0 })
    expect(half.byRule).toEqual(Object.fromEntries(Object.keys(half.byRule).map((k) => [k, 0])))
  })

  it('killed mid-timer-batch: every due timer fires exactly once', async () => {
    await stopInstance(server!, 'SIGKILL')
    const due = await withClient(db.url, async (c) => {
      await makeTimersDue(c, seeded.compoundId)
      const { rows } = await c.query<{ id: string; ticket_id: string; kind: string; step: number }>(
        `SELECT d.id, d.ticket_id, d.kind, d.step FROM deadline_timer d JOIN ticket t ON t.id = d.ticket_id
          WHERE t.compound_id = $1 AND d.status = 'pending' AND d.fire_at <= now()`,
        [seeded.compoundId],
      )
      return rows
    })
    const ids = due.map((d) => d.id)
    const settledCount = (c: Client) =>
      c
        .query<{ n: number }>(
          `SELECT count(*)::int AS n FROM deadline_timer WHERE id = ANY($1::bigint[]) AND status <> 'pending'`,
          [ids],
        )
        .then((r) => r.rows[0].n)
    expect(due.length).toBeGreaterThanOrEqual(FILINGS) // at least one per request

    // Start with the worker on (it sweeps from boot, before readiness); kill it once a fifth is settled.
    const victim = spawn(process.execPath, [MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let victimOutput = ''
    victim.stdout.on('data', (d) => (victimOutput += d))
    victim.stderr.on('data', (d) => (victimOutput += d))
    const victimExited = new Promise<void>((resolve) => victim.once('exit', () => resolve()))
    const victimPid = victim.pid!
    const settledAtKill = await withClient(db.url, async (c) => {
      const deadline = Date.now() + 120_000
      for (;;) {
        const n = await settledCount(c)
        if (n >= Math.max(1, Math.floor(due.length / 5))) {
          victim.kill('SIGKILL')
          await victimExited
          // A COMMIT the process sent just before it died is still PostgreSQL's to finish: let it settle.
          await sleep(500)
          return settledCount(c)
        }
        if (victim.exitCode !== null) throw new Error(`the server exited before the kill:\n${victimOutput}`)
        if (Date.now() > deadline)
          throw new Error(`only ${n} of ${due.length} timers settled in 120 s:\n${victimOutput}`)
        await sleep(5)
      }
    })
    // Killed in the middle: some settled, some not.
    expect(settledAtKill).toBeGreaterThan(0)
    expect(settledAtKill).toBeLessThan(due.length)

    server = await startInstance('kill9-d', env)
    await withClient(db.url, async (c) => {
      const deadline = Date.now() + 300_000
      while ((await settledCount(c)) < due.length) {
        if (Date.now() > deadline) throw new Error(`timers still pending after 300 s:\n${server!.output()}`)
        await sleep(200)
      }
    })
    await sleep(1000) // a few more sweeps: anything fired twice would show now

    const check = await withClient(db.url, async (c) => {
      const { rows } = await c.query<{
        id: string
        kind: string
        status: string
        settled_by: string | null
        effects: number
        expected: number
      }>(
        `SELECT d.id, d.kind, d.status, d.settled_by,
                CASE d.kind
                  WHEN 'overdue' THEN (SELECT count(*)::int FROM ticket_event e WHERE e.ticket_id = d.ticket_id
                     AND e.type = 'escalated' AND e.data->>'cause' = 'overdue' AND (e.data->>'step')::int = d.step)
                  ELSE (SELECT count(*)::int FROM notification_outbox n WHERE n.ticket_id = d.ticket_id AND n.type = 'warning')
                END AS effects,
                CASE
                  WHEN d.kind = 'overdue' THEN 1
                  WHEN d.status = 'fired' AND t.handler_staff_id IS NOT NULL THEN 1
                  ELSE 0
                END AS expected
           FROM deadline_timer d JOIN ticket t ON t.id = d.ticket_id
          WHERE d.id = ANY($1::bigint[])`,
        [ids],
      )
      // The next overdue step, planned by each step 1 that fired: once per request.
      const next = await c.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM (SELECT d.ticket_id FROM deadline_timer d JOIN ticket t ON t.id = d.ticket_id
          WHERE t.compound_id = $1 AND d.kind = 'overdue' AND d.step = 2 GROUP BY d.ticket_id, d.deadline_at HAVING count(*) > 1) x`,
        [seeded.compoundId],
      )
      return { rows, nextDoubled: next.rows[0].n }
    })
    const settledOnce = check.rows.filter(
      (r) => ['fired', 'skipped'].includes(r.status) && r.effects === r.expected,
    )
    const doubled = check.rows.filter((r) => r.effects > Math.max(1, r.expected)).length + check.nextDoubled
    const byStatus = check.rows.reduce<Record<string, number>>(
      (m, r) => ((m[r.status] = (m[r.status] ?? 0) + 1), m),
      {},
    )
    const byVictim = check.rows.filter((r) => r.settled_by?.endsWith(`:${victimPid}`)).length
    Object.assign(figures, {
      timers_due: due.length,
      settled_before_kill: settledAtKill,
      settled_by_killed_process: byVictim,
      fired_once: settledOnce.length,
      doubled,
    })
    console.log(`timer batch: ${JSON.stringify(byStatus)} (warnings whose deadline passed first are skipped)`)

    expect(byVictim).toBe(settledAtKill) // what the dead process committed stayed committed, nothing more
    expect(check.rows.filter((r) => r.effects !== r.expected)).toEqual([])
    expect(settledOnce.length).toBe(due.length)
    expect(doubled).toBe(0)
    expect(byStatus.cancelled ?? 0).toBe(0) // the shift kept every request consistent with its timers
  })
})

/**
 * Moves each request of the compound back in time, as if it had been filed earlier: its times, its
 * timeline and its timers shift by one amount, so the request stays consistent with itself. Even
 * numbers: the acceptance deadline passed a minute ago (warning and overdue step 1 due). Odd numbers
 * with a warning: halfway between the warning and the deadline (the warning due, the deadline ahead).
 */
async function makeTimersDue(c: Client, compoundId: string): Promise<void> {
  await c.query('BEGIN')
  try {
    await c.query(
      `CREATE TEMP TABLE shift ON COMMIT DROP AS
       SELECT t.id,
              CASE WHEN t.number % 2 = 1 AND w.fire_at IS NOT NULL AND w.fire_at < t.accept_by
                   THEN w.fire_at + (t.accept_by - w.fire_at) / 2 - now()
                   ELSE t.accept_by - now() + interval '1 minute'
              END AS d
         FROM ticket t
         LEFT JOIN deadline_timer w ON w.ticket_id = t.id AND w.kind = 'warning' AND w.status = 'pending'
        WHERE t.compound_id = $1 AND t.state = 'submitted'`,
      [compoundId],
    )
    await c.query(
      `UPDATE ticket t SET created_at = t.created_at - s.d, updated_at = t.updated_at - s.d,
              clock_started_at = t.clock_started_at - s.d, accept_by = t.accept_by - s.d,
              reply_by = t.reply_by - s.d, resolve_by = t.resolve_by - s.d, next_due_at = t.next_due_at - s.d
         FROM shift s WHERE s.id = t.id`,
    )
    await c.query(
      `UPDATE deadline_timer x SET deadline_at = x.deadline_at - s.d, fire_at = x.fire_at - s.d, created_at = x.created_at - s.d
         FROM shift s WHERE s.id = x.ticket_id`,
    )
    await c.query(`UPDATE ticket_event e SET at = e.at - s.d FROM shift s WHERE s.id = e.ticket_id`)
    await c.query('COMMIT')
  } catch (error) {
    await c.query('ROLLBACK')
    throw error
  }
}
