/**
 * End-to-end: the built server (server/dist) on its own embedded PostgreSQL, and the built H5 app
 * (dist/h5) driven in headless Chromium (/usr/bin/chromium, via playwright-core). `pnpm test` builds first.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/e2e'],
  testMatch: ['<rootDir>/e2e/**/*.e2e.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }] },
  testTimeout: 120000,
}
