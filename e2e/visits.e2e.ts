import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchBrowser, startProduct, type RunningProduct } from './harness'
import { DEMO_STAFF } from './tour'
import { api, field, setElder, settled, shootFullPage, shown, sidewaysOverflow, smallTapTargets, staffLoginPage, staffToken } from './ui'

/**
 * Visits (走访与电话问候) in the browser, against the built server with demo data: the demo 网格长 王丽 sees
 * 「走访到期 3 户」 on her inbox (two overdue, one due today), opens her schedule at 375 px (overdue first),
 * opens 张桂芳's household, logs a visit (上门 · 需关注 · what she found) and, in the same tap, files a
 * request for her: the request exists as a proxy entry for that household (her name, phone, unit and room,
 * channel 上门, 王丽 its contact) and the visit links to it. The schedule and the inbox card move on; the
 * community's metrics page shows the compound's overdue count. 王丽 registers a household from the compound
 * register; a 民警 sees the register with names and phones masked (and nothing of theirs is access-logged).
 * At 320 px nothing scrolls sideways.
 * UPDATE_SCREENSHOTS=1 writes docs/screenshots/visits/.
 */
const SHOTS = process.env.UPDATE_SCREENSHOTS
  ? resolve(__dirname, '..', 'docs', 'screenshots', 'visits')
  : resolve(__dirname, '..', '.test-results', 'screenshots', 'visits')
const PHONE = { width: 375, height: 812 }
const NARROW = { width: 320, height: 640 }
const COMMUNITY = { phone: '13800000011', password: 'Demo@2026' }

