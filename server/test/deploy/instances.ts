import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { freePort } from '../database'

/** The built server, as a deployment runs it (`node dist/main.js`). */
export const MAIN = resolve(__dirname, '..', '..', 'dist', 'main.js')

export function requireBuild(): void {
  if (!existsSync(MAIN)) throw new Error(`build the server first (pnpm --filter @mq/server build): ${MAIN} is missing`)
}

/** A valid production environment on `databaseUrl`; the WeChat API base points at a closed loopback port. */
export function productionEnv(databaseUrl: string, overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    PUBLIC_URL: 'https://mq.example.test',
    TOKEN_SECRET: 'deploy-test-secret-3f9a0c1be47d5e2f8a6b9c0d1e2f3a4b',
    WECHAT_APPID: 'wx-deploy-test',
    WECHAT_SECRET: 'deploy-test-wechat-secret',
    WECHAT_API_BASE: 'http://127.0.0.1:9',
    H5_DIST: '/nonexistent-h5-dist',
    LOG_LEVEL: 'warn',
    ...overrides,
  }
}

export interface Instance {
  name: string
  port: number
  url: string
  child: ChildProcess
  output(): string
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>
}

/** Starts `node dist/main.js` on a free port and waits until it answers readiness. */
export async function startInstance(name: string, env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<Instance> {
  const port = Number(env.PORT ?? (await freePort()))
  const child = spawn(process.execPath, [MAIN], { env: { ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout!.on('data', (d) => (out += d))
  child.stderr!.on('data', (d) => (out += d))
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  const instance: Instance = { name, port, url: `http://127.0.0.1:${port}`, child, output: () => out, exited }
  const deadline = Date.now() + timeoutMs
  let gone = false
  void exited.then(() => (gone = true))
  for (;;) {
    if (gone) throw new Error(`${name} exited before it was ready:\n${out}`)
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`${name} not ready within ${timeoutMs} ms:\n${out}`)
    }
    const ready = await fetch(`${instance.url}/api/health/ready`).then(
      (r) => r.status === 200,
      () => false,
    )
    if (ready) return instance
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** Sends a signal to an instance this test started, by its PID, and waits for it to exit. */
export async function stopInstance(instance: Instance, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (instance.child.exitCode === null && instance.child.signalCode === null) instance.child.kill(signal)
  return instance.exited
}
