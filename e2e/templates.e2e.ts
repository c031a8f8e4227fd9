import { randomBytes, randomUUID } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchBrowser, startProduct, type RunningProduct } from './harness'
import { api, field, setElder, settled, shootFullPage, shown, sidewaysOverflow, staffLoginPage } from './ui'

/**
 * 常用回复 and before/after, in the H5 build against the real server and its demo data: 物业 accepts a
 * resident's 公共设施报修 with a seeded template (filled with the request's number and the handler, then
 * edited), resolves it with another one and an after photo (the form asks for it: the resident sent a
 * photo and the category needs one), and the resident sees 处理前 | 处理后 side by side.
 * Screenshots (375 px, normal and 长辈模式) under .test-results/; UPDATE_SCREENSHOTS=1 refreshes the
 * committed ones in docs/screenshots/templates.
 */
const SHOTS = process.env.UPDATE_SCREENSHOTS
  ? resolve(__dirname, '..', 'docs', 'screenshots', 'templates')
  : resolve(__dirname, '..', '.test-results', 'screenshots', 'templates')
const PHONE = { width: 375, height: 812 }
const PROPERTY_MANAGER = { phone: '13800000008', password: 'Demo@2026' }

interface View {
  id: string
  number: string
  state: string
  photos: { report: { id: string }[]; resolution: { id: string }[] }
  timeline: { type: string; data: Record<string, unknown> }[]
}

/** A photo drawn in the page: a stairwell wall with a dark or lit lamp, as a JPEG. */
async function drawPhoto(page: Page, lit: boolean): Promise<Buffer> {
  const base64 = await page.evaluate((on) => {
    const canvas = document.createElement('canvas')
    canvas.width = 640
    canvas.height = 480
    const g = canvas.getContext('2d')!
    g.fillStyle = on ? '#e9e4d4' : '#3b3a36'
    g.fillRect(0, 0, 640, 480)
    g.fillStyle = on ? '#fff6c2' : '#55544e'
    g.beginPath()
    g.arc(320, 140, 60, 0, Math.PI * 2)
    g.fill()
    g.fillStyle = on ? '#8c7b62' : '#24231f'
    for (let i = 0; i < 5; i++) g.fillRect(80 + i * 50, 300 + i * 30, 480 - i * 100, 24)
    return canvas.toDataURL('image/jpeg', 0.85).split(',')[1]
  }, lit)
  return Buffer.from(base64, 'base64')
}

async function upload(baseUrl: string, token: string, photo: Buffer): Promise<string> {
  const form = new FormData()
  form.append('file', new Blob([new Uint8Array(photo)], { type: 'image/jpeg' }), 'photo.jpg')
  const res = await fetch(`${baseUrl}/api/photos`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form })
  if (res.status !== 201) throw new Error(`photo upload: ${res.status} ${await res.text()}`)
  return ((await res.json()) as { id: string }).id
}

async function setStored(page: Page, key: string, value: unknown): Promise<void> {
  await page.evaluate(([k, v]) => localStorage.setItem(k as string, JSON.stringify({ data: v })), [key, value] as const)
}

