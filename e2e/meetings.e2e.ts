import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchBrowser, startProduct, type RunningProduct } from './harness'
import { personalData } from './personal-data'
import { DEMO_STAFF } from './tour'
import { api, fileRequest, setElder, settled, shootFullPage, shown, sidewaysOverflow, smallTapTargets, staffLoginPage, staffToken } from './ui'

/**
 * Joint meetings (联席会议 / 议事会) in the browser, against the built server with demo data: the demo has a
 * held 九长大会 with decisions and a planned 三方联动议事会. A resident files a complex request (房屋漏水);
 * the 网格长 opens 议事会 from the staff home at 375 px, plans a meeting, puts the request on its agenda
 * from the candidates, marks the meeting held and records a decision owned by 物业. The resident's own
 * detail page shows 议事会决定 on the public timeline, the public board shows it under 议事会决定, 物业
 * marks it done and the resident's timeline says so. The minutes PDF is rasterised with pdftoppm and its
 * text (pdftotext) holds none of the demo's names, phones or rooms. The page has no sideways overflow and
 * full-size tap targets at 320 px, normal and 长辈模式.
 * UPDATE_SCREENSHOTS=1 writes docs/screenshots/meetings/.
 */
const SHOTS = process.env.UPDATE_SCREENSHOTS
  ? resolve(__dirname, '..', 'docs', 'screenshots', 'meetings')
  : resolve(__dirname, '..', '.test-results', 'screenshots', 'meetings')
const PHONE = { width: 375, height: 812 }
const NARROW = { width: 320, height: 640 }
const SUMMARY = '物业三日内请防水公司上楼查看，先做临时封堵，十个工作日内修好屋面'
const INTERNAL = '楼上住户白天不在家，网格长先电话约好时间'
const DONE_NOTE = '屋面已修补，楼下天花板不再滴水'

function run(command: string, args: string[], cwd: string): string {
  const out = spawnSync(command, args, { cwd })
  if (out.status !== 0) throw new Error(`${command} failed: ${out.stderr.toString()}`)
  return out.stdout.toString()
}

/** Writes a value the way Taro's H5 storage does: `{ "data": value }` JSON in localStorage. */
async function setStored(page: Page, key: string, value: unknown): Promise<void> {
  await page.evaluate(([k, v]) => localStorage.setItem(k as string, JSON.stringify({ data: v })), [key, value] as const)
}

/** Full-page shots at the page's width in the normal look and in 长辈模式. */
async function shoot(page: Page, name: string): Promise<void> {
  await shootFullPage(page, join(SHOTS, `${name}.png`))
  await setElder(page, true)
  await shootFullPage(page, join(SHOTS, `${name}-elder.png`))
  await setElder(page, false)
  await settled(page)
}

interface Detail {
  id: string
  status: string
  agenda: { id: string; ticketId: string | null }[]
  decisions: { id: string; ticketId: string | null; publicSummary: string; status: string }[]
}

