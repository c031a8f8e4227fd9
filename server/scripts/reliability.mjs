#!/usr/bin/env node
// `pnpm test:reliability [--quick] [jest args…]`: the load and fault tests, which
// the normal `pnpm test` leaves out (they take minutes). Builds shared and the server, runs
// server/test/reliability/*.reliability.ts with jest, prints the figure lines once more at the end and
// exits non-zero when any invariant was violated. `--quick`: reduced sizes, as CI runs them.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(fileURLToPath(import.meta.url), '..', '..', '..')
const server = join(root, 'server')
const args = process.argv.slice(2)
const quick = args.includes('--quick')
const jestArgs = args.filter((a) => a !== '--quick')
const figures = join(root, '.test-results', 'reliability-figures.txt')
rmSync(figures, { force: true })

function run(label, command, commandArgs, options = {}) {
  console.log(`\n━━ ${label}`)
  return spawnSync(command, commandArgs, { stdio: 'inherit', ...options }).status ?? 1
}

if (run('build shared', 'pnpm', ['--filter', '@mq/shared', 'build'], { cwd: root }) !== 0) process.exit(1)
if (run('build server', 'pnpm', ['--filter', '@mq/server', 'build'], { cwd: root }) !== 0) process.exit(1)

const status = run(
  `reliability tests (${quick ? 'quick' : 'full'})`,
  join(server, 'node_modules', '.bin', 'jest'),
  ['-c', 'test/reliability/jest.config.js', '--runInBand', ...jestArgs],
  {
    cwd: server,
    env: {
      ...process.env,
      MQ_RELIABILITY: quick ? 'quick' : 'full',
      MQ_RELIABILITY_FIGURES: figures,
      MQ_RELIABILITY_BUILT: '1',
    },
  },
)

console.log('\n━━ figures')
const lines = existsSync(figures) ? readFileSync(figures, 'utf8').trim() : ''
console.log(lines || '(none: no test got as far as its figure)')
console.log(
  status === 0 ? '\nreliability: every invariant held' : `\nreliability: FAILED (jest exit ${status})`,
)
process.exit(status === 0 && lines ? 0 : 1)