describe('H5: a grid worker opens the due list, logs a visit and files a request from it in one step', () => {
  let product: RunningProduct
  let browser: Browser
  let context: BrowserContext
  let page: Page

  beforeAll(async () => {
    product = await startProduct()
    browser = await launchBrowser()
    context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' })
    page = await context.newPage()
    await mkdir(SHOTS, { recursive: true })
  }, 120_000)
  afterAll(async () => {
    await context?.close()
    await browser?.close()
    await product?.stop()
  })

  /** Screenshots of the page shown: 375 and 320 px, normal and 长辈模式. */
  async function shoot(name: string): Promise<void> {
    for (const elder of [false, true]) {
      await setElder(page, elder)
      for (const size of [PHONE, NARROW]) {
        await page.setViewportSize(size)
        await settled(page)
        expect(await sidewaysOverflow(page)).toBe(0)
        await shootFullPage(page, join(SHOTS, `${name}${elder ? '-elder' : ''}-${size.width}.png`))
      }
    }
    await setElder(page, false)
    await page.setViewportSize(PHONE)
    await settled(page)
  }

  it('shows 走访到期 on the inbox and the schedule overdue first', async () => {
    await staffLoginPage(page, product.baseUrl, DEMO_STAFF.gridLead, /staff\/pages\/home/)
    const card = shown(page, 'inbox-visits')
    await card.getByText('走访到期 3 户').waitFor()
    await expect(card.getByText('逾期 2 户 · 今天到期 1 户').count()).resolves.toBe(1)
    await shootFullPage(page, join(SHOTS, 'inbox-card-375.png'))

    await shown(page, 'inbox-visits-open').click()
    await page.waitForURL(/staff\/pages\/visits/)
    await shown(page, 'visit-schedule').waitFor()
    const rows = shown(page, 'visit-row')
    await expect(rows.count()).resolves.toBe(4)
    const states = await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-due')))
    expect(states).toEqual(['overdue', 'overdue', 'due_today', 'upcoming'])
    await expect(shown(page, 'visit-summary').textContent()).resolves.toBe('共4户 · 逾期2户 · 今天到期1户')
    // The 自管小组's household is not on 王丽's list.
    await expect(page.getByText('马秀兰').count()).resolves.toBe(0)
    await shoot('schedule')
  })

  it('logs a visit and files a request from it in one step: a proxy entry for that household', async () => {
    const started = Date.now()
    await shown(page, 'visit-row').filter({ hasText: '张桂芳' }).click()
    await shown(page, 'visit-form').waitFor()
    await expect(shown(page, 'visit-household').getByText('2幢1单元 201').count()).resolves.toBe(1)
    await expect(shown(page, 'visit-call').textContent()).resolves.toBe('拨打 13912345678')
    await shoot('household')

    await shown(page, 'visit-kind-visit').click()
    await shown(page, 'visit-wellbeing-attention').click()
    await field(page, 'visit-needs').fill('卫生间水管漏水，地上积水')
    await shown(page, 'visit-follow-request').click()
    await shown(page, 'visit-category-leak').click()
    await shoot('form-request')
    await shown(page, 'visit-save').click()
    await shown(page, 'visit-done').waitFor()
    const took = Date.now() - started
    expect(took).toBeLessThan(60_000)

    const [visit] = await product.query<{ id: string; ticket_id: string; kind: string; wellbeing: string; needs_found: string }>(
      `SELECT v.id, v.ticket_id, v.kind, v.wellbeing, v.needs_found FROM visit v JOIN visit_household h ON h.id = v.household_id
        WHERE h.people @> '[{"name":"张桂芳"}]' ORDER BY v.at DESC LIMIT 1`,
    )
    expect(visit).toMatchObject({ kind: 'visit', wellbeing: 'attention', needs_found: '卫生间水管漏水，地上积水' })
    const [ticket] = await product.query<Record<string, unknown>>(
      `SELECT t.category, t.description, t.channel, t.proxy_name, t.proxy_phone, t.room, t.reporter_resident_id,
              s.phone AS contact_phone, b.name AS building, u.name AS unit
         FROM ticket t JOIN staff s ON s.id = t.proxy_staff_id JOIN place u ON u.id = t.unit_id JOIN place b ON b.id = u.parent_id
        WHERE t.id = $1`,
      [visit.ticket_id],
    )
    expect(ticket).toEqual({
      category: 'leak',
      description: '卫生间水管漏水，地上积水',
      channel: 'visit',
      proxy_name: '张桂芳',
      proxy_phone: '13912345678',
      room: '201',
      reporter_resident_id: null,
      contact_phone: DEMO_STAFF.gridLead.phone,
      building: '2幢',
      unit: '1单元',
    })
    await shoot('done')

    // The request page opens from the visit.
    const number = (await shown(page, 'visit-done-ticket').textContent())!.replace(/^已代录诉求 (\S+)，查看$/, '$1')
    await shown(page, 'visit-done-ticket').click()
    await page.waitForURL(/staff\/pages\/request/)
    // The visit page stays in the DOM, hidden, with the number on its button: the request page's is the visible one.
    await page.getByText(number).filter({ visible: true }).first().waitFor()
  })

  it('registers a household from the compound register; a 民警 sees the register with names and phones masked', async () => {
    await page.goto(`${product.baseUrl}/staff/pages/visits/index`)
    await shown(page, 'visit-tab-register').click()
    await shown(page, 'visit-new-open').click()
    const form = shown(page, 'visit-new')
    await form.getByText('4幢', { exact: true }).click()
    await form.getByText('2单元', { exact: true }).click()
    await field(page, 'visit-new-room').fill('603')
    await field(page, 'visit-new-name').fill('吴秀珍')
    await field(page, 'visit-new-phone').fill('13912340603')
    await form.getByText('独居老人', { exact: true }).click()
    await form.getByText('每14天', { exact: true }).click()
    await shoot('register-new')
    await shown(page, 'visit-new-save').click()
    const row = shown(page, 'visit-register-row').filter({ hasText: '吴秀珍' })
    await row.waitFor()
    await expect(row.getAttribute('data-access')).resolves.toBe('full')
    await expect(row.textContent()).resolves.toContain('4幢2单元 603 · 走访人 王丽 · 每14天')
    await shoot('register')

    const police = await context.browser()!.newContext({ viewport: PHONE, locale: 'zh-CN' })
    const pp = await police.newPage()
    await staffLoginPage(pp, product.baseUrl, DEMO_STAFF.police, /staff\/pages\/home/)
    // No 走访 card for a role that may not see the people.
    await expect(shown(pp, 'inbox-visits').count()).resolves.toBe(0)
    await pp.goto(`${product.baseUrl}/staff/pages/visits/index`)
    await shown(pp, 'visit-tab-register').click()
    const masked = shown(pp, 'visit-register-row')
    await masked.first().waitFor()
    await expect(masked.count()).resolves.toBe(6)
    for (const access of await masked.evaluateAll((els) => els.map((el) => el.getAttribute('data-access')))) expect(access).toBe('masked')
    const text = (await shown(pp, 'visit-register').textContent()) ?? ''
    expect(text).toContain('吴**')
    expect(text).not.toMatch(/吴秀珍|张桂芳|1391234\d{4}|603/)
    await settled(pp)
    await pp.screenshot({ path: join(SHOTS, 'register-masked-375.png'), fullPage: true })
    // Every full read of the register was logged: 王丽's list just now named 吴秀珍's household.
    const [logged] = await product.query<{ n: string }>(
      `SELECT count(*) AS n FROM access_log a JOIN visit_household h ON h.id = a.household_id
        JOIN staff s ON s.id = a.staff_id WHERE h.people @> '[{"name":"吴秀珍"}]' AND s.phone = $1`,
      [DEMO_STAFF.gridLead.phone],
    )
    expect(Number(logged.n)).toBeGreaterThan(0)
    const [policeLogged] = await product.query<{ n: string }>(
      `SELECT count(*) AS n FROM access_log a JOIN staff s ON s.id = a.staff_id WHERE a.subject = 'household' AND s.phone = $1`,
      [DEMO_STAFF.police.phone],
    )
    expect(Number(policeLogged.n)).toBe(0)
    await police.close()
  })

  it('moves the schedule and the inbox card on; the community sees the overdue count beside its metrics', async () => {
    const token = await staffToken(product.baseUrl, DEMO_STAFF.gridLead)
    const due = await api<{ overdue: number; dueToday: number }>(product.baseUrl, '/api/visits/due', { token })
    expect(due.body).toEqual({ overdue: 1, dueToday: 1 })
    await page.goto(`${product.baseUrl}/staff/pages/home/index`)
    await shown(page, 'inbox-visits').getByText('走访到期 2 户').waitFor()

    const community = await context.browser()!.newContext({ viewport: PHONE, locale: 'zh-CN' })
    const sp = await community.newPage()
    await staffLoginPage(sp, product.baseUrl, COMMUNITY, /staff\/pages\/home/)
    await sp.goto(`${product.baseUrl}/staff/pages/metrics/index`)
    const figures = shown(sp, 'metrics-visits')
    await figures.waitFor()
    await expect(figures.getByText('石灰桥新村').count()).resolves.toBe(1)
    // 王丽's 周永福 household is still overdue; the 自管小组's 马秀兰 is not yet due.
    await expect(figures.getByText('6 户 · 逾期 1 户').count()).resolves.toBe(1)
    await expect(figures.textContent()).resolves.not.toMatch(/张桂芳|周永福|139\d{8}/)
    const taps = await smallTapTargets(sp, 44)
    expect(taps.small.filter((s) => s.includes('visits'))).toEqual([])
    await settled(sp)
    await figures.screenshot({ path: join(SHOTS, 'metrics-figures-375.png') })
    await community.close()
  })
})
