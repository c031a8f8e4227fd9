import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import ExcelJS from 'exceljs'
import { LEDGER_COLUMNS, maskName, maskPhone } from '@mq/shared'
import type { Browser, Page } from 'playwright-core'
import { launchBrowser, startProduct, type RunningProduct } from './harness'
import { api, contentHeight, setElder, settled, shown, staffLoginPage, staffToken, type StaffLogin } from './ui'

/**
 * The work ledger (工作台账) from the staff home and from the admin console: downloaded through the UI in
 * the browser, opened with ExcelJS; a full-data role's file names the resident, a masked role's and the
 * admin's do not.
 */
const SHOTS = resolve(__dirname, '..', '.test-results', 'screenshots', 'ledger')
const PASSWORD = 'Demo@2026'
const GRID_LEAD: StaffLogin = { phone: '13800000001', password: PASSWORD }
const POLICE: StaffLogin = { phone: '13800000002', password: PASSWORD }
const PROPERTY_MANAGER: StaffLogin = { phone: '13800000008', password: PASSWORD }
const ADMIN: StaffLogin = { phone: '13800000014', password: PASSWORD }
const RESIDENT = { name: '钱秀兰', phone: '13912345678' }
const PHONE = { width: 375, height: 812 }

type Row = Record<string, string>

/** Clicks 导出台账 and opens the file the browser saves. */
async function exportFromPage(page: Page): Promise<{ rows: Row[]; filename: string }> {
  const download = page.waitForEvent('download', { timeout: 60_000 })
  await shown(page, 'ledger-start').click()
  const file = await download
  const path = join(SHOTS, `download-${Date.now()}.xlsx`)
  await file.saveAs(path)
  await shown(page, 'ledger-done').waitFor({ state: 'visible' })
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.readFile(path)
  const sheet = workbook.getWorksheet('工作台账')
  if (!sheet) throw new Error('no 工作台账 sheet')
  const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String)
  expect(header).toEqual(LEDGER_COLUMNS.map((c) => c.header))
  for (const column of ['问题描述', '公示内容', '沟通条数', '反映照片', '办结照片']) expect(header).toContain(column)
  const rows: Row[] = []
  sheet.eachRow((row, n) => {
    if (n === 1) return
    const values = (row.values as unknown[]).slice(1)
    rows.push(Object.fromEntries(header.map((h, i) => [h, String(values[i] ?? '')])))
  })
  return { rows, filename: file.suggestedFilename() }
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.setViewportSize(PHONE)
  await settled(page)
  const height = Math.min(4000, Math.max(PHONE.height, await contentHeight(page)))
  await page.setViewportSize({ width: PHONE.width, height })
  await settled(page)
  await page.screenshot({ path: join(SHOTS, `${name}.png`) })
  await page.setViewportSize(PHONE)
}