describe('H5: a joint meeting decides on a complex request; the decision shows on its public timeline and the board', () => {
  let product: RunningProduct
  let browser: Browser
  let staffContext: BrowserContext
  let residentContext: BrowserContext
  let staff: Page
  let resident: Page
  let compoundId: string
  let requestId: string
  let requestNumber: string
  let meetingId: string

  beforeAll(async () => {
    product = await startProduct()
    browser = await launchBrowser()
    await mkdir(SHOTS, { recursive: true })
    const [unit] = await product.query<{ id: string; compound_id: string }>(
      `SELECT u.id, b.parent_id AS compound_id FROM place u JOIN place b ON b.id = u.parent_id
        WHERE u.kind = 'unit' AND b.name = '4幢' ORDER BY u.sort_order LIMIT 1`,
    )
    compoundId = unit.compound_id
    // One resident: the browser signs in with the device secret, the API with a token for the same person.
    const secret = randomBytes(32).toString('base64url')
    const signedIn = await api<{ accessToken: string }>(product.baseUrl, '/api/auth/device', { json: { deviceSecret: secret } })
    const filed = await fileRequest<{ id: string; number: string; severity: string }>(product.baseUrl, signedIn.body.accessToken, {
      unitId: unit.id,
      category: 'leak',
      description: '我是陈阿姨，电话13912349988，401室天花板漏水三个月了，楼上一直不修',
    })
    expect(filed.severity).toBe('complex')
    requestId = filed.id
    requestNumber = filed.number
    staffContext = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
    staff = await staffContext.newPage()
    residentContext = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
    resident = await residentContext.newPage()
    await resident.goto(`${product.baseUrl}/api/health`)
    await setStored(resident, 'mq.deviceSecret', secret)
  })
  afterAll(async () => {
    await browser?.close()
    await product?.stop()
  })

  it('has the demo meetings: one held with decisions (one on a request), one planned', async () => {
    const token = await staffToken(product.baseUrl, DEMO_STAFF.gridLead)
    const list = await api<{ meetings: { id: string; status: string; decisionCount: number }[] }>(product.baseUrl, `/api/meetings?compoundId=${compoundId}`, { token })
    expect(list.status).toBe(200)
    expect(list.body.meetings.map((m) => m.status).sort()).toEqual(['held', 'planned'])
    const held = list.body.meetings.find((m) => m.status === 'held')!
    expect(held.decisionCount).toBe(3)
    const detail = await api<Detail>(product.baseUrl, `/api/meetings/${held.id}`, { token })
    expect(detail.body.decisions.filter((d) => d.ticketId !== null)).toHaveLength(2)
  })

  it('lets the 网格长 plan a meeting, put the complex request on its agenda, hold it and record a decision at 375 px', async () => {
    await staffLoginPage(staff, product.baseUrl, DEMO_STAFF.gridLead, /\/staff\/pages\/home\/index/)
    await shown(staff, 'inbox-meetings').click()
    await staff.waitForURL(/\/staff\/pages\/meetings\/index/)
    await shown(staff, 'meeting-row').first().waitFor({ state: 'visible' })
    await expect(shown(staff, 'meetings-compound').textContent()).resolves.toBe('石灰桥新村 · 议事会')
    await shoot(staff, 'list')

    await shown(staff, 'meeting-new-open').click()
    const form = shown(staff, 'meeting-new')
    await form.waitFor({ state: 'visible' })
    await form.locator('[data-testid="meeting-title"] input, input[data-testid="meeting-title"]').first().fill('4幢漏水联席会议')
    await form.locator('[data-testid="meeting-place"] input, input[data-testid="meeting-place"]').first().fill('社区议事厅')
    await form.getByTestId('meeting-kind-tripartite').click()
    await form.getByTestId('meeting-role-police').click()
    await shoot(staff, 'new')
    await form.getByTestId('meeting-create').click()

    const detail = shown(staff, 'meeting-detail')
    await detail.waitFor({ state: 'visible' })
    await expect(detail.getAttribute('data-status')).resolves.toBe('planned')
    // Attendees by role, with the names of the compound's staff holding each (staff only).
    await expect(detail.innerText()).resolves.toContain('王丽')
    await shown(staff, 'meeting-pick').click()
    const candidate = staff.locator(`[data-testid="meeting-candidate"][data-number="${requestNumber}"]`)
    await candidate.waitFor({ state: 'visible' })
    // The candidate's words are its public text: the name, phone and room are redacted.
    const words = await candidate.innerText()
    expect(words).toContain('复杂诉求')
    for (const secret of ['陈阿姨', '13912349988', '401']) expect(words).not.toContain(secret)
    await shoot(staff, 'candidates')
    await candidate.getByTestId('meeting-candidate-add').click()
    await shown(staff, 'meeting-agenda-item').filter({ hasText: requestNumber }).waitFor({ state: 'visible' })

    await shown(staff, 'meeting-held').click()
    await staff.locator('[data-testid="meeting-detail"][data-status="held"]').waitFor({ state: 'visible' })
    const decide = shown(staff, 'meeting-decide')
    await decide.waitFor({ state: 'visible' })
    await decide.getByTestId('meeting-owner-property_manager').click()
    await decide.locator('[data-testid="meeting-summary"] textarea, textarea[data-testid="meeting-summary"]').first().fill(SUMMARY)
    await decide.locator('[data-testid="meeting-internal"] textarea, textarea[data-testid="meeting-internal"]').first().fill(INTERNAL)
    await shoot(staff, 'decide')
    await decide.getByTestId('meeting-decide-save').click()
    const decision = shown(staff, 'meeting-decision').filter({ hasText: SUMMARY })
    await decision.waitFor({ state: 'visible' })
    await expect(decision.getAttribute('data-status')).resolves.toBe('open')
    await expect(decision.innerText()).resolves.toContain(INTERNAL)
    await decision.scrollIntoViewIfNeeded()
    await shoot(staff, 'detail')

    const token = await staffToken(product.baseUrl, DEMO_STAFF.gridLead)
    const list = await api<{ meetings: { id: string; title: string }[] }>(product.baseUrl, `/api/meetings?compoundId=${compoundId}`, { token })
    meetingId = list.body.meetings.find((m) => m.title === '4幢漏水联席会议')!.id
    const saved = await api<Detail>(product.baseUrl, `/api/meetings/${meetingId}`, { token })
    expect(saved.body.decisions).toEqual([expect.objectContaining({ ticketId: requestId, publicSummary: SUMMARY, status: 'open' })])
  })

  it('shows the decision on the request’s public timeline, as the resident sees it', async () => {
    await resident.goto(`${product.baseUrl}/pages/detail/index?id=${requestId}`)
    await shown(resident, 'detail-view').waitFor({ state: 'visible' })
    const timeline = shown(resident, 'timeline')
    await timeline.getByText('议事会决定', { exact: true }).waitFor({ state: 'visible' })
    const text = await timeline.innerText()
    expect(text).toContain(SUMMARY)
    expect(text).toContain('负责：物业')
    expect(text).not.toContain(INTERNAL)
    await timeline.scrollIntoViewIfNeeded()
    await settled(resident)
    await resident.screenshot({ path: join(SHOTS, 'resident-timeline.png') })
    await setElder(resident, true)
    await settled(resident)
    await shown(resident, 'timeline').scrollIntoViewIfNeeded()
    await resident.screenshot({ path: join(SHOTS, 'resident-timeline-elder.png') })
    await setElder(resident, false)
  })

  it('shows it on the public board under 议事会决定, by role and public words only', async () => {
    const board = await residentContext.newPage()
    await board.goto(`${product.baseUrl}/pages/board/index?compoundId=${compoundId}`)
    await shown(board, 'board-decisions').waitFor({ state: 'visible' })
    const mine = shown(board, 'board-decision').filter({ hasText: SUMMARY })
    await mine.waitFor({ state: 'visible' })
    await expect(mine.innerText()).resolves.toContain(`关于 ${requestNumber}`)
    await expect(mine.innerText()).resolves.toContain('负责：物业')
    await mine.scrollIntoViewIfNeeded()
    await settled(board)
    await board.screenshot({ path: join(SHOTS, 'board.png') })
    await setElder(board, true)
    await settled(board)
    await mine.scrollIntoViewIfNeeded()
    await board.screenshot({ path: join(SHOTS, 'board-elder.png') })
    await setElder(board, false)
    const personal = await demoPersonalData(product)
    const text = await board.locator('body').innerText()
    expect(personal.filter((v) => text.includes(v))).toEqual([])
    expect(text).not.toContain(INTERNAL)
    await board.close()
  })

  it('lets 物业 (the owner) mark it done, and the resident’s timeline says so', async () => {
    const pmContext = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
    const pm = await pmContext.newPage()
    await staffLoginPage(pm, product.baseUrl, DEMO_STAFF.property, /\/staff\/pages\/home\/index/)
    await pm.goto(`${product.baseUrl}/staff/pages/meetings/index?compoundId=${compoundId}&meetingId=${meetingId}`)
    const decision = shown(pm, 'meeting-decision').filter({ hasText: SUMMARY })
    await decision.waitFor({ state: 'visible' })
    await decision.locator('[data-testid="meeting-done-note"] textarea, textarea[data-testid="meeting-done-note"]').first().fill(DONE_NOTE)
    await decision.getByTestId('meeting-done').click()
    await pm.locator('[data-testid="meeting-decision"][data-status="done"]').filter({ hasText: DONE_NOTE }).waitFor({ state: 'visible' })
    await pmContext.close()

    await resident.goto(`${product.baseUrl}/pages/detail/index?id=${requestId}`)
    const timeline = shown(resident, 'timeline')
    await timeline.getByText('议事会决定已落实', { exact: true }).waitFor({ state: 'visible' })
    await expect(timeline.innerText()).resolves.toContain(`落实情况：${DONE_NOTE}`)
  })

  it('prints the minutes as a PDF with the agenda and decisions, and no personal data of residents in it', async () => {
    const token = await staffToken(product.baseUrl, DEMO_STAFF.gridLead)
    const res = await fetch(`${product.baseUrl}/api/meetings/${meetingId}/minutes.pdf`, { headers: { authorization: `Bearer ${token}` } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/pdf')
    const dir = await mkdtemp(join(tmpdir(), 'mq-minutes-'))
    try {
      await writeFile(join(dir, 'minutes.pdf'), Buffer.from(await res.arrayBuffer()))
      run('pdftoppm', ['-png', '-r', '110', '-f', '1', '-l', '1', '-singlefile', 'minutes.pdf', 'page'], dir)
      const png = await readFile(join(dir, 'page.png'))
      expect(png.subarray(1, 4).toString()).toBe('PNG')
      await writeFile(join(SHOTS, 'minutes-pdf.png'), png)
      const text = run('pdftotext', ['-layout', 'minutes.pdf', '-'], dir)
      const flat = text.replace(/\s+/g, '')
      expect(flat).toContain('三方联动议事会·会议纪要')
      expect(flat).toContain(requestNumber)
      expect(flat).toContain(SUMMARY)
      expect(flat).toContain(DONE_NOTE)
      const personal = await demoPersonalData(product)
      expect(personal.filter((v) => text.includes(v) || flat.includes(v))).toEqual([])
      expect(flat).not.toContain(INTERNAL)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
    // The demo's held meeting prints too (several decisions, one carried out).
    const list = await api<{ meetings: { id: string; status: string; title: string }[] }>(product.baseUrl, `/api/meetings?compoundId=${compoundId}`, { token })
    const demo = list.body.meetings.find((m) => m.title === '石灰桥新村九长大会（12月）')!
    const demoPdf = await fetch(`${product.baseUrl}/api/meetings/${demo.id}/minutes.pdf`, { headers: { authorization: `Bearer ${token}` } })
    const dir2 = await mkdtemp(join(tmpdir(), 'mq-minutes-'))
    try {
      await writeFile(join(dir2, 'minutes.pdf'), Buffer.from(await demoPdf.arrayBuffer()))
      run('pdftoppm', ['-png', '-r', '110', '-f', '1', '-l', '1', '-singlefile', 'minutes.pdf', 'page'], dir2)
      await writeFile(join(SHOTS, 'minutes-demo-pdf.png'), await readFile(join(dir2, 'page.png')))
      const text = run('pdftotext', ['-layout', 'minutes.pdf', '-'], dir2)
      const personal = await demoPersonalData(product)
      expect(personal.filter((v) => text.includes(v))).toEqual([])
    } finally {
      await rm(dir2, { recursive: true, force: true })
    }
  })

  it('fits 320 px with full-size tap targets, normal and 长辈模式', async () => {
    const narrow = await browser.newContext({ viewport: NARROW, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
    const page = await narrow.newPage()
    await staffLoginPage(page, product.baseUrl, DEMO_STAFF.gridLead, /\/staff\/pages\/home\/index/)
    for (const elder of [false, true]) {
      await setElder(page, elder)
      for (const url of [`?compoundId=${compoundId}`, `?compoundId=${compoundId}&meetingId=${meetingId}`]) {
        await page.goto(`${product.baseUrl}/staff/pages/meetings/index${url}`)
        await shown(page, url.includes('meetingId') ? 'meeting-detail' : 'meeting-row').first().waitFor({ state: 'visible' })
        await settled(page)
        expect(await sidewaysOverflow(page)).toBe(0)
        const { small } = await smallTapTargets(page, elder ? 48 : 44)
        expect(small).toEqual([])
        await shootFullPage(page, join(SHOTS, `${url.includes('meetingId') ? 'detail' : 'list'}${elder ? '-elder' : ''}-320.png`))
      }
    }
    await narrow.close()
  })
})

/** The demo's personal data (personal-data.ts), with the resident this file files for in its own words. */
async function demoPersonalData(product: RunningProduct): Promise<string[]> {
  const out = [...(await personalData(product)), '陈阿姨', '13912349988']
  expect(out).toEqual(expect.arrayContaining(['13700001111', '李明']))
  return out
}
