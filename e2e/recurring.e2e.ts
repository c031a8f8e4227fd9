import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchBrowser, startProduct, type RunningProduct } from './harness'
import { personalData } from './personal-data'
import { DEMO_STAFF } from './tour'
import { api, fileRequest, residentToken, setElder, settled, shown, staffLoginPage, staffToken } from './ui'

/** The QR decoder and PNG reader the server's poster specs use (server's dev dependencies). */
const fromServer = createRequire(resolve(__dirname, '..', 'server', 'package.json'))
const jsQR = fromServer('jsqr') as (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null
const { PNG } = fromServer('pngjs') as { PNG: { sync: { read(png: Buffer): { width: number; height: number; data: Buffer } } } }

/**
 * Recurring problems (重点问题) and the quarterly 公开承诺 report in the browser, against the built server
 * with demo data: three requests of one category in one building filed through the API are proposed; the
 * compound secretary adopts the problem on the staff page with an owner, a plan and a date and adds
 * progress; the public board shows it; the report's PDF is rasterised with pdftoppm and its QR code leads
 * back to the board; neither the PDF's text nor the board carries the demo's names or phones. The street
 * supervisor reaches the compound's 重点问题 from 考核排名 (community → the compound's 「重点问题」), adopts
 * another problem and dismisses a third, then finds it folded under 已决定不列入; from 诉求统计 the page
 * offers the street's compounds to pick from.
 * UPDATE_SCREENSHOTS=1 writes docs/screenshots/recurring/.
 */
const SHOTS = process.env.UPDATE_SCREENSHOTS
  ? resolve(__dirname, '..', 'docs', 'screenshots', 'recurring')
  : resolve(__dirname, '..', '.test-results', 'screenshots', 'recurring')
const PHONE = { width: 375, height: 812 }
const STREET = { phone: '13800000012', password: 'Demo@2026' }
const RANKING_SHOTS = process.env.UPDATE_SCREENSHOTS
  ? resolve(__dirname, '..', 'docs', 'screenshots', 'ranking')
  : resolve(__dirname, '..', '.test-results', 'screenshots', 'ranking')

function decodeQr(png: Buffer): string | null {
  const image = PNG.sync.read(png)
  return jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length), image.width, image.height)?.data ?? null
}

async function run(command: string, args: string[], cwd: string): Promise<string> {
  const out = spawnSync(command, args, { cwd })
  if (out.status !== 0) throw new Error(`${command} failed: ${out.stderr.toString()}`)
  return out.stdout.toString()
}

