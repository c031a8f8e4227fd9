import { DataSource, type DataSourceOptions } from 'typeorm'
import { ENTITIES } from './entities'
import { MIGRATIONS } from './migrations'

export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTransactionMode: 'each',
    // gen_random_uuid() is built into PostgreSQL 13+: no extension to install.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    // Never synchronize: the committed migrations are the schema.
    synchronize: false,
    logging: false,
    extra: {
      max: 20,
      // Also bounds the wait for a free pooled connection: bursts queue rather than fail.
      connectionTimeoutMillis: 10000,
      // A query that hangs on a dead server must not hang the request forever.
      query_timeout: 15000,
    },
  }
}

/** Arbitrary, fixed key: only one process runs migrations at a time. */
const MIGRATION_LOCK = 7_220_411

/**
 * The options migrations run with: no per-query timeout. A migration may rewrite or backfill a large table
 * (the counters' backfill over ten million requests takes minutes), which the request path's 15-second
 * guard would abort half-way (each migration is its own transaction, so nothing would be half-written,
 * but the server would never start).
 */
export function migrationOptions(url: string): DataSourceOptions {
  const options = dataSourceOptions(url)
  return { ...options, extra: { ...options.extra, query_timeout: 0 } }
}

/** Runs pending migrations under an advisory lock, so several instances may start at once. */
export async function migrate(url: string): Promise<string[]> {
  const dataSource = new DataSource(migrationOptions(url))
  await dataSource.initialize()
  try {
    const runner = dataSource.createQueryRunner()
    await runner.connect()
    try {
      await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK])
      const applied = await dataSource.runMigrations({ transaction: 'each' })
      return applied.map((m) => m.name)
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK])
      await runner.release()
    }
  } finally {
    await dataSource.destroy()
  }
}
