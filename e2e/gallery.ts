import { execFileSync } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { isAbsolute, join, resolve } from 'node:path'
import type { Browser } from 'playwright-core'
import { launchBrowser, startProduct, type RunningProduct } from './harness'
import { shootFullPage } from './ui'
import { pickStops, prepareTour, Tour } from './tour'

/**
 * The design gallery: every page of the tour (tour.ts) as a full-page screenshot at 375 px in normal and
 * in 长辈模式, and the admin console's pages at 1280 px too:
 *   <page>-375.png, <page>-elder-375.png, <page>-1280.png, and README.md listing them.
 * Not part of `pnpm test` (it only photographs): run it with `pnpm --filter @mq/e2e gallery`.
 *   GALLERY_OUT   where the pictures go: a name under docs/screenshots/design/ (`before`, `after`, the
 *                 default) or a path;
 *   GALLERY_PAGES stops by name or prefix, comma-separated (default: all);
 *   E2E_SERVER_MAIN, E2E_H5_DIST  the builds to photograph (harness.ts; default: this tree's).
 */
const DESIGN = resolve(__dirname, '..', 'docs', 'screenshots', 'design')
const OUT_NAME = process.env.GALLERY_OUT || 'after'
const OUT = isAbsolute(OUT_NAME)
  ? OUT_NAME
  : OUT_NAME.includes('/')
    ? resolve(OUT_NAME)
    : join(DESIGN, OUT_NAME)
const STOPS = pickStops(process.env.GALLERY_PAGES)

/** The font Chromium falls back to for Chinese on this machine (it changes line breaks and widths). */
function chineseFont(): string {
  try {
    return execFileSync('fc-match', ['sans-serif:lang=zh-cn'], { encoding: 'utf8' }).trim()
  } catch {
    return 'an unknown font (no fc-match)'
  }
}

describe(`design gallery → ${OUT}`, () => {
  let product: RunningProduct
  let browser: Browser
  let tour: Tour
  const rows: string[] = []

  beforeAll(async () => {
    await mkdir(OUT, { recursive: true })
    product = await startProduct()
    browser = await launchBrowser()
    tour = new Tour(browser, product, await prepareTour(product))
  }, 120_000)
  afterAll(async () => {
    await tour?.close()
    await browser?.close()
    await product?.stop()
    if (rows.length > 0) {
      await writeFile(
        join(OUT, 'README.md'),
        [
          '# Design gallery',
          '',
          `Made by \`pnpm --filter @mq/e2e gallery\` (e2e/gallery.ts, pages from e2e/tour.ts) on ${new Date().toISOString().slice(0, 10)}`,
          `from server ${process.env.E2E_SERVER_MAIN ?? 'server/dist/main.js'} and H5 ${process.env.E2E_H5_DIST ?? 'miniapp/dist/h5'}.`,
          'Full pages at 375 px (normal and 长辈模式, set on the device) and, for the admin console, 1280 px.',
          `Chinese text in ${chineseFont()} (what fontconfig gives Chromium here; compare galleries made with the same font).`,
          '',
          '| page | state | session | files |',
          '| --- | --- | --- | --- |',
          ...rows,
          '',
        ].join('\n'),
      )
    }
  })

  it.each(STOPS.map((s) => [s.name, s] as const))('%s', async (_name, stop) => {
    const files: string[] = []
    const shots: { elder: boolean; width: number; file: string }[] = [
      { elder: false, width: 375, file: `${stop.name}-375.png` },
      { elder: true, width: 375, file: `${stop.name}-elder-375.png` },
      ...(stop.wide ? [{ elder: false, width: 1280, file: `${stop.name}-1280.png` }] : []),
    ]
    for (const shot of shots) {
      const page = await tour.visit(stop, { elder: shot.elder, width: shot.width })
      await shootFullPage(page, join(OUT, shot.file))
      files.push(`[${shot.file.replace(`${stop.name}-`, '').replace('.png', '')}](${shot.file})`)
    }
    rows.push(`| \`${stop.page}\` | ${stop.name}: ${stop.about} | ${stop.who} | ${files.join(' ')} |`)
  })
})
