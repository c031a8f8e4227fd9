#!/usr/bin/env node
// `pnpm bench [--quick]`: the benchmark (docs/performance.md). Not a test: it prints figures.
//
//   1. a database: a throwaway embedded PostgreSQL, or a throwaway database on DATABASE_URL's server;
//   2. a seeded data set (generate.mjs): 500 compounds, 40,000 units, 100,000 residents, and requests
//      loaded with COPY in steps (10k → 100k → 1M, up to 10M; --quick: 10k), measured at each step;
//   3. the BUILT server (server/dist/main.js, or BENCH_SERVER_DIST) as its own process on that database, and the load in
//      another process (load.mjs: autocannon for filings, closed-loop users for reads);
//   4. prints `BENCH <name> <value> <unit>` lines and writes bench-results.json at the repository root.
//
// Options: --quick, --scales=10000,100000,1000000,10000000, --seed=N, --no-frontend, --keep (leave the database),
// --frontend-baseline=<git ref>: also build the mini-app of that commit and measure its front-end figures in
// the same run, on the same server and data (`*_baseline` figures and `*_ratio` = now / baseline).
//   --data-dir=DIR: keep the embedded cluster in DIR/pg with DIR/manifest.json (seed, shape, the reference
//       instant the rows were generated against, requests loaded, each step's load time and size). A later
//       run on the same DIR starts that cluster, runs the pending migrations of the server build under test
//       (timed: `BENCH migrate_s`), tops up to the requested scale if larger (smaller scales are skipped;
//       with none left it measures what DIR holds) and measures; nothing is regenerated. Before measuring
//       it waits until the server's deadline worker has worked off the timers that fell due since the rows
//       were generated (`due backlog … s`). The bench's own filings are closed after each run. Results are
//       also kept in DIR/results/. One run per DIR at a time. Not with DATABASE_URL. Put DIR outside the
//       repository; loads that would leave under 10 GB free on its disk are refused.
//   --runs=N: measure N times at each scale without reloading (due scan, reads, filing, RSS); each run is
//       printed, the figures are the median over the runs, and each BENCH line carries every run's value.
//   --defer-indexes-from=N: a load of at least N requests (default 2,000,000) drops the loaded tables'
//       secondary indexes first and builds them after the rows (see withIndexesDeferred).
// Each run first settles (the previous run's notifications sent, autovacuum done; `settle_s`), and so does
// the plain-SQL baseline after the API's filing (`create_settle_s`); each read's users run 3 s unmeasured
// before its 20 s window (1 s and 6 s with --quick).
// Every BENCH line ends with `load=` the machine's 1-minute load average when the figure was measured
// (`loads=` each run's, with --runs); bench-results.json has the same as `load` / `loads`.
// The bulk load skips per-row foreign-key checks but fires the loaded tables' own triggers (read models).
// Exits 1 when something breaks or a figure is missing or not finite; never because a figure is slow (a
// read that fails outside --quick is counted as `<read>_failed`, not fatal).
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statfsSync,
  writeFileSync,
} from 'node:fs'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import os from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  addTickets,
  buildBase,
  createBase,
  residentId,
  residentSecret,
  SHAPE,
  STAFF_PASSWORD,
} from './generate.mjs'
import { baselineBuilds, freshBuild, scanInteractive, weappMainKb } from './frontend.mjs'
import { sqlCreateRps } from './sql-create.mjs'
import { supervisionPlans } from './plans.mjs'

const HERE = dirname(fileURLToPath(import.meta.url))
const SERVER = resolve(HERE, '..')
const ROOT = resolve(SERVER, '..')
const SCRATCH = join(ROOT, '.bench')
/**
 * The server build to measure: server/dist, or BENCH_SERVER_DIST (another build of the server, e.g. of a
 * clean checkout while this one is mid-change; its scripts/bench-posters.mjs is used with it).
 */
const DIST = process.env.BENCH_SERVER_DIST ? resolve(process.env.BENCH_SERVER_DIST) : join(SERVER, 'dist')
const require = createRequire(import.meta.url)
const { Client } = require('pg')

const argv = process.argv.slice(2)
const flag = (name) => argv.includes(`--${name}`)
const option = (name, fallback) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback
const QUICK = flag('quick')
const SCALES = option('scales', QUICK ? '10000' : '10000,100000,1000000')
  .split(',')
  .map(Number)
const SEED = Number(option('seed', '20261121'))
const FRONTEND = !flag('no-frontend')
const DATA_DIR = option('data-dir', null) ? resolve(option('data-dir', null)) : null
const RUNS = Math.max(1, Number(option('runs', '1')))
const FRONTEND_BASELINE = FRONTEND ? option('frontend-baseline', null) : null
/** Seconds per measurement. */
const T = QUICK ? { create: 5, read: 6, sql: 4, warmup: 1 } : { create: 15, read: 20, sql: 10, warmup: 3 }

const figures = {}
const curve = []
const notes = {}
const began = Date.now()
function log(message) {
  console.log(`# [${((Date.now() - began) / 1000).toFixed(0).padStart(4)} s] ${message}`)
}
const round = (value) => (Number.isFinite(value) ? Number(value.toFixed(value < 10 ? 2 : 1)) : value)
/** The machine's 1-minute load average now. */
const load1 = () => Number(os.loadavg()[0].toFixed(2))
/**
 * Prints `BENCH <name> <value> <unit> load=<1-min load average>`; with `runs` (one measurement per run),
 * also each run's value and load average.
 */
function figure(name, value, unit, { load = load1(), runs = null, failed = 0 } = {}) {
  figures[name] = { value: round(value), unit, load, ...(failed ? { failed } : {}) }
  let line = `BENCH ${name} ${figures[name].value} ${unit} load=${load}`
  if (failed) line += ` failed=${failed}`
  if (runs && runs.length > 1) {
    figures[name].runs = runs.map((r) => round(r.value))
    figures[name].loads = runs.map((r) => r.load)
    line += ` runs=${figures[name].runs.join(',')} loads=${figures[name].loads.join(',')}`
  }
  console.log(line)
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

function freePort() {
  return new Promise((done, fail) => {
    const server = createServer()
    server.once('error', fail)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => done(port))
    })
  })
}

function ensureServerBuild() {
  if (!existsSync(join(DIST, 'main.js')) || flag('build')) {
    log('building the server (server/dist)…')
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: SERVER, stdio: 'inherit' })
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return error.code === 'EPERM'
  }
}

/** Runs the build's pending migrations on `url`, timed and logged. */
async function migrateTimed(migrate, url) {
  const t0 = Date.now()
  const applied = await migrate(url)
  const seconds = (Date.now() - t0) / 1000
  log(
    `migrations: ${applied.length} applied in ${seconds.toFixed(1)} s${applied.length ? ` (${applied.join(', ')})` : ''}`,
  )
  notes.migrations = { applied, seconds }
  return seconds
}

