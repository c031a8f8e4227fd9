import { mkdir } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { TICKET_STATE_LABELS, type TicketView } from '@mq/shared'
import { launchBrowser, startProduct, type RunningProduct } from './harness'
import {
  api,
  field,
  fileRequest,
  pageSettled,
  residentToken,
  screenshotPath,
  setElder,
  settled,
  shootFullPage,
  shown,
  sidewaysOverflow,
  smallTapTargets,
  sticksOut,
  staffLoginPage,
  staffToken,
} from './ui'

/**
 * What a first walk through the product tripped on, each checked in the H5 build at 320 px (the
 * narrowest phone) against the real server and its demo data: the promise of a request filed after
 * 17:00, an unknown address, the 公示 edit a 民警 cannot make, the state after a low rating, a pasted
 * text over the limit, staff tap targets, the request card in 长辈模式, the metrics heat table, the
 * metrics page opened from the admin console, and a refusal that named a state as 「已已销号」.
 * Every page visited fits 320 px without sideways scrolling. Screenshots (walk-<item>-320.png and, for
 * residents' pages, walk-<item>-elder-320.png) go to .test-results/; UPDATE_SCREENSHOTS=1 writes them to
 * docs/screenshots.
 */
const SHOTS = process.env.UPDATE_SCREENSHOTS
  ? resolve(__dirname, '..', 'docs', 'screenshots')
  : resolve(__dirname, '..', '.test-results', 'screenshots', 'walk')
const NARROW = { width: 320, height: 640 }
const PASSWORD = 'Demo@2026'
const GRID_LEAD = { phone: '13800000001', password: PASSWORD }
const POLICE = { phone: '13800000002', password: PASSWORD }
const PROPERTY = { phone: '13800000008', password: PASSWORD }
const ADMIN = { phone: '13800000014', password: PASSWORD }
const DESCRIPTION_MAX = 1000
const SHANGHAI_MS = 8 * 3_600_000
const DAY_MS = 86_400_000

/** Days from `now` to `at`, counted in Shanghai calendar days. */
function shanghaiDays(at: string | number, now: number): number {
  const day = (ms: number) => Math.floor((ms + SHANGHAI_MS) / DAY_MS)
  return day(new Date(at).getTime()) - day(now)
}

/** The page fits 320 px (no sideways scroll) and its tap targets are at least `min` px. */
async function fitsNarrow(page: Page, what: string, min: number): Promise<void> {
  await pageSettled(page)
  const overflow = await sidewaysOverflow(page)
  expect({ what, overflow, sticksOut: overflow > 0 ? await sticksOut(page) : [] }).toEqual({ what, overflow: 0, sticksOut: [] })
  const targets = await smallTapTargets(page, min)
  expect(targets.count).toBeGreaterThan(0)
  expect({ what, small: targets.small }).toEqual({ what, small: [] })
}

/**
 * A resident page in normal and in 长辈模式 at 320 px: fits, tap targets ≥ 44 px (≥ 48 px in 长辈模式),
 * photographed as walk-<item>-320.png and walk-<item>-elder-320.png. Ends in normal mode.
 */
async function residentShots(page: Page, item: string, ready: () => Promise<unknown>): Promise<void> {
  for (const elder of [false, true]) {
    await setElder(page, elder)
    await ready()
    await fitsNarrow(page, `${item}${elder ? ' (长辈模式)' : ''}`, elder ? 48 : 44)
    await shootFullPage(page, screenshotPath(SHOTS, `walk-${item}${elder ? '-elder' : ''}-320`))
  }
  await setElder(page, false)
}

/** A staff page (staff pages have one look; 长辈模式 is the residents'): fits, tap targets ≥ 44 px. */
async function staffShot(page: Page, item: string, ready: () => Promise<unknown>): Promise<void> {
  await ready()
  await fitsNarrow(page, item, 44)
  await shootFullPage(page, screenshotPath(SHOTS, `walk-${item}-320`))
}

