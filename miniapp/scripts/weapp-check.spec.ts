/**
 * @jest-environment node
 *
 * The offline WeChat build check (weapp-check.mjs), run as CI runs it, on a small mini-program laid out
 * as Taro emits one (pages importing base.wxml, which loads utils.wxs; a component; subpackages),
 * then on copies broken one way each.
 */
import { spawnSync } from 'node:child_process'
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { ALL_PAGES, MAIN_PACKAGE_PAGES, SUBPACKAGES } from '@mq/shared'

const CHECKER = join(__dirname, 'weapp-check.mjs')
const MB = 1024 * 1024

let scratch: string
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'weapp-check-'))
})
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

function write(dir: string, path: string, text: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true })
  writeFileSync(join(dir, path), text)
}

/** A file of `bytes` bytes that takes no disk (the checker reads sizes, not contents). */
function sparse(dir: string, path: string, bytes: number): void {
  write(dir, path, '')
  truncateSync(join(dir, path), Math.round(bytes))
}

/** A mini-program with every page of the shared table, as Taro builds one; `name` is its folder. */
function project(name: string): string {
  const dir = join(scratch, name)
  const app = {
    pages: MAIN_PACKAGE_PAGES,
    subPackages: SUBPACKAGES,
    window: { navigationBarTitleText: '民情二维码' },
    sitemapLocation: 'sitemap.json',
    __usePrivacyCheck__: true,
  }
  write(dir, 'app.json', JSON.stringify(app))
  write(dir, 'app.js', 'App({})')
  write(dir, 'app.wxss', '@import "./common.wxss";\npage { font-size: 36rpx; }')
  write(dir, 'common.wxss', '.mq-button { min-height: 88rpx; color: #1f1f1f; }')
  write(dir, 'sitemap.json', JSON.stringify({ rules: [{ action: 'disallow', page: '*' }] }))
  write(dir, 'utils.wxs', 'module.exports = { label: function (item) { return item.text } }')
  write(
    dir,
    'base.wxml',
    [
      '<wxs module="xs" src="./utils.wxs" />',
      '<template name="taro_tmpl">',
      '  <view wx:for="{{root.cn}}" wx:key="sid"><text>{{xs.label(item)}}</text></view>',
      '</template>',
    ].join('\n'),
  )
  write(dir, 'comp.json', JSON.stringify({ component: true, usingComponents: { comp: './comp' } }))
  write(dir, 'comp.js', 'Component({})')
  write(dir, 'comp.wxml', '<import src="./base.wxml"/>\n<template is="taro_tmpl" data="{{root:i}}" />')
  for (const page of ALL_PAGES) {
    const base = relative(dirname(page), 'base.wxml')
    const comp = relative(dirname(page), 'comp')
    write(dir, `${page}.js`, 'Page({})')
    write(
      dir,
      `${page}.json`,
      JSON.stringify({ navigationBarTitleText: '民情二维码', usingComponents: { comp } }),
    )
    write(dir, `${page}.wxml`, `<import src="${base}"/>\n<template is="taro_tmpl" data="{{root:root}}" />`)
    write(
      dir,
      `${page}.wxss`,
      '.card { padding: 24rpx; border: 1px solid #ddd; }\n.card > .title { font-weight: 700; }',
    )
  }
  return dir
}

function check(dir: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [CHECKER, dir], { encoding: 'utf8' })
  return { status: result.status, output: `${result.stdout}${result.stderr}` }
}

const pages = ALL_PAGES.length

