#!/usr/bin/env node
// `pnpm start`: build whatever is missing or stale (shared, server, H5 app), then run the server on its
// embedded PostgreSQL (or DATABASE_URL). Signals are passed on so Ctrl-C stops PostgreSQL too.
import { spawn } from 'node:child_process'
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

/** Runs a build step; resolves when it succeeded, exits the process when it failed. */
function build(label, command, args, cwd) {
  console.log(`> ${label}`)
  return new Promise((resolveBuild) => {
    const child = spawn(command, args, { cwd, stdio: 'inherit' })
    child.on('exit', (code) => {
      if (code === 0) return resolveBuild()
      console.error(`${label} failed`)
      process.exit(code ?? 1)
    })
  })
}

if (stale(at('shared', 'dist', 'cjs', 'index.js'), at('shared', 'src'))) {
  await build('building shared/', 'pnpm', ['--filter', '@mq/shared', 'build'], root)
}
// The server and the H5 app only share shared/: build them side by side.
const steps = []
// tsc builds incrementally and rewrites only changed files; its build-info file is touched on every build.
if (stale(at('server', 'dist', '.tsbuildinfo'), at('server', 'src'), at('shared', 'dist', 'cjs', 'index.js'))) {
  steps.push(build('building server/', at('node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json'], at('server')))
}
const h5Sources = [at('miniapp', 'src'), at('miniapp', 'config'), at('shared', 'src')]
if (!process.env.H5_DIST && stale(at('miniapp', 'dist', 'h5', 'index.html'), ...h5Sources)) {
  steps.push(build('building the H5 app (about half a minute)', 'pnpm', ['--filter', '@mq/miniapp', 'build:h5'], root))
}
await Promise.all(steps)

const server = spawn(process.execPath, [at('server', 'dist', 'main.js')], { stdio: 'inherit' })
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.kill(signal))
}
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
