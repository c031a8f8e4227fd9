import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { Browser } from 'playwright-core'
import { launchBrowser, startProduct, type RunningProduct } from './harness'

const SHOTS = resolve(__dirname, '..', '..', '.test-results', 'screenshots')

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

  it('lands on the scan page for that unit, showing its token and place', async () => {
    const [code] = await product.query<{ token: string; unit: string; building: string }>(
      `SELECT q.token, u.name AS unit, b.name AS building
         FROM qr_code q JOIN place u ON u.id = q.unit_id JOIN place b ON b.id = u.parent_id
        WHERE q.revoked_at IS NULL AND b.name = '3幢' AND u.name = '2单元'`,
    )
    const page = await browser.newPage({ viewport: { width: 375, height: 812 } })
    await page.goto(`${product.baseUrl}/q/${code.token}`)
    await page.waitForURL(/\/pages\/scan\/index\?token=/)
    const token = page.getByTestId('scan-token')
    await token.waitFor({ state: 'visible' })
    expect(await token.textContent()).toContain(code.token)
    const place = page.getByTestId('scan-place')
    await place.waitFor({ state: 'visible' })
    const text = (await place.textContent()) ?? ''
    expect(text).toContain('石灰桥新村')
    expect(text).toContain('3幢')
    expect(text).toContain('2单元')
    await page.screenshot({ path: join(SHOTS, 'scan-375.png'), fullPage: true })
    await page.close()
  })

  it('switches 长辈模式 from the header, keeps it after a reload, and never scrolls sideways at 320 px', async () => {
    const [code] = await product.query<{ token: string }>(`SELECT token FROM qr_code WHERE revoked_at IS NULL LIMIT 1`)
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
    await page.goto(`${product.baseUrl}/q/${code.token}`)
    await page.getByTestId('scan-place').waitFor({ state: 'visible' })
    const toggle = page.getByTestId('elder-toggle')
    const box = await toggle.boundingBox()
    expect(box!.height).toBeGreaterThanOrEqual(44)
    expect(box!.width).toBeGreaterThanOrEqual(44)
    expect(await overflow()).toBeLessThanOrEqual(0)
    await page.screenshot({ path: join(SHOTS, 'scan-320.png'), fullPage: true })

    await toggle.click()
    await page.locator('[data-testid="scan-page"].mq-elder').waitFor({ state: 'visible' })
    expect(await toggle.getAttribute('aria-pressed')).toBe('true')
    expect(await overflow()).toBeLessThanOrEqual(0)
    // Larger type: the place name grows.
    await page.screenshot({ path: join(SHOTS, 'scan-elder-320.png'), fullPage: true })

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
