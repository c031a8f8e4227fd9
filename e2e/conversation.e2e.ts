import { randomBytes } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { deflateSync } from 'node:zlib'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchBrowser, startProduct, type RunningProduct } from './harness'
import { api, field, fileRequest, setElder, settled, shootFullPage, shown, staffLoginPage, staffToken } from './ui'

/**
 * The conversation in the browser (H5), against the built server: 物业 asks the resident for more (请居民
 * 补充) on the handling page; the resident answers on their detail page with words and a photo; the
 * request resumes at once and the deadline shown moves later by the time it waited; 物业 reads the answer
 * in the thread. A resident withdraws (撤回) a request nobody has accepted; once accepted the button is
 * gone and the API answers 409. The thread is photographed at 375 px in normal and 长辈模式
 * (UPDATE_SCREENSHOTS=1 writes docs/screenshots/conversation-*.png).
 */
const SHOTS = process.env.UPDATE_SCREENSHOTS
  ? resolve(__dirname, '..', 'docs', 'screenshots')
  : resolve(__dirname, '..', '.test-results', 'screenshots', 'conversation')
const PROPERTY_MANAGER = { phone: '13800000008', password: 'Demo@2026' }
const PHONE = { width: 375, height: 812 }
/** How long the request waits for the resident: set on the stored pause, as if they answered later. */
const PAUSE_MINUTES = 120

/** A small real PNG (sky over ground) to attach, built here so the test needs no fixture file. */
function photoPng(width = 120, height = 90): Buffer {
  const table = Array.from({ length: 256 }, (_, n) => {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    return c >>> 0
  })
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff
    for (const b of bytes) c = table[(c ^ b) & 0xff] ^ (c >>> 8)
    return (c ^ 0xffffffff) >>> 0
  }
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4)
    length.writeUInt32BE(data.length)
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
    const sum = Buffer.alloc(4)
    sum.writeUInt32BE(crc(body))
    return Buffer.concat([length, body, sum])
  }
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
  header[8] = 8
  header[9] = 2
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/** HH:MM of an instant in Asia/Shanghai, as the pages show times. */
function shanghaiClock(iso: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    new Date(iso),
  )
}

/** Writes a value the way Taro's H5 storage does: `{ "data": value }` JSON in localStorage. */
async function setStored(page: Page, key: string, value: unknown): Promise<void> {
  await page.evaluate(([k, v]) => localStorage.setItem(k as string, JSON.stringify({ data: v })), [key, value] as const)
}

interface View {
  id: string
  state: string
  resolveBy: string | null
  nextDueAt: string | null
  viewer: { commands: string[] }
  timeline: { type: string; data: Record<string, unknown> }[]
}

