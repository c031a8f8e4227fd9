#!/usr/bin/env node
/**
 * Checks a WeChat mini-program build (`taro build --type weapp`) offline, for what WeChat DevTools or the
 * upload would refuse:
 *
 * 1. Templates and styles, by WeChat's own compilers (npm `miniprogram-compiler`: the Linux wcc and wcsc).
 *    Every .wxml (with the .wxs modules) and every .wxss is compiled, the project as a whole so that
 *    imports resolve. wcc stops at its first error; wcsc reports each broken file. wcc leaves a missing
 *    `import`/`include` or template to render time, so each page is then rendered once (empty data) and
 *    every other template evaluated, and WeChat's render warnings count as errors.
 * 2. app.json: every page and subpackage page has its .js/.json/.wxml/.wxss, subpackage roots do not nest,
 *    components named in `usingComponents` exist, the pages are exactly those of the shared page table
 *    (`@mq/shared`, which the server's messages name), `sitemap.json` is present and
 *    `__usePrivacyCheck__` is on (privacy APIs wait for the app's onNeedPrivacyAuthorization sheet).
 * 3. Sizes: the main package and each subpackage at most 2 MB, the whole at most 20 MB.
 *
 * Prints the counts and sizes and every error; exits 1 on any error.
 *
 * Usage: node scripts/weapp-check.mjs [distDir]
 *   distDir: the argument (relative to the working directory), else TARO_OUTPUT_ROOT (relative to
 *   miniapp/, as Taro reads it), else miniapp/dist/weapp.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const { wxmlToJs } = require('miniprogram-compiler')
// The package's wxssToJs crashes on a compile error instead of reporting it (it reads the result of a
// failed run); its wcsc runner returns the error, so it is called directly.
const wcsc = require('miniprogram-compiler/src/wcsc')
const { ALL_PAGES } = require('@mq/shared')

const PACKAGE_LIMIT = 2 * 1024 * 1024
const TOTAL_LIMIT = 20 * 1024 * 1024
const PAGE_FILES = ['.js', '.json', '.wxml', '.wxss']
// The compilers write the whole project's output to stdout.
const MAX_BUFFER = 256 * 1024 * 1024

const miniappDir = fileURLToPath(new URL('..', import.meta.url))
const distDir = process.argv[2]
  ? resolve(process.argv[2])
  : resolve(miniappDir, process.env.TARO_OUTPUT_ROOT ?? join('dist', 'weapp'))

/** @type {string[]} */
const errors = []
const fail = (message) => errors.push(message)

/** Every file below `dir` as [path relative to distDir with '/' separators, size in bytes]. */
function files(dir = distDir) {
  const out = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name)
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') out.push(...files(full))
    } else if (entry.isFile()) {
      out.push([relative(distDir, full).split(sep).join('/'), statSync(full).size])
    }
  }
  return out
}

const has = (path) => existsSync(join(distDir, path))
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`
const count = (n, noun) => `${n} ${noun}${n === 1 ? '' : 's'}`

function readJson(path) {
  try {
    return JSON.parse(readFileSync(join(distDir, path), 'utf8'))
  } catch (error) {
    fail(`${path}: ${error.code === 'ENOENT' ? 'missing' : `not JSON (${error.message})`}`)
    return null
  }
}

if (!existsSync(join(distDir, 'app.json'))) {
  console.error(`weapp-check: ${join(distDir, 'app.json')} not found; run \`taro build --type weapp\` first`)
  process.exit(1)
}
console.log(`weapp-check: ${distDir}`)

const all = files()
const withExt = (ext) => all.map(([path]) => path).filter((path) => path.endsWith(ext))
const wxmlFiles = withExt('.wxml')
const wxssFiles = withExt('.wxss')
const wxsFiles = withExt('.wxs')

// ---------------------------------------------------------------------------------------------------
// app.json

const app = readJson('app.json') ?? {}
const mainPages = Array.isArray(app.pages) ? app.pages : []
if (mainPages.length === 0) fail('app.json: no pages')
// WeChat accepts both spellings.
const subpackages = [...(app.subPackages ?? []), ...(app.subpackages ?? [])].map((pkg) => ({
  root: String(pkg.root ?? '')
    .replace(/^\.?\/+/, '')
    .replace(/\/+$/, ''),
  pages: Array.isArray(pkg.pages) ? pkg.pages : [],
}))
const roots = subpackages.map((pkg) => pkg.root)
const under = (path, root) => path === root || path.startsWith(`${root}/`)

