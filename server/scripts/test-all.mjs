#!/usr/bin/env node
// `pnpm test`: check the system programs the tests use (installing them where it can), build, then run
// every test tier and print one total.
//   shared unit tests → server unit, medium and system tests (parallel workers, one database each) →
//   mini-app component tests → H5 end-to-end in Chromium (e2e/). Tiers and timings: docs/testing.md.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { preflight } from './preflight.mjs'

const root = resolve(fileURLToPath(import.meta.url), '..', '..', '..')
const results = join(root, '.test-results')
rmSync(results, { recursive: true, force: true })
mkdirSync(results, { recursive: true })

function run(label, command, args, cwd = root) {
  console.log(`\n━━ ${label}`)
  return spawnSync(command, args, { cwd, stdio: 'inherit', env: process.env }).status ?? 1
}

// Stops at once, with one line naming the command to run, when a program is missing and cannot be installed.
if (!preflight()) process.exit(1)

if (run('build', 'pnpm', ['build']) !== 0) process.exit(1)

const suites = [
  { name: 'shared (unit)', cwd: 'shared', args: [] },
  // The unit, medium and system tiers in parallel jest workers (server/jest.config.js), each worker on its
  // own clone of the migrated template database; the system tests start processes of their own.
  { name: 'server unit, medium and system (real PostgreSQL, parallel workers)', cwd: 'server', args: [] },
  { name: 'miniapp (components)', cwd: 'miniapp', args: [] },
  { name: 'H5 end-to-end (headless Chromium)', cwd: 'e2e', args: ['--runInBand'] },
]

let passed = 0
let failed = 0
let broken = false
for (const [i, suite] of suites.entries()) {
  const output = join(results, `${i}.json`)
  const jest = join(root, suite.cwd, 'node_modules', '.bin', 'jest')
  const status = run(suite.name, jest, [...suite.args, '--json', `--outputFile=${output}`], join(root, suite.cwd))
  if (!existsSync(output)) {
    console.error(`${suite.name}: jest wrote no results (exit ${status})`)
    broken = true
    continue
  }
  const summary = JSON.parse(readFileSync(output, 'utf8'))
  passed += summary.numPassedTests
  failed += summary.numFailedTests
  // A suite that fails to load counts no failed test but must still fail the run.
  if (status !== 0 || summary.numFailedTestSuites > 0) broken = true
}

console.log(`\nTests: ${passed} passed, ${failed} failed`)

// The quick benchmark (server/bench, docs/performance.md): fails only when it breaks or a figure is missing
// or not finite, never because a figure is slow (these machines are shared and noisy).
const bench = run('benchmark (quick)', 'pnpm', ['bench', '--quick'])
if (bench !== 0) console.error('benchmark: pnpm bench --quick failed (see above)')

process.exit(broken || bench !== 0 || failed > 0 || passed === 0 ? 1 : 0)
