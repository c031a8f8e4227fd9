import { randomBytes, randomUUID } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { endOfLocalDay, latestPromiseDate } from '@mq/shared'
import { launchBrowser, startProduct, type RunningProduct } from './harness'
import { api, contentHeight, field, settled, shown, staffToken, until } from './ui'

/**
 * The staff app in the H5 build against the real server and its demo data: the 网格长 works the inbox
 * and handles requests through every step while the resident's own view follows; a proxy entry (代录)
 * by phone shows its reporter masked to 民警 and in full to 物业; the 回访 and the notifications.
 * Every run writes screenshots (375 px) under .test-results/; UPDATE_SCREENSHOTS=1 refreshes the
 * committed ones in docs/screenshots.
 */
const SHOTS = process.env.UPDATE_SCREENSHOTS
  ? resolve(__dirname, '..', 'docs', 'screenshots')
  : resolve(__dirname, '..', '.test-results', 'screenshots', 'staff')
const PASSWORD = 'Demo@2026'
const GRID_LEAD = { phone: '13800000001', password: PASSWORD }
const POLICE = { phone: '13800000002', password: PASSWORD }
const PROPERTY = { phone: '13800000008', password: PASSWORD }
const SECRETARY = { phone: '13800000010', password: PASSWORD }
const PHONE = { width: 375, height: 812 }

/** A 1×1 PNG: the smallest photo the server accepts by its content. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
)

interface View {
  id: string
  number: string
  state: string
  severity: string
  timeline: { type: string; public: boolean }[]
  promise: { plan: string; promisedAt: string } | null
  resolution: { note: string } | null
  reporter: { masked: boolean; name: string | null; phone: string | null } | null
  resolveBy: string | null
  nextDueAt: string | null
}

/** A full-page screenshot at 375 px (the page scrolls inside Taro's container, so the viewport grows). */
async function shoot(page: Page, name: string, ready: () => Promise<unknown>): Promise<void> {
  await ready()
  await settled(page)
  const height = Math.min(6000, Math.max(PHONE.height, await contentHeight(page)))
  await page.setViewportSize({ width: PHONE.width, height })
  await settled(page)
  await page.screenshot({ path: join(SHOTS, `${name}-375.png`) })
  await page.setViewportSize(PHONE)
}

async function login(page: Page, baseUrl: string, who: { phone: string; password: string }): Promise<void> {
  await page.goto(`${baseUrl}/staff/pages/login/index`)
  await field(page, 'login-phone').fill(who.phone)
  await field(page, 'login-password').fill(who.password)
  await shown(page, 'login-submit').click()
  await page.waitForURL(/\/staff\/pages\/home\/index/)
  await shown(page, 'inbox-tabs').waitFor({ state: 'visible' })
}

/** Waits until the visible inbox shows `tab`, loaded, and its rows' numbers satisfy `check`. */
async function inboxRows(page: Page, tab: string, check: (numbers: string[]) => boolean): Promise<string[]> {
  const rows = () =>
    page.evaluate((wanted) => {
      const list = Array.from(document.querySelectorAll<HTMLElement>('[data-testid="inbox-list"]')).find(
        (l) => l.offsetParent !== null,
      )
      if (!list || list.dataset.tab !== wanted || list.dataset.loading === 'true') return ['<loading>']
      return Array.from(list.querySelectorAll<HTMLElement>('[data-testid="inbox-row"]')).map((r) => r.dataset.number ?? '')
    }, tab)
  return until(`inbox tab ${tab}: rows matching`, rows, (numbers) => !numbers.includes('<loading>') && check(numbers))
}

async function openTab(page: Page, tab: string): Promise<void> {
  await shown(page, `inbox-tab-${tab}`).click()
}

async function requestState(page: Page, state: string): Promise<void> {
  await page.locator(`[data-testid="request"][data-state="${state}"]`).filter({ visible: true }).waitFor({ state: 'visible' })
}

/** Picks an action button, fills its form with `fill`, submits, and waits for the request's new state. */
async function act(page: Page, command: string, fill: () => Promise<void>, then: string): Promise<void> {
  await shown(page, `action-${command}`).click()
  await shown(page, `form-${command}`).waitFor({ state: 'visible' })
  await fill()
  await shown(page, 'action-submit').click()
  await shown(page, 'action-done').waitFor({ state: 'visible' })
  await requestState(page, then)
}

