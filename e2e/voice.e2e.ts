import { randomBytes } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchBrowser, startProduct, type RunningProduct } from './harness'
import { api, fileRequest, setElder, settled, shown, staffLoginPage, staffToken, until } from './ui'

/**
 * Voice notes in the browser (H5), against the built server, with Chromium's fake microphone (a beeping
 * tone, allowed without asking). A resident holds 按住说话 with the mouse for two seconds, lets go, sees
 * the clip as a chip with its length and sends it in 补充说明; the clip is stored as WebM. 网格长 plays
 * it on the handling page (the bytes come back 200 as audio), and the access log shows that play; 民警
 * (a masked role) sees that there is a voice note but no button, and fetching it directly is a 404. A
 * press slid up by a finger (touch) cancels: nothing is uploaded; a tap is 说话时间太短. The recorder
 * (idle, recording, recorded) and a thread with a voice note are photographed at 375 px in both looks
 * (UPDATE_SCREENSHOTS=1 writes docs/screenshots/voice/).
 */
const SHOTS = process.env.UPDATE_SCREENSHOTS
  ? resolve(__dirname, '..', 'docs', 'screenshots', 'voice')
  : resolve(__dirname, '..', '.test-results', 'screenshots', 'voice')
const PASSWORD = 'Demo@2026'
const GRID_LEAD = { phone: '13800000001', password: PASSWORD }
const POLICE = { phone: '13800000002', password: PASSWORD }
const ADMIN = { phone: '13800000014', password: PASSWORD }
const PHONE = { width: 375, height: 812 }
const FAKE_MICROPHONE = ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', '--autoplay-policy=no-user-gesture-required']
/** WebM's first bytes (an EBML header), as Chromium's MediaRecorder writes Opus. */
const WEBM_MAGIC = '1a45dfa3'

interface View {
  id: string
  timeline: { type: string; data: Record<string, unknown> }[]
}

type VoiceSeen = { id?: string; durationMs: number; playable: boolean }

/** Writes a value the way Taro's H5 storage does: `{ "data": value }` JSON in localStorage. */
async function setStored(page: Page, key: string, value: unknown): Promise<void> {
  await page.evaluate(([k, v]) => localStorage.setItem(k as string, JSON.stringify({ data: v })), [key, value] as const)
}

function voicesOf(view: View): VoiceSeen[] {
  return view.timeline.filter((e) => e.type === 'message' && e.data.voice).map((e) => e.data.voice as VoiceSeen)
}

