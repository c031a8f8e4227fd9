/**
 * Server tests talk to a real PostgreSQL: an embedded one started for the run (test/global-setup.ts),
 * or the one DATABASE_URL names (a fresh database is created there and dropped afterwards).
 */
const ESM_ONLY = ['cookie', 'content-disposition', 'glob', 'minimatch', 'path-scurry', 'lru-cache', 'minipass']

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testRegex: '\\.spec\\.ts$',
  transform: { '^.+\\.(t|j)s$': ['@swc/jest'] },
  // Some dependencies ship ESM only (Node 20 loads them with require(esm); jest cannot): transform those.
  transformIgnorePatterns: [`/node_modules/(?!(\\.pnpm/)?(${ESM_ONLY.join('|')})[@/])`],
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 30000,
}