/** A migrated database (empty, or the one kept in --data-dir): { url, adminUrl, migrateSeconds, dispose() }. */
async function database() {
  const { migrate } = require(join(DIST, 'database', 'data-source.js'))
  if (DATA_DIR) {
    if (process.env.DATABASE_URL) throw new Error('--data-dir keeps an embedded cluster: unset DATABASE_URL')
    const { startEmbeddedPostgres } = require(join(DIST, 'database', 'embedded-postgres.js'))
    mkdirSync(DATA_DIR, { recursive: true })
    await chmod(DATA_DIR, 0o755)
    // One run per directory: another run's cluster (a live postmaster) means wait for it.
    const pidFile = join(DATA_DIR, 'pg', 'postmaster.pid')
    const postmaster = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : 0
    if (postmaster > 0 && isAlive(postmaster))
      throw new Error(
        `${DATA_DIR} is in use: its cluster runs (postmaster ${postmaster}); wait for that run to end`,
      )
    const t0 = Date.now()
    const db = await startEmbeddedPostgres({
      dataDir: join(DATA_DIR, 'pg'),
      port: await freePort(),
      database: 'mq_bench',
    })
    log(`cluster in ${DATA_DIR} started in ${((Date.now() - t0) / 1000).toFixed(1)} s`)
    const migrateSeconds = await migrateTimed(migrate, db.url)
    const admin = new URL(db.url)
    admin.pathname = '/postgres'
    return {
      url: db.url,
      adminUrl: admin.toString(),
      pgDir: join(DATA_DIR, 'pg'),
      migrateSeconds,
      dispose: () => db.stop(),
    }
  }
  if (process.env.DATABASE_URL) {
    const name = `mq_bench_${process.pid}_${Date.now().toString(36)}`
    const admin = new Client({ connectionString: process.env.DATABASE_URL })
    await admin.connect()
    await admin.query(`CREATE DATABASE ${name}`)
    await admin.end()
    const url = new URL(process.env.DATABASE_URL)
    url.pathname = `/${name}`
    const migrateSeconds = await migrateTimed(migrate, url.toString())
    return {
      url: url.toString(),
      migrateSeconds,
      adminUrl: process.env.DATABASE_URL,
      async dispose() {
        const c = new Client({ connectionString: process.env.DATABASE_URL })
        await c.connect()
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
        await c.end()
      },
    }
  }
  const { startEmbeddedPostgres } = require(join(DIST, 'database', 'embedded-postgres.js'))
  mkdirSync(SCRATCH, { recursive: true })
  const dir = await mkdtemp(join(os.tmpdir(), 'mq-bench-'))
  await chmod(dir, 0o755)
  const db = await startEmbeddedPostgres({
    dataDir: join(dir, 'pg'),
    port: await freePort(),
    database: 'mq_bench',
  })
  const migrateSeconds = await migrateTimed(migrate, db.url)
  const admin = new URL(db.url)
  admin.pathname = '/postgres'
  return {
    url: db.url,
    migrateSeconds,
    adminUrl: admin.toString(),
    pgDir: join(dir, 'pg'),
    async dispose() {
      await db.stop()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

async function connect(url, loader = false) {
  const c = new Client({ connectionString: url })
  c.on('error', () => {}) // the database going away at the end is expected
  await c.connect()
  if (loader) {
    await c.query('SET synchronous_commit = off')
    // Bulk load without per-row foreign-key triggers when allowed (the generator writes valid rows).
    try {
      await c.query('SET session_replication_role = replica')
    } catch {
      /* not a superuser: keys are checked, tickets are written before their rows */
    }
  }
  return c
}

const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100

/** CPU time (user + system, ms) of a process so far; with `children`, also of its exited children. */
function cpuMs(pid, children = false) {
  // /proc/<pid>/stat after the command's ")": state ppid … utime(11) stime(12) cutime(13) cstime(14).
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  const ticks = Number(f[11]) + Number(f[12]) + (children ? Number(f[13]) + Number(f[14]) : 0)
  return (ticks * 1000) / CLK_TCK
}

/**
 * CPU time (ms) of a PostgreSQL cluster so far: the postmaster, the backends it has reaped (a pooled
 * connection that closed, a parallel worker) and those alive. Null for a server that is not ours to see.
 */
function clusterCpuMs(pgDir) {
  if (!pgDir) return null
  try {
    const postmaster = readFileSync(join(pgDir, 'postmaster.pid'), 'utf8').split('\n')[0]
    let ms = cpuMs(postmaster, true)
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue
      try {
        const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
        if (f[1] === postmaster) ms += cpuMs(pid)
      } catch {
        /* exited meanwhile: counted with the postmaster's children */
      }
    }
    return ms
  } catch {
    return null
  }
}

function rssMb(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) / 1024 : NaN
  } catch {
    return NaN
  }
}

/** The built server as its own process, on `url`; resolves when it listens. */
async function startServer(url, h5Dist) {
  const port = await freePort()
  const dataDir = await mkdtemp(join(os.tmpdir(), 'mq-bench-data-'))
  const env = {
    ...process.env,
    DATABASE_URL: url,
    PORT: String(port),
    DATA_DIR: dataDir,
    DEMO: 'false',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'development',
    ACCESS_TOKEN_TTL: '6h',
    // All load comes from one address and a few hundred people: the abuse limits (abuse/) still run on
    // every call, but must not answer 429 to a load test.
    RATE_LIMIT_STAFF_LOGIN_PER_IP: '100000/15m',
    RATE_LIMIT_STAFF_LOGIN_PER_ACCOUNT: '100000/15m',
    RATE_LIMIT_RESIDENT_LOGIN_PER_IP: '1000000/10m',
    RATE_LIMIT_FILING_PER_PERSON: '1000000/1h',
    RATE_LIMIT_FILING_PER_IP: '1000000/1h',
    ...(h5Dist ? { H5_DIST: h5Dist } : {}),
  }
  // BENCH_SERVER_NODE_OPTIONS: extra node flags for the server (e.g. --cpu-prof --cpu-prof-dir=… to profile).
  const nodeFlags = (process.env.BENCH_SERVER_NODE_OPTIONS ?? '').split(' ').filter(Boolean)
  const child = spawn(process.execPath, [...nodeFlags, join(DIST, 'main.js')], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (d) => (output = (output + d).slice(-20_000)))
  child.stderr.on('data', (d) => (output = (output + d).slice(-20_000)))
  await new Promise((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`server not ready in 120 s:\n${output}`)), 120_000)
    const check = () => {
      if (output.includes('Press Ctrl-C to stop')) {
        clearTimeout(timer)
        ready()
      }
    }
    child.stdout.on('data', check)
    child.once('exit', (code) => {
      clearTimeout(timer)
      fail(new Error(`server exited with ${code}:\n${output}`))
    })
  })
  let peakRss = 0
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb(child.pid) || 0)), 100)
  // A server that dies under test (a signal, a crash) ends the bench at once with what it printed: waiting
  // on it (a due backlog no worker drains, logins that cannot answer) would only hide why.
  let stopping = false
  child.once('exit', (code, signal) => {
    if (stopping) return
    log(
      `the server under test exited (code ${code}, signal ${signal}); its last output:\n${output.slice(-4000)}`,
    )
    process.exit(1)
  })
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    pid: child.pid,
    output: () => output,
    resetPeak() {
      peakRss = rssMb(child.pid)
    },
    peak: () => peakRss,
    /** Holds the process (SIGSTOP): its workers poll nothing until resume(). */
    pause: () => child.kill('SIGSTOP'),
    resume: () => child.kill('SIGCONT'),
    async stop() {
      stopping = true
      clearInterval(sampler)
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGINT')
      await exited
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}

