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