describe('工作台账 from the staff and admin UI', () => {
  let product: RunningProduct
  let browser: Browser
  let number: string

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true })
    product = await startProduct()
    browser = await launchBrowser()
    const [unit] = await product.query<{ id: string }>(
      `SELECT u.id FROM place u
         JOIN membership m ON m.place_id = ANY(u.path)
         JOIN staff s ON s.id = m.staff_id
        WHERE s.phone = $1 AND u.kind = 'unit' ORDER BY u.name LIMIT 1`,
      [PROPERTY_MANAGER.phone],
    )
    const lead = await staffToken(product.baseUrl, GRID_LEAD)
    const filed = await api<{ number: string }>(product.baseUrl, '/api/requests/proxy', {
      token: lead,
      json: {
        unitId: unit.id,
        category: 'facilities',
        description: `楼道灯坏了一个星期，晚上看不见，我电话${RESIDENT.phone}`,
        channel: 'phone',
        residentName: RESIDENT.name,
        residentPhone: RESIDENT.phone,
      },
      headers: { 'Idempotency-Key': `ledger-e2e-${Date.now()}` },
    })
    expect(filed.status).toBe(201)
    number = filed.body.number
  })

  afterAll(async () => {
    await browser?.close()
    await product?.stop()
  })

  async function staffPage(who: StaffLogin, lands: RegExp): Promise<Page> {
    const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' })
    const page = await context.newPage()
    await staffLoginPage(page, product.baseUrl, who, lands)
    return page
  }

  it('物业 exports from the staff home: the request with its description and the resident in full', async () => {
    const page = await staffPage(PROPERTY_MANAGER, /\/staff\/pages\/home\/index/)
    await shown(page, 'inbox-ledger').click()
    await page.waitForURL(/\/admin\/pages\/ledger\/index/)
    await shown(page, 'ledger-form').waitFor({ state: 'visible' })
    await expect(shown(page, 'ledger-privacy').textContent()).resolves.toContain('完整导出')
    await shoot(page, 'staff-ledger-375')
    const { rows, filename } = await exportFromPage(page)
    expect(filename).toMatch(/^工作台账-.+\.xlsx$/)
    expect(await shown(page, 'ledger-done').textContent()).toMatch(/共 \d+ 条诉求/)
    const row = rows.find((r) => r.编号 === number)
    expect(row).toBeDefined()
    expect(row).toMatchObject({ 反映人: RESIDENT.name, 联系电话: RESIDENT.phone, 分类: '公共设施报修', 渠道: expect.any(String) })
    expect(row!.问题描述).toContain('楼道灯坏了')
    expect(row!.公示内容).toContain('楼道灯坏了')
    expect(row!.公示内容).not.toContain(RESIDENT.phone)
    expect(row!.沟通条数).toBe('0')
    await shoot(page, 'staff-ledger-done-375')
    await setElder(page, true)
    await shoot(page, 'staff-ledger-elder-375')
    await setElder(page, false)
    // Each unmasked row was logged for the property manager.
    const [logged] = await product.query<{ n: string }>(
      `SELECT count(*) AS n FROM access_log a JOIN staff s ON s.id = a.staff_id JOIN ticket t ON t.id = a.ticket_id
        WHERE s.phone = $1 AND t.number = $2`,
      [PROPERTY_MANAGER.phone, Number(number.replace(/\D/g, ''))],
    )
    expect(Number(logged.n)).toBeGreaterThan(0)
    await page.context().close()
  })

  it('民警 (a masked role) gets masked names and phones', async () => {
    const page = await staffPage(POLICE, /\/staff\/pages\/home\/index/)
    await shown(page, 'inbox-ledger').click()
    await page.waitForURL(/\/admin\/pages\/ledger\/index/)
    await expect(shown(page, 'ledger-privacy').textContent()).resolves.toContain('脱敏')
    const { rows } = await exportFromPage(page)
    const row = rows.find((r) => r.编号 === number)
    expect(row).toMatchObject({ 反映人: maskName(RESIDENT.name), 联系电话: maskPhone(RESIDENT.phone) })
    const personal = JSON.stringify(rows.map((r) => [r.反映人, r.联系电话, r.房号]))
    expect(personal).not.toContain(RESIDENT.name)
    expect(personal).not.toContain(RESIDENT.phone)
    await page.context().close()
  })

  it('the admin exports from the console, personal data masked', async () => {
    const page = await staffPage(ADMIN, /\/admin\/pages\//)
    await shown(page, 'admin-nav-ledger').click()
    await page.waitForURL(/\/admin\/pages\/ledger\/index/)
    await shown(page, 'ledger-form').waitFor({ state: 'visible' })
    await shoot(page, 'admin-ledger-375')
    const { rows } = await exportFromPage(page)
    const row = rows.find((r) => r.编号 === number)
    expect(row).toMatchObject({ 反映人: maskName(RESIDENT.name), 联系电话: maskPhone(RESIDENT.phone) })
    expect(JSON.stringify(rows.map((r) => [r.反映人, r.联系电话]))).not.toContain(RESIDENT.phone)
    await shoot(page, 'admin-ledger-done-375')
    await page.context().close()
  })
})
