import ExcelJS from 'exceljs'
import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchBrowser, startProduct, type RunningProduct } from './harness'
import { DEMO_STAFF } from './tour'
import { field, setElder, settled, shootFullPage, shown, sidewaysOverflow, staffLoginPage } from './ui'

/**
 * The resources list (资源清单) in the browser at 375 px, against the built server with demo data: the
 * 网格长 imports a resource sheet from the page — first one with mistakes (every bad row listed by its row
 * number, nothing imported), then a good one; opens the demo's 生活需求与助老 request, goes to 匹配资源,
 * picks a volunteer, names 物业 as the owner with a working-day date, and ticks the match off (销号) with a
 * note back on the request page. UPDATE_SCREENSHOTS=1 writes docs/screenshots/resources/.
 */
const SHOTS = process.env.UPDATE_SCREENSHOTS
  ? resolve(__dirname, '..', 'docs', 'screenshots', 'resources')
  : resolve(__dirname, '..', '.test-results', 'screenshots', 'resources')
const PHONE = { width: 375, height: 812 }
const NARROW = { width: 320, height: 700 }
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
const HEADER = ['类型', '名称', '技能或服务', '开放时间', '地址或说明', '联系人', '联系电话', '可用情况']

async function sheet(rows: string[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  const ws = workbook.addWorksheet('资源清单')
  ws.addRow(HEADER)
  for (const row of rows) ws.addRow(row)
  return Buffer.from(await workbook.xlsx.writeBuffer())
}

describe('H5: the resources list imported from a sheet, a request matched to a volunteer and ticked off', () => {
  let product: RunningProduct
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let ticketId: string

  beforeAll(async () => {
    product = await startProduct()
    browser = await launchBrowser()
    context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' })
    page = await context.newPage()
    await mkdir(SHOTS, { recursive: true })
    const [ticket] = await product.query<{ id: string }>(`SELECT id FROM ticket WHERE category = 'elderly_care' ORDER BY created_at LIMIT 1`)
    ticketId = ticket.id
  })
  afterAll(async () => {
    await browser?.close()
    await product?.stop()
  })

  const shoot = async (name: string) => {
    for (const [suffix, viewport] of [
      ['', PHONE],
      ['-320', NARROW],
    ] as const) {
      await page.setViewportSize(viewport)
      await settled(page)
      expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0)
      await shootFullPage(page, join(SHOTS, `${name}${suffix}.png`))
      await setElder(page, true)
      await settled(page)
      expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0)
      await shootFullPage(page, join(SHOTS, `${name}${suffix}-elder.png`))
      await setElder(page, false)
    }
    await page.setViewportSize(PHONE)
    await settled(page)
  }

  it('imports a sheet: row errors first, in Chinese with row numbers and nothing written; then a good sheet', async () => {
    await staffLoginPage(page, product.baseUrl, DEMO_STAFF.gridLead, /\/staff\/pages\/home\/index/)
    await shown(page, 'inbox-resources').click()
    await page.waitForURL(/\/staff\/pages\/resources\/index/)
    await shown(page, 'resources-compound').waitFor({ state: 'visible' })
    expect(await shown(page, 'resources-compound').textContent()).toBe('石灰桥新村 · 资源清单')
    expect(await shown(page, 'resource-item').count()).toBe(11) // the demo's units, volunteers and venues
    // Contacts are masked in the list; the 网格长 may open one in full.
    const volunteer = shown(page, 'resource-item').filter({ hasText: '李秀英' })
    expect(await volunteer.getByTestId('resource-contact').textContent()).toBe('李** 139****0103')
    await shoot('list')

    await shown(page, 'resources-import-open').click()
    await shown(page, 'resource-import').waitFor({ state: 'visible' })
    const before = await product.query<{ n: number }>(`SELECT count(*)::int AS n FROM resource`)
    await shown(page, 'resource-import-file').setInputFiles({
      name: '资源-有误.xlsx',
      mimeType: XLSX,
      buffer: await sheet([
        ['志愿者', '赵阿姨', '包饺子', '', '6幢', '赵桂兰', '13900000201', '周末'],
        ['学校', '求是小学', '', '', '', '', '', ''],
        ['场地', '老年活动中心', '下棋', '', '', '', '', ''],
        ['志愿者', '钱师傅', '修自行车', '', '', '钱', '12345', ''],
      ]),
    })
    const errors = shown(page, 'resource-import-errors')
    await errors.waitFor({ state: 'visible' })
    const rows = await errors.getByTestId('resource-import-error').allTextContents()
    expect(rows).toEqual([
      '第 3 行类型「学校」不对，须为 单位、志愿者 或 场地',
      '第 4 行场地须填写开放时间',
      '第 5 行联系电话须为手机号或带区号的座机号',
    ])
    expect(await product.query<{ n: number }>(`SELECT count(*)::int AS n FROM resource`)).toEqual(before)
    await shoot('import-errors')

    await shown(page, 'resource-import-file').setInputFiles({
      name: '资源.xlsx',
      mimeType: XLSX,
      buffer: await sheet([
        ['志愿者', '赵阿姨', '包饺子、陪聊', '', '6幢', '赵桂兰', '13900000201', '周末'],
        ['场地', '老年活动中心', '下棋、书法', '每天 8:00-17:00', '8幢一楼', '', '', ''],
      ]),
    })
    const result = shown(page, 'resource-import-result')
    await result.waitFor({ state: 'visible' })
    expect(await result.textContent()).toContain('新增 2 项，更新 0 项')
    await shown(page, 'resource-item').filter({ hasText: '赵阿姨' }).waitFor({ state: 'visible' })
    expect(await shown(page, 'resource-item').count()).toBe(13)

    // Search by skill.
    await field(page, 'resources-search').fill('陪诊')
    await shown(page, 'resources-search-go').click()
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="resource-item"]').length > 0)
    await shown(page, 'resource-item').first().waitFor({ state: 'visible' })
    await page.waitForFunction(
      () => Array.from(document.querySelectorAll<HTMLElement>('[data-testid="resource-item"]')).filter((e) => e.offsetParent !== null).length === 1,
    )
    expect(await shown(page, 'resource-item').getAttribute('data-name')).toBe('李秀英')
  })

  it('matches the request to a volunteer with an owner and a working-day date, and ticks it off (销号)', async () => {
    await page.goto(`${product.baseUrl}/staff/pages/request/index?id=${ticketId}`)
    const card = shown(page, 'resource-matches')
    await card.waitFor({ state: 'visible' })
    await card.getByTestId('resource-match-open').click()
    await page.waitForURL(/\/staff\/pages\/resources\/index\?ticketId=/)
    const panel = shown(page, 'match-panel')
    await panel.waitFor({ state: 'visible' })
    await shown(page, 'resource-item').filter({ hasText: '李秀英' }).getByTestId('resource-pick').click()
    expect(await shown(page, 'match-picked').textContent()).toBe('李秀英')
    await shown(page, 'match-owner-property_manager').click()
    const target = (await shown(page, 'match-target-value').textContent())!
    await field(page, 'match-note').fill('上门理发，约好上午九点')
    await shoot('match')
    await shown(page, 'match-save').click()
    await shown(page, 'match-saved').waitFor({ state: 'visible' })
    const item = shown(page, 'match-item').filter({ hasText: '李秀英' })
    await item.waitFor({ state: 'visible' })
    expect(await item.getByTestId('match-owner').textContent()).toBe('冯涛')
    expect(await item.getByTestId('match-target').textContent()).toBe(target)
    const [row] = await product.query<{ status: string; target: string; owner_role: string | null }>(
      `SELECT m.status, to_char(m.target_date, 'YYYY-MM-DD') AS target, m.owner_role FROM resource_match m WHERE m.subject_id = $1`,
      [ticketId],
    )
    expect(row).toEqual({ status: 'open', target, owner_role: null })

    // Back on the request page: the match is shown to staff, and its maker ticks it off with a note.
    await page.goto(`${product.baseUrl}/staff/pages/request/index?id=${ticketId}`)
    const match = shown(page, 'resource-matches').getByTestId('match-item').filter({ hasText: '李秀英' })
    await match.waitFor({ state: 'visible' })
    expect(await match.getAttribute('data-status')).toBe('open')
    await match.locator('[data-testid="match-done-note"] textarea, textarea[data-testid="match-done-note"]').first().fill('李阿姨已上门理发，老人满意')
    await match.getByTestId('match-done').click()
    await page.waitForFunction(
      () =>
        Array.from(document.querySelectorAll<HTMLElement>('[data-testid="match-item"]')).some(
          (e) => e.offsetParent !== null && e.dataset.status === 'done',
        ),
    )
    const done = shown(page, 'resource-matches').getByTestId('match-item').filter({ hasText: '李秀英' })
    expect(await done.getByTestId('match-status').textContent()).toBe('已销号')
    expect(await done.getByTestId('match-done-text').textContent()).toBe('王丽：李阿姨已上门理发，老人满意')
    const [after] = await product.query<{ status: string; done_note: string }>(`SELECT status, done_note FROM resource_match WHERE subject_id = $1`, [ticketId])
    expect(after).toEqual({ status: 'done', done_note: '李阿姨已上门理发，老人满意' })
    await shown(page, 'resource-matches').scrollIntoViewIfNeeded()
    await shoot('request-matches')
  })
})
