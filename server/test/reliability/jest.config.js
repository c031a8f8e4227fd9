/**
 * The reliability tests (responses lost after commit, PostgreSQL restarted under
 * load, kill -9 mid-load and mid-timer-batch). Long-running, so not part of the normal server suite:
 * their files end in `.reliability.ts`, which the server's jest.config.js (`.spec.ts`) never picks up.
 * Run them with `pnpm test:reliability` (full) or `pnpm test:reliability --quick` (CI sizes).
 */
const { projects } = require('../../jest.config.js')
// The medium tier's setup (transform, the run's database and its per-worker clones), other files.
const { displayName: _tier, testRegex: _files, ...medium } = projects.find((p) => p.displayName === 'medium')

/** @type {import('jest').Config} */
module.exports = {
  ...medium,
  rootDir: '../..',
  roots: ['<rootDir>/test/reliability'],
  testRegex: '\\.reliability\\.ts$',
  testTimeout: 30 * 60 * 1000,
}
