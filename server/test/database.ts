import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Client } from 'pg'
import { migrate } from '../src/database/data-source'
import { startEmbeddedPostgres } from '../src/database/embedded-postgres'
import { databaseName, withDatabase, workerDatabaseName } from './database-url'

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

export interface TestDatabase {
  /** The migrated template every test database is cloned from; nothing connects to it. */
  url: string
  /** The server itself, for tests that create databases of their own. */
  adminUrl: string
  kind: 'embedded' | 'external'
  dispose(): Promise<void>
}

async function onServer<T>(adminUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

/** A copy of the migrated template (a file copy inside PostgreSQL: far quicker than migrating). */
export async function cloneTemplate(adminUrl: string, templateUrl: string, name: string): Promise<string> {
  await onServer(adminUrl, (c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${databaseName(templateUrl)}`))
  return withDatabase(adminUrl, name)
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await onServer(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))
}

/**
 * A fresh, migrated template database for one test run: a new database on the server DATABASE_URL
 * names, or an embedded PostgreSQL in a temporary directory. Tests run on clones of it
 * (`workerDatabases`, `scratchDatabase`).
 */
export async function provisionTestDatabase(): Promise<TestDatabase> {
  const external = process.env.DATABASE_URL
  if (external) {
    const name = `mq_test_${process.pid}_${Date.now().toString(36)}`
    await onServer(external, (c) => c.query(`CREATE DATABASE ${name}`))
    const url = withDatabase(external, name)
    await migrate(url)
    return {
      url,
      adminUrl: external,
      kind: 'external',
      async dispose() {
        // The run's clones are named after the template (`workerDatabases`, `scratchDatabase`).
        await onServer(external, async (c) => {
          const { rows } = await c.query<{ datname: string }>(
            `SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2`,
            [name, `${name}\\_%`],
          )
          for (const { datname } of rows) await c.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`)
        })
      },
    }
  }
  const dir = await mkdtemp(join(tmpdir(), 'mq-test-'))
  await chmod(dir, 0o755) // the postgres OS user must reach the data dir inside
  const db = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: await freePort(), database: 'mq_test' })
  await migrate(db.url)
  return {
    url: db.url,
    adminUrl: withDatabase(db.url, 'postgres'),
    kind: 'embedded',
    async dispose() {
      await db.stop()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/** One clone of the template per jest worker, made before any worker starts. */
export async function workerDatabases(db: TestDatabase, workers: number): Promise<void> {
  for (let n = 1; n <= workers; n++) await cloneTemplate(db.adminUrl, db.url, workerDatabaseName(db.url, n))
}

/**
 * A fresh, migrated database beside the worker's own, for tests whose data must not meet the other tests'
 * (the demo data, which exists once per database).
 */
export async function scratchDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = process.env.MQ_TEST_ADMIN_URL
  const templateUrl = process.env.MQ_TEST_TEMPLATE_URL
  if (!adminUrl || !templateUrl) throw new Error('MQ_TEST_ADMIN_URL is not set: run the server tests through jest (global setup)')
  const name = `${databaseName(templateUrl)}_${prefix}_${process.pid}_${Date.now().toString(36)}`
  const url = await cloneTemplate(adminUrl, templateUrl, name)
  return { url, drop: () => dropDatabase(adminUrl, name) }
}
