/**
 * End-to-end: the built server (server/dist, or E2E_SERVER_MAIN) on its own embedded PostgreSQL, and the
 * built H5 app (miniapp/dist/h5, or E2E_H5_DIST) driven in headless Chromium (/usr/bin/chromium, via
 * playwright-core). `pnpm test` builds first.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>'],
  testMatch: ['<rootDir>/*.e2e.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }] },
  testTimeout: 120000,
}
