import { mkdir, readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import ExcelJS from 'exceljs'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchBrowser, startProduct, type RunningProduct } from './harness'
import { contentHeight, setElder, settled, shown, staffToken } from './ui'

/**
 * Screenshots of the staff login and every admin page, at phone and desktop widths. Every run writes
 * them under .test-results/ to look at; UPDATE_SCREENSHOTS=1 refreshes the committed ones in docs/.
 */
const SHOTS = process.env.UPDATE_SCREENSHOTS
  ? resolve(__dirname, '..', 'docs', 'screenshots')
  : resolve(__dirname, '..', '.test-results', 'screenshots', 'admin')
const ADMIN = { phone: '13800000014', password: 'Demo@2026' }
const GRID_LEAD = { phone: '13800000001', password: 'Demo@2026' }
const PROPERTY_MANAGER = { phone: '13800000008', password: 'Demo@2026' }
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
const METRIC_KEYS = ['response', 'resolution', 'satisfaction', 'onTime'] as const
const NEW_BUILDINGS = Array.from({ length: 10 }, (_, i) => `${21 + i}幢`)

const PHONE = { width: 375, height: 812 }
const DESKTOP = { width: 1280, height: 800 }

/** Ten buildings of two units each, as an admin would keep them in Excel. */
async function buildingsSheet(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  const sheet = workbook.addWorksheet('楼栋单元')
  sheet.addRow(['楼栋', '单元', '楼栋排序', '单元排序'])
  NEW_BUILDINGS.forEach((building, i) => {
    for (const unit of [1, 2]) sheet.addRow([building, `${unit}单元`, 21 + i, unit])
  })
  return Buffer.from(await workbook.xlsx.writeBuffer())
}

/** Taro's Input is a web component around a real <input>. */
function field(page: Page, testId: string) {
  return page.getByTestId(testId).locator('input')
}

/** A full-page screenshot at phone and at desktop width, ending at desktop width. */
async function shoot(page: Page, name: string, ready: () => Promise<unknown>): Promise<void> {
  for (const [size, suffix] of [
    [PHONE, '375'],
    [DESKTOP, '1280'],
  ] as const) {
    await page.setViewportSize(size)
    // Taro's H5 root font size and the console's layout both follow resizes.
    await settled(page)
    await ready()
    const height = Math.min(6000, Math.max(size.height, await contentHeight(page)))
    await page.setViewportSize({ width: size.width, height })
    await settled(page)
    await page.screenshot({ path: join(SHOTS, `${name}-${suffix}.png`) })
  }
  await page.setViewportSize(DESKTOP)
}

/** A place's name in the tree (exactly that name). */
function placeName(page: Page, name: string) {
  return page.getByTestId('place-row-name').filter({ hasText: new RegExp(`^${name}$`) })
}

async function noHorizontalScroll(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
}

async function apiCall<T>(baseUrl: string, token: string, path: string, init: { method?: string; body?: unknown; query?: Record<string, string> } = {}): Promise<{ status: number; body: T }> {
  const search = init.query ? `?${new URLSearchParams(init.query).toString()}` : ''
  const res = await fetch(`${baseUrl}${path}${search}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${token}`,
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(init.method === 'POST' && path.endsWith('/proxy') ? { 'idempotency-key': `e2e-${Date.now()}-${Math.random().toString(36).slice(2)}` } : {}),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  })
  return { status: res.status, body: (await res.json()) as T }
}

interface Ratio {
  numerator: number
  denominator: number
}

/** The page's rule for a rate: one decimal at most, "暂无" when nothing is due. */
function percentOf({ numerator, denominator }: Ratio): string {
  if (denominator === 0) return '暂无'
  const tenths = Math.round((numerator / denominator) * 1000) / 10
  return `${Number.isInteger(tenths) ? tenths.toFixed(0) : tenths.toFixed(1)}%`
}

/** Logs a staff member in through the login page of a fresh browser context. */
async function staffPageFor(browser: Browser, baseUrl: string, who: { phone: string; password: string }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' })
  const page = await context.newPage()
  await page.goto(`${baseUrl}/staff/pages/login/index`)
  await field(page, 'login-phone').fill(who.phone)
  await field(page, 'login-password').fill(who.password)
  await page.getByTestId('login-submit').click()
  await page.waitForURL(/\/staff\/pages\/home\/index/)
  await page.getByTestId('staff-home').waitFor({ state: 'visible' })
  return { context, page }
}

