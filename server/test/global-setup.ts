import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { provisionTestDatabase, workerDatabases, type TestDatabase } from './database'

declare global {
  var __MQ_TEST_DB__: TestDatabase | undefined
}

export default async function globalSetup(globalConfig: { maxWorkers: number }): Promise<void> {
  const db = await provisionTestDatabase()
  globalThis.__MQ_TEST_DB__ = db
  // Each jest worker gets a database of its own, cloned from the migrated template
  // (test/worker-database.ts picks it by JEST_WORKER_ID; in band, the one worker is 1).
  const workers = Math.max(1, globalConfig.maxWorkers)
  await workerDatabases(db, workers)
  process.env.MQ_TEST_TEMPLATE_URL = db.url
  process.env.MQ_TEST_ADMIN_URL = db.adminUrl
  // Every response and log line of the run is recorded here and scanned for personal data at teardown.
  // Each worker process writes files of its own (named by pid), so parallel workers never share one.
  process.env.MQ_SECURITY_RECORD_DIR = mkdtempSync(join(tmpdir(), 'mq-records-'))
  const where = db.kind === 'embedded' ? 'an embedded PostgreSQL' : 'DATABASE_URL'
  console.log(`\nserver tests on ${where}: one migrated template, ${workers} worker database(s) cloned from it`)
}
