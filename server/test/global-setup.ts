import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { provisionTestDatabase, type TestDatabase } from './database'

declare global {
  var __MQ_TEST_DB__: TestDatabase | undefined
}

export default async function globalSetup(): Promise<void> {
  const db = await provisionTestDatabase()
  globalThis.__MQ_TEST_DB__ = db
  process.env.MQ_TEST_DATABASE_URL = db.url
  process.env.MQ_TEST_ADMIN_URL = db.adminUrl
  // Every response and log line of the run is recorded here and scanned for personal data at teardown.
  process.env.MQ_SECURITY_RECORD_DIR = mkdtempSync(join(tmpdir(), 'mq-records-'))
  console.log(`\nserver tests on ${db.kind === 'embedded' ? 'an embedded PostgreSQL' : 'DATABASE_URL'} (migrated once)`)
}
