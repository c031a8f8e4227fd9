import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'

const SERVER = resolve(__dirname, '..', '..')
/** The built server, as a deployment runs it. */
export const DIST = join(SERVER, 'dist')

function newest(dir: string, keep: (file: string) => boolean): number {
  let latest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) latest = Math.max(latest, newest(path, keep))
    else if (keep(entry.name)) latest = Math.max(latest, statSync(path).mtimeMs)
  }
  return latest
}

/**
 * These tests run the built server in child processes: build it when a source file is newer than the
 * build (an incremental tsc, as `pnpm build` runs it), so they never test yesterday's code.
 */
export function ensureBuilt(): void {
  const src = newest(join(SERVER, 'src'), (f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))
  const built = existsSync(join(DIST, 'main.js')) ? newest(DIST, (f) => f.endsWith('.js')) : 0
  if (built >= src) return
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: SERVER,
    stdio: 'inherit',
  })
}
