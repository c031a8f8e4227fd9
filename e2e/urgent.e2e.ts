import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchBrowser, startProduct, type RunningProduct } from './harness'
import { setElder, settled, shown, sidewaysOverflow, smallTapTargets } from './ui'

/**
 * The urgent lane in the browser (H5), against the built server with demo data: words that signal danger
 * (the defaults, or a word the compound added) show the emergency sheet over the report form, with
 * 119/110/120, the compound's 物业 24-hour line and its service line as tel: links;
 * filing anyway makes the request urgent (the server's decision: the flag, a 30-minute acceptance, the
 * handler and the compound secretary queued at once) and the resident's list tags it 紧急. The sheet is
 * photographed at 375 px in the normal look and in 长辈模式 (UPDATE_SCREENSHOTS=1 writes
 * docs/screenshots/urgent/).
 */
const SHOTS = process.env.UPDATE_SCREENSHOTS
  ? resolve(__dirname, '..', 'docs', 'screenshots', 'urgent')
  : resolve(__dirname, '..', '.test-results', 'screenshots', 'urgent')
const PHONE = { width: 375, height: 812 }
const NARROW = { width: 320, height: 640 }

describe('H5: the emergency sheet and an urgent request', () => {
  let product: RunningProduct
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let token: string

  beforeAll(async () => {
    product = await startProduct({ HOTLINE: '0571-87000000' })
    browser = await launchBrowser()
    context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' })
    page = await context.newPage()
    await mkdir(SHOTS, { recursive: true })
    const [code] = await product.query<{ token: string }>(
      `SELECT q.token FROM qr_code q JOIN place u ON u.id = q.unit_id JOIN place b ON b.id = u.parent_id
        WHERE q.revoked_at IS NULL AND b.name = '3幢' AND u.name = '2单元'`,
    )
    token = code.token
    // The compound's own danger word and its 物业 24-hour line, as an admin sets them on 时限设置.
    await product.query(
      `INSERT INTO urgent_list (place_id, add_words, property_phone, updated_at)
       SELECT b.parent_id, '["井盖掉了"]'::jsonb, '0571-88886666', now() FROM qr_code q
         JOIN place u ON u.id = q.unit_id JOIN place b ON b.id = u.parent_id WHERE q.token = $1`,
      [token],
    )
  })
  afterAll(async () => {
    await context?.close()
    await browser?.close()
    await product?.stop()
  })

  it('an ordinary report shows no sheet', async () => {
    await page.goto(`${product.baseUrl}/pages/report/index?token=${token}`)
    await shown(page, 'report-categories').waitFor({ state: 'visible' })
    await shown(page, 'category-facilities').click()
    await shown(page, 'report-description').locator('textarea').fill('楼道灯坏了，晚上看不清台阶')
    await shown(page, 'report-promise').waitFor({ state: 'visible' })
    expect(await page.getByTestId('emergency-sheet').count()).toBe(0)
  })

  it('danger words show the emergency numbers first, each a tel: link', async () => {
    await shown(page, 'report-description').locator('textarea').fill('2号电梯困人了，里面有一位老人，按警铃没人应')
    const sheet = shown(page, 'emergency-sheet')
    await sheet.waitFor({ state: 'visible' })
    expect(await sheet.textContent()).toContain('您提到「电梯困人」')
    const links = page.locator('a[data-testid="emergency-call"]')
    expect(await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual([
      'tel:119',
      'tel:110',
      'tel:120',
      'tel:0571-88886666',
      'tel:0571-87000000',
    ])
    expect(await sheet.textContent()).toContain('物业24小时电话')
    for (const elder of [false, true]) {
      if (elder) {
        // The sheet covers the page (the 长辈模式 switch too): close it, switch, and open it again.
        await shown(page, 'emergency-continue').click()
        await setElder(page, true)
        await shown(page, 'report-urgent-numbers').click()
      }
      await page.setViewportSize(PHONE)
      await settled(page)
      await sheet.waitFor({ state: 'visible' })
      await page.screenshot({ path: join(SHOTS, `emergency-sheet${elder ? '-elder' : ''}-375.png`) })
      // Each number is a whole tap target: 52 px (60 px in 长辈模式), the page's main action size.
      const heights = await links.evaluateAll((as) => as.map((a) => a.getBoundingClientRect().height))
      expect(Math.min(...heights)).toBeGreaterThanOrEqual(elder ? 60 : 52)
      await page.setViewportSize(NARROW)
      await settled(page)
      expect({ elder, overflow: await sidewaysOverflow(page) }).toEqual({ elder, overflow: 0 })
      expect({ elder, small: (await smallTapTargets(page, elder ? 48 : 44)).small }).toEqual({ elder, small: [] })
    }
    await page.setViewportSize(PHONE)
    await shown(page, 'emergency-continue').click()
    await setElder(page, false)
    await shown(page, 'report-urgent-numbers').click()
  })

  it('filing anyway makes the request urgent: 30-minute acceptance, handler and secretary told at once, tagged 紧急', async () => {
    await shown(page, 'emergency-continue').click()
    await shown(page, 'report-urgent').waitFor({ state: 'visible' })
    expect(await page.getByTestId('emergency-sheet').count()).toBe(0)
    const before = Date.now()
    await shown(page, 'report-submit').click()
    await page.waitForURL(/\/pages\/detail\/index\?id=.*&filed=1/)
    const id = new URL(page.url()).searchParams.get('id')!
    const [row] = await product.query<{ urgent: boolean; accept_by: Date; created_at: Date }>(
      'SELECT urgent, accept_by, created_at FROM ticket WHERE id = $1',
      [id],
    )
    expect(row.urgent).toBe(true)
    expect(row.accept_by.getTime() - row.created_at.getTime()).toBe(30 * 60_000)
    expect(row.created_at.getTime()).toBeGreaterThanOrEqual(before - 5_000)
    const told = await product.query<{ role: string; as: string }>(
      `SELECT m.role, n.payload->>'as' AS as FROM notification_outbox n
         JOIN membership m ON m.staff_id = n.recipient_id
        WHERE n.ticket_id = $1 AND n.recipient_kind = 'staff' AND n.type = 'assigned' AND n.payload->>'urgent' = 'true'
        ORDER BY n.id`,
      [id],
    )
    expect(told.map((t) => t.as)).toEqual(['handler', 'supervisor'])
    expect(told[1].role).toBe('compound_secretary')

    await page.goto(`${product.baseUrl}/pages/mine/index`)
    const card = page.locator(`[data-testid="mine-item"][data-id="${id}"]`).filter({ visible: true })
    await card.waitFor({ state: 'visible' })
    expect(await card.getByTestId('request-urgent').textContent()).toBe('紧急')
  })

  it("a word only the compound added brings up the sheet, with the property's 24-hour line to tap", async () => {
    await page.goto(`${product.baseUrl}/pages/report/index?token=${token}`)
    await shown(page, 'report-categories').waitFor({ state: 'visible' })
    await shown(page, 'category-facilities').click()
    await shown(page, 'report-description').locator('textarea').fill('5幢门口的井盖掉了，晚上有人会踩空')
    const sheet = shown(page, 'emergency-sheet')
    await sheet.waitFor({ state: 'visible' })
    expect(await sheet.textContent()).toContain('您提到「井盖掉了」')
    const line = page.locator('a[data-testid="emergency-call"][data-number="0571-88886666"]')
    expect(await line.getAttribute('href')).toBe('tel:0571-88886666')
    expect(await line.textContent()).toContain('物业24小时电话')
    await shown(page, 'emergency-continue').click()
    await shown(page, 'report-submit').click()
    await page.waitForURL(/\/pages\/detail\/index\?id=.*&filed=1/)
    const id = new URL(page.url()).searchParams.get('id')!
    const [row] = await product.query<{ urgent: boolean }>('SELECT urgent FROM ticket WHERE id = $1', [id])
    expect(row.urgent).toBe(true)
  })
})
