#!/usr/bin/env node
// The system programs the tests use, checked (and installed where possible) before anything is built:
//   Chromium (the browser tests), a CJK font (legible screenshots of the Chinese UI), poppler-utils
//   (pdftoppm renders poster PDFs for a second opinion on the QR codes), nginx (several server instances
//   behind it), PostgreSQL's client programs and server binaries (the backup test: pg_dump must be as new
//   as the server it dumps; the embedded PostgreSQL ships none, so the test dumps a PostgreSQL of Debian's
//   binaries or the one DATABASE_URL names).
// As root on Debian/Ubuntu the missing packages are installed with apt-get; otherwise the run stops at
// once with one line naming the command to run. `node server/scripts/preflight.mjs --check` only checks.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { pathToFileURL } from 'node:url'

function onPath(command) {
  const dirs = (process.env.PATH ?? '').split(delimiter).concat(['/usr/sbin', '/usr/local/sbin', '/sbin'])
  return dirs.some((dir) => dir && existsSync(join(dir, command)))
}

function cjkFont() {
  const result = spawnSync('fc-list', [], { encoding: 'utf8' })
  return result.status === 0 && /wenquanyi|wqy/i.test(result.stdout)
}

function postgresServerBinaries() {
  const root = '/usr/lib/postgresql'
  return existsSync(root) && readdirSync(root).some((version) => existsSync(join(root, version, 'bin', 'initdb')))
}

/** What the tests need, each with the Debian package that provides it. */
export const PREREQUISITES = [
  { what: 'Chromium', package: 'chromium', present: () => !!process.env.CHROMIUM_PATH || onPath('chromium') },
  { what: 'a CJK font', package: 'fonts-wqy-microhei', present: cjkFont },
  { what: 'pdftoppm', package: 'poppler-utils', present: () => onPath('pdftoppm') },
  { what: 'nginx', package: 'nginx-light', present: () => onPath('nginx') },
  { what: 'pg_dump', package: 'postgresql-client', present: () => onPath('pg_dump') },
  { what: 'PostgreSQL server binaries', package: 'postgresql', present: postgresServerBinaries },
]

export function missingPackages() {
  return PREREQUISITES.filter((p) => !p.present()).map((p) => p.package)
}

function apt(args) {
  const result = spawnSync('apt-get', args, {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  })
  return result.status === 0
}

/** Returns true when everything is there (after installing what was missing, where it could). */
export function preflight({ install = true } = {}) {
  const missing = missingPackages()
  if (missing.length === 0) return true
  const command = `apt-get update && apt-get install -y ${missing.join(' ')}`
  const root = process.getuid?.() === 0
  if (install && root && onPath('apt-get')) {
    console.log(`preflight: installing ${missing.join(' ')} (Debian packages the tests use)`)
    if (apt(['update', '-qq']) && apt(['install', '-y', '-qq', ...missing]) && missingPackages().length === 0) return true
    console.error(`preflight: installing failed; run as root: ${command}`)
    return false
  }
  const exact = !onPath('apt-get')
    ? `install them with the system's package manager (Debian: ${command})`
    : root
      ? command
      : `sudo sh -c '${command}'`
  console.error(`preflight: the tests need ${missing.join(', ')}; run first: ${exact}`)
  return false
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exit(preflight({ install: !process.argv.includes('--check') }) ? 0 : 1)
}
