import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { deflateSync } from 'node:zlib'
import type { Browser, BrowserContext, Page, Request } from 'playwright-core'
import { redactPublicText } from '@mq/shared'
import { launchBrowser, startProduct, type RunningProduct } from './harness'
import { contentHeight, setElder, settled, shown, sidewaysOverflow, smallTapTargets, staffToken } from './ui'

/**
 * The resident's half in the browser (H5), against the built server on its own database with demo data:
 * scan a demo unit's QR URL → file with a photo → 我的反映 → (物业 accepts and resolves through the API)
 * → resolved → rate 5 → closed; then a submit whose reply is lost on the way back, retried with the same
 * Idempotency-Key, files exactly one request. Every resident page at 375 px in normal and 长辈模式 is
 * photographed (UPDATE_SCREENSHOTS=1 writes docs/screenshots/resident-*.png) and checked at 320 px for
 * sideways scrolling and for 44 px tap targets.
 */
const SHOTS = process.env.UPDATE_SCREENSHOTS
  ? resolve(__dirname, '..', 'docs', 'screenshots')
  : resolve(__dirname, '..', '.test-results', 'screenshots', 'resident')
const PROPERTY_MANAGER = { phone: '13800000008', password: 'Demo@2026' }
const ADMIN = { phone: '13800000014', password: 'Demo@2026' }
const PHONE = { width: 375, height: 812 }
const NARROW = { width: 320, height: 640 }

// ------------------------------------------------------------------------------------------------
// A real PNG to upload (a small sky-and-ground picture), built here so the test needs no fixture file.

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(bytes: Buffer): number {
  let c = 0xffffffff
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}

function photoPng(width = 160, height = 120): Buffer {
  const rows: Buffer[] = []
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3)
    for (let x = 0; x < width; x++) {
      const ground = y > height * 0.6
      row[1 + x * 3] = ground ? 90 : 120 + Math.round((x / width) * 60)
      row[2 + x * 3] = ground ? 90 : 170
      row[3 + x * 3] = ground ? 100 : 230
    }
    rows.push(row)
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header[8] = 8 // bit depth
  header[9] = 2 // truecolour
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

// ------------------------------------------------------------------------------------------------

/**
 * A full-page screenshot at 375 px in normal and in 长辈模式, then the same page at 320 px in both modes
 * without sideways scrolling and with every tap target at least 44 px. Ends in normal mode at 375 px.
 */
async function shootAndCheck(page: Page, name: string, ready: () => Promise<unknown>): Promise<void> {
  for (const elder of [false, true]) {
    await setElder(page, elder)
    await page.setViewportSize(PHONE)
    await settled(page)
    await ready()
    // Grow the viewport to the content (which may still grow as the taller viewport lays out).
    for (let i = 0, height = 0; i < 3; i++) {
      const next = Math.min(8000, Math.max(PHONE.height, await contentHeight(page)))
      if (next === height) break
      height = next
      await page.setViewportSize({ width: PHONE.width, height })
      await settled(page)
    }
    await page.screenshot({ path: join(SHOTS, `resident-${name}${elder ? '-elder' : ''}-375.png`) })

    await page.setViewportSize(NARROW)
    await settled(page)
    expect({ page: name, elder, overflow: await sidewaysOverflow(page) }).toEqual({ page: name, elder, overflow: 0 })
    const targets = await smallTapTargets(page, 44)
    // Every page has at least the 长辈模式 switch.
    expect(targets.count).toBeGreaterThan(0)
    expect({ page: name, elder, small: targets.small }).toEqual({ page: name, elder, small: [] })
  }
  await setElder(page, false)
  await page.setViewportSize(PHONE)
}