describe('H5 walkthrough: what a first walk tripped on', () => {
  let product: RunningProduct
  let browser: Browser
  let resident: BrowserContext
  let page: Page
  let token: string
  let unitId: string
  let pm: string

  beforeAll(async () => {
    product = await startProduct()
    browser = await launchBrowser()
    resident = await browser.newContext({ viewport: NARROW, locale: 'zh-CN' })
    page = await resident.newPage()
    await mkdir(SHOTS, { recursive: true })
    const [code] = await product.query<{ token: string; unit_id: string }>(
      `SELECT q.token, q.unit_id FROM qr_code q JOIN place u ON u.id = q.unit_id JOIN place b ON b.id = u.parent_id
        WHERE q.revoked_at IS NULL AND b.name = '3幢' AND u.name = '2单元'`,
    )
    token = code.token
    unitId = code.unit_id
    pm = await staffToken(product.baseUrl, PROPERTY)
  })
  afterAll(async () => {
    await resident?.close()
    await browser?.close()
    await product?.stop()
  })

  /** A browser context of its own for a staff member, at 320 px. */
  async function staffPage(who: { phone: string; password: string }, lands: RegExp): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: NARROW, locale: 'zh-CN' })
    const staff = await context.newPage()
    await staffLoginPage(staff, product.baseUrl, who, lands)
    return { context, page: staff }
  }

  async function act(id: string, command: string, json: unknown): Promise<TicketView> {
    const res = await api<TicketView>(product.baseUrl, `/api/requests/${id}/${command}`, { token: pm, json })
    expect({ command, status: res.status }).toEqual({ command, status: 200 })
    return res.body
  }

  it('a: before sending, a simple request promises today before 17:00 and tomorrow after it, never 今天处理', async () => {
    const today = new Date(Date.now() + SHANGHAI_MS).toISOString().slice(0, 10)
    for (const [time, expected] of [
      ['10:00', '今天 23:59 前办结'],
      ['18:30', '明天 23:59 前办结'],
    ] as const) {
      // The page's clock (Date.now, which the app's "now" reads) shifted to that time of today in Shanghai;
      // Playwright's fake clock would replace Date itself, which the time-zone library extends.
      const shift = Date.parse(`${today}T${time}:00+08:00`) - Date.now()
      const clocked = await browser.newContext({ viewport: NARROW, locale: 'zh-CN' })
      await clocked.addInitScript((ms) => {
        const realNow = Date.now.bind(Date)
        Date.now = () => realNow() + ms
      }, shift)
      const form = await clocked.newPage()
      try {
        await form.goto(`${product.baseUrl}/pages/report/index?token=${token}`)
        await shown(form, 'category-fire_safety').click()
        const promise = shown(form, 'report-promise-by')
        await promise.waitFor({ state: 'visible' })
        expect({ time, promise: await promise.textContent() }).toEqual({ time, promise: expected })
        expect(await shown(form, 'report-promise').textContent()).not.toContain('今天处理')
        if (time === '18:30') {
          // As the resident sees it after picking the category.
          await residentShots(form, 'a', async () => {
            await shown(form, 'report-promise').scrollIntoViewIfNeeded()
            await shown(form, 'report-promise').waitFor({ state: 'visible' })
          })
        }
      } finally {
        await clocked.close()
      }
    }
  })

  let filedId: string

  it('e: a pasted 2,000-character text stays whole, shows 2000/1000 in red, and is refused until it fits', async () => {
    const posts: string[] = []
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/requests') posts.push(r.url())
    })
    await page.goto(`${product.baseUrl}/pages/report/index?token=${token}`)
    await shown(page, 'category-fire_safety').click()
    const pasted = '楼道里堆满了电瓶车和纸箱，晚上还有人在楼道里给电瓶车充电。'.repeat(80).slice(0, 2000)
    expect(pasted).toHaveLength(2000)
    await field(page, 'report-description').fill(pasted)

    expect((await field(page, 'report-description').inputValue()).length).toBe(2000)
    const counter = shown(page, 'report-counter')
    expect(await counter.textContent()).toBe('2000/1000，请删去1000字')
    expect(await counter.getAttribute('data-over')).toBe('true')
    // Red, as the form's danger colour.
    expect(await counter.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(179, 38, 30)')

    await shown(page, 'report-submit').click()
    expect(await shown(page, 'report-error-description').textContent()).toBe('描述不能超过1000字，现在是2000字')
    // The refusal is shown and the page has come to rest: a POST would have gone out by now.
    await settled(page)
    expect(posts).toEqual([])
    await residentShots(page, 'e', async () => {
      await shown(page, 'report-counter').scrollIntoViewIfNeeded()
      await shown(page, 'report-error-description').waitFor({ state: 'visible' })
    })

    // At the limit the counter is plain again and the error goes; shortened, it is filed.
    await field(page, 'report-description').fill(pasted.slice(0, DESCRIPTION_MAX))
    expect(await counter.textContent()).toBe(`${DESCRIPTION_MAX}/${DESCRIPTION_MAX}`)
    expect(await counter.getAttribute('data-over')).toBe('false')
    expect(await page.getByTestId('report-error-description').filter({ visible: true }).count()).toBe(0)
    await field(page, 'report-description').fill(pasted.slice(0, 60))
    await shown(page, 'report-submit').click()
    await page.waitForURL(/\/pages\/detail\/index\?id=.*&filed=1/)
    filedId = new URL(page.url()).searchParams.get('id')!
    expect(posts).toHaveLength(1)
  })

  it('a: the filed request says by when, from the deadline the server set (tomorrow when filed after 17:00)', async () => {
    const view = (await api<TicketView>(product.baseUrl, `/api/requests/${filedId}`, { token: pm })).body
    const days = shanghaiDays(view.resolveBy!, Date.now())
    const day = days === 0 ? '今天' : days === 1 ? '明天' : null
    expect(day).not.toBeNull()
    const severity = shown(page, 'detail-severity')
    await severity.waitFor({ state: 'visible' })
    expect(await severity.textContent()).toBe(`问题类型简单问题 · ${day} 23:59 前办结`)
    const filedAfterCutoff = new Date(Date.parse(view.createdAt) + SHANGHAI_MS).getUTCHours() >= 17
    expect(day).toBe(filedAfterCutoff ? '明天' : '今天')
    await residentShots(page, 'a-detail', () => severity.waitFor({ state: 'visible' }))
  })

  it('g: in 长辈模式 at 320 px the request card header wraps whole words: the badge moves down, the title stays in one piece', async () => {
    await shown(page, 'detail-mine').click()
    await page.waitForURL(/\/pages\/mine\/index/)
    const card = page.locator(`[data-testid="mine-item"][data-id="${filedId}"]`).filter({ visible: true })
    await card.waitFor({ state: 'visible' })
    for (const elder of [false, true]) {
      await setElder(page, elder)
      const lines = await card.evaluate((el) => {
        /** Line boxes of an element's text (one rect per line it wraps onto). */
        const linesOf = (node: Element) => {
          const range = document.createRange()
          range.selectNodeContents(node)
          return new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top))).size
        }
        const head = el.querySelector('.mq-request__head')!
        return {
          category: linesOf(head.querySelector('.mq-request__category')!),
          // The kit's tag: the lines of its text, not of the box around it.
          badge: linesOf(head.querySelector('[data-testid="state-badge"] .nut-tag-text')!),
          number: (() => {
            // The request number (MQ and six digits) in the line under the title.
            const meta = head.querySelector('.mq-request__meta')!
            const walker = document.createTreeWalker(meta, NodeFilter.SHOW_TEXT)
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
              const at = (node.textContent ?? '').search(/MQ\d{6}/)
              if (at < 0) continue
              const range = document.createRange()
              range.setStart(node, at)
              range.setEnd(node, at + 8)
              return new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top))).size
            }
            return -1
          })(),
        }
      })
      expect({ elder, lines }).toEqual({ elder, lines: { category: 1, badge: 1, number: 1 } })
    }
    await setElder(page, false)
    await residentShots(page, 'g', () => card.waitFor({ state: 'visible' }))
  })

  it('d: after a 1★ rating the state reads 重新办理 for the resident (badge, list, detail) and for staff (inbox, handling page)', async () => {
    await act(filedId, 'accept', {})
    await act(filedId, 'resolve', { note: '已清理楼道杂物，并张贴了禁止楼道充电的告示。', photoIds: [] })
    await page.goto(`${product.baseUrl}/pages/detail/index?id=${filedId}`)
    await shown(page, 'rating-form').waitFor({ state: 'visible' })
    await shown(page, 'rating-stars').locator('.nut-rate-item').first().click()
    await shown(page, 'rating-submit').click()
    const badge = shown(page, 'state-badge').first()
    await page.locator('[data-testid="state-badge"][data-reopened="true"]').filter({ visible: true }).first().waitFor()
    expect(await badge.textContent()).toBe('重新办理')
    expect(await shown(page, 'detail-view').getAttribute('data-state')).toBe('accepted')
    expect(await shown(page, 'detail-view').textContent()).not.toContain(TICKET_STATE_LABELS.accepted)
    await residentShots(page, 'd', () => badge.waitFor({ state: 'visible' }))

    await shown(page, 'detail-mine').click()
    await page.waitForURL(/\/pages\/mine\/index/)
    const card = page.locator(`[data-testid="mine-item"][data-id="${filedId}"]`).filter({ visible: true })
    await card.filter({ hasText: '重新办理' }).waitFor({ state: 'visible' })
    expect(await card.getByTestId('state-badge').textContent()).toBe('重新办理')
    await residentShots(page, 'd-mine', () => card.waitFor({ state: 'visible' }))

    const { context, page: staff } = await staffPage(PROPERTY, /\/staff\/pages\/home\/index/)
    try {
      const view = (await api<TicketView>(product.baseUrl, `/api/requests/${filedId}`, { token: pm })).body
      const row = staff.locator(`[data-testid="inbox-row"][data-number="${view.number}"]`).filter({ visible: true })
      await shown(staff, 'inbox-tab-all').click()
      await row.waitFor({ state: 'visible' })
      expect(await row.getByTestId('inbox-row-state').textContent()).toBe('重新办理')
      await staffShot(staff, 'd-inbox', () => row.scrollIntoViewIfNeeded())
      await row.click()
      await staff.waitForURL(new RegExp(`id=${filedId}`))
      const state = shown(staff, 'request-state')
      await state.waitFor({ state: 'visible' })
      expect(await state.textContent()).toBe('重新办理')
      await staffShot(staff, 'd-staff', () => state.waitFor({ state: 'visible' }))
    } finally {
      await context.close()
    }
  })

  it('c: a 民警 sees 公示内容 without an 编辑 that would fail; the handler has it; the server agrees with both', async () => {
    const other = await residentToken(product.baseUrl)
    const leak = await fileRequest<TicketView>(product.baseUrl, other, {
      unitId,
      category: 'leak',
      description: '顶楼卫生间天花板渗水，下雨天更严重。',
    })
    await act(leak.id, 'accept', {})
    await act(leak.id, 'reply', {
      plan: '本周内请防水施工队上门查看屋面',
      promisedAt: new Date(Date.now() + 5 * DAY_MS).toISOString(),
    })
    const police = await staffToken(product.baseUrl, POLICE)
    const policeView = await api<TicketView>(product.baseUrl, `/api/requests/${leak.id}`, { token: police })
    expect(policeView.status).toBe(200)
    expect(policeView.body.viewer.commands).not.toContain('public_summary')
    expect((await api(product.baseUrl, `/api/requests/${leak.id}/public-summary`, { token: police, method: 'PATCH', json: { commitment: '改' } })).status).toBe(403)

    for (const [who, editable] of [
      [POLICE, false],
      [PROPERTY, true],
    ] as const) {
      const { context, page: staff } = await staffPage(who, /\/staff\/pages\/home\/index/)
      try {
        await staff.goto(`${product.baseUrl}/staff/pages/request/index?id=${leak.id}`)
        const summary = shown(staff, 'public-summary')
        await shown(staff, 'public-summary-commitment').waitFor({ state: 'visible' })
        expect(await shown(staff, 'public-summary-commitment').textContent()).toBe('本周内请防水施工队上门查看屋面')
        expect({ who: who.phone, edit: await summary.getByTestId('public-summary-edit').count() }).toEqual({
          who: who.phone,
          edit: editable ? 1 : 0,
        })
        if (!editable) {
          await staffShot(staff, 'c', () => summary.scrollIntoViewIfNeeded())
        }
      } finally {
        await context.close()
      }
    }
  })

  it('b: an unknown address shows a Chinese 404 page with a way home; the API keeps its JSON 404', async () => {
    const html = await fetch(`${product.baseUrl}/no/such/page`)
    expect(html.status).toBe(200)
    expect(html.headers.get('content-type')).toMatch(/text\/html/)
    const json = await fetch(`${product.baseUrl}/api/no/such/route`)
    expect(json.status).toBe(404)
    expect(json.headers.get('content-type')).toMatch(/application\/json/)
    expect(await json.json()).toMatchObject({ code: 'ROUTE_NOT_FOUND', requestId: expect.any(String) })

    await page.goto(`${product.baseUrl}/no/such/page`)
    const notFound = shown(page, 'not-found')
    await notFound.waitFor({ state: 'visible' })
    expect(await notFound.textContent()).toContain('没有找到这个页面')
    expect(await shown(page, 'not-found-path').textContent()).toBe('地址：/no/such/page')
    expect(await page.getByTestId('not-found-staff').filter({ visible: true }).count()).toBe(0)
    await residentShots(page, 'b', () => notFound.waitFor({ state: 'visible' }))
    await shown(page, 'not-found-home').click()
    await page.waitForURL(/\/pages\/index\/index$/)
    await page.locator('.mq-page.home').filter({ visible: true }).waitFor()

    // A staff page that does not exist: the same page, with the way to the staff login too.
    await page.goto(`${product.baseUrl}/staff/pages/nope/index`)
    await shown(page, 'not-found-staff').waitFor({ state: 'visible' })
    await shown(page, 'not-found-staff').click()
    await page.waitForURL(/\/staff\/pages\/login\/index/)
  })

  it('f and h: staff header buttons are at least 44 px; the heat table scrolls sideways and says so', async () => {
    const { context, page: staff } = await staffPage(GRID_LEAD, /\/staff\/pages\/home\/index/)
    try {
      await shown(staff, 'inbox-tabs').waitFor({ state: 'visible' })
      const bar = await staff.evaluate(() =>
        Array.from(document.querySelectorAll<HTMLElement>('.st-bar taro-button-core'))
          .filter((b) => b.offsetParent !== null)
          .map((b) => {
            const box = b.getBoundingClientRect()
            return { text: (b.textContent ?? '').trim(), width: Math.round(box.width), height: Math.round(box.height) }
          }),
      )
      expect(bar.length).toBeGreaterThan(1)
      for (const button of bar) expect({ ...button, tall: button.height >= 44, wide: button.width >= 44 }).toMatchObject({ tall: true, wide: true })
      await staffShot(staff, 'f', () => shown(staff, 'inbox-tabs').waitFor({ state: 'visible' }))

      await shown(staff, 'inbox-metrics').click()
      await staff.waitForURL(/\/staff\/pages\/metrics\/index/)
      await staff.waitForFunction(() => document.querySelector('[data-testid="metrics"][data-loading="false"]') !== null)
      const heat = shown(staff, 'metrics-heat')
      await heat.waitFor({ state: 'visible' })
      expect(await shown(staff, 'metrics-heat-swipe').textContent()).toContain('左右滑动')
      expect(await shown(staff, 'metrics-heat-frame').getAttribute('data-wide')).toBe('true')
      const scroller = shown(staff, 'metrics-heat-scroll')
      const before = await scroller.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }))
      expect(before.scroll).toBeGreaterThan(before.client)
      // The fade on the right edge is drawn.
      const fade = await shown(staff, 'metrics-heat-frame').evaluate((el) => getComputedStyle(el, '::after').backgroundImage)
      expect(fade).toMatch(/linear-gradient/)
      // Swiping reaches the last category.
      const scrolled = await scroller.evaluate((el) => {
        el.scrollLeft = el.scrollWidth
        return el.scrollLeft
      })
      expect(scrolled).toBeGreaterThan(0)
      await scroller.evaluate((el) => (el.scrollLeft = 0))
      await staffShot(staff, 'h', async () => {
        await heat.scrollIntoViewIfNeeded()
      })
    } finally {
      await context.close()
    }
  })

  it('i: metrics opened from the admin console has one back button, and it goes back to the console', async () => {
    const { context, page: admin } = await staffPage(ADMIN, /\/admin\/pages\/places\/index/)
    try {
      await shown(admin, 'admin-nav-metrics').click()
      await admin.waitForURL(/\/staff\/pages\/metrics\/index/)
      await shown(admin, 'metrics-heat').waitFor({ state: 'visible' })
      const backs = await admin.evaluate(() =>
        Array.from(document.querySelectorAll<HTMLElement>('taro-button-core'))
          .filter((b) => b.offsetParent !== null && /返回/.test(b.textContent ?? ''))
          .map((b) => (b.textContent ?? '').trim()),
      )
      expect(backs).toEqual(['‹ 返回管理后台'])
      await staffShot(admin, 'i', () => shown(admin, 'metrics-heat').waitFor({ state: 'visible' }))
      await shown(admin, 'staff-back').click()
      await admin.waitForURL(/\/admin\/pages\/places\/index/)
    } finally {
      await context.close()
    }
  })

  it('j: following a request closed meanwhile says 已销号 once, not 「已已销号」', async () => {
    // Another resident's request of the same kind in the building: offered on the form as a duplicate.
    const other = await residentToken(product.baseUrl)
    const theirs = await fileRequest<TicketView>(product.baseUrl, other, {
      unitId,
      category: 'sanitation',
      description: '单元门口的垃圾桶满了两天没人清。',
    })
    await page.goto(`${product.baseUrl}/pages/report/index?token=${token}`)
    await shown(page, 'category-sanitation').click()
    const item = page.locator('[data-testid="report-duplicates"] [data-testid="follow-item"]').filter({ hasText: theirs.number }).filter({ visible: true })
    await item.waitFor({ state: 'visible' })

    // Meanwhile it is handled, rated and closed.
    await act(theirs.id, 'accept', {})
    await act(theirs.id, 'resolve', { note: '垃圾已清运。', photoIds: [] })
    expect((await api(product.baseUrl, `/api/requests/${theirs.id}/rating`, { token: other, json: { stars: 5, tags: [] } })).status).toBe(200)

    await item.getByTestId('follow-button').click()
    const error = item.locator('.mq-field-error')
    await error.waitFor({ state: 'visible' })
    expect(await error.textContent()).toBe('这条诉求已销号，不能再关注')
    expect(await error.textContent()).not.toMatch(/([\u4e00-\u9fff])\1/)
    await residentShots(page, 'j', async () => {
      await item.scrollIntoViewIfNeeded()
      await error.waitFor({ state: 'visible' })
    })
  })

  it('e: the proxy entry keeps a pasted 2,000-character text too, counts it against the limit and refuses it', async () => {
    const { context, page: staff } = await staffPage(GRID_LEAD, /\/staff\/pages\/home\/index/)
    try {
      await staff.goto(`${product.baseUrl}/staff/pages/proxy/index`)
      const pasted = '居民电话反映：楼下商铺夜里排风扇噪音很大，影响休息。'.repeat(80).slice(0, 2000)
      await field(staff, 'proxy-description').fill(pasted)
      expect((await field(staff, 'proxy-description').inputValue()).length).toBe(2000)
      const counter = shown(staff, 'proxy-counter')
      expect(await counter.textContent()).toBe('2000/1000，请删去1000字')
      expect(await counter.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(179, 38, 30)')
      await shown(staff, 'proxy-submit').click()
      const error = shown(staff, 'proxy-error-description')
      await error.waitFor({ state: 'visible' })
      expect(await error.textContent()).toBe('描述不能超过1000字，现在是2000字')
      await staffShot(staff, 'e-proxy', async () => {
        await counter.scrollIntoViewIfNeeded()
      })
    } finally {
      await context.close()
    }
  })
})
