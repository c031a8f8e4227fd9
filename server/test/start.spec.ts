import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { freePort } from './database'

const MAIN = resolve(__dirname, '..', 'dist', 'main.js')

/** postgres processes serving the given data dir. */
function postgresFor(dataDir: string): string[] {
  try {
    return execFileSync('pgrep', ['-f', `postgres -D ${dataDir}`], { encoding: 'utf8' }).trim().split('\n').filter(Boolean)
  } catch {
    return [] // pgrep exits 1 when nothing matches
  }
}

async function startMain(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; output: () => string; ready: Promise<void> }> {
  const child = spawn(process.execPath, [MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout!.on('data', (d) => (out += d))
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
  return { child, output: () => out, ready }
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
      LOG_LEVEL: 'warn',
    }
    const dataDir = join(dir, 'pg')

    const first = await startMain(env)
    await first.ready
    expect(first.output()).toContain('seeded 石灰桥新村')
    expect(first.output()).toMatch(/13800000001 {2}网格长/)
    const health = await fetch(`http://127.0.0.1:${port}/api/health`)
    expect(health.status).toBe(200)
    expect(postgresFor(dataDir).length).toBeGreaterThan(0)
    expect(await stop(first.child)).toBe(0)
    expect(postgresFor(dataDir)).toEqual([])

    const second = await startMain(env)
    await second.ready
    expect(second.output()).toContain('already present')
    expect(await stop(second.child)).toBe(0)
    expect(postgresFor(dataDir)).toEqual([])
  }, 120_000)

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