/** The route that reads one request, as the API document names it (/api/requests/{id}, formerly /api/tickets/{id}). */
async function ticketReadRoute(baseUrl: string): Promise<string> {
  const doc = (await (await fetch(`${baseUrl}/api/openapi.json`)).json()) as { paths: Record<string, { get?: unknown }> }
  const route = ['/api/requests/{id}', '/api/tickets/{id}'].find((path) => doc.paths[path]?.get)
  if (!route) throw new Error('no GET route for one request in /api/openapi.json')
  return route
}

describe('H5 admin console', () => {
  let product: RunningProduct
  let browser: Browser
  let context: BrowserContext
  let page: Page
  /** The grid lead's own browser (metrics, the public summary), beside the admin's. */
  let staff: { context: BrowserContext; page: Page } | null = null
  /** The request filed in a newly imported building. */
  let newRequest: { id: string; number: string } | null = null

  beforeAll(async () => {
    product = await startProduct()
    browser = await launchBrowser()
    context = await browser.newContext({ viewport: DESKTOP, acceptDownloads: true, locale: 'zh-CN' })
    page = await context.newPage()
    await mkdir(SHOTS, { recursive: true })
  })
  afterAll(async () => {
    await staff?.context.close()
    await context?.close()
    await browser?.close()
    await product?.stop()
  })

  it('refuses a wrong password on the staff login page, then logs the admin in to the console', async () => {
    await page.goto(`${product.baseUrl}/staff/pages/login/index`)
    await field(page, 'login-phone').waitFor({ state: 'visible' })
    await shoot(page, 'staff-login', () => field(page, 'login-phone').waitFor({ state: 'visible' }))

    await field(page, 'login-phone').fill(ADMIN.phone)
    await field(page, 'login-password').fill('not-the-password1')
    await page.getByTestId('login-submit').click()
    const error = page.getByTestId('login-error')
    await error.waitFor({ state: 'visible' })
    expect(await error.textContent()).toContain('手机号或密码不正确')
    await shoot(page, 'staff-login-error', () => error.waitFor({ state: 'visible' }))

    await field(page, 'login-password').fill(ADMIN.password)
    await page.getByTestId('login-submit').click()
    await page.waitForURL(/\/admin\/pages\/places\/index/)
    await page.getByTestId('place-tree').waitFor({ state: 'visible' })
  })

  it('imports 10 buildings from an XLSX into 石灰桥新村, after showing a bad CSV row by row', async () => {
    await placeName(page, '石灰桥新村').click()
    const detail = page.getByTestId('place-detail')
    await detail.waitFor({ state: 'visible' })
    expect(await page.getByTestId('place-detail-name').textContent()).toBe('石灰桥新村')
    await shoot(page, 'admin-places', () => detail.waitFor({ state: 'visible' }))
    expect(await noHorizontalScroll(page)).toBeLessThanOrEqual(0)

    await page.getByTestId('place-import').click()
    await page.waitForURL(/\/admin\/pages\/import\/index\?type=places/)
    await page.getByTestId('import-target').getByText('小区 · 石灰桥新村').waitFor({ state: 'visible' })

    // A sheet with mistakes: nothing is imported and every bad row is listed.
    await page.getByTestId('import-file').setInputFiles({
      name: '楼栋-有误.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('楼栋,单元\n21幢,\n21幢,1单元\n21幢,1单元\n,2单元\n'),
    })
    await page.getByTestId('import-file-name').waitFor({ state: 'visible' })
    await page.getByTestId('import-submit').click()
    const errors = page.getByTestId('import-errors')
    await errors.waitFor({ state: 'visible' })
    const where = await page.getByTestId('import-error-where').allTextContents()
    expect(where).toEqual(['第 2 行', '第 4 行', '第 5 行'])
    await shoot(page, 'admin-import-errors', () => errors.waitFor({ state: 'visible' }))
    const [{ count: afterBadSheet }] = await product.query<{ count: string }>(
      `SELECT count(*) FROM place WHERE kind = 'building' AND name = '21幢'`,
    )
    expect(Number(afterBadSheet)).toBe(0)

    // The real sheet.
    await page.getByTestId('import-file').setInputFiles({ name: '楼栋单元.xlsx', mimeType: XLSX, buffer: await buildingsSheet() })
    await page.getByTestId('import-submit').click()
    const result = page.getByTestId('import-result')
    await result.waitFor({ state: 'visible' })
    expect(await result.textContent()).toContain('新建楼栋 10 幢，新建单元 20 个')
    await shoot(page, 'admin-import-result', () => result.waitFor({ state: 'visible' }))

    await page.getByTestId('import-view-places').click()
    await page.waitForURL(/\/admin\/pages\/places\/index\?select=/)
    await page.getByTestId('place-detail').waitFor({ state: 'visible' })
    const names = await page.getByTestId('place-row-name').allTextContents()
    for (const building of NEW_BUILDINGS) expect(names).toContain(building)
    // In the tree under the compound, after the demo's 1幢…8幢, in the sheet's order.
    expect(names.slice(names.indexOf('石灰桥新村') + 1, names.indexOf('石灰桥新村') + 19)).toEqual([
      ...Array.from({ length: 8 }, (_, i) => `${i + 1}幢`),
      ...NEW_BUILDINGS,
    ])
  })

  it("downloads that compound's posters as one PDF, a page per unit", async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('place-pdf').click()])
    expect(download.suggestedFilename()).toBe('石灰桥新村-二维码海报.pdf')
    const pdf = await readFile((await download.path())!)
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []
    const [{ count: units }] = await product.query<{ count: string }>(
      `SELECT count(*) FROM place u JOIN place b ON b.id = u.parent_id JOIN place c ON c.id = b.parent_id
        WHERE u.kind = 'unit' AND c.name = '石灰桥新村' AND u.retired_at IS NULL`,
    )
    expect(Number(units)).toBe(23 + 20)
    expect(pages.length).toBeGreaterThanOrEqual(10)
    expect(pages.length).toBe(Number(units))
    // The API the page downloads it from: a PDF by its content type, with a page per unit.
    const [{ id: compoundId }] = await product.query<{ id: string }>(`SELECT id FROM place WHERE kind = 'compound' AND name = '石灰桥新村'`)
    const res = await fetch(`${product.baseUrl}/api/posters/compounds/${compoundId}.pdf`, {
      headers: { authorization: `Bearer ${await staffToken(product.baseUrl, ADMIN)}` },
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^application\/pdf/)
    const fromApi = Buffer.from(await res.arrayBuffer())
    expect((fromApi.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length).toBe(Number(units))
  })

  it("opens that compound's metrics page (as its grid lead) and shows the API's numbers, the new building included", async () => {
    const base = product.baseUrl
    // A request in one of the buildings just imported, so it shows in the counts and the heat table.
    const [unit] = await product.query<{ id: string; compound_id: string }>(
      `SELECT u.id, c.id AS compound_id FROM place u JOIN place b ON b.id = u.parent_id JOIN place c ON c.id = b.parent_id
        WHERE u.kind = 'unit' AND u.name = '1单元' AND b.name = '21幢' AND c.name = '石灰桥新村'`,
    )
    expect(unit).toBeDefined()
    const lead = await staffToken(base, GRID_LEAD)
    const filed = await apiCall<{ id: string; number: string }>(base, lead, '/api/requests/proxy', {
      method: 'POST',
      body: { unitId: unit.id, category: 'leak', description: '21幢1单元顶楼下雨渗水，墙面发霉。', channel: 'phone', residentName: '赵大爷' },
    })
    expect(filed.status).toBe(201)
    newRequest = { id: filed.body.id, number: filed.body.number }

    staff = await staffPageFor(browser, base, GRID_LEAD)
    const sp = staff.page
    await sp.getByTestId('inbox-metrics').click()
    await sp.waitForURL(/\/staff\/pages\/metrics\/index/)
    const root = shown(sp, 'metrics')
    await shown(sp, 'metrics-heat').waitFor({ state: 'visible' })
    await sp.waitForFunction(() => document.querySelector('[data-testid="metrics"][data-loading="false"]') !== null)
    const placeId = (await root.getAttribute('data-place'))!
    const from = (await root.getAttribute('data-from'))!
    const to = (await root.getAttribute('data-to'))!
    expect(placeId).toBe(unit.compound_id)
    // This month in Shanghai: from its first day's midnight, to no later than the end of today.
    expect(new Date(from).getTime()).toBeLessThanOrEqual(Date.now())
    expect(new Date(to).getTime()).toBeGreaterThan(Date.now())
    const scope = { placeId, from, to }

    type Rates = { received: number } & Record<(typeof METRIC_KEYS)[number], Ratio>
    const summary = (await apiCall<{ total: Rates; groups: (Rates & { key: string | null; label: string })[] }>(base, lead, '/api/metrics', { query: { ...scope, groupBy: 'role' } })).body
    expect(summary.total.received).toBeGreaterThanOrEqual(5) // the demo's 4 and the one just filed
    expect(await shown(sp, 'metrics-received').textContent()).toBe(`收到诉求 ${summary.total.received} 件`)
    for (const key of METRIC_KEYS) {
      const ratio = summary.total[key]
      expect(await shown(sp, `metric-${key}-counts`).textContent()).toBe(`(${ratio.numerator}/${ratio.denominator})`)
      expect(await shown(sp, `metric-${key}-percent`).textContent()).toBe(percentOf(ratio))
    }
    const rows = shown(sp, 'metrics-group-row')
    expect(await rows.count()).toBe(summary.groups.length)
    for (const [i, group] of summary.groups.entries()) {
      const row = rows.nth(i)
      expect(await row.textContent()).toContain(group.label)
      expect(await row.getByTestId('group-resolution').textContent()).toBe(
        `解决率${percentOf(group.resolution)}(${group.resolution.numerator}/${group.resolution.denominator})`,
      )
    }

    const weekly = (await apiCall<{ weeks: { weekStart: string; received: number }[] }>(base, lead, '/api/metrics/weekly', { query: scope })).body
    const weeks = shown(sp, 'metrics-week')
    expect(await weeks.count()).toBe(weekly.weeks.length)
    for (const [i, week] of weekly.weeks.entries()) {
      expect(await weeks.nth(i).getAttribute('data-week')).toBe(week.weekStart)
      expect(await weeks.nth(i).textContent()).toMatch(new RegExp(`^${week.received}件`))
    }
    expect(weekly.weeks.reduce((n, w) => n + w.received, 0)).toBe(summary.total.received)

    const heat = (await apiCall<{ buildings: { id: string; name: string }[]; cells: { buildingId: string; category: string; count: number }[] }>(base, lead, '/api/metrics/heat', { query: scope })).body
    expect(heat.buildings.map((b) => b.name)).toContain('21幢')
    for (const cell of heat.cells) {
      const shownCell = sp.locator(`[data-testid="heat-cell"][data-building="${cell.buildingId}"][data-category="${cell.category}"]`)
      expect(await shownCell.getAttribute('data-count')).toBe(String(cell.count))
      expect(await shownCell.textContent()).toBe(String(cell.count))
    }
    const b21 = heat.buildings.find((b) => b.name === '21幢')!
    expect(await sp.locator(`[data-testid="heat-cell"][data-building="${b21.id}"][data-category="leak"]`).textContent()).toBe('1')

    const attention = (await apiCall<{ overdue: unknown[]; escalated: unknown[] }>(base, lead, '/api/metrics/attention', { query: { placeId } })).body
    expect(await shown(sp, 'metrics-overdue').locator('.st-h2').textContent()).toBe(`已超时（${attention.overdue.length}）`)
    expect(await shown(sp, 'metrics-escalated').locator('.st-h2').textContent()).toBe(`升级督办（${attention.escalated.length}）`)
    await shoot(sp, 'staff-metrics', () => shown(sp, 'metrics-heat').waitFor({ state: 'visible' }))

    // Another grouping: the table follows the API's.
    await shown(sp, 'metrics-group-person').click()
    const byPerson = (await apiCall<{ groups: { label: string }[] }>(base, lead, '/api/metrics', { query: { ...scope, groupBy: 'person' } })).body
    await sp.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="metrics-group-table"][data-group="person"] [data-testid="metrics-group-row"]').length === n,
      byPerson.groups.length,
    )
    expect(await shown(sp, 'metrics-group-table').textContent()).toContain(byPerson.groups[0].label)
  })

  it('lets the grid lead reword what the public board shows of a request, and restore the original', async () => {
    const base = product.baseUrl
    const sp = staff!.page
    const request = newRequest!
    // The handler accepts and replies with a plan: the public commitment.
    const handler = await staffToken(base, PROPERTY_MANAGER)
    expect((await apiCall(base, handler, `/api/requests/${request.id}/accept`, { method: 'POST', body: {} })).status).toBe(200)
    const plan = '周五前请防水班组检修21幢屋面并修补墙面'
    const promisedAt = new Date(Date.now() + 5 * 24 * 3600 * 1000).toISOString()
    expect((await apiCall(base, handler, `/api/requests/${request.id}/reply`, { method: 'POST', body: { plan, promisedAt } })).status).toBe(200)

    await sp.goto(`${base}/staff/pages/request/index?id=${request.id}`)
    const card = shown(sp, 'public-summary')
    await card.waitFor({ state: 'visible' })
    expect(await shown(sp, 'public-summary-commitment').textContent()).toBe(plan)
    await shown(sp, 'public-summary-edit').click()
    const box = shown(sp, 'public-summary-input-commitment').locator('textarea')
    await box.fill('')
    await shown(sp, 'public-summary-save').click()
    expect(await shown(sp, 'public-summary-problem-commitment').textContent()).toContain('请填写公开承诺')
    const reworded = '本周五前修好21幢屋面防水'
    await box.fill(reworded)
    await shown(sp, 'public-summary-save').click()
    await sp.waitForFunction(() => document.querySelector('[data-testid="public-summary"][data-edited="true"]') !== null)
    expect(await shown(sp, 'public-summary-commitment').textContent()).toBe(reworded)

    const [{ compound_id: compoundId }] = await product.query<{ compound_id: string }>(`SELECT compound_id FROM ticket WHERE id = $1`, [request.id])
    const boardItem = async () => {
      const board = (await (await fetch(`${base}/api/board/${compoundId}?pageSize=50`)).json()) as { items: { number: string; promise: { plan: string } | null }[] }
      return board.items.find((i) => i.number === request.number)
    }
    expect((await boardItem())?.promise?.plan).toBe(reworded)
    // The original stays in the internal timeline.
    const [{ plan: storedPlan }] = await product.query<{ plan: string }>(`SELECT reply_plan AS plan FROM ticket WHERE id = $1`, [request.id])
    expect(storedPlan).toBe(plan)
    await card.scrollIntoViewIfNeeded()
    await shoot(sp, 'staff-public-summary', () => card.waitFor({ state: 'visible' }))

    await shown(sp, 'public-summary-restore').click()
    await sp.waitForFunction(() => document.querySelector('[data-testid="public-summary"][data-edited="false"]') !== null)
    expect(await shown(sp, 'public-summary-commitment').textContent()).toBe(plan)
    expect((await boardItem())?.promise?.plan).toBe(plan)
  })

  it('shows a unit with its QR code and poster downloads', async () => {
    await page.locator('[aria-label="展开21幢"]').click()
    await placeName(page, '1单元').click()
    const qr = page.getByTestId('place-qr')
    await qr.waitFor({ state: 'visible' })
    expect(await page.getByTestId('place-qr-token').textContent()).toMatch(/^编号 [A-Za-z0-9_-]{8,64}$/)
    const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId('place-png').click()])
    const bytes = await readFile((await png.path())!)
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG')
    await shoot(page, 'admin-places-unit', () => qr.waitFor({ state: 'visible' }))
  })

  it('edits a routing rule and dry-runs it on a unit of a new building', async () => {
    await shown(page, 'admin-nav-routing').click()
    await page.waitForURL(/\/admin\/pages\/routing\/index/)
    const table = shown(page, 'routing-table')
    await table.waitFor({ state: 'visible' })
    expect(await shown(page, 'routing-table-row').count()).toBe(13)

    // 房屋漏水 goes to 物业 by default; this compound gives it to the 网格长 with 物业 co-handling.
    await shown(page, 'routing-edit-leak').click()
    await shown(page, 'routing-editor').waitFor({ state: 'visible' })
    await shown(page, 'routing-lead-grid_lead').click()
    await shown(page, 'routing-co-property_manager').click()
    await shown(page, 'routing-save').click()
    await shown(page, 'routing-notice').waitFor({ state: 'visible' })
    expect(await shown(page, 'routing-notice').textContent()).toContain('「房屋漏水」的分派规则已保存')
    const leakRow = shown(page, 'routing-table-row').filter({ hasText: '房屋漏水' })
    expect(await leakRow.getByTestId('routing-row-lead').textContent()).toBe('网格长')
    expect(await leakRow.getByTestId('routing-row-own').count()).toBe(1)

    const dry = shown(page, 'routing-dry-run')
    await dry.getByTestId('dry-run-building').filter({ hasText: /^21幢$/ }).click()
    await dry.getByTestId('dry-run-unit').filter({ hasText: /^1单元$/ }).click()
    await dry.getByTestId('dry-run-category-leak').click()
    await dry.getByTestId('dry-run-submit').click()
    const result = shown(page, 'dry-run-result')
    await result.waitFor({ state: 'visible' })
    expect(await shown(page, 'dry-run-handler').textContent()).toMatch(/^派给：网格长 王丽/)
    expect(await shown(page, 'dry-run-co').textContent()).toContain('冯涛')
    // The same answer as the API gives.
    const [unit] = await product.query<{ id: string; compound_id: string }>(
      `SELECT u.id, b.parent_id AS compound_id FROM place u JOIN place b ON b.id = u.parent_id WHERE u.name = '1单元' AND b.name = '21幢'`,
    )
    const admin = await staffToken(product.baseUrl, ADMIN)
    const api = await apiCall<{ handler: { name: string } | null; steps: string[] }>(
      product.baseUrl,
      admin,
      `/api/admin/compounds/${unit.compound_id}/routing/dry-run`,
      { query: { unitId: unit.id, category: 'leak' } },
    )
    expect(api.body.handler?.name).toBe('王丽')
    expect(await shown(page, 'dry-run-step').allTextContents()).toEqual(api.body.steps.map((step, i) => `${i + 1}. ${step}`))
    await shoot(page, 'admin-routing', () => result.waitFor({ state: 'visible' }))

    // Back to the default rule.
    await shown(page, 'routing-edit-leak').click()
    await shown(page, 'routing-reset').click()
    await shown(page, 'routing-notice').filter({ hasText: '已恢复默认规则' }).waitFor({ state: 'visible' })
    expect(await leakRow.getByTestId('routing-row-lead').textContent()).toBe('物业')
  })

  it('saves deadline settings after naming a bad value in Chinese, then restores the defaults', async () => {
    await shown(page, 'admin-nav-deadlines').click()
    await page.waitForURL(/\/admin\/pages\/deadlines\/index/)
    const form = shown(page, 'deadline-form')
    await form.waitFor({ state: 'visible' })
    expect(await form.getAttribute('data-overrides')).toBe('0')

    await field(page, 'deadline-input-acceptWithinMinutes').fill('半小时')
    await field(page, 'deadline-input-workdayEnd').fill('07:00')
    await shown(page, 'deadline-save').click()
    expect(await shown(page, 'deadline-error-acceptWithinMinutes').textContent()).toBe('受理时限请填写整数')
    expect(await shown(page, 'deadline-error-workdayEnd').textContent()).toBe('工作时间的结束须晚于开始')
    await shoot(page, 'admin-deadlines-errors', () => form.waitFor({ state: 'visible' }))

    await field(page, 'deadline-input-acceptWithinMinutes').fill('30')
    await field(page, 'deadline-input-workdayEnd').fill('')
    await shown(page, 'deadline-save').click()
    await page.waitForFunction(() => document.querySelector('[data-testid="deadline-form"][data-overrides="1"]') !== null)
    expect(await shown(page, 'deadline-notice').textContent()).toContain('已保存')
    const [compound] = await product.query<{ id: string }>(`SELECT id FROM place WHERE kind = 'compound' AND name = '石灰桥新村'`)
    const admin = await staffToken(product.baseUrl, ADMIN)
    const saved = await apiCall<{ overrides: Record<string, unknown>; effective: { acceptWithinMinutes: number } }>(
      product.baseUrl,
      admin,
      `/api/admin/compounds/${compound.id}/deadline-settings`,
    )
    expect(saved.body.overrides).toEqual({ acceptWithinMinutes: 30 })
    expect(saved.body.effective.acceptWithinMinutes).toBe(30)
    await shoot(page, 'admin-deadlines', () => form.waitFor({ state: 'visible' }))

    await shown(page, 'deadline-reset').click()
    await shown(page, 'confirm-ok').click()
    await page.waitForFunction(() => document.querySelector('[data-testid="deadline-form"][data-overrides="0"]') !== null)
    const reset = await apiCall<{ overrides: Record<string, unknown> }>(product.baseUrl, admin, `/api/admin/compounds/${compound.id}/deadline-settings`)
    expect(reset.body.overrides).toEqual({})
  })

  it('lists a failed notification and sends it again', async () => {
    // No WeChat in this run: make one message of the compound's requests a final failure, as 43101 would.
    const [failed] = await product.query<{ id: string }>(
      `UPDATE notification_outbox SET status = 'failed', attempts = 5, last_error = 'errcode 43101: user refuse to accept the msg'
        WHERE id = (SELECT id FROM notification_outbox WHERE ticket_id IS NOT NULL AND status <> 'sending' ORDER BY id LIMIT 1)
        RETURNING id`,
    )
    expect(failed).toBeDefined()
    await shown(page, 'admin-nav-notifications').click()
    await page.waitForURL(/\/admin\/pages\/notifications\/index/)
    const rows = shown(page, 'notifications-table-row')
    await rows.first().waitFor({ state: 'visible' })
    expect(await rows.count()).toBe(1)
    expect(await rows.first().textContent()).toContain('43101')
    await shoot(page, 'admin-notifications', () => rows.first().waitFor({ state: 'visible' }))

    await rows.first().getByTestId('notification-retry').click()
    const result = rows.first().getByTestId('notification-retry-result')
    await result.waitFor({ state: 'visible' })
    expect(await result.textContent()).toMatch(/^已重新排队/)
    const [after] = await product.query<{ status: string; attempts: number }>(`SELECT status, attempts FROM notification_outbox WHERE id = $1`, [failed.id])
    expect(after.status).not.toBe('failed')
  })

  it("shows the admin the metrics page's figures, as the API gives them, without the lists of requests", async () => {
    await shown(page, 'admin-nav-metrics').click()
    await page.waitForURL(/\/staff\/pages\/metrics\/index/)
    const root = shown(page, 'metrics')
    await shown(page, 'metrics-heat').waitFor({ state: 'visible' })
    await page.waitForFunction(() => document.querySelector('[data-testid="metrics"][data-loading="false"]') !== null)
    const scope = {
      placeId: (await root.getAttribute('data-place'))!,
      from: (await root.getAttribute('data-from'))!,
      to: (await root.getAttribute('data-to'))!,
    }
    const admin = await staffToken(product.baseUrl, ADMIN)
    const summary = (await apiCall<{ total: { received: number } & Record<(typeof METRIC_KEYS)[number], Ratio> }>(product.baseUrl, admin, '/api/metrics', { query: scope })).body
    expect(summary.total.received).toBeGreaterThanOrEqual(5) // the demo's 4 and the one filed in 21幢
    expect(await shown(page, 'metrics-received').textContent()).toBe(`收到诉求 ${summary.total.received} 件`)
    for (const key of METRIC_KEYS) {
      expect(await shown(page, `metric-${key}-counts`).textContent()).toBe(`(${summary.total[key].numerator}/${summary.total[key].denominator})`)
    }
    // The lists name requests: an admin's role does not read requests, so neither the page nor the API shows them.
    expect(await shown(page, 'metrics-lists-hidden').textContent()).toContain('管理员岗位只看统计数字')
    expect((await apiCall(product.baseUrl, admin, '/api/metrics/attention', { query: { placeId: scope.placeId } })).status).toBe(403)
    await shoot(page, 'admin-metrics', () => shown(page, 'metrics-heat').waitFor({ state: 'visible' }))
    await shown(page, 'staff-back').click()
    await page.waitForURL(/\/admin\/pages\/places\/index/)
  })

  it('lists staff, opens one, and shows the personal-data access log', async () => {
    await page.getByTestId('admin-nav-staff').click()
    await page.waitForURL(/\/admin\/pages\/staff\/index/)
    const table = page.getByTestId('staff-table')
    await table.waitFor({ state: 'visible' })
    expect(await table.textContent()).toContain('王丽')
    await shoot(page, 'admin-staff', () => table.waitFor({ state: 'visible' }))

    await page.getByTestId('staff-new').click()
    const form = page.getByTestId('staff-create')
    await form.waitFor({ state: 'visible' })
    await shoot(page, 'admin-staff-new', () => form.waitFor({ state: 'visible' }))

    await page.getByTestId('staff-table-row').filter({ hasText: '王丽' }).click()
    await page.waitForURL(/\/admin\/pages\/staff-detail\/index\?id=/)
    const detail = page.getByTestId('staff-detail')
    await detail.waitFor({ state: 'visible' })
    expect(await detail.textContent()).toContain('网格长 · 石灰桥新村')
    await shoot(page, 'admin-staff-detail', () => detail.waitFor({ state: 'visible' }))

    // The grid lead opens two requests in full: two more entries in the log (after those of the metrics
    // and public-summary steps above, which read a request in full too).
    const [{ count: logged }] = await product.query<{ count: string }>(`SELECT count(*) FROM access_log`)
    const token = await staffToken(product.baseUrl, GRID_LEAD)
    const tickets = await product.query<{ id: string }>(`SELECT id FROM ticket ORDER BY created_at LIMIT 2`)
    expect(tickets.length).toBe(2)
    const readRoute = await ticketReadRoute(product.baseUrl)
    for (const ticket of tickets) {
      const res = await fetch(`${product.baseUrl}${readRoute.replace('{id}', ticket.id)}`, {
        headers: { authorization: `Bearer ${token}` },
      })
      expect(res.status).toBe(200)
    }
    // She also opens a volunteer's contact on the resources list and the visit register in full: the same
    // log holds those reads (one entry for the resource, one per household shown in full).
    const [resource] = await product.query<{ id: string; compound_id: string; name: string }>(
      `SELECT id, compound_id, name FROM resource WHERE contact_phone IS NOT NULL ORDER BY name LIMIT 1`,
    )
    const asLead = { headers: { authorization: `Bearer ${token}` } }
    expect((await fetch(`${product.baseUrl}/api/resources/${resource.id}`, asLead)).status).toBe(200)
    const register = await fetch(`${product.baseUrl}/api/visits/households?compoundId=${resource.compound_id}`, asLead)
    expect(register.status).toBe(200)
    const households = ((await register.json()) as { households: { access: string }[] }).households
    const fullReads = households.filter((h) => h.access === 'full').length
    expect(fullReads).toBeGreaterThan(0)

    await shown(page, 'admin-nav-access-log').click()
    await page.waitForURL(/\/admin\/pages\/access-log\/index/)
    const rows = page.getByTestId('access-log-table-row')
    await rows.first().waitFor({ state: 'visible' })
    expect(await rows.count()).toBe(Number(logged) + 2 + 1 + fullReads)
    expect(await rows.first().textContent()).toContain('王丽（网格长）')
    expect(await rows.first().textContent()).toContain('走访名册：')
    const logText = (await page.getByTestId('access-log-table').textContent()) ?? ''
    expect(logText).toContain(`资源清单：${resource.name}`)
    expect(logText).toMatch(/诉求 MQ\d+/)
    // The register's entries name a building and unit, never a resident or a room.
    const residents = await product.query<{ name: string }>(
      `SELECT p->>'name' AS name FROM visit_household h, jsonb_array_elements(h.people) p WHERE h.compound_id = $1`,
      [resource.compound_id],
    )
    for (const { name } of residents) expect(logText).not.toContain(name)
    await shoot(page, 'admin-access-log', () => rows.first().waitFor({ state: 'visible' }))

    // Only the register's reads, by the subject filter.
    await page.getByTestId('access-log-subjects').getByText('走访名册', { exact: true }).click()
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="access-log-table-row"]').length === n,
      fullReads,
    )
    for (const text of await rows.allTextContents()) expect(text).toContain('走访名册：')
    await page.getByTestId('access-log-subjects').getByText('全部', { exact: true }).click()
    await rows.nth(Number(logged) + 2 + fullReads).waitFor({ state: 'visible' })
    await shoot(page, 'access-log-subjects', () => rows.first().waitFor({ state: 'visible' }))
    // 长辈模式 and the narrowest phone: the labels wrap, nothing runs off the side.
    await setElder(page, true)
    await shoot(page, 'access-log-subjects-elder', () => rows.first().waitFor({ state: 'visible' }))
    await page.setViewportSize({ width: 320, height: 640 })
    await settled(page)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320)
    await page.screenshot({ path: join(SHOTS, 'access-log-subjects-elder-320.png') })
    await setElder(page, false)
    await page.setViewportSize(DESKTOP)
  })

  it('sends a staff member whose session was revoked back to the login page with the reason', async () => {
    await page.evaluate(() => {
      const raw = localStorage.getItem('mq.session.staff')
      if (!raw) throw new Error('no staff session stored')
      // Taro keeps { data } in localStorage; forge a session the server does not know.
      const stored = JSON.parse(raw) as { data: { accessToken: string; refreshToken: string } }
      stored.data.accessToken = 'not-a-token'
      stored.data.refreshToken = 'not-a-refresh-token'
      localStorage.setItem('mq.session.staff', JSON.stringify(stored))
    })
    await shown(page, 'admin-nav-places').click()
    await page.waitForURL(/\/staff\/pages\/login\/index/)
    const notice = page.getByTestId('login-notice')
    await notice.waitFor({ state: 'visible' })
    expect(await notice.textContent()).toContain('登录已失效，请重新登录')
    await shoot(page, 'staff-login-expired', () => notice.waitFor({ state: 'visible' }))
  })

  it('takes other staff to their inbox, from where they can log out', async () => {
    await field(page, 'login-phone').fill(GRID_LEAD.phone)
    await field(page, 'login-password').fill(GRID_LEAD.password)
    await page.getByTestId('login-submit').click()
    await page.waitForURL(/\/staff\/pages\/home\/index/)
    const home = page.getByTestId('staff-home')
    await home.waitFor({ state: 'visible' })
    expect(await page.getByTestId('staff-home-roles').textContent()).toContain('网格长 · 石灰桥新村')
    await shoot(page, 'staff-home', () => home.waitFor({ state: 'visible' }))

    await page.getByTestId('staff-logout').click()
    await page.waitForURL(/\/staff\/pages\/login\/index/)
    await field(page, 'login-phone').waitFor({ state: 'visible' })
    expect(await page.evaluate(() => localStorage.getItem('mq.session.staff'))).toBeNull()
  })
})