async function post(baseUrl, path, body, token) {
  const res = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  })
  const json = await res.json().catch(() => null)
  if (!res.ok) throw new Error(`POST ${path} → ${res.status} ${JSON.stringify(json)}`)
  return json
}

/**
 * Streams the XLSX ledger of the newest `rows` requests under `place` as its supervisor, reading the
 * bytes as they come and keeping none; answers the server's peak RSS meanwhile.
 */
async function ledgerExport(server, sql, place, rows) {
  const pair = await post(server.baseUrl, '/api/auth/staff/login', {
    phone: place.supervisor.phone,
    password: STAFF_PASSWORD,
  })
  const since = (
    await sql.query(
      `SELECT t.created_at FROM ticket t JOIN place u ON u.id = t.unit_id
        WHERE u.path @> ARRAY[$1]::uuid[] ORDER BY t.created_at DESC OFFSET $2 LIMIT 1`,
      [place.id, rows - 1],
    )
  ).rows[0]?.created_at
  const from = since ?? new Date(0)
  const to = new Date(Date.now() + 86_400_000)
  await new Promise((r) => setTimeout(r, 1000))
  server.resetPeak()
  const beforeMb = rssMb(server.pid)
  const t0 = Date.now()
  const query = `placeId=${place.id}&from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`
  const res = await fetch(`${server.baseUrl}/api/ledger.xlsx?${query}`, {
    headers: { authorization: `Bearer ${pair.accessToken}` },
  })
  if (!res.ok) throw new Error(`ledger export → ${res.status} ${await res.text()}`)
  let bytes = 0
  for await (const chunk of res.body) bytes += chunk.byteLength
  const seconds = (Date.now() - t0) / 1000
  await new Promise((r) => setTimeout(r, 200))
  return {
    rows: Number(res.headers.get('x-ledger-rows')),
    bytes,
    seconds,
    beforeMb,
    peakMb: server.peak(),
    loadAvg: os.loadavg().map((x) => Number(x.toFixed(2))),
  }
}

