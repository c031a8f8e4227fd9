#!/usr/bin/env node
/**
 * Size of the WeChat mini-program's main package after `taro build --type weapp`: every file under
 * dist/weapp except those under a subpackage root declared in dist/weapp/app.json. WeChat refuses a main
 * package (or subpackage) above 2 MB, so this exits 1 above 2048 KB.
 *
 * Usage: node scripts/weapp-size.mjs [distDir]   (default: miniapp/dist/weapp)
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

const LIMIT_KB = 2048

const distDir = process.argv[2]
  ? resolve(process.argv[2])
  : fileURLToPath(new URL('../dist/weapp/', import.meta.url))

const appJsonPath = join(distDir, 'app.json')
if (!existsSync(appJsonPath)) {
  console.error(`weapp-size: ${appJsonPath} not found; run \`taro build --type weapp\` first`)
  process.exit(1)
}

const appJson = JSON.parse(readFileSync(appJsonPath, 'utf8'))
// WeChat accepts both spellings.
const subpackages = [...(appJson.subPackages ?? []), ...(appJson.subpackages ?? [])]
const roots = subpackages
  .map((pkg) => String(pkg.root ?? '').replace(/^\.?\/+/, '').replace(/\/+$/, ''))
  .filter((root) => root.length > 0)

/** Every file below `dir`, as [path relative to distDir with '/' separators, size in bytes]. */
function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name)
    if (entry.isDirectory()) yield* files(full)
    else if (entry.isFile()) yield [relative(distDir, full).split(sep).join('/'), statSync(full).size]
  }
}

function subpackageOf(path) {
  return roots.find((root) => path === root || path.startsWith(`${root}/`)) ?? null
}

let mainBytes = 0
const subBytes = new Map(roots.map((root) => [root, 0]))
for (const [path, size] of files(distDir)) {
  const root = subpackageOf(path)
  if (root === null) mainBytes += size
  else subBytes.set(root, subBytes.get(root) + size)
}

const kb = (bytes) => (bytes / 1024).toFixed(1)
console.log(`weapp main package: ${kb(mainBytes)} KB`)
for (const [root, bytes] of subBytes) console.log(`weapp subpackage ${root}: ${kb(bytes)} KB`)

// Each subpackage has the same 2 MB cap as the main package.
const over = [['main package', mainBytes], ...[...subBytes].map(([root, bytes]) => [`subpackage ${root}`, bytes])].filter(
  ([, bytes]) => bytes > LIMIT_KB * 1024,
)
for (const [name, bytes] of over) {
  console.error(`weapp-size: ${name} ${kb(bytes)} KB is above WeChat's ${LIMIT_KB} KB limit`)
}
if (over.length > 0) process.exit(1)