describe('H5 staff app', () => {
  let product: RunningProduct
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let residentToken: string
  let gridToken: string

  const residentView = async (id: string): Promise<View> => {
    const { status, body } = await api<View>(product.baseUrl, `/api/requests/${id}`, { token: residentToken })
    expect(status).toBe(200)
    return body
  }

  beforeAll(async () => {
    product = await startProduct()
    browser = await launchBrowser()
    context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' })
    page = await context.newPage()
    await mkdir(SHOTS, { recursive: true })
    const device = await api<{ accessToken: string }>(product.baseUrl, '/api/auth/device', {
      json: { deviceSecret: randomBytes(32).toString('base64url') },
    })
    expect(device.status).toBe(200)
    residentToken = device.body.accessToken
    gridToken = await staffToken(product.baseUrl, GRID_LEAD)
  })
  afterAll(async () => {
    await context?.close()
    await browser?.close()
    await product?.stop()
  })

  let demo: View

  it('网格长 logs in: the demo elderly-care request is at the top of 待受理, with counts on the tabs', async () => {
    const [row] = await product.query<{ id: string }>(`SELECT id FROM ticket WHERE category = 'elderly_care'`)
    demo = (await api<View>(product.baseUrl, `/api/requests/${row.id}`, { token: gridToken })).body
    expect(demo.state).toBe('submitted')

    await login(page, product.baseUrl, GRID_LEAD)
    const numbers = await inboxRows(page, 'to_accept', (n) => n.length > 0)
    expect(numbers[0]).toBe(demo.number)
    const top = shown(page, 'inbox-row').first()
    expect(await top.getByTestId('inbox-row-category').textContent()).toBe('生活需求与助老')
    expect(await top.getByTestId('inbox-row-place').textContent()).toContain('2幢 1单元')
    // Due today: the time left; on a later working day (the suite runs at night or over a weekend): the day in words.
    expect(await top.getByTestId('inbox-row-due').textContent()).toMatch(/^受理(还剩 \d|：.+ 前$)/)
    expect(await shown(page, 'inbox-count-to_accept').textContent()).toBe(String(numbers.length))
    await shoot(page, 'staff-inbox', () => top.waitFor({ state: 'visible' }))
  })

  it('accepts it on the handling screen, and it moves from 待受理 to the tab its deadline puts it in', async () => {
    await shown(page, 'inbox-row').first().click()
    await page.waitForURL(/\/staff\/pages\/request\/index\?id=/)
    await requestState(page, 'submitted')
    expect(await shown(page, 'reporter-phone').textContent()).toBe('13912345678')
    await shown(page, 'reporter-call').waitFor({ state: 'visible' })
    await shoot(page, 'staff-request', () => shown(page, 'request-summary').waitFor({ state: 'visible' }))

    await shown(page, 'action-accept').click()
    await shown(page, 'form-accept').waitFor({ state: 'visible' })
    await shoot(page, 'staff-request-accept', () => shown(page, 'form-accept').waitFor({ state: 'visible' }))
    await shown(page, 'action-submit').click()
    await requestState(page, 'accepted')
    // The legal next steps now: resolve, and no acceptance twice.
    await shown(page, 'action-resolve').waitFor({ state: 'visible' })
    expect(await shown(page, 'actions').getByTestId('action-accept').count()).toBe(0)

    const accepted = (await api<View>(product.baseUrl, `/api/requests/${demo.id}`, { token: gridToken })).body
    expect(accepted.state).toBe('accepted')
    const dueToday = Date.parse(accepted.nextDueAt!) <= endOfLocalDay(new Date()).getTime()
    await shown(page, 'staff-back').click()
    await page.waitForURL(/\/staff\/pages\/home\/index/)
    await openTab(page, 'all')
    await inboxRows(page, 'all', (n) => n.includes(demo.number))
    await openTab(page, 'to_accept')
    await inboxRows(page, 'to_accept', (n) => !n.includes(demo.number))
    // A simple request is due by the end of the day it was filed (of the next day after 17:00).
    await openTab(page, 'due_today')
    await inboxRows(page, 'due_today', (n) => n.includes(demo.number) === dueToday)
  })

  let complex: View

  it('a complex request filed by a resident: accept, reply with a promised date, note, resolve — the resident sees each step', async () => {
    const [unit] = await product.query<{ id: string }>(
      `SELECT u.id FROM place u JOIN place b ON b.id = u.parent_id WHERE u.kind = 'unit' AND b.name = '3幢' AND u.name = '2单元'`,
    )
    const filed = await api<View>(product.baseUrl, '/api/requests', {
      token: residentToken,
      json: { unitId: unit.id, category: 'neighbor_dispute', description: '楼上每晚十一点后拖动家具，沟通多次无果。', contactConsent: true },
      headers: { 'Idempotency-Key': randomUUID() },
    })
    expect(filed.status).toBe(201)
    complex = filed.body
    expect(complex.severity).toBe('complex')
    expect((await residentView(complex.id)).timeline.map((e) => e.type)).toEqual(['filed', 'routed'])

    await shown(page, 'inbox-refresh').click()
    await openTab(page, 'to_accept')
    const numbers = await inboxRows(page, 'to_accept', (n) => n.includes(complex.number))
    expect(numbers[0]).toBe(complex.number)
    await shown(page, 'inbox-row').first().click()
    await page.waitForURL(new RegExp(`id=${complex.id}`))
    await requestState(page, 'submitted')
    // The resident filed it themself: the grid lead sees them in full, a phone number only if they left one.
    expect(await shown(page, 'request-reporter').getAttribute('data-masked')).toBe('false')

    await act(page, 'accept', async () => undefined, 'accepted')
    let seen = await residentView(complex.id)
    expect(seen.state).toBe('accepted')
    expect(seen.timeline.map((e) => e.type)).toEqual(['filed', 'routed', 'accepted'])

    await act(
      page,
      'reply',
      async () => {
        await field(page, 'reply-plan').fill('本周五晚七点在社区调解室约双方面谈，物业到场。')
        // The date picker: open it and confirm the suggested day (the kit's picker says 确认).
        await shown(page, 'reply-date').click()
        await page.locator('.nut-picker-confirm-btn', { hasText: '确认' }).filter({ visible: true }).click()
        await shoot(page, 'staff-request-reply', () => shown(page, 'form-reply').waitFor({ state: 'visible' }))
      },
      'replied',
    )
    seen = await residentView(complex.id)
    expect(seen.state).toBe('replied')
    expect(seen.promise?.plan).toBe('本周五晚七点在社区调解室约双方面谈，物业到场。')
    const promised = Date.parse(seen.promise!.promisedAt)
    expect(promised).toBeGreaterThan(Date.now())
    expect(promised).toBeLessThanOrEqual(latestPromiseDate(new Date()).getTime())
    expect(seen.timeline.map((e) => e.type)).toEqual(['filed', 'routed', 'accepted', 'replied'])

    await act(page, 'note', async () => field(page, 'note-text').fill('楼上住户白天不在家，晚上再上门。'), 'replied')

    await act(
      page,
      'resolve',
      async () => {
        await field(page, 'resolve-note').fill('双方已达成协议：晚十点后不再挪动家具，楼上加装了家具脚垫。')
        await page.getByTestId('resolve-photos-input').setInputFiles({ name: '脚垫.png', mimeType: 'image/png', buffer: PNG })
        await page.locator('[data-testid="resolve-photos-item"][data-uploaded="true"]').waitFor({ state: 'visible' })
        await shoot(page, 'staff-request-resolve', () => shown(page, 'form-resolve').waitFor({ state: 'visible' }))
      },
      'resolved',
    )
    seen = await residentView(complex.id)
    expect(seen.state).toBe('resolved')
    expect(seen.resolution?.note).toBe('双方已达成协议：晚十点后不再挪动家具，楼上加装了家具脚垫。')
    // Each public step, and never the internal note.
    expect(seen.timeline.map((e) => e.type)).toEqual(['filed', 'routed', 'accepted', 'replied', 'resolved'])

    // Staff see the full timeline, the internal note marked as such.
    const internal = page.locator('[data-testid="timeline-item"][data-type="noted"]').filter({ visible: true })
    expect(await internal.textContent()).toContain('内部')
    await shown(page, 'request-resolution-photos').waitFor({ state: 'visible' })
    await shoot(page, 'staff-request-resolved', () => shown(page, 'request-outcome').waitFor({ state: 'visible' }))
  })

  let proxy: View

  it('a proxy entry by phone: 网格长 files it for an elderly resident; 民警 sees the phone masked, 物业 in full', async () => {
    await page.goto(`${product.baseUrl}/staff/pages/home/index`)
    await shown(page, 'inbox-proxy').click()
    await page.waitForURL(/\/staff\/pages\/proxy\/index/)
    await shown(page, 'proxy-building').getByText('4幢', { exact: true }).click()
    await shown(page, 'proxy-unit').getByText('1单元', { exact: true }).click()
    await field(page, 'proxy-room').fill('201')
    await field(page, 'proxy-name').fill('刘秀兰')
    await field(page, 'proxy-phone').fill('13911112222')
    await shown(page, 'proxy-channel-phone').click()
    await shown(page, 'proxy-category-public_security').click()
    await field(page, 'proxy-description').fill('老人来电：最近夜里楼道有陌生人徘徊，敲过她家门，很害怕。')
    await shoot(page, 'staff-proxy', () => shown(page, 'proxy-form').waitFor({ state: 'visible' }))
    await shown(page, 'proxy-submit').click()
    await page.waitForURL(/\/staff\/pages\/request\/index\?id=/)
    await requestState(page, 'submitted')
    const id = new URL(page.url()).searchParams.get('id')!
    proxy = (await api<View>(product.baseUrl, `/api/requests/${id}`, { token: gridToken })).body
    expect(proxy.reporter).toMatchObject({ masked: false, name: '刘秀兰', phone: '13911112222' })

    // 民警 (the handler of 治安安全) on the handling screen: masked, and no call button.
    const policeContext = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' })
    const police = await policeContext.newPage()
    await login(police, product.baseUrl, POLICE)
    await inboxRows(police, 'to_accept', (n) => n.includes(proxy.number))
    await shown(police, 'inbox-row').filter({ hasText: proxy.number }).click()
    await police.waitForURL(new RegExp(`id=${proxy.id}`))
    await requestState(police, 'submitted')
    expect(await shown(police, 'request-reporter').getAttribute('data-masked')).toBe('true')
    expect(await shown(police, 'reporter-phone').textContent()).toBe('139****2222')
    expect(await shown(police, 'reporter-name').textContent()).toBe('刘**')
    expect(await police.getByTestId('reporter-call').count()).toBe(0)
    await shoot(police, 'staff-request-masked', () => shown(police, 'request-reporter').waitFor({ state: 'visible' }))
    await policeContext.close()
    const asPolice = await api<View>(product.baseUrl, `/api/requests/${proxy.id}`, { token: await staffToken(product.baseUrl, POLICE) })
    expect(asPolice.body.reporter).toMatchObject({ masked: true, phone: '139****2222' })

    // 物业 of the same compound: in full, on the screen and through the API, with a call button.
    const propertyToken = await staffToken(product.baseUrl, PROPERTY)
    const asProperty = await api<View>(product.baseUrl, `/api/requests/${proxy.id}`, { token: propertyToken })
    expect(asProperty.body.reporter).toMatchObject({ masked: false, name: '刘秀兰', phone: '13911112222' })
    const propertyContext = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' })
    const property = await propertyContext.newPage()
    await login(property, product.baseUrl, PROPERTY)
    await property.goto(`${product.baseUrl}/staff/pages/request/index?id=${proxy.id}`)
    await requestState(property, 'submitted')
    expect(await shown(property, 'reporter-phone').textContent()).toBe('13911112222')
    await shown(property, 'reporter-call').waitFor({ state: 'visible' })
    // 物业 is in scope but neither its handler nor a coordinator: a note is all it may add.
    expect(await shown(property, 'actions').locator('[data-testid^="action-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')))).toEqual(['action-note'])
    await propertyContext.close()
  })

  it('回访: once 民警 has resolved the proxy entry, 网格长 records the rating the resident gave on the phone', async () => {
    const policeToken = await staffToken(product.baseUrl, POLICE)
    expect((await api(product.baseUrl, `/api/requests/${proxy.id}/accept`, { token: policeToken, json: {} })).status).toBe(200)
    const resolved = await api(product.baseUrl, `/api/requests/${proxy.id}/resolve`, {
      token: policeToken,
      json: { note: '已加强夜间巡逻，楼道门禁已修好，并留下了民警联系电话。' },
    })
    expect(resolved.status).toBe(200)

    await page.goto(`${product.baseUrl}/staff/pages/request/index?id=${proxy.id}`)
    await requestState(page, 'resolved')
    await shown(page, 'action-rate').click()
    await page.waitForURL(/\/staff\/pages\/callback\/index\?id=/)
    await shown(page, 'callback-star-4').click()
    await shown(page, 'callback-comment').locator('textarea').fill('老人说民警来得很快，现在晚上安心了。')
    await shoot(page, 'staff-callback', () => shown(page, 'callback').waitFor({ state: 'visible' }))
    await shown(page, 'callback-submit').click()
    await shown(page, 'callback-saved').waitFor({ state: 'visible' })
    const closed = (await api<View & { rating: { stars: number; via: string } }>(product.baseUrl, `/api/requests/${proxy.id}`, { token: gridToken })).body
    expect(closed.state).toBe('closed')
    expect(closed.rating).toMatchObject({ stars: 4, via: 'callback' })
  })

  it('supervisors: an acceptance deadline passes, the timer escalates it, and 小区党委书记 sees it red under 已超时 and 升级督办', async () => {
    // Three hours pass for the demo 公共设施报修 request (物业's, never accepted): its acceptance deadline
    // and the timers planned for it move into the past, and the server's own deadline worker fires them.
    const [late] = await product.query<{ id: string; number: number }>(`SELECT id, number FROM ticket WHERE category = 'facilities'`)
    const deadline = new Date(Date.now() - 3 * 3_600_000)
    await product.query(`UPDATE ticket SET accept_by = $2, next_due_at = $2 WHERE id = $1`, [late.id, deadline])
    await product.query(`UPDATE deadline_timer SET deadline_at = $2, fire_at = $2 WHERE ticket_id = $1 AND status = 'pending'`, [late.id, deadline])
    await until(
      'the deadline worker escalates the overdue request',
      () => product.query<{ escalation_level: number }>(`SELECT escalation_level FROM ticket WHERE id = $1`, [late.id]),
      ([row]) => row.escalation_level >= 1,
      30_000,
    )
    const number = `MQ${String(late.number).padStart(6, '0')}`

    const context2 = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' })
    const secretary = await context2.newPage()
    await login(secretary, product.baseUrl, SECRETARY)
    expect(await shown(secretary, 'inbox-tabs').locator('[data-testid^="inbox-tab-"]').count()).toBe(6)
    await openTab(secretary, 'overdue')
    await inboxRows(secretary, 'overdue', (n) => n.includes(number))
    const row = shown(secretary, 'inbox-row').filter({ hasText: number })
    expect(await row.getByTestId('inbox-row-due').getAttribute('data-overdue')).toBe('true')
    expect(await row.getByTestId('inbox-row-due').textContent()).toMatch(/^受理已超时 3小时/)
    expect(await row.getByTestId('inbox-row-escalation').textContent()).toBe('督办1级 · 小区党委书记')
    expect(await shown(secretary, 'inbox-count-overdue').textContent()).toBe('1')
    await shoot(secretary, 'staff-inbox-supervisor', () => row.waitFor({ state: 'visible' }))
    await openTab(secretary, 'escalated')
    await inboxRows(secretary, 'escalated', (n) => n.includes(number))
    await context2.close()
  })

  it('lists in-app notifications and opens a request from one', async () => {
    await page.goto(`${product.baseUrl}/staff/pages/home/index`)
    await shown(page, 'inbox-notifications').click()
    await page.waitForURL(/\/staff\/pages\/notifications\/index/)
    const items = shown(page, 'notification')
    await items.first().waitFor({ state: 'visible' })
    const texts = await items.allTextContents()
    expect(texts.some((t) => t.includes(proxy.number))).toBe(true)
    await shoot(page, 'staff-notifications', () => items.first().waitFor({ state: 'visible' }))
    await items.filter({ hasText: demo.number }).first().click()
    await page.waitForURL(new RegExp(`id=${demo.id}`))
    await shown(page, 'request-summary').waitFor({ state: 'visible' })
  })
})
