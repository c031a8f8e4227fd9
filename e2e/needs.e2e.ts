import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { launchBrowser, startProduct, type RunningProduct } from './harness'
import { DEMO_STAFF } from './tour'
import { api, field, setElder, settled, shootFullPage, shown, sidewaysOverflow, smallTapTargets, staffLoginPage, staffToken, until } from './ui'

/**
 * Residents' needs (居民需求清单) in the browser, against the built server with demo data: a resident scans
 * the code of 1幢, opens 「提个需求」 from the scan page and proposes a need with their room; a neighbour of
 * 2幢 supports it (+1), and another account of that same flat taps +1 too without counting twice; the
 * 网格长 plans it on the staff needs page (已列入计划) and the public board shows it with its support count
 * and no room. The 网格长 also turns the demo's 生活需求与助老 request into a need on its request page.
 * UPDATE_SCREENSHOTS=1 writes docs/screenshots/needs/ (375 and 320 px, normal and 长辈模式).
 */
const SHOTS = process.env.UPDATE_SCREENSHOTS
  ? resolve(__dirname, '..', 'docs', 'screenshots', 'needs')
  : resolve(__dirname, '..', '.test-results', 'screenshots', 'needs')
const PHONE = { width: 375, height: 812 }
const NARROW = { width: 320, height: 640 }
const TITLE = '楼下增设电动自行车充电桩'

/** The shown page at 375 and 320 px, normal and 长辈模式: it fits sideways, and every button is a thumb's size. */
async function shootAllWays(page: Page, name: string): Promise<void> {
  for (const [size, viewport] of [['375', PHONE], ['320', NARROW]] as const) {
    await page.setViewportSize(viewport)
    for (const elder of [false, true]) {
      await setElder(page, elder)
      await settled(page)
      expect({ name, size, elder, overflow: await sidewaysOverflow(page) }).toEqual({ name, size, elder, overflow: 0 })
      const { small } = await smallTapTargets(page, 44)
      expect({ name, size, elder, small }).toEqual({ name, size, elder, small: [] })
      await shootFullPage(page, join(SHOTS, `${name}-${size}${elder ? '-elder' : ''}.png`))
    }
  }
  await setElder(page, false)
  await page.setViewportSize(PHONE)
}

