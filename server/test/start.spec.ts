import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { freePort, scratchDatabase } from './database'

const MAIN = resolve(__dirname, '..', 'dist', 'main.js')

/** postgres processes serving the given data dir. */
function postgresFor(dataDir: string): string[] {
  try {
    return execFileSync('pgrep', ['-f', `postgres -D ${dataDir}`], { encoding: 'utf8' }).trim().split('\n').filter(Boolean)
  } catch {
    return [] // pgrep exits 1 when nothing matches
  }
}

interface Started {
  child: ChildProcess
  /** Standard output and error as they arrived. */
  output: () => string
  /** Standard output alone. */
  stdout: () => string
  ready: Promise<void>
}

async function startMain(env: NodeJS.ProcessEnv): Promise<Started> {
  const child = spawn(process.execPath, [MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let stdout = ''
  child.stdout!.on('data', (d) => {
    out += d
    stdout += d
  })
  child.stderr!.on('data', (d) => (out += d))
  const ready = new Promise<void>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner within 60 s:\n${out}`)), 60_000)
    child.stdout!.on('data', () => {
      if (out.includes('Press Ctrl-C to stop')) {
        clearTimeout(timer)
        resolveReady()
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`exited with ${code}:\n${out}`))
    })
  })
  return { child, output: () => out, stdout: () => stdout, ready }
}

/** Waits until the standard output holds `text` (a log line written after an event). */
async function waitFor(started: Started, text: string): Promise<void> {
  for (let i = 0; i < 100 && !started.stdout().includes(text); i++) await new Promise((r) => setTimeout(r, 50))
  expect(started.stdout()).toContain(text)
}

async function stop(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  child.kill('SIGINT')
  return exited
}

describe('the server process on its embedded database (what `pnpm start` runs)', () => {
  let dir: string
  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error(`build the server first: ${MAIN} is missing`)
    dir = await mkdtemp(join(tmpdir(), 'mq-start-'))
    await chmod(dir, 0o755)
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  it('starts, answers health, seeds once, and leaves no postgres behind on Ctrl-C', async () => {
    const port = await freePort()
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      PORT: String(port),
      DATA_DIR: dir,
      EMBEDDED_PG_PORT: String(await freePort()),
      LOG_LEVEL: 'info',
    }
    const dataDir = join(dir, 'pg')

    const first = await startMain(env)
    await first.ready
    expect(first.output()).toContain('seeded 石灰桥新村')
    expect(first.output()).toMatch(/13800000001 {2}网格长/)
    // For a person: one short line per event, none of Nest's module and route listing, and the banner
    // with the URLs and logins last, after every start-up line.
    const boot = first.stdout()
    expect(boot).toMatch(/^\d\d:\d\d:\d\d INFO {2}\[DemoSeeder\] demo data seeded$/m)
    expect(boot).not.toMatch(/RouterExplorer|RoutesResolver|InstanceLoader|Mapped \{|dependencies initialized/)
    expect(boot).not.toMatch(/^\{/m)
    expect(boot.trimEnd().endsWith('Press Ctrl-C to stop.')).toBe(true)
    const missing = await fetch(`http://127.0.0.1:${port}/api/no-such-route?phone=13800000001`)
    expect(missing.status).toBe(404)
    await waitFor(first, 'GET /api/no-such-route 404')
    // The request is the next line after the banner, and only one line.
    expect(first.stdout().slice(boot.length)).toMatch(/^\d\d:\d\d:\d\d INFO {2}GET \/api\/no-such-route 404 \d+ ms\n$/)
    // Health probes are not logged: the next request's line follows the previous one directly.
    const logged = first.stdout()
    const health = await fetch(`http://127.0.0.1:${port}/api/health`)
    expect(health.status).toBe(200)
    expect((await fetch(`http://127.0.0.1:${port}/api/no-such-route-either`)).status).toBe(404)
    await waitFor(first, 'GET /api/no-such-route-either 404')
    expect(first.stdout().slice(logged.length)).toMatch(/^\d\d:\d\d:\d\d INFO {2}GET \/api\/no-such-route-either 404 \d+ ms\n$/)
    expect(postgresFor(dataDir).length).toBeGreaterThan(0)
    expect(await stop(first.child)).toBe(0)
    expect(postgresFor(dataDir)).toEqual([])

    const second = await startMain(env)
    await second.ready
    expect(second.output()).toContain('already present')
    expect(await stop(second.child)).toBe(0)
    expect(postgresFor(dataDir)).toEqual([])
  }, 120_000)

  it('logs JSON in production, one object per line, the start line last among the start-up lines', async () => {
    const db = await scratchDatabase('start_prod')
    try {
      const port = await freePort()
      const started = await startMain({
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        PORT: String(port),
        DATABASE_URL: db.url,
        PUBLIC_URL: 'https://mq.example.test',
        TOKEN_SECRET: 'start-test-secret-3f9a0c1be47d5e2f8a6b9c0d1e2f3a4b',
        WECHAT_APPID: 'wx-start-test',
        WECHAT_SECRET: 'start-test-wechat-secret',
        H5_DIST: join(dir, 'no-h5'),
        LOG_LEVEL: 'info',
      })
      await started.ready
      const boot = started.stdout()
      const missing = await fetch(`http://127.0.0.1:${port}/api/no-such-route`)
      expect(missing.status).toBe(404)
      await waitFor(started, '"path":"/api/no-such-route"')
      expect(await stop(started.child)).toBe(0)
      const entries = started
        .stdout()
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as { level: number; msg: string; context?: string; url?: string; res?: { status: number } })
      for (const entry of entries) expect(typeof entry.level).toBe('number')
      const bootEntries = boot.trimEnd().split('\n').map((line) => JSON.parse(line) as { msg: string; context?: string; url?: string })
      expect(bootEntries.at(-1)).toMatchObject({ context: 'Server', url: `http://127.0.0.1:${port}` })
      expect(bootEntries.at(-1)!.msg).toContain('民情二维码 is running')
      expect(bootEntries.filter((e) => e.context === 'RouterExplorer' || e.context === 'InstanceLoader')).toEqual([])
      expect(entries.find((e) => e.res?.status === 404)).toBeDefined()
    } finally {
      await db.drop()
    }
  }, 60_000)

  it('refuses a bad variable with a one-line message naming it', () => {
    let stderr = ''
    try {
      execFileSync(process.execPath, [MAIN], { env: { PATH: process.env.PATH, PORT: 'abc' }, encoding: 'utf8', stdio: 'pipe' })
    } catch (error) {
      const e = error as { status: number; stderr: string }
      expect(e.status).toBe(1)
      stderr = e.stderr
    }
    expect(stderr.trim()).toBe('Invalid configuration: PORT must be a port number (got "abc")')
  })
})