describe('H5: reply templates and before/after photos', () => {
  let product: RunningProduct
  let browser: Browser
  let residentContext: BrowserContext
  let staffContext: BrowserContext
  let resident: Page
  let staff: Page
  let residentApi: string
  let filed: View
  let afterPhoto: Buffer

  const read = async (id: string) => {
    const res = await api<View>(product.baseUrl, `/api/requests/${id}`, { token: residentApi })
    expect(res.status).toBe(200)
    return res.body
  }
  const requestState = (state: string) =>
    staff.locator(`[data-testid="request"][data-state="${state}"]`).filter({ visible: true }).waitFor({ state: 'visible' })

  beforeAll(async () => {
    product = await startProduct()
    browser = await launchBrowser()
    await mkdir(SHOTS, { recursive: true })
    const [unit] = await product.query<{ unit_id: string }>(
      `SELECT q.unit_id FROM qr_code q JOIN place u ON u.id = q.unit_id JOIN place b ON b.id = u.parent_id
        WHERE q.revoked_at IS NULL AND b.name = '2幢' AND u.name = '1单元'`,
    )
    const secret = randomBytes(32).toString('base64url')
    residentApi = (await api<{ accessToken: string }>(product.baseUrl, '/api/auth/device', { json: { deviceSecret: secret } })).body
      .accessToken

    residentContext = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
    resident = await residentContext.newPage()
    await resident.goto(`${product.baseUrl}/api/health`)
    await setStored(resident, 'mq.deviceSecret', secret)
    const before = await upload(product.baseUrl, residentApi, await drawPhoto(resident, false))
    afterPhoto = await drawPhoto(resident, true)
    const res = await api<View>(product.baseUrl, '/api/requests', {
      token: residentApi,
      json: {
        unitId: unit.unit_id,
        category: 'facilities',
        description: '2幢1单元四楼楼道灯坏了一个星期，晚上黑乎乎的，老人上下楼不安全。',
        photoIds: [before],
        contactConsent: true,
      },
      headers: { 'Idempotency-Key': randomUUID() },
    })
    expect(res.status).toBe(201)
    filed = res.body

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

  it('accepts with a template: filled for the request, edited, sent to the resident and on the timeline', async () => {
    await staff.goto(`${product.baseUrl}/staff/pages/request/index?id=${filed.id}`)
    await requestState('submitted')
    await shown(staff, 'action-accept').click()
    await shown(staff, 'form-accept').waitFor({ state: 'visible' })
    await shown(staff, 'accept-templates').getByText('已受理', { exact: true }).click()
    const words = field(staff, 'accept-words')
    const filledText = await words.inputValue()
    // The seeded template, with the request's number and its handler (冯涛, 物业) filled in.
    expect(filledText).toBe(
      `您好！您反映的问题（编号${filed.number}）我们已经受理，由冯涛负责跟进，会尽快处理。有事可以打13800000008找我们，感谢您的反映！`,
    )
    const edited = filledText.replace('会尽快处理', '明天上午就来换灯')
    await words.fill(edited)
    await shootFullPage(staff, `${SHOTS}/staff-accept-template-375.png`)
    await shown(staff, 'action-submit').click()
    await shown(staff, 'action-done').waitFor({ state: 'visible' })
    await requestState('accepted')

    const view = await read(filed.id)
    expect(view.state).toBe('accepted')
    const message = view.timeline.find((e) => e.type === 'message')
    expect(message?.data.text).toBe(edited)
    await staff.getByText('明天上午就来换灯').filter({ visible: true }).first().waitFor({ state: 'visible' })
  })

  it('resolves with a template and the after photo the form asks for', async () => {
    await shown(staff, 'action-resolve').click()
    await shown(staff, 'form-resolve').waitFor({ state: 'visible' })
    const prompt = shown(staff, 'resolve-after-prompt')
    await prompt.getByText(/居民反映时附了1张照片。这类问题办结须附处理后的照片/).waitFor({ state: 'visible' })
    await shown(staff, 'resolve-templates').getByText('已修好', { exact: true }).click()
    const note = field(staff, 'resolve-note')
    const filledText = await note.inputValue()
    expect(filledText).toMatch(/^您好，\d{4}年\d{1,2}月\d{1,2}日维修师傅已经修好了，附上处理后的照片。/)
    const edited = `${filledText}四楼换了新的声控灯。`
    await note.fill(edited)
    // Without the after photo the form does not send: it says what it needs.
    const submit = shown(staff, 'action-submit')
    expect(await submit.textContent()).toContain('请先拍处理后照片')
    expect(await submit.evaluate((el) => el.className)).toContain('disabled')
    await staff.getByTestId('resolve-photos-input').setInputFiles({ name: '修好后.jpg', mimeType: 'image/jpeg', buffer: afterPhoto })
    await staff.locator('[data-testid="resolve-photos-item"][data-uploaded="true"]').waitFor({ state: 'visible' })
    await shootFullPage(staff, `${SHOTS}/staff-resolve-template-375.png`)
    await shown(staff, 'action-submit').click()
    await shown(staff, 'action-done').waitFor({ state: 'visible' })
    await requestState('resolved')

    const view = await read(filed.id)
    expect(view.timeline.find((e) => e.type === 'resolved')?.data.note).toBe(edited)
    expect([view.photos.report.length, view.photos.resolution.length]).toEqual([1, 1])
    await shown(staff, 'request-before-after').waitFor({ state: 'visible' })
  })

  it('shows the resident 处理前 and 处理后 side by side, in the normal look and in 长辈模式', async () => {
    await resident.goto(`${product.baseUrl}/pages/detail/index?id=${filed.id}`)
    await shown(resident, 'detail-view').waitFor({ state: 'visible' })
    for (const elder of [false, true]) {
      await setElder(resident, elder)
      const pair = shown(resident, 'detail-before-after')
      await pair.waitFor({ state: 'visible' })
      await pair.locator('[data-testid="detail-before-photos"] img').first().waitFor({ state: 'visible' })
      await pair.locator('[data-testid="detail-resolution-photos"] img').first().waitFor({ state: 'visible' })
      await settled(resident)
      const before = (await shown(resident, 'detail-before-after-before').boundingBox())!
      const after = (await shown(resident, 'detail-before-after-after').boundingBox())!
      // Two columns: the same row, before on the left, neither wider than half the pair.
      expect(Math.abs(before.y - after.y)).toBeLessThan(2)
      expect(before.x + before.width).toBeLessThanOrEqual(after.x)
      expect(await pair.getByText('处理前', { exact: true }).isVisible()).toBe(true)
      expect(await pair.getByText('处理后', { exact: true }).isVisible()).toBe(true)
      expect(await sidewaysOverflow(resident)).toBe(0)
      await pair.scrollIntoViewIfNeeded()
      await shootFullPage(resident, `${SHOTS}/resident-before-after-${elder ? 'elder' : 'normal'}-375.png`)
    }
    await setElder(resident, false)
  })
})
