/**
 * Shared pieces of the reliability tests: sizes (full or quick), the filing client
 * that retries with the same Idempotency-Key until a request is acknowledged, the data every test seeds,
 * the SQL invariants that say a request was written whole, and the figure lines.
 */
import { appendFileSync, mkdirSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { dirname } from 'node:path'
import { Client } from 'pg'
import { startTestApp } from '../app'
import { makeCompound, makeStaff } from '../factories'
import { productionEnv, requireBuild } from '../deploy/instances'
import { ensureBuilt } from '../exactly-once/build'

/** `MQ_RELIABILITY=quick` (CI) runs reduced sizes; anything else the full form. */
export const QUICK = process.env.MQ_RELIABILITY === 'quick'

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * Prints a figure line and appends it to MQ_RELIABILITY_FIGURES (the runner's summary), so the figures
 * survive jest's console decoration.
 */
export function reportFigure(line: string): void {
  const stamped = `${line} (${QUICK ? 'quick' : 'full'})`
  console.log(stamped)
  const file = process.env.MQ_RELIABILITY_FIGURES
  if (file) {
    mkdirSync(dirname(file), { recursive: true })
    appendFileSync(file, `${stamped}\n`)
  }
}

/** A small seeded PRNG (mulberry32): the same seed drops the same responses run after run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Record<string, unknown>
  ms: number
}

/**
 * One HTTP request on a connection of its own (`Connection: close`): a dropped response then means
 * exactly one lost answer. Rejects on a network error or when no answer came within `timeoutMs`
 * (`error.code === 'HANG'`).
 */
export function send(
  base: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: unknown; timeoutMs?: number } = {},
): Promise<Answer> {
  const started = performance.now()
  const url = new URL(path, base)
  const payload = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body))
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method,
        agent: false,
        headers: {
          ...(payload
            ? { 'content-type': 'application/json', 'content-length': String(payload.length) }
            : {}),
          ...options.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('error', reject)
        res.on('end', () => {
          clearTimeout(timer)
          const text = Buffer.concat(chunks).toString('utf8')
          let body: Record<string, unknown> = {}
          try {
            body = text ? (JSON.parse(text) as Record<string, unknown>) : {}
          } catch {
            body = { text }
          }
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            ms: performance.now() - started,
          })
        })
      },
    )
    const timer = setTimeout(() => {
      const error = Object.assign(new Error(`no answer within ${options.timeoutMs} ms: ${method} ${path}`), {
        code: 'HANG',
      })
      req.destroy(error)
    }, options.timeoutMs ?? 30_000)
    req.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    req.end(payload)
  })
}

/** A resident session from the H5 device login (same secret → same resident), retried until it answers. */
export async function residentSession(base: string, name: string): Promise<string> {
  const deviceSecret = `reliability-${name}-${'0123456789abcdef'.repeat(2)}`
  for (let attempt = 0; attempt < 200; attempt++) {
    const res = await send(base, 'POST', '/api/auth/device', {
      body: { deviceSecret },
      timeoutMs: 30_000,
    }).catch(() => null)
    if (res?.status === 200) return String(res.body.accessToken)
    if (res && res.status !== 429 && res.status !== 503 && res.status !== 409) {
      throw new Error(`device login answered ${res.status}: ${JSON.stringify(res.body)}`)
    }
    await sleep(retryAfterMs(res, 200))
  }
  throw new Error('device login did not succeed in 200 attempts')
}

/** Retry-After in ms, at most `capMs`: the load must not stall on a long wait. */
function retryAfterMs(res: Answer | null, fallback: number, capMs = 2000): number {
  const header = res?.headers['retry-after']
  const seconds = Number(Array.isArray(header) ? header[0] : header)
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds * 1000, capMs) : fallback
}

export interface Filing {
  index: number
  key: string
  token: string
  body: { unitToken: string; category: string; description: string; contactConsent: boolean }
  /** The request id, once an answer 201/200 said so. */
  ackedId: string | null
  attempts: number
}

export interface Attempt {
  /** Milliseconds since the load began. */
  start: number
  end: number
  status: number | 'network-error' | 'hang'
  retryAfter: string | null
  filing: number
}

