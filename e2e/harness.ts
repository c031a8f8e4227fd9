import { spawn, type ChildProcess } from 'node:child_process'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { Client } from 'pg'
import { chromium, type Browser } from 'playwright-core'

const ROOT = resolve(__dirname, '..')
/** The built server; E2E_SERVER_MAIN points at another build (e.g. while server/ is mid-change). */
const MAIN = process.env.E2E_SERVER_MAIN ? resolve(process.env.E2E_SERVER_MAIN) : join(ROOT, 'server', 'dist', 'main.js')
/** The H5 build; E2E_H5_DIST points at another output (see TARO_OUTPUT_ROOT in config/index.ts). */
const H5 = join(process.env.E2E_H5_DIST ? resolve(process.env.E2E_H5_DIST) : join(ROOT, 'miniapp', 'dist', 'h5'), 'index.html')

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

export interface RunningProduct {
  baseUrl: string
  /** SQL on the product's own (embedded) database, for looking up what the UI cannot show. */
  query<T>(sql: string, params?: unknown[]): Promise<T[]>
  /** What the server has printed so far (stdout and stderr): what the log SMS provider sent, for one. */
  output(): string
  stop(): Promise<void>
}

/** Starts the built server exactly as `pnpm start` does, on a fresh embedded database in a temp dir. */
export async function startProduct(overrides: Record<string, string> = {}): Promise<RunningProduct> {
  for (const file of [MAIN, H5]) if (!existsSync(file)) throw new Error(`missing ${file}: run \`pnpm build\` first`)
  const dir = await mkdtemp(join(tmpdir(), 'mq-e2e-'))
  await chmod(dir, 0o755) // the postgres OS user must reach the data dir inside
  const port = await freePort()
  const pgPort = await freePort()
  const env: Record<string, string | undefined> = { ...process.env, PORT: String(port), EMBEDDED_PG_PORT: String(pgPort), DATA_DIR: dir, LOG_LEVEL: 'warn' }
  // A spec that reads the server's log (the texted code) asks for info-level lines; the rest stay quiet.
  Object.assign(env, overrides)
  // Always the embedded database with demo data, whatever the calling shell points at.
  for (const name of ['DATABASE_URL', 'DEMO', 'H5_DIST', 'NODE_ENV']) delete env[name]
  // This package's H5 build, whichever server build serves it.
  env.H5_DIST = dirname(H5)
  const child: ChildProcess = spawn(process.execPath, [MAIN], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (d) => (output += d))
  child.stderr!.on('data', (d) => (output += d))
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`server not ready in 60 s:\n${output}`)), 60_000)
    child.stdout!.on('data', () => {
      if (output.includes('Press Ctrl-C to stop')) {
        clearTimeout(timer)
        ready()
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      fail(new Error(`server exited with ${code}:\n${output}`))
    })
  })
  const db = new Client({ connectionString: `postgres://postgres:postgres@127.0.0.1:${pgPort}/minqing` })
  await db.connect()
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    query: async <T>(sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows as T[],
    output: () => output,
    async stop() {
      await db.end()
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGINT')
      await exited
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/**
 * Debian's Chromium, headless, with the flags these machines need (nothing beyond loopback), and any a
 * spec adds (a fake microphone, for one). Playwright gives every launch a fresh temporary profile of its own.
 */
export async function launchBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  })
}
