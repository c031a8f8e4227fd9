import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchBrowser, startProduct, type RunningProduct } from './harness'
import { api, fileRequest, residentToken, setElder, settled, shown, staffLoginPage, staffToken, type StaffLogin } from './ui'

/**
 * The category suggestion on the report form (H5), against the built server with demo data: typing a
 * description shows up to three chips under it, each a category with the words it comes from; nothing is
 * chosen until the resident taps one (or a category). Photographed at 375 px in the normal look and in
 * 长辈模式 (UPDATE_SCREENSHOTS=1 writes docs/screenshots/suggest/).
 */
const SHOTS = process.env.UPDATE_SCREENSHOTS
  ? resolve(__dirname, '..', 'docs', 'screenshots', 'suggest')
  : resolve(__dirname, '..', '.test-results', 'screenshots', 'suggest')
const PHONE = { width: 375, height: 812 }
const PASSWORD = 'Demo@2026'
const GRID_LEAD: StaffLogin = { phone: '13800000001', password: PASSWORD }
const PROPERTY_MANAGER: StaffLogin = { phone: '13800000008', password: PASSWORD }

describe('H5: the category suggestion on the report form', () => {
  let product: RunningProduct
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let token: string
  let unitId: string

  beforeAll(async () => {
    product = await startProduct()
    browser = await launchBrowser()
    context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' })
    page = await context.newPage()
    await mkdir(SHOTS, { recursive: true })
    const [code] = await product.query<{ token: string; unit_id: string }>(
      `SELECT q.token, q.unit_id FROM qr_code q JOIN place u ON u.id = q.unit_id JOIN place b ON b.id = u.parent_id
        WHERE q.revoked_at IS NULL AND b.name = '3幢' AND u.name = '2单元'`,
    )
    token = code.token
    unitId = code.unit_id
  })
  afterAll(async () => {
    await context?.close()
    await browser?.close()
    await product?.stop()
  })

  it('typing 「楼道里的灯坏了好几天了」 suggests 公共设施报修 with its reason; nothing is chosen until a tap', async () => {
    await page.goto(`${product.baseUrl}/pages/report/index?token=${token}`)
    await shown(page, 'report-categories').waitFor({ state: 'visible' })
    expect(await page.getByTestId('report-suggest').count()).toBe(0)

    await shown(page, 'report-description').locator('textarea').fill('楼道里的灯坏了好几天了')
    const chip = shown(page, 'report-suggest-facilities')
    await chip.waitFor({ state: 'visible' })
    const text = (await chip.textContent()) ?? ''
    expect(text).toContain('公共设施报修')
    expect(text).toContain('（因为：楼道里的灯')
    // The first chip is the best guess; the category grid has nothing chosen yet.
    expect(await page.getByTestId('report-suggest').locator('[role="button"]').first().getAttribute('data-testid')).toBe(
      'report-suggest-facilities',
    )
    expect(await shown(page, 'category-facilities').getAttribute('aria-pressed')).toBe('false')
    // A large target for elderly fingers.
    expect((await chip.boundingBox())!.height).toBeGreaterThanOrEqual(48)

    await chip.click()
    expect(await shown(page, 'category-facilities').getAttribute('aria-pressed')).toBe('true')
    expect(await chip.getAttribute('aria-pressed')).toBe('true')
    await shown(page, 'report-promise').waitFor({ state: 'visible' })
  })

  it('follows the words as they change, and the resident may still choose another category', async () => {
    await shown(page, 'report-description').locator('textarea').fill('楼下饭店的油烟太大了，熏得窗户都不敢开')
    await shown(page, 'report-suggest-shops').waitFor({ state: 'visible' })
    expect(await page.getByTestId('report-suggest-facilities').count()).toBe(0)
    // The resident's earlier choice stands until they change it.
    expect(await shown(page, 'category-facilities').getAttribute('aria-pressed')).toBe('true')
    await shown(page, 'category-neighbor_dispute').click()
    expect(await shown(page, 'category-neighbor_dispute').getAttribute('aria-pressed')).toBe('true')
  })

  it('photographs the form with suggestions at 375 px, normal and 长辈模式', async () => {
    await shown(page, 'report-description').locator('textarea').fill('楼道里的灯坏了好几天了，晚上上楼看不清台阶')
    await shown(page, 'report-suggest-facilities').waitFor({ state: 'visible' })
    for (const elder of [false, true]) {
      await setElder(page, elder)
      await page.setViewportSize(PHONE)
      await settled(page)
      await shown(page, 'report-suggest-facilities').scrollIntoViewIfNeeded()
      await page.evaluate(() => window.scrollBy(0, -120))
      await page.screenshot({ path: join(SHOTS, `report-suggest${elder ? '-elder' : ''}-375.png`) })
    }
    await setElder(page, false)
  })

  it("a category changed by staff moves the next suggestion in the compound (「因为：栅栏」, learned)", async () => {
    const next = '小区后门的铁栅栏被人掰开了一个口子'
    const typeNext = async () => {
      await page.goto(`${product.baseUrl}/pages/report/index?token=${token}`)
      await shown(page, 'report-categories').waitFor({ state: 'visible' })
      await shown(page, 'report-description').locator('textarea').fill(next)
      await page.waitForTimeout(800) // past the typing pause
      const first = page.getByTestId('report-suggest').locator('[role="button"]').first()
      return (await first.count()) === 0 ? null : first
    }
    const before = await typeNext()
    expect(before === null ? null : await before.getAttribute('data-testid')).not.toBe('report-suggest-public_security')

    // A resident files a similar request as 公共设施报修; the property manager accepts it as 治安安全.
    const filed = await fileRequest<{ id: string }>(product.baseUrl, await residentToken(product.baseUrl), {
      unitId,
      category: 'facilities',
      description: '后门铁栅栏被人掰开，晚上有人钻进来',
    })
    const accepted = await api(product.baseUrl, `/api/requests/${filed.id}/accept`, {
      token: await staffToken(product.baseUrl, PROPERTY_MANAGER),
      json: { category: 'public_security' },
    })
    expect(accepted.status).toBe(200)

    const after = await typeNext()
    expect(await after!.getAttribute('data-testid')).toBe('report-suggest-public_security')
    expect(await after!.getAttribute('data-learned')).toBe('true')
    expect(await after!.textContent()).toContain('栅栏')
  })

  it('the staff proxy entry suggests from the words too; a tap chooses', async () => {
    const staff = await context.newPage()
    await staffLoginPage(staff, product.baseUrl, GRID_LEAD, /\/staff\/pages\/home\/index/)
    await staff.goto(`${product.baseUrl}/staff/pages/proxy/index`)
    await shown(staff, 'proxy-form').waitFor({ state: 'visible' })
    await shown(staff, 'proxy-description').locator('textarea').fill('楼道里堆满了纸箱子，还有人推电瓶车上楼充电')
    const chip = shown(staff, 'proxy-suggest-fire_safety')
    await chip.waitFor({ state: 'visible' })
    expect(await chip.textContent()).toContain('消防通道与安全隐患')
    expect(await shown(staff, 'proxy-category-fire_safety').getAttribute('aria-pressed')).toBe('false')
    await chip.click()
    expect(await shown(staff, 'proxy-category-fire_safety').getAttribute('aria-pressed')).toBe('true')
    await staff.close()
  })
})
