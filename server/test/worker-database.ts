/**
 * Runs before each spec file (jest setupFiles): points MQ_TEST_DATABASE_URL at this jest worker's own
 * database, a clone of the run's migrated template made by global setup.
 */
import { withDatabase, workerDatabaseName } from './database-url'

const template = process.env.MQ_TEST_TEMPLATE_URL
const admin = process.env.MQ_TEST_ADMIN_URL
if (template && admin) {
  const worker = Number(process.env.JEST_WORKER_ID ?? '1')
  process.env.MQ_TEST_DATABASE_URL = withDatabase(admin, workerDatabaseName(template, worker))
}