/** Runs load.mjs in its own process with `spec`; returns its JSON answer. */
async function load(spec) {
  const file = join(SCRATCH, `load-${process.pid}.json`)
  writeFileSync(file, JSON.stringify(spec))
  const child = spawn(process.execPath, [join(HERE, 'load.mjs'), file], {
    cwd: SERVER,
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let out = ''
  child.stdout.on('data', (d) => (out += d))
  const code = await new Promise((r) => child.once('exit', r))
  if (code !== 0) throw new Error(`load process (${spec.mode}) exited with ${code}`)
  return JSON.parse(out.trim().split('\n').pop())
}

/**
 * Every answer must be 200. In --quick (CI) a failed request breaks the run; in the long runs a failure
 * under the data's weight (e.g. a query past the server's 15 s query timeout at 10M) is a finding, not a
 * reason to lose the step: it is logged, counted (`<name>_failed`) and the latencies are of the answers.
 */
function checkUsers(name, result) {
  if (result.n === 0)
    throw new Error(
      `${name}: no answers (${result.failures} failed, e.g. ${result.firstFailures.join(' | ')})`,
    )
  if (result.failures > 0) {
    const message = `${name}: ${result.failures} of ${result.n + result.failures} requests failed, e.g. ${result.firstFailures.join(' | ')}`
    if (QUICK) throw new Error(message)
    log(`FAILED ${message}`)
  }
  return result
}

async function timeQuery(client, sql, params, runs) {
  const times = []
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint()
    await client.query(sql, params)
    times.push(Number(process.hrtime.bigint() - start) / 1e6)
  }
  times.sort((a, b) => a - b)
  return { median: times[Math.floor(times.length / 2)], max: times[times.length - 1] }
}

/** The deadline poller's query (deadline-timers.service.ts runDue), read from the built code. */
function dueScanSql() {
  const source = readFileSync(join(DIST, 'tickets', 'lifecycle', 'deadline-timers.service.js'), 'utf8')
  const match = /query\(`(SELECT ticket_id FROM deadline_timer[\s\S]*?)`/.exec(source)
  if (!match) throw new Error('due scan query not found in dist/tickets/lifecycle/deadline-timers.service.js')
  return match[1]
}

/** The tables the generator writes (generate.mjs createBase, addTickets). */
const BULK_TABLES = [
  'place',
  'qr_code',
  'staff',
  'membership',
  'resident',
  'ticket',
  'ticket_event',
  'deadline_timer',
  'ticket_rating',
  'ticket_co_handler',
  'ticket_follower',
]
/** Triggers whose effect the generator writes itself: ticket.latest_stars (generate.mjs, with the request). */
const PRECOMPUTED_TRIGGERS = new Set(['ticket_latest_stars'])

/**
 * The bulk load runs with session_replication_role = replica (no per-row foreign-key checks), which also
 * silences ordinary triggers. Read models kept by triggers (counters per place and month, …) must see the
 * generated rows as they see production writes: while `load` runs, the user triggers of the loaded tables
 * fire ALWAYS (replica sessions included), then are set back. Answers what `load` answers.
 */
async function withTriggersFiring(client, load) {
  const role = (await client.query('SHOW session_replication_role')).rows[0].session_replication_role
  if (role !== 'replica') return load() // not a superuser: every trigger fires anyway
  const { rows } = await client.query(
    `SELECT c.relname AS table, t.tgname AS name FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
      WHERE NOT t.tgisinternal AND t.tgenabled = 'O' AND c.relnamespace = 'public'::regnamespace AND c.relname = ANY($1)
      ORDER BY 1, 2`,
    [BULK_TABLES],
  )
  const firing = rows.filter((r) => !PRECOMPUTED_TRIGGERS.has(r.name))
  if (firing.length === 0) return load()
  log(`bulk load: triggers ${firing.map((r) => `${r.table}.${r.name}`).join(', ')} fire as in production`)
  for (const r of firing) await client.query(`ALTER TABLE "${r.table}" ENABLE ALWAYS TRIGGER "${r.name}"`)
  try {
    return await load()
  } finally {
    for (const r of firing) await client.query(`ALTER TABLE "${r.table}" ENABLE TRIGGER "${r.name}"`)
  }
}

/** Tables whose secondary indexes a large top-up builds after the rows instead of row by row. */
const DEFERRED_INDEX_TABLES = [
  'ticket',
  'ticket_event',
  'deadline_timer',
  'ticket_rating',
  'ticket_co_handler',
  'ticket_follower',
]
/** A load of at least this many requests defers the indexes (below it, dropping and rebuilding costs more). */
const DEFER_INDEXES_FROM = Number(option('defer-indexes-from', 2_000_000))

/**
 * A large top-up (10M) into indexes larger than memory slowed from ~50 to ~100 s per 100k requests: each
 * row is one random write into each of 19 secondary indexes. Here those indexes are dropped first and
 * built once after the rows (sorted, in parallel workers), with the checkpoint distance raised for the
 * load; constraint indexes (primary keys, unique constraints) stay, and the triggers that fire during the
 * load look rows up only by primary key. The server under test is held (SIGSTOP) meanwhile. The manifest
 * marks the load as running, so an interrupted top-up (indexes missing) is refused later like any other
 * interrupted load. Answers what `load` answers.
 */
async function withIndexesDeferred(client, adding, server, load) {
  if (adding < DEFER_INDEXES_FROM) return load()
  const { rows: indexes } = await client.query(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
       FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
      WHERE t.relnamespace = 'public'::regnamespace AND t.relname = ANY($1)
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
      ORDER BY 1`,
    [DEFERRED_INDEX_TABLES],
  )
  const walSettings = { max_wal_size: '16GB', checkpoint_timeout: '30min' }
  const setWal = async (set) => {
    try {
      for (const [name, value] of Object.entries(walSettings))
        await client.query(set ? `ALTER SYSTEM SET ${name} = '${value}'` : `ALTER SYSTEM RESET ${name}`)
      await client.query('SELECT pg_reload_conf()')
    } catch {
      /* not a superuser: the server's own checkpoint settings */
    }
  }
  await setWal(true)
  log(
    `bulk load: ${indexes.length} secondary indexes of ${DEFERRED_INDEX_TABLES.join(', ')} built after the rows`,
  )
  // The server's deadline and notification workers would scan the tables without their indexes (each
  // fired timer a sequential scan of the events): the server is held until the indexes are back.
  server.pause()
  try {
    for (const { name } of indexes) await client.query(`DROP INDEX ${name}`)
    const result = await load()
    const t0 = Date.now()
    await client.query(`SET maintenance_work_mem = '1GB'`)
    await client.query('SET max_parallel_maintenance_workers = 2')
    for (const { name, def } of indexes) {
      const t = Date.now()
      await client.query(def)
      log(`  index ${name} in ${((Date.now() - t) / 1000).toFixed(0)} s`)
    }
    await client.query('RESET maintenance_work_mem')
    await client.query('RESET max_parallel_maintenance_workers')
    log(`bulk load: ${indexes.length} indexes built in ${((Date.now() - t0) / 1000).toFixed(0)} s`)
    return result
  } finally {
    await setWal(false)
    server.resume()
  }
}

/**
 * Refuses a load that would leave the (shared) disk with less than 10 GB free: the database grows by
 * ~4.2 KB per request (4,051 MB at 1M), the data directory by more while the WAL is recycled.
 */
async function checkDisk(sql, adding, loaded) {
  if (process.env.DATABASE_URL) return // another server's disk: not ours to see
  const dir = DATA_DIR ?? os.tmpdir()
  const { bsize, bavail } = statfsSync(dir)
  const free = bsize * bavail
  const bytes =
    loaded > 0
      ? Number((await sql.query('SELECT pg_database_size(current_database()) AS b')).rows[0].b) / loaded
      : 4300
  const need = adding * Math.max(bytes, 4300) * 1.15
  const gb = (x) => (x / 1024 ** 3).toFixed(1)
  log(`disk: adding ${adding} requests needs ~${gb(need)} GB; ${gb(free)} GB free under ${dir}`)
  if (free - need < 10 * 1024 ** 3)
    throw new Error(
      `not enough disk under ${dir}: ~${gb(need)} GB needed, ${gb(free)} GB free, 10 GB kept for everyone else`,
    )
}

// ── --data-dir: the manifest, the disk, the deadline worker's backlog ─────────────────────────────────

function readManifest() {
  const file = join(DATA_DIR, 'manifest.json')
  if (!existsSync(file)) {
    if (existsSync(join(DATA_DIR, 'pg', 'PG_VERSION')))
      throw new Error(`${DATA_DIR} holds a cluster but no manifest.json: not a bench data directory`)
    return null
  }
  return JSON.parse(readFileSync(file, 'utf8'))
}
function writeManifest(state) {
  const file = join(DATA_DIR, 'manifest.json')
  writeFileSync(
    `${file}.tmp`,
    `${JSON.stringify({ ...state, updated: new Date().toISOString() }, null, 2)}\n`,
  )
  renameSync(`${file}.tmp`, file)
}
/** The directory's size on disk (du), in MB. */
function duMb(dir) {
  try {
    return Math.round(
      Number(execFileSync('du', ['-sb', dir], { encoding: 'utf8' }).split('\t')[0]) / 1024 ** 2,
    )
  } catch {
    return null
  }
}

/**
 * Waits until no pending deadline timer is due (the server's worker fires them), at most 30 minutes;
 * answers { due, seconds } (`due`: timers due when it began). Logs when there was anything to wait for.
 */
async function drainDue(sql) {
  const dueCount = async () =>
    (
      await sql.query(
        `SELECT count(*)::int AS n FROM deadline_timer WHERE status = 'pending' AND fire_at <= now()`,
      )
    ).rows[0].n
  const t0 = Date.now()
  const due = await dueCount()
  let left = due
  while (left > 0 && Date.now() - t0 < 30 * 60_000) {
    await new Promise((r) => setTimeout(r, 2000))
    left = await dueCount()
    if ((Date.now() - t0) % 60_000 < 2000) log(`  … ${left} timers still due`)
  }
  const seconds = Number(((Date.now() - t0) / 1000).toFixed(1))
  if (due > 0)
    log(
      `due backlog: ${due} timers due before measuring; ${left === 0 ? `drained in ${seconds} s` : `${left} still due after ${seconds} s (measuring beside them)`}`,
    )
  return { due, left, seconds }
}

/**
 * Before a run: wait (up to 2 minutes) until the work the previous run left behind is done — the
 * notifications of its filings still to be sent by the server's outbox sender, and autovacuum on the
 * tables it wrote — so each run starts from the same state and no run measures the one before it.
 */
async function settle(sql) {
  const busy = async () =>
    (
      await sql.query(
        `SELECT (SELECT count(*)::int FROM notification_outbox
                  WHERE (status = 'pending' AND next_attempt_at <= now()) OR status = 'sending') AS outbox,
                (SELECT count(*)::int FROM pg_stat_activity
                  WHERE backend_type = 'autovacuum worker' AND datname = current_database()) AS vacuum`,
      )
    ).rows[0]
  const t0 = Date.now()
  const first = await busy()
  let now = first
  while ((now.outbox > 0 || now.vacuum > 0) && Date.now() - t0 < 120_000) {
    await new Promise((r) => setTimeout(r, 1000))
    now = await busy()
  }
  const seconds = Number(((Date.now() - t0) / 1000).toFixed(1))
  if (first.outbox > 0 || first.vacuum > 0)
    log(
      `settle: ${first.outbox} notifications to send, ${first.vacuum} autovacuum workers; ${now.outbox + now.vacuum === 0 ? `done in ${seconds} s` : `still ${JSON.stringify(now)} after ${seconds} s (measuring beside it)`}`,
    )
  return seconds
}

// ── One measurement: due scan, reads, filing, RSS ─────────────────────────────────────────────────────

/** The figures of a run, and which measurement's load average goes with each. */
const RUN_FIGURES = [
  'due_scan_ms',
  'inbox_p50_ms',
  'inbox_p99_ms',
  'mine_p99_ms',
  'board_p50_ms',
  'board_p99_ms',
  'metrics_p50_ms',
  'metrics_p99_ms',
  'create_rps',
  'create_sql_rps',
  'create_ratio',
  'server_rss_load_mb',
  ...['inbox', 'mine', 'board', 'metrics'].flatMap((r) => [`${r}_server_cpu_ms`, `${r}_db_cpu_ms`]),
]
function loadKeyOf(name) {
  if (name.startsWith('due_scan')) return 'due'
  for (const k of ['inbox', 'mine', 'board', 'metrics']) if (name.startsWith(k)) return k
  return 'create' // create_*, server_rss_load_mb (the peak is reached while filing)
}

/**
 * Measures once on the loaded data: { due_scan_ms, …, server_rss_load_mb, load: { due, inbox, mine,
 * board, metrics, create } } — each load the 1-minute load average as that measurement ended.
 */
async function measure({
  sql,
  server,
  dueSql,
  inboxStaff,
  streetStaff,
  mineTokens,
  filers,
  residentIds,
  base,
  dbUrl,
  pgDir,
}) {
  const m = { load: {} }
  m.settle_s = await settle(sql)
  // due scan: the poller's query, as it runs now and after an hour-long outage (a backlog of due timers).
  const dueNow = await timeQuery(sql, dueSql, [new Date(), 100], 30)
  const backlog = await timeQuery(sql, dueSql, [new Date(Date.now() + 3_600_000), 100], 30)
  m.due_scan_ms = Number(Math.max(dueNow.median, backlog.median).toFixed(2))
  m.due_scan_now_ms = Number(dueNow.median.toFixed(2))
  m.load.due = load1()

  // Reads: closed-loop users thinking 0–2 × 500 ms between requests (1,000 ms for metrics), each with the
  // load average as it ends. Each read's users first run T.warmup seconds unmeasured: the figures are of a
  // server in service, not of its first calls (V8 compiling the path, each pooled connection planning its
  // prepared statements, the buffer cache).
  // Beside each read's times, the CPU each answer cost the server and PostgreSQL (`<read>_server_cpu_ms`,
  // `<read>_db_cpu_ms`: CPU time over the read's whole load, warm-up included, per answer). CPU time is
  // what a busy machine blurs least: another process's load stretches wall times, not the work itself.
  const read = async (name, thinkMs, users) => {
    const serverCpu = cpuMs(server.pid)
    const dbCpu = clusterCpuMs(pgDir)
    const result = checkUsers(
      name,
      await load({
        mode: 'users',
        baseUrl: server.baseUrl,
        durationS: T.read,
        warmupS: T.warmup,
        thinkMs,
        users,
      }),
    )
    m.load[name] = load1()
    if (result.answered > 0) {
      m[`${name}_server_cpu_ms`] = round((cpuMs(server.pid) - serverCpu) / result.answered)
      const dbNow = clusterCpuMs(pgDir)
      if (dbCpu !== null && dbNow !== null) m[`${name}_db_cpu_ms`] = round((dbNow - dbCpu) / result.answered)
    }
    if (result.failures > 0) m[`${name}_failed`] = result.failures
    return result
  }
  server.resetPeak()
  const inbox = await read(
    'inbox',
    500,
    inboxStaff.map((s) => ({ path: '/api/requests/inbox?filter=all&page=1&pageSize=20', token: s.token })),
  )
  const mine = await read('mine', 500, mineTokens)
  const board = await read(
    'board',
    500,
    inboxStaff.map((s) => ({ path: `/api/board/${s.compound.id}` })),
  )
  const month = new Date(Date.now() - 30 * 86_400_000)
  const from = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth(), 1) - 8 * 3_600_000)
  const to = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1) - 8 * 3_600_000)
  const metrics = await read(
    'metrics',
    1000,
    streetStaff.map((s) => ({
      path: `/api/metrics?placeId=${s.street.id}&from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`,
      token: s.token,
    })),
  )
  Object.assign(m, {
    inbox_p50_ms: inbox.p50,
    inbox_p99_ms: inbox.p99,
    inbox_rps: inbox.rps,
    mine_p50_ms: mine.p50,
    mine_p99_ms: mine.p99,
    board_p50_ms: board.p50,
    board_p99_ms: board.p99,
    metrics_p50_ms: metrics.p50,
    metrics_p99_ms: metrics.p99,
    metrics_rps: metrics.rps,
  })

  // Filing: through HTTP (autocannon, 32 connections) and the same rows by plain pg (32 clients).
  const create = await load({
    mode: 'create',
    baseUrl: server.baseUrl,
    connections: 32,
    durationS: T.create,
    residents: filers,
    categories: ['facilities', 'sanitation', 'leak', 'parking', 'neighbor_dispute'],
  })
  if (create.ok === 0) throw new Error(`create: no filing succeeded (${JSON.stringify(create)})`)
  m.server_rss_load_mb = server.peak()
  // The baseline on a database at rest: the API's filings leave work behind them (their messages to send,
  // autovacuum on what they wrote) that would otherwise slow the baseline measured next.
  m.create_settle_s = await settle(sql)
  const createSql = await sqlCreateRps(dbUrl, base, residentIds, {
    clients: 32,
    durationS: T.sql,
    seed: SEED,
  })
  m.load.create = load1()
  Object.assign(m, {
    create_rps: create.rps,
    create_non2xx: create.non2xx + create.errors,
    create_p99_ms: create.p99,
    create_sql_rps: createSql,
    create_ratio: create.rps / createSql,
  })
  for (const [k, v] of Object.entries(m)) if (typeof v === 'number') m[k] = Number(v.toFixed(2))
  return m
}

async function main() {
  ensureServerBuild()
  mkdirSync(SCRATCH, { recursive: true })
  const machine = {
    nproc: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    ramGb: Number((os.totalmem() / 1024 ** 3).toFixed(1)),
    loadAvgAtStart: os.loadavg().map((x) => Number(x.toFixed(2))),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
  }
  log(
    `machine: ${machine.nproc} × ${machine.cpu}, ${machine.ramGb} GB RAM, Node ${machine.node}; scales ${SCALES.join(' → ')}`,
  )

  let h5Dist = null
  let weappDir = null
  if (FRONTEND) {
    weappDir = freshBuild(ROOT, 'weapp', join(SCRATCH, 'weapp'), log)
    h5Dist = freshBuild(ROOT, 'h5', join(SCRATCH, 'h5'), log)
    log(`front-end builds: ${weappDir}, ${h5Dist}`)
  }
  const baseline = FRONTEND_BASELINE ? baselineBuilds(ROOT, FRONTEND_BASELINE, SCRATCH, log) : null

  // --data-dir: what DIR already holds (read before its cluster starts).
  const manifest = DATA_DIR ? readManifest() : null
  const db = await database()
  let server = null
  const clients = []
  try {
    const sql = await connect(db.url)
    const pgVersion = (await sql.query('SHOW server_version')).rows[0].server_version
    machine.postgres = pgVersion
    machine.database = process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded PostgreSQL'
    for (const name of ['shared_buffers', 'work_mem', 'max_connections']) {
      machine[name] = (await sql.query(`SHOW ${name}`)).rows[0][name]
    }
    log(`PostgreSQL ${pgVersion} (${machine.database}, shared_buffers ${machine.shared_buffers})`)

    // --data-dir: what DIR already holds (manifest.json). The rows were generated against the manifest's
    // instant; top-ups use the same instant, so DIR holds exactly what a fresh load of its size would.
    if (manifest) {
      if (manifest.seed !== SEED)
        throw new Error(`${DATA_DIR} holds seed ${manifest.seed}, not ${SEED}: pass --seed=${manifest.seed}`)
      if (JSON.stringify(manifest.shape) !== JSON.stringify(SHAPE))
        throw new Error(
          `${DATA_DIR} holds another shape (${JSON.stringify(manifest.shape)}): generate a new DIR`,
        )
      if (manifest.loading)
        throw new Error(
          `${DATA_DIR}: a load of requests ${manifest.loading.from}–${manifest.loading.to} was interrupted; delete the directory and generate again`,
        )
      log(
        `${DATA_DIR}: ${manifest.requests} requests generated against ${new Date(manifest.now).toISOString()} (seed ${manifest.seed}), ${manifest.benchFilings ?? 0} bench filings since`,
      )
    }
    const now = manifest ? manifest.now : Date.now()
    const base = buildBase(SEED)
    const loader = await connect(db.url, true)
    clients.push(loader)
    if (!manifest) {
      const { hash } = require('@node-rs/argon2')
      const passwordHash = await hash(STAFF_PASSWORD)
      await withTriggersFiring(loader, () => createBase(loader, base, SEED, passwordHash, now))
    }
    const state = manifest ?? {
      seed: SEED,
      shape: SHAPE,
      now,
      requests: 0,
      benchFilings: 0,
      steps: [],
      created: new Date().toISOString(),
    }
    if (DATA_DIR) writeManifest(state)
    for (let i = 0; i < 3; i++) clients.push(await connect(db.url, true))
    log(
      `base: ${base.places.length} places (${base.compounds.length} compounds, ${base.units.length} units), ${base.staff.length} staff, ${SHAPE.residents} residents`,
    )
    if (DATA_DIR) figure('migrate_s', db.migrateSeconds, 's')

    // With --data-dir, timers fell due while the directory sat: count them before the server's worker starts.
    const dueAtStart = (
      await sql.query(
        `SELECT count(*)::int AS n FROM deadline_timer WHERE status = 'pending' AND fire_at <= now()`,
      )
    ).rows[0].n
    const serverStarted = Date.now()
    if (dueAtStart > 0)
      log(`${dueAtStart} deadline timers due before the server starts (its worker fires them)`)
    server = await startServer(db.url, h5Dist)
    await new Promise((r) => setTimeout(r, 3000))
    figure('server_rss_idle_mb', rssMb(server.pid), 'MB')

    // Staff who read their inbox: the property manager or the secretary of 50 different compounds.
    const inboxStaff = []
    for (let k = 0; k < 50; k++) {
      const compound = base.compounds[(k * 97) % base.compounds.length]
      const person = compound.staff[k % 2 === 0 ? 'property_manager' : 'compound_secretary']
      const pair = await post(server.baseUrl, '/api/auth/staff/login', {
        phone: person.phone,
        password: STAFF_PASSWORD,
      })
      inboxStaff.push({ token: pair.accessToken, compound })
    }
    // Street supervisors (三率 of their street) and the district.
    const streetStaff = []
    for (const street of base.streets) {
      const pair = await post(server.baseUrl, '/api/auth/staff/login', {
        phone: street.supervisor.phone,
        password: STAFF_PASSWORD,
      })
      streetStaff.push({ token: pair.accessToken, street })
    }
    // Residents who file during create_rps: signed in on H5 by device secret, filing at their home unit.
    // Spread over the district (every 250th resident: 400 people in 160 compounds) as the plain-SQL
    // baseline files in compounds picked at random: 400 neighbours in five compounds would make the API
    // alone wait on those compounds' counter rows (tallies) and their handlers' open work.
    const filers = []
    for (let k = 0; k < 400; k++) {
      const r = SHAPE.residents - 1 - k * 250
      const pair = await post(server.baseUrl, '/api/auth/device', { deviceSecret: residentSecret(SEED, r) })
      filers.push({ token: pair.accessToken, unitToken: base.units[r % base.units.length].token })
    }
    const residentIds = (await sql.query('SELECT id FROM resident ORDER BY id LIMIT 2000')).rows.map(
      (r) => r.id,
    )
    const dueSql = dueScanSql()
    const secrets = new Map()
    for (let r = 0; r < SHAPE.residents; r++) secrets.set(residentId(SEED, r), r)

    let loaded = state.requests
    // Scales below what --data-dir holds cannot be measured on it; with none left, measure what it holds.
    const scales = SCALES.filter((s) => s >= loaded)
    if (scales.length < SCALES.length) {
      log(
        `${DATA_DIR} holds ${loaded} requests: ${scales.length ? `skipping scales ${SCALES.filter((s) => s < loaded).join(', ')}` : `measuring at ${loaded}`}`,
      )
      if (scales.length === 0) scales.push(loaded)
    }
    for (const scale of scales) {
      const t0 = Date.now()
      const counts = { event: 0, timer: 0 }
      if (scale > loaded) {
        await checkDisk(sql, scale - loaded, loaded)
        if (DATA_DIR)
          writeManifest({ ...state, loading: { from: loaded, to: scale, began: new Date().toISOString() } })
        Object.assign(
          counts,
          await withIndexesDeferred(loader, scale - loaded, server, () =>
            withTriggersFiring(loader, () =>
              addTickets(clients, base, SEED, now, loaded, scale, (n) => {
                if (n % 100_000 === 0) log(`  … ${n} requests (${((Date.now() - t0) / 1000).toFixed(0)} s)`)
              }),
            ),
          ),
        )
        loaded = scale
        state.requests = scale
      }
      const loadS = (Date.now() - t0) / 1000
      const { generatedMax } = (await sql.query('SELECT max(number)::int AS "generatedMax" FROM ticket'))
        .rows[0]
      const tA = Date.now()
      // After a load, VACUUM too, as autovacuum would have on a database in service: the lists, the metrics'
      // live terms and the counts are index-only scans, which read the table for every page the visibility
      // map does not yet mark all-visible (at 10M, after the top-up, 85% of ticket's pages: the metrics'
      // live terms read 8,717 buffers a call instead of 4,340, 46 ms instead of 3).
      await sql.query(counts.event ? 'VACUUM (ANALYZE)' : 'ANALYZE')
      const analyzeS = (Date.now() - tA) / 1000
      const sizes = (
        await sql.query(
          `SELECT (SELECT count(*) FROM ticket)::int AS tickets, (SELECT count(*) FROM ticket_event)::int AS events,
                  (SELECT count(*) FROM deadline_timer)::int AS timers, (SELECT count(*) FROM ticket_rating)::int AS ratings,
                  (SELECT count(*) FROM ticket WHERE state IN ('submitted','accepted','replied','waiting_resident'))::int AS open,
                  pg_database_size(current_database()) AS bytes`,
        )
      ).rows[0]
      const diskMb = DATA_DIR ? duMb(DATA_DIR) : null
      log(
        `${counts.event ? 'loaded' : 'holds'} ${scale} requests${counts.event ? ` in ${loadS.toFixed(0)} s` : ''} (+${counts.event} events, +${counts.timer} timers; ${counts.event ? 'VACUUM (ANALYZE)' : 'ANALYZE'} ${analyzeS.toFixed(0)} s); database ${(sizes.bytes / 1024 ** 2).toFixed(0)} MB${diskMb ? `, ${DATA_DIR} ${diskMb} MB on disk` : ''}; ${sizes.open} open`,
      )
      const point = {
        requests: scale,
        loadSeconds: Number(loadS.toFixed(1)),
        rows: sizes,
        dbMb: Math.round(sizes.bytes / 1024 ** 2),
        ...(diskMb ? { diskMb } : {}),
        // Other work on this shared machine: the 1-minute load average as measuring starts.
        loadAvg: load1(),
      }
      if (DATA_DIR) {
        if (loadS > 1)
          state.steps.push({
            requests: scale,
            loadSeconds: point.loadSeconds,
            dbMb: point.dbMb,
            diskMb,
            loadAvg: point.loadAvg,
            at: new Date().toISOString(),
          })
        writeManifest(state)
      }
      // Timers that fell due since the rows were generated (hours ago, with --data-dir) are the deadline
      // worker's backlog: measuring beside it would measure the backlog. Wait until it is worked off.
      point.dueBacklog = await drainDue(sql)
      if (curve.length === 0 && dueAtStart > 0) {
        point.dueBacklog.atStart = dueAtStart
        point.dueBacklog.secondsSinceServerStart = Number(((Date.now() - serverStarted) / 1000).toFixed(1))
        log(
          `due backlog at start: ${dueAtStart} timers, worked off within ${point.dueBacklog.secondsSinceServerStart} s of the server starting (logins and loading in between)`,
        )
      }

      // Mine: residents who filed, sampled once per step.
      const mineUsers = (
        await sql.query(
          `SELECT DISTINCT reporter_resident_id AS id FROM (SELECT reporter_resident_id FROM ticket TABLESAMPLE BERNOULLI (${scale > 2_000_000 ? 0.5 : 5}) REPEATABLE (1)
            WHERE reporter_resident_id IS NOT NULL LIMIT 50) s`,
        )
      ).rows.map((r) => r.id)
      const mineTokens = []
      for (const id of mineUsers) {
        if (!secrets.has(id)) continue
        const pair = await post(server.baseUrl, '/api/auth/device', {
          deviceSecret: residentSecret(SEED, secrets.get(id)),
        })
        mineTokens.push({ path: '/api/requests/mine?page=1&pageSize=20', token: pair.accessToken })
      }

      const runs = []
      let filedBefore = 0
      for (let run = 1; run <= RUNS; run++) {
        const m = await measure({
          sql,
          server,
          dueSql,
          inboxStaff,
          streetStaff,
          mineTokens,
          filers,
          residentIds,
          base,
          dbUrl: db.url,
          pgDir: db.pgDir,
        })
        // The requests filed while measuring (API and plain SQL) are not part of the data set's open work:
        // close them (they stay as rows), so the next run and the next step see the generated mix.
        await sql.query(
          `WITH closed AS (
             UPDATE ticket SET state = 'closed', closed_at = now(), next_due_at = NULL
              WHERE number > $1 AND state IN ('submitted', 'accepted', 'replied', 'waiting_resident') RETURNING id)
           UPDATE deadline_timer SET status = 'cancelled', settled_at = now()
            WHERE status = 'pending' AND ticket_id IN (SELECT id FROM closed)`,
          [generatedMax],
        )
        const filed = (
          await sql.query('SELECT count(*)::int AS n FROM ticket WHERE number > $1', [generatedMax])
        ).rows[0].n
        m.filed = filed - filedBefore
        filedBefore = filed
        runs.push(m)
        if (RUNS > 1) log(`run ${run}/${RUNS} at ${scale}: ${JSON.stringify(m)}`)
      }
      state.benchFilings = (state.benchFilings ?? 0) + filedBefore
      // The point: each figure's median over the runs; `runs` keeps every run with its load average.
      for (const key of new Set(runs.flatMap((r) => Object.keys(r)))) {
        if (key === 'load') continue
        // Failed reads (`<name>_failed`, only in the runs that had any) add up; the rest are medians.
        point[key] = key.endsWith('_failed')
          ? runs.reduce((n, r) => n + (r[key] ?? 0), 0)
          : median(runs.map((r) => r[key]))
      }
      point.load = Object.fromEntries(Object.keys(runs[0].load).map((k) => [k, runs.map((r) => r.load[k])]))
      if (RUNS > 1) point.runs = runs
      for (const [k, v] of Object.entries(point)) if (typeof v === 'number') point[k] = Number(v.toFixed(2))
      curve.push(point)
      if (DATA_DIR) {
        state.lastMeasured = { at: new Date().toISOString(), requests: scale, runs: RUNS, server: DIST }
        writeManifest(state)
      }
      log(`at ${scale}: ${JSON.stringify({ ...point, runs: undefined })}`)
      if (RUNS > 1) {
        log(`runs at ${scale}: each run's figure [1-min load average at its end] → median`)
        for (const c of RUN_FIGURES)
          log(
            `  ${c.padEnd(18)} ${runs.map((r) => `${round(r[c])} [${r.load[loadKeyOf(c)]}]`).join('  ')} → ${round(point[c])}`,
          )
      }
    }
    const last = curve[curve.length - 1]
    // Each figure at the largest scale, with the load average of its measurement (every run's with --runs).
    const at = (name) => ({
      load: round(median(last.load[loadKeyOf(name)])),
      failed: last[`${loadKeyOf(name)}_failed`] ?? 0,
      runs: last.runs?.map((r) => ({ value: r[name], load: r.load[loadKeyOf(name)] })),
    })
    figure('create_rps', last.create_rps, 'req/s', at('create_rps'))
    figure('create_sql_rps', last.create_sql_rps, 'req/s', at('create_sql_rps'))
    figure('create_ratio', last.create_ratio, 'ratio', at('create_ratio'))
    for (const name of [
      'inbox_p50_ms',
      'inbox_p99_ms',
      'mine_p99_ms',
      'board_p99_ms',
      'metrics_p99_ms',
      'due_scan_ms',
    ]) {
      figure(name, last[name], 'ms', at(name))
    }
    // CPU per answer (absent for a database on DATABASE_URL: its processes are not ours to see).
    for (const read of ['inbox', 'mine', 'board', 'metrics'])
      for (const part of ['server', 'db']) {
        const name = `${read}_${part}_cpu_ms`
        if (Number.isFinite(last[name])) figure(name, last[name], 'ms', at(name))
      }
    // The peak over every step and run, with the load average of the measurement that reached it.
    const peak = curve
      .flatMap((p) => p.runs ?? [p])
      .reduce((a, b) => (b.server_rss_load_mb > a.server_rss_load_mb ? b : a))
    figure('server_rss_load_mb', peak.server_rss_load_mb, 'MB', {
      load: Array.isArray(peak.load.create) ? round(median(peak.load.create)) : peak.load.create,
    })
    // The supervisors' queries (ranking, drill-down, recurring, quarterly report) at the largest scale:
    // plans, times, no sequential scan of the requests.
    await supervisionPlans({
      sql,
      dist: DIST,
      log,
      figure,
      notes,
      from: new Date(Date.now() - 91 * 86_400_000),
      to: new Date(),
    })

    // The work ledger of the newest 10,000 requests under the district, as its supervisor exports it
    // (streamed; the server's RSS sampled every 100 ms while the file is written and read).
    const ledger = await ledgerExport(server, sql, base.district, 10_000)
    figure('ledger_export_peak_mb', ledger.peakMb, 'MB')
    figure('ledger_export_rows', ledger.rows, 'rows')
    figure('ledger_export_s', ledger.seconds, 's')
    log(
      `ledger export: ${ledger.rows} rows, ${(ledger.bytes / 1024 ** 2).toFixed(1)} MB of XLSX in ${ledger.seconds.toFixed(1)} s; server RSS ${ledger.beforeMb.toFixed(0)} → peak ${ledger.peakMb.toFixed(0)} MB; load average ${ledger.loadAvg.join(' ')}`,
    )
    notes.ledger = ledger
    notes.scale = {
      requests: loaded,
      compounds: base.compounds.length,
      units: base.units.length,
      residents: SHAPE.residents,
      staff: base.staff.length,
    }

    // Front end: the scan page through this server (it serves the H5 build).
    if (FRONTEND) {
      figure('weapp_main_kb', weappMainKb(ROOT, weappDir), 'KB')
      // The unit of the building with the most open requests of the last 14 days: its scan page lists them.
      const busiest = await sql.query(
        `SELECT q.token FROM qr_code q JOIN place u ON u.id = q.unit_id JOIN ticket t ON t.building_id = u.parent_id
          WHERE q.revoked_at IS NULL AND t.state IN ('submitted', 'accepted', 'replied', 'waiting_resident')
            AND t.created_at >= now() - interval '14 days'
          GROUP BY q.token ORDER BY count(*) DESC, q.token LIMIT 1`,
      )
      const token = busiest.rows[0]?.token ?? base.units[123].token
      const runs = QUICK ? 1 : 3
      const scan = await scanInteractive(ROOT, server.baseUrl, token, runs)
      figure('h5_entry_gzip_kb', scan.js.gzipKb, 'KB')
      figure('scan_interactive_ms', scan.ms, 'ms')
      figure('scan_open_list_ms', scan.listMs ?? NaN, 'ms')
      figure('scan_api_calls', scan.api.calls, 'calls')
      figure('scan_open_list_calls', scan.api.openRequestCalls, 'calls')
      if (baseline) {
        // The baseline's H5 app from a second server on the same database, then the current one again,
        // so both are measured under the same load of this shared machine.
        const before = await startServer(db.url, baseline.h5)
        let old
        try {
          old = await scanInteractive(ROOT, before.baseUrl, token, runs)
        } finally {
          await before.stop()
        }
        const again = await scanInteractive(ROOT, server.baseUrl, token, runs)
        const now = Math.min(scan.ms, again.ms)
        figure('weapp_main_kb_baseline', weappMainKb(ROOT, baseline.weapp), 'KB')
        figure('h5_entry_gzip_kb_baseline', old.js.gzipKb, 'KB')
        figure('scan_interactive_ms_baseline', old.ms, 'ms')
        figure('weapp_main_ratio', figures.weapp_main_kb.value / figures.weapp_main_kb_baseline.value, '×')
        figure('h5_entry_gzip_ratio', scan.js.gzipKb / old.js.gzipKb, '×')
        figure('scan_interactive_ratio', now / old.ms, '×')
        notes.baseline = {
          ref: FRONTEND_BASELINE,
          commit: baseline.commit,
          scan: old,
          currentAgain: again,
          loadAvg: os.loadavg(),
        }
      }
      notes.scan = scan
    }
    await server.stop()
    server = null

    // The 1,000-unit poster PDF: the existing script, on this database server.
    const posters = spawnSync(process.execPath, [join(DIST, '..', 'scripts', 'bench-posters.mjs')], {
      cwd: join(DIST, '..'),
      env: { ...process.env, DATABASE_URL: db.adminUrl },
      encoding: 'utf8',
    })
    if (posters.status !== 0) throw new Error(`bench-posters.mjs failed:\n${posters.stdout}${posters.stderr}`)
    for (const m of posters.stdout.matchAll(/^BENCH (\S+) (\S+) (\S+)$/gm)) figure(m[1], Number(m[2]), m[3])

    for (const c of [sql, ...clients]) await c.end().catch(() => {})
  } catch (error) {
    console.error(error)
    if (server) console.error(`server output (tail):\n${server.output().slice(-3000)}`)
    process.exitCode = 1
    throw error
  } finally {
    await server?.stop().catch(() => {})
    if (!flag('keep')) await db.dispose()
  }

  const expected = [
    'create_rps',
    'create_sql_rps',
    'create_ratio',
    'inbox_p50_ms',
    'inbox_p99_ms',
    'mine_p99_ms',
    'board_p99_ms',
    'metrics_p99_ms',
    'due_scan_ms',
    'server_rss_idle_mb',
    'server_rss_load_mb',
    'ledger_export_peak_mb',
    'poster_pdf_1000_s',
    'poster_pdf_1000_rss_mb',
    ...['street', 'buildings', 'handlers'].flatMap((q) => [
      `plan_ranking_${q}_ms`,
      `plan_ranking_${q}_ticket_seq_scans`,
    ]),
    ...(FRONTEND
      ? [
          'weapp_main_kb',
          'h5_entry_gzip_kb',
          'scan_interactive_ms',
          'scan_open_list_ms',
          'scan_api_calls',
          'scan_open_list_calls',
        ]
      : []),
  ]
  const results = {
    when: new Date().toISOString(),
    quick: QUICK,
    seed: SEED,
    runs: RUNS,
    server: DIST,
    dataDir: DATA_DIR,
    seconds: Math.round((Date.now() - began) / 1000),
    machine,
    figures,
    curve,
    notes,
  }
  writeFileSync(join(ROOT, 'bench-results.json'), `${JSON.stringify(results, null, 2)}\n`)
  // With --data-dir, a copy beside the data (the repository's file is overwritten by the next run).
  if (DATA_DIR) {
    mkdirSync(join(DATA_DIR, 'results'), { recursive: true })
    writeFileSync(
      join(DATA_DIR, 'results', `${results.when.replace(/[:.]/g, '-')}.json`),
      `${JSON.stringify(results, null, 2)}\n`,
    )
  }
  const bad = expected.filter((name) => !figures[name] || !Number.isFinite(figures[name].value))
  if (bad.length > 0) {
    console.error(`bench: missing or non-finite figures: ${bad.join(', ')}`)
    process.exit(1)
  }
  log(`done in ${results.seconds} s; bench-results.json written`)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
