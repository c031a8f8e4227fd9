/**
 * Server tests in three tiers (jest projects; docs/testing.md):
 *  - unit: pure logic, no database;
 *  - medium: one module with a real PostgreSQL. Run in parallel workers, each on its own database cloned
 *    from one migrated template (test/global-setup.ts);
 *  - system: several processes, nginx, fuzzing, the route matrix: every spec under test/.
 * A spec's tier follows from where it lives and what it uses, never from a list of file names: under
 * test/ → system; under src/ and reaching the test database (test/app, test/database, test/factories)
 * → medium; else unit. The PostgreSQL is an embedded one started for the run, or the one DATABASE_URL names (fresh
 * databases are created there and dropped afterwards).
 */
const { readdirSync, readFileSync } = require('node:fs')
const { availableParallelism } = require('node:os')
const { join, relative, sep } = require('node:path')

const ESM_ONLY = ['cookie', 'content-disposition', 'glob', 'minimatch', 'path-scurry', 'lru-cache', 'minipass']

/** What a spec reaching the test database imports or reads. */
const USES_DATABASE = /test\/(app|database|factories)['"]|MQ_TEST_(DATABASE|ADMIN)_URL/

function specs(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : specs(path)
    return entry.name.endsWith('.spec.ts') ? [path] : []
  })
}

function tierOf(path) {
  // Everything under test/ runs the product as a whole (processes, nginx, the route matrix, fuzzing).
  if (relative(__dirname, path).split(sep)[0] === 'test') return 'system'
  return USES_DATABASE.test(readFileSync(path, 'utf8')) ? 'medium' : 'unit'
}

const tiers = { unit: [], medium: [], system: [] }
for (const path of [...specs(join(__dirname, 'src')), ...specs(join(__dirname, 'test'))]) tiers[tierOf(path)].push(path)

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
/** Exactly these files (a regex that matches nothing when there are none). */
const only = (paths) => (paths.length ? `^(${paths.map(escape).join('|')})$` : '^$.')

const common = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  transform: { '^.+\\.(t|j)s$': ['@swc/jest'] },
  // Some dependencies ship ESM only (Node 20 loads them with require(esm); jest cannot): transform those.
  transformIgnorePatterns: [`/node_modules/(?!(\\.pnpm/)?(${ESM_ONLY.join('|')})[@/])`],
}
/** The database and the personal-data scan: started once for a run that includes a tier needing them. */
const database = {
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  setupFiles: ['<rootDir>/test/worker-database.ts'],
}

/** @type {import('jest').Config} */
module.exports = {
  // Parallel workers, one database each: one more than the cores, because the system tests spend much of
  // their time waiting on child processes, nginx and timers (on 2 cores: 3 workers 110 s, 2 workers 125 s,
  // 4 workers 112 s; docs/testing.md).
  maxWorkers: availableParallelism() + 1,
  testTimeout: 30000,
  projects: [
    { ...common, displayName: 'unit', testRegex: only(tiers.unit) },
    { ...common, ...database, displayName: 'medium', testRegex: only(tiers.medium) },
    { ...common, ...database, displayName: 'system', testRegex: only(tiers.system) },
  ],
}
