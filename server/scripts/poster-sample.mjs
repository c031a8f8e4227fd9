#!/usr/bin/env node
// Writes docs/poster-sample.png: page 1 of a compound poster PDF (the demo's 石灰桥新村 3幢 2单元),
// rasterised by poppler's pdftoppm, so reviewers can see the print layout and the Chinese text.
// Run on the built server:  cd server && npx tsc -p tsconfig.build.json && node scripts/poster-sample.mjs
// Needs pdftoppm (Debian: apt-get install -y poppler-utils).
import { spawnSync } from 'node:child_process'
import { mkdtemp, rm, writeFile, copyFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const server = resolve(fileURLToPath(import.meta.url), '..', '..')
const { qrUrl, SERVICE_PROMISE } = require('@mq/shared')
const { loadConfig } = require(join(server, 'dist', 'config', 'config.js'))
const { posterFonts } = require(join(server, 'dist', 'posters', 'poster-fonts.js'))
const { posterLayout } = require(join(server, 'dist', 'posters', 'poster-layout.js'))
const { postersPdf } = require(join(server, 'dist', 'posters', 'poster-render.js'))

const DPI = 100
const out = resolve(server, '..', 'docs', 'poster-sample.png')

// The default hotline, and a fixed example token so the committed image does not change from run to run.
const config = loadConfig({ NODE_ENV: 'test', PUBLIC_URL: 'https://mq.example.cn' })
const fonts = await posterFonts()
const drawing = posterLayout(
  {
    compoundName: '石灰桥新村',
    buildingName: '3幢',
    unitName: '2单元',
    url: qrUrl(config.publicUrl, 'Xk3fP9aLq2Rt7vYb'),
    servicePromise: SERVICE_PROMISE,
    hotline: config.hotline,
  },
  fonts.measure,
)
const pdf = await postersPdf([drawing], fonts, '石灰桥新村 二维码海报')

const dir = await mkdtemp(join(tmpdir(), 'mq-poster-sample-'))
try {
  await writeFile(join(dir, 'sample.pdf'), pdf)
  const run = spawnSync('pdftoppm', ['-png', '-r', String(DPI), '-f', '1', '-l', '1', '-singlefile', 'sample.pdf', 'page'], {
    cwd: dir,
    encoding: 'utf8',
  })
  if (run.error || run.status !== 0) {
    console.error(`pdftoppm failed (is poppler-utils installed?): ${run.error?.message ?? run.stderr}`)
    process.exitCode = 1
  } else {
    await copyFile(join(dir, 'page.png'), out)
    console.log(`wrote ${out} (${(pdf.length / 1024).toFixed(0)} KB PDF page at ${DPI} dpi)`)
  }
} finally {
  await rm(dir, { recursive: true, force: true })
}