export interface LoadResult {
  filings: Filing[]
  attempts: Attempt[]
  /** Requests sent again after the first attempt (network error, 409, 429, 503). */
  retries: number
  /** Answers that are not a success, a retryable refusal or a known transient: the test fails on them. */
  unexpected: Attempt[]
}

export interface LoadOptions {
  /** Where the filings go: the server, or a proxy in front of it. */
  base: () => string
  residents: string[]
  unitTokens: string[]
  count: number
  concurrency: number
  /** A label that makes this run's keys and descriptions unique. */
  run: string
  /** An attempt with no answer within this is a hang (counted, then retried). */
  timeoutMs?: number
  /** Called after every attempt, e.g. to pull a plug once enough are acknowledged. */
  onAttempt?: (acked: number) => void
  /** Wait between retries after a network error (the server may be down for a while). */
  retryDelayMs?: number
  /** The longest wait a Retry-After may impose (default 2 s). */
  retryCapMs?: number
  /** performance.now() that attempt times count from (default: when the load starts). */
  began?: number
  /** Give up after this long: the test then fails with what is still unacknowledged. */
  maxMs?: number
}

const RETRYABLE = new Set([409, 429, 503])

/**
 * Files `count` requests with `concurrency` workers, each retried with the same Idempotency-Key and body
 * until a 201 (created) or 200 (the original, replayed) acknowledges it. Any other status is recorded as
 * unexpected and that filing is not retried.
 */
export async function fileLoad(options: LoadOptions): Promise<LoadResult> {
  const began = options.began ?? performance.now()
  const now = () => performance.now() - began
  const filings: Filing[] = Array.from({ length: options.count }, (_, index) => ({
    index,
    key: `rel-${options.run}-${index}`,
    token: options.residents[index % options.residents.length],
    body: {
      unitToken: options.unitTokens[index % options.unitTokens.length],
      category: 'facilities',
      description: `可靠性测试 ${options.run} 第${index}件：楼道灯不亮`,
      contactConsent: false,
    },
    ackedId: null,
    attempts: 0,
  }))
  const attempts: Attempt[] = []
  const unexpected: Attempt[] = []
  let retries = 0
  let acked = 0
  let next = 0
  const maxMs = options.maxMs ?? 600_000

  async function fileOne(f: Filing): Promise<void> {
    for (;;) {
      if (now() > maxMs) return
      if (f.attempts > 0) retries++
      f.attempts++
      const start = now()
      let res: Answer | null = null
      let status: Attempt['status']
      try {
        res = await send(options.base(), 'POST', '/api/requests', {
          headers: { authorization: `Bearer ${f.token}`, 'idempotency-key': f.key },
          body: f.body,
          timeoutMs: options.timeoutMs ?? 30_000,
        })
        status = res.status
      } catch (error) {
        status = (error as { code?: string }).code === 'HANG' ? 'hang' : 'network-error'
      }
      const header = res?.headers['retry-after']
      const attempt: Attempt = {
        start,
        end: now(),
        status,
        retryAfter: header === undefined ? null : String(header),
        filing: f.index,
      }
      attempts.push(attempt)
      options.onAttempt?.(acked)
      if (res && (res.status === 201 || res.status === 200)) {
        f.ackedId = String(res.body.id)
        acked++
        options.onAttempt?.(acked)
        return
      }
      if (res && !RETRYABLE.has(res.status)) {
        unexpected.push(attempt)
        return
      }
      await sleep(res ? retryAfterMs(res, 100, options.retryCapMs) : (options.retryDelayMs ?? 50))
    }
  }

  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (next < filings.length) await fileOne(filings[next++])
    }),
  )
  return { filings, attempts, retries, unexpected }
}

export interface Seeded {
  compoundId: string
  unitTokens: string[]
}

/** A compound of 4 buildings × 2 units with a property manager (the facilities handler), via the factories. */
export async function seedCompound(databaseUrl: string): Promise<Seeded> {
  const t = await startTestApp({}, databaseUrl)
  try {
    const c = await makeCompound(t, [2, 2, 2, 2])
    await makeStaff(t, 'property_manager', c.compound, '可靠性物业')
    return { compoundId: c.compound.id, unitTokens: c.tokens.flat() }
  } finally {
    await t.close()
  }
}

export async function withClient<T>(url: string, run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url })
  await client.connect()
  try {
    return await run(client)
  } finally {
    await client.end()
  }
}

