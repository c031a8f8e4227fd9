import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Client } from 'pg'
import { migrate } from '../src/database/data-source'
import { startEmbeddedPostgres } from '../src/database/embedded-postgres'

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
  url: string
  /** The server itself, for tests that create databases of their own. */
  adminUrl: string
  kind: 'embedded' | 'external'
  dispose(): Promise<void>
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${database}`
  return parsed.toString()
}

/**
 * A fresh, migrated database for one test run: a new database on the server DATABASE_URL names, or
 * an embedded PostgreSQL in a temporary directory.
 */
export async function provisionTestDatabase(): Promise<TestDatabase> {
  const external = process.env.DATABASE_URL
  if (external) {
    const name = `mq_test_${process.pid}_${Date.now().toString(36)}`
    const admin = new Client({ connectionString: external })
    await admin.connect()
    await admin.query(`CREATE DATABASE ${name}`)
    await admin.end()
    const url = withDatabase(external, name)
    await migrate(url)
    return {
      url,
      adminUrl: external,
      kind: 'external',
      async dispose() {
        const client = new Client({ connectionString: external })
        await client.connect()
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
        await client.end()
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

/**
 * A fresh, migrated database beside the run's own, for tests whose data must not meet the other tests'
 * (the demo data, which exists once per database).
 */
export async function scratchDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = process.env.MQ_TEST_ADMIN_URL
  if (!adminUrl) throw new Error('MQ_TEST_ADMIN_URL is not set: run the server tests through jest (global setup)')
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}`
  const admin = new Client({ connectionString: adminUrl })
  await admin.connect()
  try {
    await admin.query(`CREATE DATABASE ${name}`)
  } finally {
    await admin.end()
  }
  const url = withDatabase(adminUrl, name)
  await migrate(url)
  return {
    url,
    async drop() {
      const client = new Client({ connectionString: adminUrl })
      await client.connect()
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      } finally {
        await client.end()
      }
    },
  }
}
