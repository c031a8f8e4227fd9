import { mkdir, readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import ExcelJS from 'exceljs'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchBrowser, startProduct, type RunningProduct } from './harness'

/**
 * Screenshots of the staff login and every admin page, at phone and desktop widths. Every run writes
 * them under .test-results/ to look at; UPDATE_SCREENSHOTS=1 refreshes the committed ones in docs/.
 */
const SHOTS = process.env.UPDATE_SCREENSHOTS
  ? resolve(__dirname, '..', '..', 'docs', 'screenshots')
  : resolve(__dirname, '..', '..', '.test-results', 'screenshots', 'admin')
const ADMIN = { phone: '13800000014', password: 'Demo@2026' }
const GRID_LEAD = { phone: '13800000001', password: 'Demo@2026' }
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
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

/**
 * Taro's H5 page scrolls inside its own container (.taro_page), so a "full page" screenshot is taken
 * by growing the viewport to the content's height.
 */
async function contentHeight(page: Page): Promise<number> {
  return page.evaluate(() => {
    const pages = Array.from(document.querySelectorAll<HTMLElement>('.taro_page')).filter((p) => p.offsetParent !== null)
    return Math.max(document.documentElement.scrollHeight, ...pages.map((p) => p.scrollHeight))
  })
}

/** A full-page screenshot at phone and at desktop width, ending at desktop width. */
async function shoot(page: Page, name: string, ready: () => Promise<unknown>): Promise<void> {
  for (const [size, suffix] of [
    [PHONE, '375'],
    [DESKTOP, '1280'],
  ] as const) {
    await page.setViewportSize(size)
    // Taro's H5 root font size and the console's layout both follow resizes.
    await page.waitForTimeout(600)
    await ready()
    const height = Math.min(6000, Math.max(size.height, await contentHeight(page)))
    await page.setViewportSize({ width: size.width, height })
    await page.waitForTimeout(300)
    await page.screenshot({ path: join(SHOTS, `${name}-${suffix}.png`) })
  }
  await page.setViewportSize(DESKTOP)
}

/** Taro keeps pages below the top of the stack in the DOM (hidden): act on the one shown. */
function shown(page: Page, testId: string) {
  return page.getByTestId(testId).filter({ visible: true })
}

/** A place's name in the tree (exactly that name). */
function placeName(page: Page, name: string) {
  return page.getByTestId('place-row-name').filter({ hasText: new RegExp(`^${name}$`) })
}

async function noHorizontalScroll(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
}

async function apiLogin(baseUrl: string, who: { phone: string; password: string }): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/staff/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(who),
  })
  expect(res.status).toBe(200)
  return ((await res.json()) as { accessToken: string }).accessToken
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

  beforeAll(async () => {
    product = await startProduct()
    browser = await launchBrowser()
    context = await browser.newContext({ viewport: DESKTOP, acceptDownloads: true, locale: 'zh-CN' })
    page = await context.newPage()
    await mkdir(SHOTS, { recursive: true })
  })
  afterAll(async () => {
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

    // The grid lead opens two requests in full: two entries in the log.
    const token = await apiLogin(product.baseUrl, GRID_LEAD)
    const tickets = await product.query<{ id: string }>(`SELECT id FROM ticket ORDER BY created_at LIMIT 2`)
    expect(tickets.length).toBe(2)
    const readRoute = await ticketReadRoute(product.baseUrl)
    for (const ticket of tickets) {
      const res = await fetch(`${product.baseUrl}${readRoute.replace('{id}', ticket.id)}`, {
        headers: { authorization: `Bearer ${token}` },
      })
      expect(res.status).toBe(200)
    }

    await shown(page, 'admin-nav-access-log').click()
    await page.waitForURL(/\/admin\/pages\/access-log\/index/)
    const rows = page.getByTestId('access-log-table-row')
    await rows.first().waitFor({ state: 'visible' })
    expect(await rows.count()).toBe(2)
    expect(await rows.first().textContent()).toContain('王丽（网格长）')
    await shoot(page, 'admin-access-log', () => rows.first().waitFor({ state: 'visible' }))
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