describe('H5: a need proposed from the scan page, supported once per household, planned and shown on the board', () => {
  let product: RunningProduct
  let browser: Browser
  let codes: { token: string; building: string; compound_id: string }[]
  let needId: string

  beforeAll(async () => {
    product = await startProduct()
    browser = await launchBrowser()
    await mkdir(SHOTS, { recursive: true })
    codes = await product.query<{ token: string; building: string; compound_id: string }>(
      `SELECT q.token, b.name AS building, b.parent_id AS compound_id FROM qr_code q
         JOIN place u ON u.id = q.unit_id JOIN place b ON b.id = u.parent_id
        WHERE q.revoked_at IS NULL AND u.sort_order = 1 AND b.name IN ('1幢', '2幢') ORDER BY b.name`,
    )
    expect(codes.map((c) => c.building)).toEqual(['1幢', '2幢'])
  })
  afterAll(async () => {
    await browser?.close()
    await product?.stop()
  })

  /** A resident on their own phone (a new device): the scan page of `code`, then 「提个需求 · 看看大家的需求」. */
  async function residentOnNeeds(code: { token: string }): Promise<Page> {
    const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' })
    const page = await context.newPage()
    await page.goto(`${product.baseUrl}/q/${code.token}`)
    await page.waitForURL(/\/pages\/scan\/index\?token=/)
    await shown(page, 'scan-needs-open').click()
    await page.waitForURL(/\/pages\/needs\/index\?/)
    await shown(page, 'needs-compound').waitFor({ state: 'visible' })
    return page
  }

  it('lets a resident propose a need from the scan page; their household counts as its first support', async () => {
    const page = await residentOnNeeds(codes[0])
    // The demo compound's needs are listed with their statuses and counts.
    await expect(shown(page, 'needs-compound').textContent()).resolves.toBe('石灰桥新村居民需求')
    await shown(page, 'need-item').filter({ hasText: '老年食堂助餐点' }).waitFor({ state: 'visible' })
    await shootAllWays(page, 'needs-list')

    await field(page, 'needs-room').fill('502')
    await shown(page, 'needs-propose').click()
    await field(page, 'need-form-title').fill(TITLE)
    await field(page, 'need-form-description').fill('我住502，楼下没有地方充电，很多人把电瓶车推上楼，很危险。')
    await shootAllWays(page, 'needs-propose')
    await shown(page, 'need-form-submit').click()
    await shown(page, 'needs-notice').waitFor({ state: 'visible' })
    const mine = shown(page, 'need-item').filter({ hasText: TITLE })
    await expect(mine.getByTestId('need-count').textContent()).resolves.toBe('1 户支持')
    await expect(mine.getByTestId('need-status').textContent()).resolves.toBe('征集中')
    await mine.getByTestId('need-supported').waitFor({ state: 'visible' })
    needId = (await mine.getAttribute('data-need-id'))!
    // The room typed into the text is not public.
    await expect(mine.textContent()).resolves.not.toContain('502')
    await page.context().close()
  })

  it('counts a neighbour’s +1 once per household: another account of the same flat adds nothing', async () => {
    const neighbour = await residentOnNeeds(codes[1])
    await field(neighbour, 'needs-room').fill('301')
    const item = shown(neighbour, 'need-item').filter({ hasText: TITLE })
    await item.getByTestId('need-support').click()
    await item.getByTestId('need-supported').waitFor({ state: 'visible' })
    await expect(item.getByTestId('need-count').textContent()).resolves.toBe('2 户支持')
    await shootAllWays(neighbour, 'needs-supported')
    // Back later: the page remembers they supported it.
    await neighbour.reload()
    const again = shown(neighbour, 'need-item').filter({ hasText: TITLE })
    await again.getByTestId('need-supported').waitFor({ state: 'visible' })
    await expect(again.getByTestId('need-count').textContent()).resolves.toBe('2 户支持')
    await neighbour.context().close()

    // Their spouse's phone, the same flat (2幢1单元 301): the tap is taken, nothing counts twice.
    const spouse = await residentOnNeeds(codes[1])
    await field(spouse, 'needs-room').fill('301室')
    const theirs = shown(spouse, 'need-item').filter({ hasText: TITLE })
    await theirs.getByTestId('need-support').click()
    await theirs.getByTestId('need-supported').waitFor({ state: 'visible' })
    await expect(theirs.getByTestId('need-count').textContent()).resolves.toBe('2 户支持')
    await spouse.context().close()
    const [{ n }] = await product.query<{ n: number }>('SELECT count(*)::int AS n FROM need_support WHERE need_id = $1', [needId])
    expect(n).toBe(2)
  })

  it('lets the 网格长 plan it on the staff needs page, and the board shows it with its count, without the room', async () => {
    const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' })
    const page = await context.newPage()
    await staffLoginPage(page, product.baseUrl, DEMO_STAFF.gridLead, /\/staff\/pages\/home\/index/)
    await shown(page, 'inbox-needs').click()
    await page.waitForURL(/\/staff\/pages\/needs\/index/)
    const card = shown(page, 'staff-need').filter({ hasText: TITLE })
    await card.waitFor({ state: 'visible' })
    await expect(card.getByTestId('staff-need-count').textContent()).resolves.toMatch(/^2 户支持 · 居民提出 · 1幢1单元 · /)
    await shootAllWays(page, 'staff-needs')
    await card.getByTestId('staff-need-to-planned').click()
    await until('the status 已列入计划', () => card.getByTestId('staff-need-status').textContent(), (t) => t === '已列入计划')
    // Not feasible asks for the public reason first.
    const other = shown(page, 'staff-need').filter({ hasText: '3幢加装电梯' })
    await other.getByTestId('staff-need-to-not_feasible').click()
    await shown(page, 'staff-need-reason').waitFor({ state: 'visible' })
    await settled(page)
    await other.scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(SHOTS, 'staff-needs-reason.png') })
    await context.close()

    const board = await browser.newPage({ viewport: PHONE, locale: 'zh-CN' })
    await board.goto(`${product.baseUrl}/pages/board/index?compoundId=${codes[0].compound_id}`)
    const section = shown(board, 'board-needs')
    await section.waitFor({ state: 'visible' })
    const item = section.getByTestId('need-item').filter({ hasText: TITLE })
    await expect(item.getByTestId('need-status').textContent()).resolves.toBe('已列入计划')
    await expect(item.getByTestId('need-count').textContent()).resolves.toBe('2 户支持')
    const text = (await section.textContent()) ?? ''
    for (const personal of ['502', '301']) expect({ personal, shown: text.includes(personal) }).toEqual({ personal, shown: false })
    await section.scrollIntoViewIfNeeded()
    await settled(board)
    await board.screenshot({ path: join(SHOTS, 'board-needs.png') })
    await board.close()
  })

  it('turns the demo’s 生活需求与助老 request into a need from its staff page, once', async () => {
    const token = await staffToken(product.baseUrl, DEMO_STAFF.gridLead)
    const [request] = await product.query<{ id: string }>(`SELECT id FROM ticket WHERE category = 'elderly_care' ORDER BY created_at LIMIT 1`)
    const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' })
    const page = await context.newPage()
    await staffLoginPage(page, product.baseUrl, DEMO_STAFF.gridLead, /\/staff\/pages\/home\/index/)
    await page.goto(`${product.baseUrl}/staff/pages/request/index?id=${request.id}`)
    const card = shown(page, 'request-need')
    await card.waitFor({ state: 'visible' })
    await field(page, 'request-need-input').fill('独居老人买菜陪诊')
    await card.scrollIntoViewIfNeeded()
    await settled(page)
    await page.screenshot({ path: join(SHOTS, 'staff-request-convert.png') })
    await shown(page, 'request-need-convert').click()
    await shown(page, 'request-need-title').waitFor({ state: 'visible' })
    await expect(shown(page, 'request-need-title').textContent()).resolves.toBe('已转为居民需求「独居老人买菜陪诊」')
    await context.close()
    const needs = await api<{ needs: { title: string; source: string; ticketId: string | null; publicText: string }[] }>(product.baseUrl, '/api/needs', { token })
    const made = needs.body.needs.find((n) => n.ticketId === request.id)
    expect(made).toMatchObject({ title: '独居老人买菜陪诊', source: 'request' })
    // The proxy entry's resident (张桂芳, 13912345678) stays out of the need's public text.
    expect(made?.publicText).not.toContain('张桂芳')
    const twice = await api(product.baseUrl, `/api/needs/from-request/${request.id}`, { token, json: { title: '再转一次' } })
    expect(twice.status).toBe(409)
  })
})
