#!/usr/bin/env node
// `pnpm start`: build whatever is missing or stale (shared, server, H5 app), then run the server on its
// embedded PostgreSQL (or DATABASE_URL). Signals are passed on so Ctrl-C stops PostgreSQL too.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(fileURLToPath(import.meta.url), '..', '..', '..')
const at = (...parts) => join(root, ...parts)

/** Newest modification time of any file under the given paths (0 when none exist). */
function newest(...paths) {
  let max = 0
  for (const path of paths) {
    if (!existsSync(path)) continue
    const stat = statSync(path)
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) {
        if (entry !== 'node_modules' && entry !== 'dist') max = Math.max(max, newest(join(path, entry)))
      }
    } else max = Math.max(max, stat.mtimeMs)
  }
  return max
}

function stale(output, ...sources) {
  return !existsSync(output) || statSync(output).mtimeMs < newest(...sources)
}

function run(label, command, args, cwd) {
  console.log(`> ${label}`)
  const result = spawnSync(command, args, { cwd, stdio: 'inherit' })
  if (result.status !== 0) {
    console.error(`${label} failed`)
    process.exit(result.status ?? 1)
  }
}

const tsc = at('node_modules', '.bin', 'tsc')
if (stale(at('shared', 'dist', 'cjs', 'index.js'), at('shared', 'src'))) {
  run('building shared/', 'pnpm', ['--filter', '@mq/shared', 'build'], root)
}
if (stale(at('server', 'dist', 'main.js'), at('server', 'src'), at('shared', 'dist', 'cjs', 'index.js'))) {
  run('building server/', tsc, ['-p', 'tsconfig.build.json'], at('server'))
}
if (!process.env.H5_DIST && stale(at('miniapp', 'dist', 'h5', 'index.html'), at('miniapp', 'src'), at('miniapp', 'config'), at('shared', 'src'))) {
  run('building the H5 app (about a minute the first time)', 'pnpm', ['--filter', '@mq/miniapp', 'build:h5'], root)
}

const server = spawn(process.execPath, [at('server', 'dist', 'main.js')], { stdio: 'inherit' })
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.kill(signal))
}
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