describe('H5: the conversation between a resident and the handler, and 撤回', () => {
  let product: RunningProduct
  let browser: Browser
  let residentContext: BrowserContext
  let staffContext: BrowserContext
  let resident: Page
  let staff: Page
  let residentApi: string
  let pm: string
  let unitId: string

  const detail = async (id: string) => {
    await resident.goto(`${product.baseUrl}/pages/detail/index?id=${id}`)
    await shown(resident, 'detail-view').waitFor({ state: 'visible' })
  }
  const read = async (id: string, token = residentApi) => {
    const res = await api<View>(product.baseUrl, `/api/requests/${id}`, { token })
    expect(res.status).toBe(200)
    return res.body
  }

  beforeAll(async () => {
    product = await startProduct()
    browser = await launchBrowser()
    await mkdir(SHOTS, { recursive: true })
    const [unit] = await product.query<{ unit_id: string }>(
      `SELECT q.unit_id FROM qr_code q JOIN place u ON u.id = q.unit_id JOIN place b ON b.id = u.parent_id
        WHERE q.revoked_at IS NULL AND b.name = '3幢' AND u.name = '2单元'`,
    )
    unitId = unit.unit_id
    // One resident: the browser signs in with the device secret, the API with a token for the same person.
    const secret = randomBytes(32).toString('base64url')
    const signedIn = await api<{ accessToken: string }>(product.baseUrl, '/api/auth/device', { json: { deviceSecret: secret } })
    residentApi = signedIn.body.accessToken
    pm = await staffToken(product.baseUrl, PROPERTY_MANAGER)

    residentContext = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
    resident = await residentContext.newPage()
    await resident.goto(`${product.baseUrl}/api/health`)
    await setStored(resident, 'mq.deviceSecret', secret)
    staffContext = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
    staff = await staffContext.newPage()
    await staffLoginPage(staff, product.baseUrl, PROPERTY_MANAGER, /\/staff\/pages\/home\/index/)
  })
  afterAll(async () => {
    await residentContext?.close()
    await staffContext?.close()
    await browser?.close()
    await product?.stop()
  })

  it('物业 asks; the resident answers with words and a photo; the clock resumes, later by the pause; 物业 reads it', async () => {
    const { id } = await fileRequest<{ id: string }>(product.baseUrl, residentApi, {
      unitId,
      category: 'facilities',
      description: '3幢2单元楼道灯不亮，晚上看不见台阶。',
    })
    // Filed three hours ago, so that a pause of two hours falls inside its resolution window.
    await product.query(
      `UPDATE ticket SET created_at = created_at - interval '3 hours', clock_started_at = clock_started_at - interval '3 hours'
        WHERE id = $1`,
      [id],
    )
    expect((await api(product.baseUrl, `/api/requests/${id}/accept`, { token: pm, json: {} })).status).toBe(200)
    const dueBefore = (await read(id)).resolveBy!

    // The handler asks on the handling page.
    await staff.goto(`${product.baseUrl}/staff/pages/request/index?id=${id}`)
    await staff.locator('[data-testid="request"][data-state="accepted"]').filter({ visible: true }).waitFor()
    await shown(staff, 'action-wait').click()
    await field(staff, 'wait-question').fill('请问是几楼的灯？最好拍张照片。')
    await shown(staff, 'action-submit').click()
    await staff.locator('[data-testid="request"][data-state="waiting_resident"]').filter({ visible: true }).waitFor()

    // The resident sees the question and the words for it; the clock is stopped.
    await detail(id)
    expect(await shown(resident, 'state-badge').first().textContent()).toBe('等您补充')
    expect(await shown(resident, 'detail-question').textContent()).toContain('请问是几楼的灯？')
    expect(await resident.getByTestId('detail-due').filter({ visible: true }).count()).toBe(0)

    // They answer two hours later (the stored pause starts then).
    await product.query(
      `UPDATE ticket SET pauses = jsonb_set(pauses, ARRAY[(jsonb_array_length(pauses) - 1)::text, 'start'],
              to_jsonb(to_char((now() - $2 * interval '1 minute') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))
        WHERE id = $1`,
      [id, PAUSE_MINUTES],
    )
    await field(resident, 'answer-text').fill('是三楼的灯，照片在这里。')
    await resident.getByTestId('answer-photo-input').setInputFiles({ name: '三楼.png', mimeType: 'image/png', buffer: photoPng() })
    await resident.locator('[data-testid="answer-photo"][data-status="done"]').filter({ visible: true }).waitFor()
    await shown(resident, 'answer-send').click()
    await resident.locator('[data-testid="detail-view"][data-state="accepted"]').filter({ visible: true }).waitFor()

    // The clock runs again: the deadline is later by exactly the pause, and the page shows the new one.
    const after = await read(id)
    expect(after.state).toBe('accepted')
    expect((new Date(after.resolveBy!).getTime() - new Date(dueBefore).getTime()) / 60_000).toBeCloseTo(PAUSE_MINUTES, 0)
    expect(after.nextDueAt).toBe(after.resolveBy)
    expect(await shown(resident, 'detail-due').textContent()).toContain(shanghaiClock(after.resolveBy!))
    expect(await shown(resident, 'state-badge').first().textContent()).toBe('处理中')
    const thread = shown(resident, 'thread')
    expect(await thread.textContent()).toContain('是三楼的灯，照片在这里。')
    await resident.locator('[data-testid="thread-photos"] img[src^="blob:"]').filter({ visible: true }).first().waitFor()
    // Any open request takes 补充说明 now.
    await shown(resident, 'addition-box').waitFor({ state: 'visible' })

    // 物业 reads the answer with its photo, and writes back to the resident.
    await staff.reload()
    await shown(staff, 'request-thread').waitFor({ state: 'visible' })
    expect(await shown(staff, 'request-thread').textContent()).toContain('是三楼的灯，照片在这里。')
    await staff.locator('[data-testid="request-thread-photos"] img').filter({ visible: true }).first().waitFor()
    await field(staff, 'request-thread-text').fill('收到，今天下午换灯。')
    await shown(staff, 'request-thread-send').click()
    await shown(staff, 'action-done').waitFor({ state: 'visible' })
    await shootFullPage(staff, join(SHOTS, 'conversation-staff-375.png'))

    // The resident reads the reply, newest last; the thread photographed in both looks.
    await detail(id)
    const items = resident.locator('[data-testid="thread-item"]').filter({ visible: true })
    await until(async () => (await items.count()) === 2)
    expect(await items.last().textContent()).toContain('物业')
    for (const elder of [false, true]) {
      await setElder(resident, elder)
      await settled(resident)
      await shown(resident, 'detail-thread').scrollIntoViewIfNeeded()
      await shootFullPage(resident, join(SHOTS, `conversation-thread${elder ? '-elder' : ''}-375.png`))
    }
    await setElder(resident, false)
  })

  it('withdraws a request nobody has accepted; once accepted, no button and 409', async () => {
    const early = await fileRequest<{ id: string }>(product.baseUrl, residentApi, {
      unitId,
      category: 'facilities',
      description: '单元门口的路灯一闪一闪。',
    })
    await detail(early.id)
    expect(await shown(resident, 'state-badge').first().textContent()).toBe('待受理')
    await shown(resident, 'withdraw-open').click()
    await shown(resident, 'withdraw-dialog').waitFor({ state: 'visible' })
    await field(resident, 'withdraw-reason').fill('刚才又好了')
    await shown(resident, 'withdraw-confirm').click()
    await resident.locator('[data-testid="detail-view"][data-state="withdrawn"]').filter({ visible: true }).waitFor()
    expect(await shown(resident, 'state-badge').first().textContent()).toBe('已撤回')
    expect(await resident.getByTestId('withdraw-open').filter({ visible: true }).count()).toBe(0)
    const [row] = await product.query<{ state: string; pending: string }>(
      `SELECT t.state, (SELECT count(*) FROM deadline_timer d WHERE d.ticket_id = t.id AND d.status = 'pending') AS pending
         FROM ticket t WHERE t.id = $1`,
      [early.id],
    )
    expect(row).toEqual({ state: 'withdrawn', pending: '0' })

    const late = await fileRequest<{ id: string }>(product.baseUrl, residentApi, {
      unitId,
      category: 'facilities',
      description: '二楼的楼梯扶手松了。',
    })
    expect((await api(product.baseUrl, `/api/requests/${late.id}/accept`, { token: pm, json: {} })).status).toBe(200)
    await detail(late.id)
    expect(await resident.getByTestId('detail-withdraw').filter({ visible: true }).count()).toBe(0)
    const refused = await api<{ code: string; message: string }>(product.baseUrl, `/api/requests/${late.id}/withdraw`, {
      token: residentApi,
      json: {},
    })
    expect(refused.status).toBe(409)
    expect(refused.body.code).toBe('ILLEGAL_TRANSITION')
    expect(refused.body.message).toContain('不能撤回')
  })
})

/** Waits for `check` to hold (the page settles on its own schedule). */
async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 100))
  }
}