export interface Stored {
  /** Requests of the compound. */
  rows: number
  /** Descriptions stored more than once (each filing's description is unique). */
  duplicates: number
  /** Acknowledged ids with no row. */
  missing: number
  /** Acknowledged ids whose row is another filing's. */
  mismatched: number
}

/** What the database holds for a load: rows, duplicates and acknowledged-but-missing. */
export async function storedFigures(client: Client, compoundId: string, filings: Filing[]): Promise<Stored> {
  const rows = await client.query<{ id: string; description: string }>(
    'SELECT id, description FROM ticket WHERE compound_id = $1',
    [compoundId],
  )
  const byId = new Map(rows.rows.map((r) => [r.id, r.description]))
  const perDescription = new Map<string, number>()
  for (const r of rows.rows) perDescription.set(r.description, (perDescription.get(r.description) ?? 0) + 1)
  const acked = filings.filter((f) => f.ackedId)
  return {
    rows: rows.rows.length,
    duplicates: [...perDescription.values()].filter((n) => n > 1).reduce((sum, n) => sum + n - 1, 0),
    missing: acked.filter((f) => !byId.has(f.ackedId!)).length,
    mismatched: acked.filter((f) => byId.has(f.ackedId!) && byId.get(f.ackedId!) !== f.body.description)
      .length,
  }
}

/**
 * Requests of a compound that are not whole: every filing writes, in one transaction, the row, its
 * `filed` and `routed` timeline entries, its Idempotency-Key, its deadline timers (the overdue timer of
 * the deadline owed) and, with a handler, the handler's `assigned` message. Any part missing is a
 * half-written request.
 */
export async function halfWritten(
  client: Client,
  compoundId: string,
): Promise<{ total: number; byRule: Record<string, number> }> {
  const rules: Record<string, string> = {
    no_filed_event: `NOT EXISTS (SELECT 1 FROM ticket_event e WHERE e.ticket_id = t.id AND e.type = 'filed')`,
    no_routed_event: `NOT EXISTS (SELECT 1 FROM ticket_event e WHERE e.ticket_id = t.id AND e.type = 'routed')`,
    no_idempotency_key: `NOT EXISTS (SELECT 1 FROM idempotency_key k WHERE k.ticket_id = t.id)`,
    no_overdue_timer: `t.state = 'submitted' AND NOT EXISTS (SELECT 1 FROM deadline_timer d
        WHERE d.ticket_id = t.id AND d.kind = 'overdue' AND d.deadline_at = t.accept_by)`,
    no_assigned_message: `t.handler_staff_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM notification_outbox n
        WHERE n.ticket_id = t.id AND n.type = 'assigned' AND n.recipient_id = t.handler_staff_id)`,
  }
  const byRule: Record<string, number> = {}
  let total = 0
  for (const [name, where] of Object.entries(rules)) {
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ticket t WHERE t.compound_id = $1 AND ${where}`,
      [compoundId],
    )
    byRule[name] = rows[0].n
    total += rows[0].n
  }
  return { total, byRule }
}

/** `{"201":1900,"200":100}`: how often each answer came. */
export function statusCounts(attempts: Attempt[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const a of attempts) counts[String(a.status)] = (counts[String(a.status)] ?? 0) + 1
  return counts
}

/**
 * The built server these tests start (`node dist/main.js`). The runner builds it first and says so
 * (MQ_RELIABILITY_BUILT=1); run directly with jest, it is rebuilt when a source file is newer.
 */
export function builtServer(): void {
  if (process.env.MQ_RELIABILITY_BUILT === '1') return requireBuild()
  ensureBuilt()
}

/**
 * The production environment of the servers these tests start. One machine plays many residents from one
 * address, so the filing limits (RATE_LIMIT_FILING_*, tested on their own) are off here;
 * every other setting is a deployment's.
 */
export function loadEnv(
  databaseUrl: string,
  dataDir: string,
  overrides: NodeJS.ProcessEnv = {},
): NodeJS.ProcessEnv {
  return productionEnv(databaseUrl, {
    DATA_DIR: dataDir,
    ACCESS_TOKEN_TTL: '2h',
    RATE_LIMIT_FILING_PER_PERSON: 'off',
    RATE_LIMIT_FILING_PER_IP: 'off',
    ...overrides,
  })
}
