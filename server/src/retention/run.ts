/**
 * The retention job from the command line (cron, a systemd timer, or by hand):
 *   node dist/retention/run.js [--dry-run]
 * Reads the same environment as the server (DATABASE_URL, RETENTION_YEARS, PHOTO_STORE with DATA_DIR or S3_*
 * for photo files) and prints one JSON line: what it anonymised and deleted, or with --dry-run what it
 * would. Exit 0 also when another instance held the lock (`"ran": false`); 1 on a bad configuration or a
 * failure.
 */
import 'reflect-metadata'
import { Logger } from '@nestjs/common'
import { DataSource } from 'typeorm'
import { Clock } from '../common/clock'
import { ConfigError, loadConfig } from '../config/config'
import { dataSourceOptions } from '../database/data-source'
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../database/embedded-postgres'
import { createPhotoStore, S3PhotoStore } from '../photos/photo-store'
import { RetentionService } from './retention.service'

async function main(): Promise<void> {
  const args = process.argv.slice(2)
  const unknown = args.filter((a) => a !== '--dry-run')
  if (unknown.length > 0) {
    console.error(`usage: node dist/retention/run.js [--dry-run] (unknown: ${unknown.join(' ')})`)
    process.exit(2)
  }
  let config
  try {
    config = loadConfig()
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message)
      process.exit(1)
    }
    throw error
  }
  // The JSON line is the output; the service's own log lines would repeat it.
  Logger.overrideLogger(false)
  let embedded: EmbeddedDatabase | null = null
  if (!config.databaseUrl) {
    try {
      embedded = await startEmbeddedPostgres({ dataDir: config.embeddedPg.dataDir, port: config.embeddedPg.port, database: 'minqing' })
    } catch (error) {
      throw new Error(
        `cannot start the embedded PostgreSQL in ${config.embeddedPg.dataDir} (is the server running on it? stop it, or set DATABASE_URL): ${error instanceof Error ? error.message : String(error)}`,
      )
    }
  }
  const dataSource = await new DataSource(dataSourceOptions(config.databaseUrl ?? embedded!.url)).initialize()
  const photos = createPhotoStore(config)
  try {
    const report = await new RetentionService(dataSource, new Clock(), config, photos).run({ dryRun: args.includes('--dry-run') })
    console.log(JSON.stringify(report))
  } finally {
    if (photos instanceof S3PhotoStore) photos.onApplicationShutdown()
    await dataSource.destroy()
    await embedded?.stop()
  }
}

main().catch((error: unknown) => {
  console.error('retention failed:', error instanceof Error ? error.message : error)
  process.exit(1)
})
