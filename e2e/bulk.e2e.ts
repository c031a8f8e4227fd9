import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchBrowser, startProduct, type RunningProduct } from './harness'
import { api, contentHeight, fileRequest, residentToken, setElder, settled, shown, sidewaysOverflow, staffLoginPage, staffToken } from './ui'

/**
 * 多选 in the staff inbox, in the H5 build against the real server and its demo data: 20 requests come in
 * after 物业 last looked (each marked 新), 物业 ticks them and accepts them at once while one of them was
 * accepted meanwhile by someone else; the report says 19 accepted and names the one refused (已被受理),
 * which stays selected. Screenshots (375 px, normal and 长辈模式) under .test-results/;
 * UPDATE_SCREENSHOTS=1 refreshes the committed ones in docs/screenshots/bulk.
 */
const SHOTS = process.env.UPDATE_SCREENSHOTS
  ? resolve(__dirname, '..', 'docs', 'screenshots', 'bulk')
  : resolve(__dirname, '..', '.test-results', 'screenshots', 'bulk')
const PHONE = { width: 375, height: 812 }
const PROPERTY_MANAGER = { phone: '13800000008', password: 'Demo@2026' }

interface Filed {
  id: string
  number: string
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.setViewportSize(PHONE)
  await settled(page)
  const height = Math.min(6000, Math.max(PHONE.height, await contentHeight(page)))
  await page.setViewportSize({ width: PHONE.width, height })
  await settled(page)
  await page.screenshot({ path: join(SHOTS, `${name}.png`) })
  await page.setViewportSize(PHONE)
}

describe('H5: several requests at once (多选) in the staff inbox', () => {
  let product: RunningProduct
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let staffApi: string
  const filed: Filed[] = []

  beforeAll(async () => {
    product = await startProduct()
    browser = await launchBrowser()
    await mkdir(SHOTS, { recursive: true })
    staffApi = await staffToken(product.baseUrl, PROPERTY_MANAGER)
    context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
    page = await context.newPage()
    // The first look: the device remembers it; nothing is 新 yet.
    await staffLoginPage(page, product.baseUrl, PROPERTY_MANAGER, /\/staff\/pages\/home\/index/)
    await shown(page, 'inbox-list').and(page.locator('[data-loading="false"]')).waitFor({ state: 'visible' })
    expect(await page.locator('[data-testid="inbox-row"][data-new="true"]').count()).toBe(0)
  })
  afterAll(async () => {
    await context?.close()
    await browser?.close()
    await product?.stop()
  })

  it('marks the 20 that came in since the last look as 新', async () => {
    const [unit] = await product.query<{ unit_id: string }>(
      `SELECT q.unit_id FROM qr_code q JOIN place u ON u.id = q.unit_id JOIN place b ON b.id = u.parent_id
        WHERE q.revoked_at IS NULL AND b.name = '2幢' AND u.name = '1单元'`,
    )
    // Several neighbours (a resident files at most 20 an hour).
    for (let r = 0; r < 4; r++) {
      const token = await residentToken(product.baseUrl)
      for (let i = 0; i < 5; i++) {
        const n = r * 5 + i + 1
        filed.push(
          await fileRequest<Filed>(product.baseUrl, token, {
            unitId: unit.unit_id,
            category: 'facilities',
            description: `2幢1单元第${n}户门口的楼道灯不亮了，晚上看不清台阶。`,
          }),
        )
      }
    }
    await page.reload()
    await shown(page, 'inbox-list').and(page.locator('[data-loading="false"]')).waitFor({ state: 'visible' })
    // Every request to accept on screen: the demo's and these 20.
    while ((await shown(page, 'inbox-more').count()) > 0) {
      const before = await shown(page, 'inbox-row').count()
      await shown(page, 'inbox-more').click()
      await page.waitForFunction(
        (n) => document.querySelectorAll('[data-testid="inbox-row"]').length > n,
        before,
      )
    }
    for (const f of filed) {
      expect(await shown(page, 'inbox-row').and(page.locator(`[data-number="${f.number}"]`)).getAttribute('data-new')).toBe(
        'true',
      )
    }
    expect(await shown(page, 'inbox-last-look').textContent()).toMatch(/之后新到 \d+ 件/)
  })

  it('accepts 20 at once; the one accepted meanwhile is refused, named in the report, and stays selected', async () => {
    await shown(page, 'inbox-select').click()
    await shown(page, 'bulk-bar').waitFor({ state: 'visible' })
    for (const f of filed) await shown(page, 'inbox-row').and(page.locator(`[data-number="${f.number}"]`)).click()
    expect(await shown(page, 'bulk-count').textContent()).toBe('已选 20 件')
    expect(
      await page.locator('[data-testid="inbox-row-check"][aria-checked="true"]').filter({ visible: true }).count(),
    ).toBe(20)
    expect(await sidewaysOverflow(page)).toBe(0)
    // A phone's screen of it: the selection bar stays on top while the ticked rows scroll under it.
    const firstTicked = shown(page, 'inbox-row').and(page.locator(`[data-number="${filed[0].number}"]`))
    for (const elder of [false, true]) {
      await setElder(page, elder)
      expect(await sidewaysOverflow(page)).toBe(0)
      await firstTicked.scrollIntoViewIfNeeded()
      await settled(page)
      await page.screenshot({ path: join(SHOTS, `inbox-select-${elder ? 'elder' : 'normal'}-375.png`) })
    }
    await setElder(page, false)

    // Someone else was quicker with one of them.
    const taken = filed[12]
    const quick = await api(product.baseUrl, `/api/requests/${taken.id}/accept`, { token: staffApi, json: {} })
    expect(quick.status).toBe(200)

    await shown(page, 'bulk-accept').click()
    const report = shown(page, 'bulk-report')
    await report.waitFor({ state: 'visible' })
    expect(await report.textContent()).toContain('已受理 19 件；1 件未受理：')
    const refused = shown(page, 'bulk-report-failed')
    expect(await refused.count()).toBe(1)
    expect(await refused.textContent()).toBe(`${taken.number} 已被受理`)
    // The refused one is still selected, the others no longer; once the list has reloaded it is no longer
    // under 待受理 (it was accepted meanwhile), and the count says so.
    await shown(page, 'bulk-count').filter({ hasText: '不在此列表' }).waitFor({ state: 'visible' })
    expect(await shown(page, 'bulk-count').textContent()).toBe('已选 1 件（1 件不在此列表）')

    const states = await product.query<{ number: number; state: string; accepted: string }>(
      `SELECT t.number, t.state,
              (SELECT count(*) FROM ticket_event e WHERE e.ticket_id = t.id AND e.type = 'accepted') AS accepted
         FROM ticket t WHERE t.id = ANY($1::uuid[])`,
      [filed.map((f) => f.id)],
    )
    expect(states).toHaveLength(20)
    expect(states.every((s) => s.state === 'accepted' && Number(s.accepted) === 1)).toBe(true)

    await report.scrollIntoViewIfNeeded()
    await shoot(page, 'report-normal-375')
    await setElder(page, true)
    expect(await sidewaysOverflow(page)).toBe(0)
    await shoot(page, 'report-elder-375')
    await setElder(page, false)
  })
})