describe('H5: voice notes (按住说话), played by 网格长, refused to 民警', () => {
  let product: RunningProduct
  let browser: Browser
  let residentContext: BrowserContext
  let resident: Page
  let residentApi: string
  let unitId: string
  /** Every voice-note upload the resident's page made. */
  const uploads: string[] = []

  const detail = async (id: string) => {
    await resident.goto(`${product.baseUrl}/pages/detail/index?id=${id}`)
    await shown(resident, 'detail-view').waitFor({ state: 'visible' })
    await shown(resident, 'addition-voice-hold').waitFor({ state: 'visible' })
  }
  /** The centre of 按住说话, scrolled into view. */
  const holdPoint = async () => {
    const hold = shown(resident, 'addition-voice-hold')
    await hold.scrollIntoViewIfNeeded()
    const box = (await hold.boundingBox())!
    return { x: box.x + box.width / 2, y: box.y + box.height / 2 }
  }
  /** The recorder and what is around it, at the phone's size. */
  const shootRecorder = async (name: string) => {
    await shown(resident, 'addition-box').evaluate((el) => el.scrollIntoView({ block: 'center' }))
    await resident.screenshot({ path: join(SHOTS, `${name}.png`) })
  }
  const file = (description: string) =>
    fileRequest<{ id: string }>(product.baseUrl, residentApi, { unitId, category: 'public_security', description })

  beforeAll(async () => {
    product = await startProduct()
    browser = await launchBrowser(FAKE_MICROPHONE)
    await mkdir(SHOTS, { recursive: true })
    const [unit] = await product.query<{ unit_id: string }>(
      `SELECT q.unit_id FROM qr_code q JOIN place u ON u.id = q.unit_id JOIN place b ON b.id = u.parent_id
        WHERE q.revoked_at IS NULL AND b.name = '3幢' AND u.name = '2单元'`,
    )
    unitId = unit.unit_id
    const secret = randomBytes(32).toString('base64url')
    const signedIn = await api<{ accessToken: string }>(product.baseUrl, '/api/auth/device', { json: { deviceSecret: secret } })
    residentApi = signedIn.body.accessToken
    // A phone: touch as well as a mouse, so both kinds of press are tried.
    residentContext = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', hasTouch: true })
    await residentContext.grantPermissions(['microphone'])
    resident = await residentContext.newPage()
    resident.on('request', (req) => {
      if (req.method() === 'POST' && req.url().includes('/api/voice-notes')) uploads.push(req.url())
    })
    await resident.goto(`${product.baseUrl}/api/health`)
    await setStored(resident, 'mq.deviceSecret', secret)
  })
  afterAll(async () => {
    await residentContext?.close()
    await browser?.close()
    await product?.stop()
  })

  it('a held press records, the clip is sent and stored; 网格长 plays it and the access log shows it; 民警 cannot', async () => {
    const { id } = await file('楼下最近半夜有人撬电瓶车，我录了段语音说明情况。')
    await detail(id)

    // Both looks: idle, holding (the seconds count), let go (the chip with its length, 试听 and 删除).
    for (const elder of [false, true]) {
      const look = elder ? '-elder' : ''
      await setElder(resident, elder)
      await settled(resident)
      await shootRecorder(`recorder-idle${look}-375`)
      const at = await holdPoint()
      await resident.mouse.move(at.x, at.y)
      await resident.mouse.down()
      await resident.locator('[data-testid="addition-voice-hold"][data-state="recording"]').filter({ visible: true }).waitFor()
      await resident.waitForTimeout(2_200)
      expect(await shown(resident, 'addition-voice-panel').textContent()).toContain('松开发送，手指上滑取消')
      expect(await shown(resident, 'addition-voice-elapsed').textContent()).toMatch(/^[23]″$/)
      await resident.screenshot({ path: join(SHOTS, `recorder-recording${look}-375.png`) })
      await resident.mouse.up()
      await resident.locator('[data-testid="addition-voice-chip"][data-status="done"]').filter({ visible: true }).waitFor()
      expect(await shown(resident, 'addition-voice-length').textContent()).toMatch(/^语音 [23]″$/)
      await shootRecorder(`recorder-chip${look}-375`)
      if (!elder) {
        // 删除 takes the clip away before sending; the button is back.
        await shown(resident, 'addition-voice-remove').click()
        await shown(resident, 'addition-voice-hold').waitFor({ state: 'visible' })
      }
    }
    expect(uploads).toHaveLength(2)

    // 试听 plays the local copy; then it is sent as the addition (no words needed).
    await shown(resident, 'addition-voice-listen').click()
    await shown(resident, 'addition-send').click()
    await shown(resident, 'thread-voice').waitFor({ state: 'visible' })
    expect(await shown(resident, 'addition-voice-hold').count()).toBe(1)
    await resident.getByText('已补充', { exact: true }).waitFor({ state: 'hidden' })

    // Stored: the reporter's view names it, playable, and its bytes are WebM.
    const mine = await api<View>(product.baseUrl, `/api/requests/${id}`, { token: residentApi })
    const [voice] = voicesOf(mine.body)
    expect(voice).toMatchObject({ playable: true })
    expect(voice.durationMs).toBeGreaterThanOrEqual(2_000)
    expect(voice.durationMs).toBeLessThan(4_000)
    const own = await fetch(`${product.baseUrl}/api/requests/${id}/voice/${voice.id}`, { headers: { authorization: `Bearer ${residentApi}` } })
    expect(own.status).toBe(200)
    expect(own.headers.get('content-type')).toContain('audio/webm')
    const bytes = Buffer.from(await own.arrayBuffer())
    expect(bytes.subarray(0, 4).toString('hex')).toBe(WEBM_MAGIC)

    // The resident's thread with the voice note, in both looks.
    for (const elder of [false, true]) {
      await setElder(resident, elder)
      await settled(resident)
      await shown(resident, 'thread-voice').evaluate((el) => el.scrollIntoView({ block: 'center' }))
      await resident.screenshot({ path: join(SHOTS, `thread${elder ? '-elder' : ''}-375.png`) })
    }
    await setElder(resident, false)

    // 网格长 plays it on the handling page: fetched with the token, 200, audio.
    const gridContext = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
    const grid = await gridContext.newPage()
    await staffLoginPage(grid, product.baseUrl, GRID_LEAD, /\/staff\/pages\/home\/index/)
    await grid.goto(`${product.baseUrl}/staff/pages/request/index?id=${id}`)
    await shown(grid, 'request-thread-voice-play').waitFor({ state: 'visible' })
    const [fetched] = await Promise.all([
      grid.waitForResponse((res) => res.url().includes(`/voice/${voice.id}`)),
      shown(grid, 'request-thread-voice-play').click(),
    ])
    expect(fetched.status()).toBe(200)
    expect(fetched.headers()['content-type']).toContain('audio/webm')
    // The page read the whole clip itself (a blob for the player): the stored clip's size.
    const received = await grid.evaluate(
      (url) => (performance.getEntriesByName(url)[0] as PerformanceResourceTiming | undefined)?.decodedBodySize ?? -1,
      fetched.url(),
    )
    expect(received).toBe(bytes.length)
    await until(
      'the clip plays',
      () => shown(grid, 'request-thread-voice').getAttribute('data-state'),
      (state) => state === 'playing' || state === 'idle' || state === 'failed',
    )
    expect(await shown(grid, 'request-thread-voice').getAttribute('data-state')).not.toBe('failed')
    await shown(grid, 'request-thread').evaluate((el) => el.scrollIntoView({ block: 'start' }))
    await grid.screenshot({ path: join(SHOTS, 'staff-thread-375.png') })
    await gridContext.close()

    // The access log names 网格长's play of the voice note.
    const admin = await staffToken(product.baseUrl, ADMIN)
    const log = await api<{ items: { staff: { name: string }; role: string; fields: string[] }[] }>(
      product.baseUrl,
      `/api/admin/access-log?ticketId=${id}`,
      { token: admin },
    )
    expect(log.status).toBe(200)
    expect(log.body.items.filter((e) => e.role === 'grid_lead' && e.fields.includes('voice')).length).toBeGreaterThanOrEqual(1)

    // 民警 handles it masked: the voice note is there, its length shown, no button; the bytes are refused.
    const police = await staffToken(product.baseUrl, POLICE)
    const asPolice = await api<View>(product.baseUrl, `/api/requests/${id}`, { token: police })
    expect(asPolice.status).toBe(200)
    expect(voicesOf(asPolice.body)).toEqual([{ durationMs: voice.durationMs, playable: false }])
    const refused = await api<{ code: string }>(product.baseUrl, `/api/requests/${id}/voice/${voice.id}`, { token: police })
    expect(refused.status).toBe(404)
    const policeContext = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
    const policePage = await policeContext.newPage()
    await staffLoginPage(policePage, product.baseUrl, POLICE, /\/staff\/pages\/home\/index/)
    await policePage.goto(`${product.baseUrl}/staff/pages/request/index?id=${id}`)
    const locked = shown(policePage, 'request-thread-voice')
    await locked.waitFor({ state: 'visible' })
    expect(await locked.getAttribute('data-playable')).toBe('false')
    expect(await locked.textContent()).toContain('仅网格长、物业、自管小组可收听')
    expect(await policePage.getByTestId('request-thread-voice-play').count()).toBe(0)
    await locked.evaluate((el) => el.scrollIntoView({ block: 'center' }))
    await policePage.screenshot({ path: join(SHOTS, 'staff-thread-masked-375.png') })
    await policeContext.close()
  })

  it('a finger slid up cancels (nothing uploaded); a tap is too short', async () => {
    const { id } = await file('小区后门的监控好像坏了。')
    await detail(id)
    const before = uploads.length
    const at = await holdPoint()
    const cdp = await residentContext.newCDPSession(resident)
    const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', y: number) =>
      cdp.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x: at.x, y }] })
    await touch('touchStart', at.y)
    await resident.locator('[data-testid="addition-voice-hold"][data-state="recording"]').filter({ visible: true }).waitFor()
    await resident.waitForTimeout(1_500)
    await touch('touchMove', at.y - 40)
    expect(await shown(resident, 'addition-voice-hold').getAttribute('data-state')).toBe('recording')
    await touch('touchMove', at.y - 120)
    await resident.locator('[data-testid="addition-voice-hold"][data-state="cancelling"]').filter({ visible: true }).waitFor()
    expect(await shown(resident, 'addition-voice-panel').textContent()).toContain('松开手指，取消发送')
    await resident.screenshot({ path: join(SHOTS, 'recorder-cancel-375.png') })
    await touch('touchEnd', at.y - 120)
    await resident.locator('[data-testid="addition-voice-hold"][data-state="idle"]').filter({ visible: true }).waitFor()
    expect(await shown(resident, 'addition-voice-notice').textContent()).toContain('已取消')
    expect(await resident.getByTestId('addition-voice-chip').filter({ visible: true }).count()).toBe(0)

    // A quick tap with the mouse: under a second is a slip, not a message.
    const again = await holdPoint()
    await resident.mouse.move(again.x, again.y)
    await resident.mouse.down()
    await resident.locator('[data-testid="addition-voice-hold"][data-state="recording"]').filter({ visible: true }).waitFor()
    await resident.mouse.up()
    await until(
      'too short said',
      async () => (await shown(resident, 'addition-voice-notice').textContent()) ?? '',
      (text) => text.includes('说话时间太短'),
    )
    expect(await resident.getByTestId('addition-voice-chip').filter({ visible: true }).count()).toBe(0)
    await resident.waitForTimeout(500)
    expect(uploads.length).toBe(before)

    // Nothing was sent: the request has no voice note and no message.
    const view = await api<View>(product.baseUrl, `/api/requests/${id}`, { token: residentApi })
    expect(view.body.timeline.filter((e) => e.type === 'message')).toHaveLength(0)
  })
})