for (const [i, pkg] of subpackages.entries()) {
  if (!pkg.root) fail(`app.json: subpackage ${i + 1} has no root`)
  if (pkg.pages.length === 0) fail(`app.json: subpackage ${pkg.root} has no pages`)
  for (const other of subpackages.slice(i + 1)) {
    if (under(pkg.root, other.root) || under(other.root, pkg.root)) {
      fail(
        `app.json: subpackage roots ${pkg.root} and ${other.root} nest (WeChat refuses a root inside another)`,
      )
    }
  }
  for (const page of mainPages) {
    if (under(page, pkg.root))
      fail(`app.json: main-package page ${page} lies under subpackage root ${pkg.root}`)
  }
}

const pages = [...mainPages, ...subpackages.flatMap((pkg) => pkg.pages.map((page) => `${pkg.root}/${page}`))]
for (const page of pages) {
  const missing = PAGE_FILES.filter((ext) => !has(`${page}${ext}`))
  if (missing.length > 0) fail(`app.json: page ${page} has no ${missing.join(', ')}`)
}
const duplicates = pages.filter((page, i) => pages.indexOf(page) !== i)
if (duplicates.length > 0) fail(`app.json: pages listed twice: ${duplicates.join(', ')}`)

// The shared page table names the pages the server links to; app.json must hold exactly those.
for (const page of ALL_PAGES) {
  if (!pages.includes(page)) fail(`app.json: page ${page} of the shared page table is missing`)
}
for (const page of pages) {
  if (!ALL_PAGES.includes(page))
    fail(`app.json: page ${page} is not in the shared page table (shared/src/pages.ts)`)
}

const sitemapPath =
  typeof app.sitemapLocation === 'string' ? app.sitemapLocation.replace(/^\/+/, '') : 'sitemap.json'
const sitemap = readJson(sitemapPath)
if (sitemap && !Array.isArray(sitemap.rules)) fail(`${sitemapPath}: no rules`)
if (app.__usePrivacyCheck__ !== true) {
  fail(
    'app.json: __usePrivacyCheck__ is not true (privacy APIs would not wait for onNeedPrivacyAuthorization)',
  )
}

// Components: every `usingComponents` entry of a page or component resolves to a component.
let components = 0
for (const path of withExt('.json')) {
  if (path === 'app.json' || path === sitemapPath || path === 'project.config.json') continue
  const json = readJson(path)
  const using = json?.usingComponents ?? {}
  const dir = path.split('/').slice(0, -1).join('/')
  for (const [name, target] of Object.entries(using)) {
    if (typeof target !== 'string' || target.startsWith('plugin://')) continue
    components++
    const base = target.startsWith('/')
      ? target.slice(1)
      : relative(distDir, resolve(distDir, dir, target))
          .split(sep)
          .join('/')
    const missing = ['.js', '.json', '.wxml'].filter((ext) => !has(`${base}${ext}`))
    if (missing.length > 0) fail(`${path}: component ${name} (${target}) has no ${missing.join(', ')}`)
  }
}

console.log(
  `  app.json: ${pages.length} pages (${mainPages.length} main, ${subpackages.length} subpackages: ${roots.join(', ')}), ` +
    `${components} component references, sitemap ${sitemapPath}, __usePrivacyCheck__ ${app.__usePrivacyCheck__ === true}`,
)

// ---------------------------------------------------------------------------------------------------
// WXML: wcc over the whole project, then each template evaluated and each page rendered once.