describe('H5: a recurring problem proposed, adopted and shown; the quarterly report as a PDF', () => {
  let product: RunningProduct
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let compoundId: string
  let buildingId: string

  beforeAll(async () => {
    product = await startProduct()
    browser = await launchBrowser()
    context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' })
    page = await context.newPage()
    await mkdir(SHOTS, { recursive: true })
    // 5幢 of the demo compound: three 环境卫生 requests filed now by three residents.
    const [unit] = await product.query<{ id: string; compound_id: string; building_id: string }>(
      `SELECT u.id, b.parent_id AS compound_id, b.id AS building_id FROM place u JOIN place b ON b.id = u.parent_id
        WHERE u.kind = 'unit' AND b.name = '5幢' ORDER BY u.sort_order LIMIT 1`,
    )
    compoundId = unit.compound_id
    buildingId = unit.building_id
    for (const words of ['5幢门口垃圾没人清运', '5幢楼下绿化带有死老鼠', '5幢地下车库积水发臭']) {
      await fileRequest(product.baseUrl, await residentToken(product.baseUrl), { unitId: unit.id, category: 'sanitation', description: words })
    }
    // 6幢: three 公共设施报修 (the street supervisor adopts them); 7幢: three 环境卫生 (dismissed).
    for (const [building, category, words] of [
      ['6幢', 'facilities', ['6幢单元门禁坏了进不去', '6幢楼道声控灯不亮', '6幢信报箱门脱落']],
      ['7幢', 'sanitation', ['7幢楼下有人乱倒装修垃圾', '7幢垃圾桶满了溢出来', '7幢绿化带有烟头']],
    ] as const) {
      const [u] = await product.query<{ id: string }>(
        `SELECT u.id FROM place u JOIN place b ON b.id = u.parent_id WHERE u.kind = 'unit' AND b.name = $1 ORDER BY u.sort_order LIMIT 1`,
        [building],
      )
      for (const w of words) await fileRequest(product.baseUrl, await residentToken(product.baseUrl), { unitId: u.id, category, description: w })
    }
    // A second compound of the street (石桥社区 › 石桥花园), so the picker has two to offer.
    const [street] = await product.query<{ id: string; path: string[] }>(`SELECT id, path FROM place WHERE kind = 'street'`)
    const [community] = await product.query<{ id: string; path: string[] }>(
      `INSERT INTO place (id, kind, name, parent_id, path, sort_order)
       SELECT id, 'community', '石桥社区', $1, $2::uuid[] || id, 1 FROM (SELECT gen_random_uuid() AS id) g RETURNING id, path`,
      [street.id, street.path],
    )
    await product.query(
      `INSERT INTO place (id, kind, name, parent_id, path, sort_order)
       SELECT id, 'compound', '石桥花园', $1, $2::uuid[] || id, 1 FROM (SELECT gen_random_uuid() AS id) g`,
      [community.id, community.path],
    )
  })
  afterAll(async () => {
    await browser?.close()
    await product?.stop()
  })

  it('proposes the problem, the secretary adopts it on the staff page and adds progress', async () => {
    const token = await staffToken(product.baseUrl, DEMO_STAFF.secretary)
    const listed = await api<{ proposed: { key: string; requests: unknown[] }[] }>(product.baseUrl, `/api/recurring?compoundId=${compoundId}`, { token })
    expect(listed.status).toBe(200)
    const proposal = listed.body.proposed.find((p) => p.key === `building:${buildingId}:sanitation`)
    expect(proposal?.requests).toHaveLength(3)

    await staffLoginPage(page, product.baseUrl, DEMO_STAFF.secretary, /\/staff\/pages\/home\/index/)
    await page.goto(`${product.baseUrl}/staff/pages/recurring/index?compoundId=${compoundId}`)
    const card = shown(page, 'recurring-proposed').filter({ hasText: '5幢「环境卫生」' })
    await card.waitFor({ state: 'visible' })
    await settled(page)
    await page.screenshot({ path: join(SHOTS, 'staff-proposed.png'), fullPage: true })
    await setElder(page, true)
    await settled(page)
    await page.screenshot({ path: join(SHOTS, 'staff-proposed-elder.png'), fullPage: true })
    await setElder(page, false)
    await card.getByTestId('recurring-owner-property_manager').click()
    await card.locator('[data-testid="recurring-plan"] textarea, textarea[data-testid="recurring-plan"]').first().fill('物业每天清运两次，绿化带和车库每周消杀')
    await card.getByTestId('recurring-adopt').click()
    const adopted = shown(page, 'recurring-adopted').filter({ hasText: '5幢「环境卫生」' })
    await adopted.waitFor({ state: 'visible' })
    await adopted.locator('[data-testid="recurring-note"] textarea, textarea[data-testid="recurring-note"]').first().fill('已增加一班清运，车库积水已抽干')
    await adopted.getByTestId('recurring-add-progress').click()
    await adopted.getByTestId('recurring-progress').filter({ hasText: '车库积水已抽干' }).waitFor({ state: 'visible' })
    await settled(page)
    await page.screenshot({ path: join(SHOTS, 'staff-adopted.png'), fullPage: true })
  })

  it('lets the street supervisor reach the compound’s 重点问题 from 考核排名, adopt one and dismiss another', async () => {
    const street = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' })
    const sp = await street.newPage()
    await mkdir(RANKING_SHOTS, { recursive: true })
    await staffLoginPage(sp, product.baseUrl, STREET, /\/staff\/pages\/home\/index/)
    await sp.goto(`${product.baseUrl}/staff/pages/ranking/index`)
    await sp.locator('[data-testid="ranking-row"]:visible', { hasText: '石灰桥社区' }).first().click()
    const row = sp.locator('[data-testid="ranking-row"]:visible', { hasText: '石灰桥新村' }).first()
    await row.waitFor({ state: 'visible' })
    await settled(sp)
    await row.scrollIntoViewIfNeeded()
    await sp.screenshot({ path: join(RANKING_SHOTS, 'community-recurring-link.png') })
    await setElder(sp, true)
    await settled(sp)
    await row.scrollIntoViewIfNeeded()
    await sp.screenshot({ path: join(RANKING_SHOTS, 'community-recurring-link-elder.png') })
    await setElder(sp, false)
    await row.getByTestId('ranking-row-recurring').click()
    await sp.waitForURL(new RegExp(`/staff/pages/recurring/index\\?compoundId=${compoundId}`))
    await expect(shown(sp, 'recurring-picked').textContent()).resolves.toBe('石灰桥社区 · 石灰桥新村')

    const card = shown(sp, 'recurring-proposed').filter({ hasText: '6幢「公共设施报修」' })
    await card.waitFor({ state: 'visible' })
    await card.getByTestId('recurring-owner-property_manager').click()
    await card.locator('textarea[data-testid="recurring-plan"], [data-testid="recurring-plan"] textarea').first().fill('物业一周内修好门禁、楼道灯和信报箱')
    await card.getByTestId('recurring-adopt').click()
    await shown(sp, 'recurring-adopted').filter({ hasText: '6幢「公共设施报修」' }).waitFor({ state: 'visible' })

    const other = shown(sp, 'recurring-proposed').filter({ hasText: '7幢「环境卫生」' })
    await other.locator('textarea[data-testid="recurring-reason"], [data-testid="recurring-reason"] textarea').first().fill('装修垃圾已由城管处理，其余已分别办结')
    await other.getByTestId('recurring-dismiss').click()
    const dismissed = shown(sp, 'recurring-dismissed')
    await dismissed.waitFor({ state: 'visible' })
    await dismissed.getByTestId('recurring-dismissed-toggle').click()
    const item = dismissed.getByTestId('recurring-dismissed-item').filter({ hasText: '7幢「环境卫生」' })
    await item.waitFor({ state: 'visible' })
    await expect(item.getByTestId('recurring-dismissed-who').textContent()).resolves.toMatch(/^街道 · \d{4}-\d{2}-\d{2} 不列入$/)
    await expect(item.getByTestId('recurring-dismissed-reason').textContent()).resolves.toBe('理由：装修垃圾已由城管处理，其余已分别办结')
    await settled(sp)
    await dismissed.scrollIntoViewIfNeeded()
    await sp.screenshot({ path: join(SHOTS, 'street-dismissed.png') })
    await setElder(sp, true)
    await settled(sp)
    await dismissed.scrollIntoViewIfNeeded()
    await sp.screenshot({ path: join(SHOTS, 'street-dismissed-elder.png') })
    await setElder(sp, false)
    const token = await staffToken(product.baseUrl, STREET)
    const listed = await api<{ adopted: { title: string }[]; dismissed: { title: string }[] }>(product.baseUrl, `/api/recurring?compoundId=${compoundId}`, { token })
    expect(listed.body.adopted.map((a) => a.title)).toEqual(expect.arrayContaining(['6幢「公共设施报修」30天内3次']))
    expect(listed.body.dismissed.map((a) => a.title)).toEqual(['7幢「环境卫生」30天内3次'])

    // From 诉求统计 (the street's figures): the page offers the street's compounds by community.
    await sp.goto(`${product.baseUrl}/staff/pages/metrics/index`)
    await shown(sp, 'metrics-recurring').click()
    await sp.waitForURL(/\/staff\/pages\/recurring\/index$/)
    const picker = shown(sp, 'recurring-picker')
    await picker.waitFor({ state: 'visible' })
    await expect(picker.getAttribute('data-open')).resolves.toBe('true')
    await expect(sp.locator('[data-testid="recurring-compound-choice"]:visible').allTextContents()).resolves.toEqual(['石灰桥新村', '石桥花园'])
    await settled(sp)
    await sp.screenshot({ path: join(SHOTS, 'street-picker.png'), fullPage: true })
    await setElder(sp, true)
    await settled(sp)
    await sp.screenshot({ path: join(SHOTS, 'street-picker-elder.png'), fullPage: true })
    await setElder(sp, false)
    await sp.locator('[data-testid="recurring-compound-choice"]:visible', { hasText: '石灰桥新村' }).click()
    await expect(shown(sp, 'recurring-compound').textContent()).resolves.toBe('石灰桥新村 · 重点问题')
    await street.close()
  })

  it('shows the adopted problem and the quarter’s figures on the public board, without personal data', async () => {
    const board = await context.newPage()
    await board.goto(`${product.baseUrl}/pages/board/index?compoundId=${compoundId}`)
    const problem = shown(board, 'board-problem').filter({ hasText: '5幢「环境卫生」' })
    await problem.waitFor({ state: 'visible' })
    await expect(problem.innerText()).resolves.toContain('负责：物业')
    await expect(problem.innerText()).resolves.toContain('车库积水已抽干')
    await shown(board, 'board-report').waitFor({ state: 'visible' })
    await settled(board)
    await shown(board, 'board-report').scrollIntoViewIfNeeded()
    await board.screenshot({ path: join(SHOTS, 'board.png') })
    await problem.scrollIntoViewIfNeeded()
    await board.screenshot({ path: join(SHOTS, 'board-problem.png') })
    await setElder(board, true)
    await settled(board)
    await shown(board, 'board-report').scrollIntoViewIfNeeded()
    await board.screenshot({ path: join(SHOTS, 'board-elder.png') })
    await setElder(board, false)

    const personal = await demoPersonalData(product)
    const text = await board.locator('body').innerText()
    const report = await (await fetch(`${product.baseUrl}/api/board/${compoundId}/report`)).text()
    expect(personal.filter((v) => text.includes(v) || report.includes(v))).toEqual([])
    await board.close()
  })

  it('prints the report on one A4 page whose QR code opens the board, with no personal data in its text', async () => {
    const res = await fetch(`${product.baseUrl}/api/board/${compoundId}/report.pdf`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/pdf')
    const dir = await mkdtemp(join(tmpdir(), 'mq-report-'))
    try {
      await writeFile(join(dir, 'report.pdf'), Buffer.from(await res.arrayBuffer()))
      await run('pdftoppm', ['-png', '-r', '150', '-singlefile', 'report.pdf', 'page'], dir)
      const png = await readFile(join(dir, 'page.png'))
      await writeFile(join(SHOTS, 'report-pdf.png'), png)
      const url = decodeQr(png)
      expect(url).toMatch(new RegExp(`/pages/board/index\\?compoundId=${compoundId}$`))
      const text = await run('pdftotext', ['-layout', 'report.pdf', '-'], dir)
      expect(text).toContain('公开承诺报告')
      expect(text).toContain('5幢「环境卫生」')
      expect(text).toContain('物业')
      const personal = await demoPersonalData(product)
      expect(personal.filter((v) => text.includes(v))).toEqual([])
      // The board the code opens is the one the test saw.
      const opened = await context.newPage()
      await opened.goto(`${product.baseUrl}${new URL(url!).pathname}${new URL(url!).search}`)
      await shown(opened, 'board-problem').first().waitFor({ state: 'visible' })
      await opened.close()
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

/** The demo's personal data (personal-data.ts), checked to hold the demo's 物业. */
async function demoPersonalData(product: RunningProduct): Promise<string[]> {
  const out = await personalData(product)
  expect(out).toEqual(expect.arrayContaining(['13800000008', '冯涛']))
  return out
}
