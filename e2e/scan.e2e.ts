import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { Browser } from 'playwright-core'
import { launchBrowser, startProduct, type RunningProduct } from './harness'
import { settled } from './ui'

const SHOTS = resolve(__dirname, '..', '.test-results', 'screenshots')
/** UPDATE_SCREENSHOTS=1 writes the 320 px pictures of the scan page to docs/screenshots. */
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS ? resolve(__dirname, '..', 'docs', 'screenshots') : SHOTS

describe('H5: a resident opens a stairwell QR URL in the browser', () => {
  let product: RunningProduct
  let browser: Browser

  beforeAll(async () => {
    product = await startProduct()
    browser = await launchBrowser()
    await mkdir(SHOTS, { recursive: true })
  })
  afterAll(async () => {
    await browser?.close()
    await product?.stop()
  })

  it('lands on the scan page for that unit: the place in words (never the code), the building’s open requests from one call', async () => {
    const [code] = await product.query<{ token: string; unit: string; building: string }>(
      `SELECT q.token, u.name AS unit, b.name AS building
         FROM qr_code q JOIN place u ON u.id = q.unit_id JOIN place b ON b.id = u.parent_id
        WHERE q.revoked_at IS NULL AND b.name = '3幢' AND u.name = '2单元'`,
    )
    // The demo's open request in 3幢, written the way residents write: name, room and phone in it.
    await product.query(
      `UPDATE ticket SET description = '我是王小明，住3-502，电话13912345678，顶楼楼道天花板下雨天渗水，墙皮脱落。'
        WHERE building_id = (SELECT b.id FROM place b WHERE b.name = '3幢' AND b.kind = 'building') AND category = 'leak'`,
    )
    const page = await browser.newPage({ viewport: { width: 375, height: 812 } })
    const openRequestCalls: string[] = []
    page.on('request', (request) => {
      const url = new URL(request.url())
      if (url.pathname === '/api/requests/duplicates') openRequestCalls.push(url.search)
    })
    await page.goto(`${product.baseUrl}/q/${code.token}`)
    await page.waitForURL(/\/pages\/scan\/index\?token=/)
    const place = page.getByTestId('scan-place')
    await place.waitFor({ state: 'visible' })
    const text = (await place.textContent()) ?? ''
    expect(text).toContain('石灰桥新村')
    expect(text).toContain('3幢 · 2单元')
    const item = page.getByTestId('follow-item').first()
    await item.waitFor({ state: 'visible' })
    expect(await item.textContent()).toContain('我是***，住***，电话***，顶楼楼道天花板下雨天渗水')
    expect((await page.getByTestId('scan-building-kinds').textContent())?.replace(/\s+/g, ' ')).toContain('房屋漏水 1 件')
    // Nothing more is on its way: one call listed every category.
    await page.waitForLoadState('networkidle')
    expect(openRequestCalls).toEqual([`?unitToken=${code.token}`])
    // Neither the code's id nor the reporter's words reach the page.
    const html = await page.content()
    for (const value of [code.token, '二维码编号', '王小明', '3-502', '13912345678']) {
      expect({ value, shown: html.includes(value) }).toEqual({ value, shown: false })
    }
    await page.screenshot({ path: join(SHOTS, 'scan-375.png'), fullPage: true })
    await page.close()
  })

  it('switches 长辈模式 from the header, keeps it after a reload, and never scrolls sideways at 320 px', async () => {
    const [code] = await product.query<{ token: string }>(
      `SELECT q.token FROM qr_code q JOIN place u ON u.id = q.unit_id JOIN place b ON b.id = u.parent_id
        WHERE q.revoked_at IS NULL AND b.name = '3幢' AND u.name = '2单元'`,
    )
    const page = await browser.newPage({ viewport: { width: 320, height: 640 } })
    // Taro's H5 page scrolls inside .taro_page: measure that, and the document.
    const overflow = () =>
      page.evaluate(() =>
        Math.max(
          ...[document.documentElement, ...Array.from(document.querySelectorAll<HTMLElement>('.taro_page'))].map(
            (el) => el.scrollWidth - el.clientWidth,
          ),
        ),
      )
    // The whole page, open requests included: the viewport grows to the content.
    const shoot = async (name: string) => {
      await page.getByTestId('follow-item').first().waitFor({ state: 'visible' })
      const height = await page.evaluate(() =>
        Math.max(...Array.from(document.querySelectorAll<HTMLElement>('.taro_page, body')).map((el) => el.scrollHeight)),
      )
      await page.setViewportSize({ width: 320, height: Math.min(8000, Math.max(640, height)) })
      await settled(page)
      await page.screenshot({ path: join(SCREENSHOTS, name) })
      await page.setViewportSize({ width: 320, height: 640 })
    }
    await page.goto(`${product.baseUrl}/q/${code.token}`)
    await page.getByTestId('scan-place').waitFor({ state: 'visible' })
    const toggle = page.getByTestId('elder-toggle')
    const box = await toggle.boundingBox()
    expect(box!.height).toBeGreaterThanOrEqual(44)
    expect(box!.width).toBeGreaterThanOrEqual(44)
    expect(await overflow()).toBeLessThanOrEqual(0)
    await shoot('resident-scan-320.png')

    await toggle.click()
    await page.locator('[data-testid="scan-page"].mq-elder').waitFor({ state: 'visible' })
    expect(await toggle.getAttribute('aria-pressed')).toBe('true')
    expect(await overflow()).toBeLessThanOrEqual(0)
    // Larger type: the place name grows.
    await shoot('resident-scan-elder-320.png')

    await page.reload()
    await page.getByTestId('scan-place').waitFor({ state: 'visible' })
    expect(await page.getByTestId('scan-page').getAttribute('class')).toContain('mq-elder')
    await page.close()
  })

  it('serves the app at / and answers health', async () => {
    const page = await browser.newPage()
    const response = await page.goto(`${product.baseUrl}/`)
    expect(response?.status()).toBe(200)
    expect(await page.title()).toBeTruthy()
    await page.close()
    const health = await fetch(`${product.baseUrl}/api/health`)
    expect(health.status).toBe(200)
  })
})