describe('weapp-check', () => {
  it('passes a sound build and says what it compiled and measured', () => {
    const { status, output } = check(project('sound'))
    expect(output).toContain(
      `app.json: ${pages} pages (${MAIN_PACKAGE_PAGES.length} main, ${SUBPACKAGES.length} subpackages: ${SUBPACKAGES.map((p) => p.root).join(', ')})`,
    )
    // Every page's template, base.wxml and the component; utils.wxs; every page's style sheet + 2.
    expect(output).toContain(
      `WXML: ${pages + 2} .wxml and 1 .wxs files compiled by wcc, ${pages} of ${pages} pages rendered: 0 errors`,
    )
    expect(output).toContain(`WXSS: ${pages + 2} .wxss files compiled by wcsc: 0 errors`)
    expect(output).toMatch(
      new RegExp(`size: main package [\\d.]+ KB, ${SUBPACKAGES.map((p) => `subpackage ${p.root} [\\d.]+ KB`).join(', ')}; total`),
    )
    expect(output).toContain('weapp-check: 0 errors')
    expect(status).toBe(0)
  })

  it.each([
    [
      'a WXML syntax error',
      'pages/mine/index.wxml',
      '<view><text>未闭合</view>',
      /wxml: pages\/mine\/index\.wxml:\d+:\d+: expect end-tag `text`/,
    ],
    [
      'a bad WXML expression',
      'staff/pages/home/index.wxml',
      '<view>{{ count + }}</view>',
      /wxml: staff\/pages\/home\/index\.wxml:\d+:\d+: Bad value/,
    ],
    [
      'a WXML import of a missing file',
      'pages/scan/index.wxml',
      '<import src="./gone.wxml"/>',
      /Path `\.\/gone\.wxml` not found from `pages\/scan\/index\.wxml`/,
    ],
    [
      'a WXSS syntax error',
      'pages/report/index.wxss',
      '.a { color: red } }',
      /wxss: pages\/report\/index\.wxss\(\d+:\d+\): error at token `}`/,
    ],
    [
      'a WXSS selector WeChat refuses',
      'admin/pages/places/index.wxss',
      '* { margin: 0 }',
      /wxss: admin\/pages\/places\/index\.wxss\(\d+:\d+\): unexpected token `\*`/,
    ],
    [
      'a WXSS import of a missing file',
      'app.wxss',
      '@import "./gone.wxss";',
      /wxss: path `\.\/gone\.wxss` not found from `app\.wxss`/,
    ],
  ])('fails on %s, naming the file', (_, path, appended, expected) => {
    const dir = project(`broken-${path.replace(/\W/g, '-')}`)
    write(dir, path, `${readFileSync(join(dir, path), 'utf8')}\n${appended}\n`)
    const { status, output } = check(dir)
    expect(output).toMatch(expected)
    expect(output).toMatch(/weapp-check: [1-9]\d* errors?/)
    expect(status).toBe(1)
  })

  it('reports every broken style sheet, not only the first', () => {
    const dir = project('two-bad-styles')
    write(dir, 'pages/scan/index.wxss', '.a > > .b { color: red }')
    write(dir, 'staff/pages/request/index.wxss', '.c { color: red } }')
    const { status, output } = check(dir)
    expect(output).toContain(`WXSS: ${pages + 2} .wxss files compiled by wcsc: 2 errors`)
    expect(output).toMatch(/wxss: pages\/scan\/index\.wxss/)
    expect(output).toMatch(/wxss: staff\/pages\/request\/index\.wxss/)
    expect(status).toBe(1)
  })

  type Breakage = [string, (dir: string, app: Record<string, unknown>) => void, RegExp]
  it.each<Breakage>([
    [
      'a page without its style sheet',
      (dir) => unlinkSync(join(dir, 'pages/detail/index.wxss')),
      /page pages\/detail\/index has no \.wxss/,
    ],
    [
      'a subpackage page without its script',
      (dir) => unlinkSync(join(dir, 'staff/pages/request/index.js')),
      /page staff\/pages\/request\/index has no \.js/,
    ],
    [
      'nested subpackage roots',
      (dir, app) => {
        app.subPackages = [...SUBPACKAGES, { root: 'staff/extra', pages: ['pages/x/index'] }]
        for (const ext of ['.js', '.json', '.wxml', '.wxss'])
          write(dir, `staff/extra/pages/x/index${ext}`, ext === '.json' ? '{}' : '')
      },
      /subpackage roots staff and staff\/extra nest/,
    ],
    ['no sitemap.json', (dir) => unlinkSync(join(dir, 'sitemap.json')), /sitemap\.json: missing/],
    ['the privacy check off', (_, app) => delete app.__usePrivacyCheck__, /__usePrivacyCheck__ is not true/],
    [
      'a page of the shared table missing from app.json',
      (_, app) => (app.pages = MAIN_PACKAGE_PAGES.filter((p) => p !== 'pages/index/index')),
      /page pages\/index\/index of the shared page table is missing/,
    ],
    [
      'a page the shared table does not know',
      (dir, app) => {
        app.pages = [...MAIN_PACKAGE_PAGES, 'pages/request/index']
        for (const ext of ['.js', '.json', '.wxml', '.wxss'])
          write(dir, `pages/request/index${ext}`, ext === '.json' ? '{}' : '')
      },
      /page pages\/request\/index is not in the shared page table/,
    ],
    [
      'a component that is not there',
      (dir) => unlinkSync(join(dir, 'comp.js')),
      /component comp \(\.\.\/\.\.\/comp\) has no \.js/,
    ],
    [
      'a main package above 2 MB',
      (dir) => sparse(dir, 'vendors.js', 2 * MB + 1),
      /size: main package 20\d\d\.\d KB is above WeChat's 2048\.0 KB limit/,
    ],
    [
      'a subpackage above 2 MB',
      (dir) => sparse(dir, 'admin/sub-vendors.js', 2 * MB + 100),
      /size: subpackage admin 20\d\d\.\d KB is above WeChat's 2048\.0 KB limit/,
    ],
    [
      'all packages above 20 MB',
      (dir, app) => {
        const extra = Array.from({ length: 11 }, (_, i) => ({ root: `part${i}`, pages: ['pages/x/index'] }))
        app.subPackages = [...SUBPACKAGES, ...extra]
        for (const { root } of extra) sparse(dir, `${root}/big.js`, 1.9 * MB)
      },
      /size: all packages [\d.]+ KB are above WeChat's 20480\.0 KB limit/,
    ],
  ])('fails on %s', (name, breakIt, expected) => {
    const dir = project(`app-${name.replace(/\W/g, '-')}`)
    const app = JSON.parse(readFileSync(join(dir, 'app.json'), 'utf8')) as Record<string, unknown>
    breakIt(dir, app)
    write(dir, 'app.json', JSON.stringify(app))
    const { status, output } = check(dir)
    expect(output).toMatch(expected)
    expect(status).toBe(1)
  })
})