async function staffAction(baseUrl: string, token: string, id: string, action: string, body: unknown): Promise<{ state: string }> {
  const res = await fetch(`${baseUrl}/api/requests/${id}/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  })
  const json = (await res.json()) as { state: string }
  expect({ action, status: res.status, json }).toEqual({ action, status: 200, json: expect.objectContaining({ state: expect.any(String) }) })
  return json
}

/** A photo uploaded by staff (the fix's photo), its id. */
async function staffPhoto(baseUrl: string, token: string): Promise<string> {
  const form = new FormData()
  form.append('file', new Blob([new Uint8Array(photoPng())], { type: 'image/png' }), '修好了.png')
  const res = await fetch(`${baseUrl}/api/photos`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form })
  expect(res.status).toBe(201)
  return ((await res.json()) as { id: string }).id
}

function ticketIdFrom(url: string): string {
  const id = new URL(url).searchParams.get('id')
  if (!id) throw new Error(`no id in ${url}`)
  return id
}

async function fillReport(page: Page, description: string): Promise<void> {
  await shown(page, 'category-facilities').click()
  await shown(page, 'report-promise').waitFor({ state: 'visible' })
  await shown(page, 'report-description').locator('textarea').fill(description)
}

describe('H5: a resident files, follows up and rates a request', () => {
  let product: RunningProduct
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let token: string
  let ticketId: string
  let followedNumber: string
  const DESCRIPTION = '3幢2单元三楼楼道灯坏了，晚上看不清台阶，老人上下楼很危险。'

  beforeAll(async () => {
    product = await startProduct()
    browser = await launchBrowser()
    context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' })
    page = await context.newPage()
    await mkdir(SHOTS, { recursive: true })
    const [code] = await product.query<{ token: string }>(
      `SELECT q.token FROM qr_code q JOIN place u ON u.id = q.unit_id JOIN place b ON b.id = u.parent_id
        WHERE q.revoked_at IS NULL AND b.name = '3幢' AND u.name = '2单元'`,
    )
    token = code.token
  })
  afterAll(async () => {
    await context?.close()
    await browser?.close()
    await product?.stop()
  })

  it('opens the QR URL of a demo unit: place, who handles what, the building’s open requests, the board card', async () => {
    await page.goto(`${product.baseUrl}/q/${token}`)
    await page.waitForURL(/\/pages\/scan\/index\?token=/)
    const place = shown(page, 'scan-place')
    await place.waitFor({ state: 'visible' })
    expect(await place.textContent()).toContain('3幢 · 2单元')
    expect(await shown(page, 'scan-handlers').textContent()).toContain('负责：')
    expect(await shown(page, 'scan-board').textContent()).toContain('查看公示栏')
    // The demo's open request in 3幢, offered for 「我也遇到了」.
    await shown(page, 'follow-button').first().waitFor({ state: 'visible' })
    await shootAndCheck(page, 'scan', () => shown(page, 'follow-item').first().waitFor({ state: 'visible' }))

    // 「我也遇到了」 (+1) on it: followed, and it will show in 我的反映 as one I follow.
    const followed = shown(page, 'follow-item').first()
    followedNumber = ((await followed.textContent()) ?? '').match(/MQ\d+/)?.[0] ?? ''
    expect(followedNumber).toMatch(/^MQ\d+$/)
    await followed.getByTestId('follow-button').click()
    await followed.getByTestId('follow-done').waitFor({ state: 'visible' })
  })

  it('files a request with a photo, showing the promise before sending', async () => {
    await shown(page, 'scan-report').click()
    await page.waitForURL(/\/pages\/report\/index\?token=/)
    await shown(page, 'report-categories').waitFor({ state: 'visible' })
    await fillReport(page, DESCRIPTION)
    // The deadline itself: today, or tomorrow when filed after the day's cut-off (17:00).
    expect(await shown(page, 'report-promise-by').textContent()).toMatch(/^(今天|明天) 23:59 前办结$/)
    expect(await shown(page, 'report-counter').textContent()).toBe(`${DESCRIPTION.length}/1000`)

    await page.getByTestId('report-photo-input').setInputFiles({ name: '楼道灯.png', mimeType: 'image/png', buffer: photoPng() })
    await page.locator('[data-testid="report-photo"][data-status="done"]').waitFor({ state: 'visible' })
    await shootAndCheck(page, 'report', () => shown(page, 'report-promise').waitFor({ state: 'visible' }))

    await shown(page, 'report-submit').click()
    await page.waitForURL(/\/pages\/detail\/index\?id=.*&filed=1/)
    ticketId = ticketIdFrom(page.url())
    await shown(page, 'detail-filed').waitFor({ state: 'visible' })
    expect(await shown(page, 'detail-description').textContent()).toBe(DESCRIPTION)
    expect(await shown(page, 'detail-handler-name').textContent()).toContain('物业')
    expect(await shown(page, 'detail-countdown').textContent()).toMatch(/^还剩 /)
    // The photo came back from the server (behind the resident's token).
    await page.locator('[data-testid="detail-report-photos"] img[src^="blob:"]').filter({ visible: true }).first().waitFor()
    // No subscription prompt in a browser.
    expect(await page.getByTestId('detail-subscribe').count()).toBe(0)

    const rows = await product.query<{ state: string; photos: string }>(
      `SELECT t.state, (SELECT count(*) FROM photo p WHERE p.ticket_id = t.id) AS photos FROM ticket t WHERE t.id = $1`,
      [ticketId],
    )
    expect(rows).toEqual([{ state: 'submitted', photos: '1' }])
  })

  it('chases once, then waits with the time until the next chase shown', async () => {
    await shown(page, 'chase-button').click()
    await shown(page, 'chase-wait').waitFor({ state: 'visible' })
    expect(await shown(page, 'chase-wait').textContent()).toBe('刚催过，2小时后可以再催')
    expect(await shown(page, 'chase-button').getAttribute('aria-disabled')).toBe('true')
    await shootAndCheck(page, 'detail-open', () => shown(page, 'detail-view').waitFor({ state: 'visible' }))
  })

  it('lists it in 我的反映', async () => {
    await shown(page, 'detail-mine').click()
    await page.waitForURL(/\/pages\/mine\/index/)
    const item = shown(page, 'mine-item').filter({ hasText: DESCRIPTION })
    await item.waitFor({ state: 'visible' })
    expect(await item.textContent()).toContain('待受理')
    expect(await item.textContent()).toContain('我反映的')
    const following = shown(page, 'mine-item').filter({ hasText: followedNumber })
    expect(await following.textContent()).toContain('我关注的')
    await shootAndCheck(page, 'mine', () => item.waitFor({ state: 'visible' }))
  })

  it('sees it resolved after 物业 accepts and resolves it, rates it 5 and sees it closed', async () => {
    const staff = await staffToken(product.baseUrl, PROPERTY_MANAGER)
    expect((await staffAction(product.baseUrl, staff, ticketId, 'accept', {})).state).toBe('accepted')
    // The resident sent a photo of a 公共设施报修: resolving it takes a photo of the fix.
    const resolved = await staffAction(product.baseUrl, staff, ticketId, 'resolve', {
      note: '已更换三楼楼道灯泡，并检查了整栋楼道照明。',
      photoIds: [await staffPhoto(product.baseUrl, staff)],
    })
    expect(resolved.state).toBe('resolved')

    await shown(page, 'mine-refresh').click()
    const item = shown(page, 'mine-item').filter({ hasText: DESCRIPTION })
    await item.filter({ hasText: '已办结' }).waitFor({ state: 'visible' })
    await item.locator('.mq-request__main').click()
    await page.waitForURL(/\/pages\/detail\/index\?id=/)
    await shown(page, 'rating-form').waitFor({ state: 'visible' })
    expect(await shown(page, 'state-badge').first().textContent()).toBe('已办结待评价')
    expect(await shown(page, 'detail-resolution').textContent()).toContain('已更换三楼楼道灯泡')
    await shootAndCheck(page, 'detail-resolved', () => shown(page, 'rating-form').waitFor({ state: 'visible' }))

    // The kit's Rate: the fifth star.
    await shown(page, 'rating-stars').locator('.nut-rate-item').nth(4).click()
    await shown(page, 'rating-tag').filter({ hasText: '解决彻底' }).click()
    await shown(page, 'rating-comment').locator('textarea').fill('修得很快，谢谢！')
    await shown(page, 'rating-submit').click()
    await shown(page, 'detail-rating').waitFor({ state: 'visible' })
    expect(await shown(page, 'state-badge').first().textContent()).toBe('已销号')
    expect(await shown(page, 'detail-rating').textContent()).toContain('★★★★★')
    expect(await page.getByTestId('rating-form').filter({ visible: true }).count()).toBe(0)
    await shootAndCheck(page, 'detail-closed', () => shown(page, 'detail-rating').waitFor({ state: 'visible' }))

    const [row] = await product.query<{ state: string }>(`SELECT state FROM ticket WHERE id = $1`, [ticketId])
    expect(row.state).toBe('closed')
  })

  it('shows the public board from the scan page, with the closed request and no personal data of the demo', async () => {
    await page.goto(`${product.baseUrl}/q/${token}`)
    await shown(page, 'scan-board-open').click()
    await page.waitForURL(/\/pages\/board\/index\?compoundId=/)
    const compoundId = new URL(page.url()).searchParams.get('compoundId')!
    const mine = shown(page, 'board-item').filter({ hasText: '已更换三楼楼道灯泡' })
    await mine.waitFor({ state: 'visible' })
    await shootAndCheck(page, 'board', () => mine.waitFor({ state: 'visible' }))

    // Every name, phone and openid the demo holds (residents, staff, proxy entries), every room, and every
    // request's description that holds personal data (the public text of the others is the description
    // itself): none may be on the board page or in the board's API answer.
    const personal = await product.query<{ value: string }>(
      `SELECT value FROM (
         SELECT unnest(ARRAY[name, phone, openid]) AS value FROM resident
         UNION SELECT unnest(ARRAY[name, phone]) FROM staff
         UNION SELECT unnest(ARRAY[proxy_name, proxy_phone, room]) FROM ticket
       ) v WHERE value IS NOT NULL AND length(value) >= 2`,
    )
    const descriptions = await product.query<{ description: string }>(`SELECT description FROM ticket`)
    const privateDescriptions = descriptions.map((d) => d.description).filter((d) => redactPublicText(d) !== d)
    personal.push(...privateDescriptions.map((value) => ({ value })))
    expect(personal.map((p) => p.value)).toEqual(expect.arrayContaining(['13800000008', '冯涛']))
    const pageText = await page.locator('body').innerText()
    const api = await (await fetch(`${product.baseUrl}/api/board/${compoundId}?pageSize=100`)).text()
    expect(pageText).toContain('已更换三楼楼道灯泡')
    const found = personal.map((p) => p.value).filter((v) => pageText.includes(v) || api.includes(v))
    expect(found).toEqual([])
  })

  it('files exactly once when the reply to a submit is lost and the app retries with the same Idempotency-Key', async () => {
    const description = '2单元门口的门禁坏了，刷卡开不了门。'
    const seen: { key: string | null; outcome: 'cut' | 'through'; status: number }[] = []
    await page.route('**/api/requests', async (route) => {
      const request: Request = route.request()
      if (request.method() !== 'POST') return route.continue()
      const key = (await request.allHeaders())['idempotency-key'] ?? null
      if (seen.length === 0) {
        // The server gets it and answers; the answer never reaches the phone.
        const response = await route.fetch()
        seen.push({ key, outcome: 'cut', status: response.status() })
        return route.abort('connectionreset')
      }
      const response = await route.fetch()
      seen.push({ key, outcome: 'through', status: response.status() })
      return route.fulfill({ response })
    })

    await page.goto(`${product.baseUrl}/pages/report/index?token=${token}`)
    await shown(page, 'report-categories').waitFor({ state: 'visible' })
    await fillReport(page, description)
    await shown(page, 'report-submit').click()
    await page.waitForURL(/\/pages\/detail\/index\?id=.*&filed=1/, { timeout: 20_000 })
    await shown(page, 'detail-filed').waitFor({ state: 'visible' })
    await page.unroute('**/api/requests')

    // The first reached the server (201) and was cut; the retry carried the same key and got the original (200).
    expect(seen.map((s) => [s.outcome, s.status])).toEqual([
      ['cut', 201],
      ['through', 200],
    ])
    expect(seen[0].key).toMatch(/^[0-9a-f-]{36}$/)
    expect(seen[1].key).toBe(seen[0].key)
    const rows = await product.query<{ id: string }>(`SELECT id FROM ticket WHERE description = $1`, [description])
    expect(rows).toHaveLength(1)
    expect(rows[0].id).toBe(ticketIdFrom(page.url()))
  })

  it('shows friendly pages for a replaced and an unknown code, and the how-to page', async () => {
    // An admin re-issues the code of 1幢 1单元: the old poster's code is now "replaced".
    const [old] = await product.query<{ token: string; unit_id: string }>(
      `SELECT q.token, q.unit_id FROM qr_code q JOIN place u ON u.id = q.unit_id JOIN place b ON b.id = u.parent_id
        WHERE q.revoked_at IS NULL AND b.name = '1幢' AND u.name = '1单元'`,
    )
    const admin = await staffToken(product.baseUrl, ADMIN)
    const reissue = await fetch(`${product.baseUrl}/api/admin/places/${old.unit_id}/qr`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}` },
    })
    expect(reissue.status).toBeLessThan(300)
    // (A browser opening /q/<old> gets the server's 410 notice; in WeChat the code arrives as the scan page's `q`.)
    await page.goto(`${product.baseUrl}/pages/scan/index?q=${encodeURIComponent(`${product.baseUrl}/q/${old.token}`)}`)
    await shown(page, 'scan-replaced').waitFor({ state: 'visible' })
    await shootAndCheck(page, 'scan-replaced', () => shown(page, 'scan-replaced').waitFor({ state: 'visible' }))
    await page.goto(`${product.baseUrl}/pages/scan/index?token=NoSuchCode12345`)
    await shown(page, 'scan-invalid').waitFor({ state: 'visible' })
    await shootAndCheck(page, 'scan-invalid', () => shown(page, 'scan-invalid').waitFor({ state: 'visible' }))

    await page.goto(`${product.baseUrl}/pages/index/index`)
    await shown(page, 'home-steps').waitFor({ state: 'visible' })
    await shootAndCheck(page, 'home', () => shown(page, 'home-steps').waitFor({ state: 'visible' }))
  })
})