const wxmlErrors = errors.length
let rendered = 0
try {
  const code = wxmlToJs(distDir, { wxmlList: wxmlFiles, wxsList: wxsFiles, maxBuffer: MAX_BUFFER })
  // The generated code expects a browser-like global.
  globalThis.window = globalThis
  const gwx = new Function('global', code)({})
  const warn = console.warn
  for (const path of wxmlFiles) {
    const page = pages.includes(path.slice(0, -'.wxml'.length))
    const warnings = []
    console.warn = (...args) => warnings.push(args.map(String).join(' '))
    try {
      const render = gwx(path)
      if (typeof render !== 'function') {
        fail(`wxml: ${path} was not compiled`)
        continue
      }
      // Taro's page templates render from `root`; other templates need data of their own, so only
      // their imports are judged (a missing file), not templates chosen by data.
      render({ root: { cn: [] } }, {}, {})
      if (page) rendered++
    } catch (error) {
      fail(`wxml: ${path}: rendering threw ${error instanceof Error ? error.message : String(error)}`)
    } finally {
      console.warn = warn
    }
    for (const warning of warnings) {
      if (!warning.includes('WXMLRT')) continue
      if (page || /Path `[^`]*` not found/.test(warning))
        fail(`wxml: ${warning.replace(/^WXMLRT_\$gwx:/, '')}`)
    }
  }
} catch (error) {
  const message = error instanceof Error ? error.message : String(error)
  fail(`wxml: ${message.replace(/^编译 \.wxml 文件错误：/, '').trim()}`)
}
console.log(
  `  WXML: ${wxmlFiles.length} .wxml and ${wxsFiles.length} .wxs files compiled by wcc, ${rendered} of ${pages.length} pages rendered: ` +
    count(errors.length - wxmlErrors, 'error'),
)

// ---------------------------------------------------------------------------------------------------
// WXSS: wcsc over the whole project.

const wxssErrors = errors.length
const result = wcsc(
  distDir,
  wxssFiles.map((path) => path.slice(0, -'.wxss'.length)),
  { maxBuffer: MAX_BUFFER },
)
if (result instanceof Error) {
  const text = result.message.replace(/^编译 \.wxss 文件错误：/, '')
  const lines = text
    .split('\n')
    .map((line) => line.replace(/^ERR:\s*/, '').trim())
    .filter((line) => line && !/^error file count/.test(line))
  for (const line of lines.length > 0 ? lines : ['wcsc failed without a message']) fail(`wxss: ${line}`)
} else {
  for (const [key, value] of Object.entries(result)) {
    if (/(^|\\n|\n)ERR:/.test(value)) fail(`wxss: ${key}: ${value.slice(0, 300)}`)
  }
  // Every page's and component's style sheet comes out on its own (the rest are imported into them).
  for (const path of wxssFiles) {
    const owner = path.slice(0, -'.wxss'.length)
    if (has(`${owner}.json`) && !(path in result)) fail(`wxss: ${path} produced no output`)
  }
}
console.log(
  `  WXSS: ${wxssFiles.length} .wxss files compiled by wcsc: ${count(errors.length - wxssErrors, 'error')}`,
)

// ---------------------------------------------------------------------------------------------------
// Sizes

let mainBytes = 0
let totalBytes = 0
const subBytes = new Map(roots.map((root) => [root, 0]))
for (const [path, size] of all) {
  totalBytes += size
  const root = roots.find((r) => under(path, r))
  if (root === undefined) mainBytes += size
  else subBytes.set(root, subBytes.get(root) + size)
}
const sizes = [
  ['main package', mainBytes],
  ...[...subBytes].map(([root, bytes]) => [`subpackage ${root}`, bytes]),
]
console.log(
  `  size: ${sizes.map(([name, bytes]) => `${name} ${kb(bytes)}`).join(', ')}; total ${kb(totalBytes)} ` +
    `(limits ${kb(PACKAGE_LIMIT)} each, ${kb(TOTAL_LIMIT)} in all)`,
)
for (const [name, bytes] of sizes) {
  if (bytes > PACKAGE_LIMIT) fail(`size: ${name} ${kb(bytes)} is above WeChat's ${kb(PACKAGE_LIMIT)} limit`)
}
if (totalBytes > TOTAL_LIMIT)
  fail(`size: all packages ${kb(totalBytes)} are above WeChat's ${kb(TOTAL_LIMIT)} limit`)

// ---------------------------------------------------------------------------------------------------

for (const error of errors) console.error(`  ✗ ${error}`)
console.log(`weapp-check: ${count(errors.length, 'error')}`)
process.exit(errors.length > 0 ? 1 : 0)
