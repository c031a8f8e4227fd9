import { mkdir } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchBrowser, startProduct, type RunningProduct } from './harness'
import { field, setElder, settled, shootFullPage, shown, sidewaysOverflow, smallTapTargets } from './ui'

/**
 * Photos from a phone in the browser (H5), against the built server: a 6 MB portrait photo — over the
 * server's 5 MB limit as it is, stored sideways with an EXIF orientation — is shrunk upright in the page
 * before upload, its progress shown, and the request files with it; a PDF
 * renamed .jpg is refused by the server with its reason on the tile and 删除 offered, not a retry; a
 * photo whose upload is cut off on the way offers 重试, which then uploads it.
 */
const SHOTS = resolve(__dirname, '..', '.test-results', 'screenshots', 'photos')
const PHONE = { width: 375, height: 812 }
const MB = 1024 * 1024

/**
 * A 4032×3024 JPEG as a phone camera makes it, drawn in the page: sky, a wall, a lamp, and sensor-like
 * grain so that it does not compress to nothing; its quality is raised until it weighs 5.5–8 MB.
 */
async function phonePhoto(page: Page): Promise<Buffer> {
  const base64 = await page.evaluate(async () => {
    const canvas = document.createElement('canvas')
    canvas.width = 4032
    canvas.height = 3024
    const g = canvas.getContext('2d')!
    const sky = g.createLinearGradient(0, 0, 0, 3024)
    sky.addColorStop(0, '#7fb2e5')
    sky.addColorStop(0.55, '#d8e4ef')
    sky.addColorStop(0.56, '#8d8478')
    sky.addColorStop(1, '#4a443d')
    g.fillStyle = sky
    g.fillRect(0, 0, 4032, 3024)
    g.fillStyle = '#f4e9b0'
    g.beginPath()
    g.arc(2016, 700, 260, 0, Math.PI * 2)
    g.fill()
    // Grain: a tile of random pixels repeated with offsets, which a JPEG cannot smooth away.
    const tile = g.createImageData(512, 512)
    let seed = 42
    for (let i = 0; i < tile.data.length; i += 4) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff
      const v = seed % 256
      tile.data[i] = v
      tile.data[i + 1] = (v * 7) % 256
      tile.data[i + 2] = (v * 13) % 256
      tile.data[i + 3] = 40
    }
    const grain = document.createElement('canvas')
    grain.width = 512
    grain.height = 512
    grain.getContext('2d')!.putImageData(tile, 0, 0)
    for (let y = 0; y < 3024; y += 512) for (let x = 0; x < 4032; x += 512) g.drawImage(grain, x + (y % 97), y)
    let blob: Blob | null = null
    for (const quality of [0.9, 0.95, 0.98, 1]) {
      blob = await new Promise<Blob | null>((done) => canvas.toBlob(done, 'image/jpeg', quality))
      if (blob && blob.size >= 5.5 * 1024 * 1024) break
    }
    const bytes = new Uint8Array(await blob!.arrayBuffer())
    let text = ''
    for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
    return btoa(text)
  })
  return Buffer.from(base64, 'base64')
}

/**
 * The photo as a phone held upright stores it: the sensor's landscape pixels with an EXIF Orientation
 * of 6 (turn a quarter clockwise to view), in an APP1 segment right after the JPEG's start marker.
 */
function storedSideways(jpeg: Buffer): Buffer {
  const app1 = Buffer.from([
    0xff, 0xe1, 0x00, 0x22, // APP1, 34 bytes with this length
    0x45, 0x78, 0x69, 0x66, 0x00, 0x00, // "Exif\0\0"
    0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08, // big-endian TIFF, first IFD at 8
    0x00, 0x01, // one entry
    0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x06, 0x00, 0x00, // Orientation (SHORT) = 6
    0x00, 0x00, 0x00, 0x00, // no next IFD
  ])
  return Buffer.concat([jpeg.subarray(0, 2), app1, jpeg.subarray(2)])
}

/** The request's report photos as the server gives them back to the resident: bytes and pixel size. */
async function photosOnServer(page: Page, ticketId: string): Promise<{ bytes: number; width: number; height: number; type: string }[]> {
  return page.evaluate(async (id) => {
    // Taro's H5 storage keeps { data } JSON in localStorage.
    const token = (JSON.parse(localStorage.getItem('mq.session.resident')!) as { data: { accessToken: string } }).data.accessToken
    const headers = { Authorization: `Bearer ${token}` }
    const ticket = (await (await fetch(`/api/requests/${id}`, { headers })).json()) as { photos: { report: { url: string }[] } }
    const out = []
    for (const photo of ticket.photos.report) {
      const blob = await (await fetch(photo.url, { headers })).blob()
      const bitmap = await createImageBitmap(blob)
      out.push({ bytes: blob.size, width: bitmap.width, height: bitmap.height, type: blob.type })
    }
    return out
  }, ticketId)
}

describe('H5: photos from a phone', () => {
  let product: RunningProduct
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let reportUrl: string

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
    reportUrl = `${product.baseUrl}/pages/report/index?token=${code.token}`
  })
  afterAll(async () => {
    await context?.close()
    await browser?.close()
    await product?.stop()
  })

  async function openReport(): Promise<void> {
    await page.goto(reportUrl)
    await shown(page, 'report-categories').waitFor({ state: 'visible' })
  }

  const storedPhotos = async () => Number((await product.query<{ n: string }>('SELECT count(*) AS n FROM photo'))[0].n)

  it('shrinks a 6 MB phone photo in the browser, upright, shows its progress, and files the request with it', async () => {
    await openReport()
    const original = storedSideways(await phonePhoto(page))
    // As it comes from the camera the server would refuse it (over 5 MB).
    expect(original.length).toBeGreaterThan(5.5 * MB)
    expect(original.length).toBeLessThan(8 * MB)

    // The upload as the page sends it, and what the tile shows meanwhile.
    const sent: number[] = []
    page.on('request', (request) => {
      if (request.url().endsWith('/api/photos') && request.method() === 'POST') sent.push(request.postDataBuffer()?.length ?? 0)
    })
    // A slow uplink (256 KB/s), so the upload takes seconds and its percentage shows on the tile.
    const cdp = await context.newCDPSession(page)
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 40,
      downloadThroughput: -1,
      uploadThroughput: 256 * 1024,
    })
    await page.getByTestId('report-photo-input').setInputFiles({ name: 'IMG_2041.jpg', mimeType: 'image/jpeg', buffer: original })
    const midway = await page.waitForFunction(
      () => {
        const text = document.querySelector('[data-testid="report-photo-progress"]')?.textContent ?? ''
        const percent = Number(/^(\d+)%/.exec(text)?.[1])
        return percent > 0 && percent < 100 ? percent : null
      },
      null,
      { timeout: 30_000, polling: 100 },
    )
    expect(await midway.jsonValue()).toBeGreaterThan(0)
    await page.locator('[data-testid="report-photo"][data-status="done"]').waitFor({ state: 'visible', timeout: 30_000 })
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 })
    await cdp.detach()
    expect(sent).toHaveLength(1)
    expect(sent[0]).toBeLessThan(1.1 * MB)

    await shown(page, 'category-facilities').click()
    await shown(page, 'report-description').locator('textarea').fill('3幢2单元楼道窗户玻璃碎了，拍了照片。')
    await shown(page, 'report-submit').click()
    await page.waitForURL(/\/pages\/detail\/index\?id=/)
    const ticketId = new URL(page.url()).searchParams.get('id')!

    // Read back from the server: one JPEG of at most 1 MB, upright (portrait, as the EXIF said), 1600 px
    // on its longest side, same proportions.
    const photos = await photosOnServer(page, ticketId)
    expect(photos).toHaveLength(1)
    expect(photos[0].type).toBe('image/jpeg')
    expect(photos[0].bytes).toBeLessThanOrEqual(MB)
    expect({ width: photos[0].width, height: photos[0].height }).toEqual({ width: 1200, height: 1600 })
    const [row] = await product.query<{ size: number; content_type: string }>(
      'SELECT size, content_type FROM photo WHERE ticket_id = $1',
      [ticketId],
    )
    expect(row).toEqual({ size: photos[0].bytes, content_type: 'image/jpeg' })
  })

  it('a PDF renamed .jpg is refused with its reason on the tile and 删除 offered, not 重试', async () => {
    await openReport()
    const before = await storedPhotos()
    const pdf = Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n')
    await page.getByTestId('report-photo-input').setInputFiles({ name: '楼道照片.jpg', mimeType: 'image/jpeg', buffer: pdf })
    const tile = page.locator('[data-testid="report-photo"][data-status="refused"]')
    await tile.waitFor({ state: 'visible' })
    expect(await tile.getByTestId('report-photo-reason').textContent()).toBe('这个文件不是照片，只能上传 JPEG、PNG 或 WebP 格式的图片')
    expect(await tile.getByTestId('report-photo-retry').count()).toBe(0)
    await tile.getByTestId('report-photo-delete').waitFor({ state: 'visible' })
    for (const elder of [false, true]) {
      await setElder(page, elder)
      await shootFullPage(page, `${SHOTS}/refused-375${elder ? '-elder' : ''}.png`)
    }
    // At 320 px the reason wraps beside 删除: nothing scrolls sideways, and 删除 is a full tap target.
    await page.setViewportSize({ width: 320, height: 640 })
    for (const elder of [false, true]) {
      await setElder(page, elder)
      await settled(page)
      expect(await sidewaysOverflow(page)).toBe(0)
      expect((await smallTapTargets(page, elder ? 48 : 44)).small).toEqual([])
    }
    await page.setViewportSize(PHONE)
    await setElder(page, false)

    // Sending is blocked until it is removed, with the reason why.
    await shown(page, 'category-facilities').click()
    await shown(page, 'report-description').locator('textarea').fill('楼道灯坏了')
    await shown(page, 'report-submit').click()
    expect(await shown(page, 'report-error-photos').textContent()).toBe('有照片传不上去，请先把它删除')

    await tile.getByTestId('report-photo-delete').click()
    await tile.waitFor({ state: 'detached' })
    // The form's check follows the change (an effect after the render that removed the tile).
    await page.getByTestId('report-error-photos').waitFor({ state: 'detached' })
    expect(await storedPhotos()).toBe(before)
  })

  it('an upload cut off on the way offers 重试, and the retry uploads the photo', async () => {
    await openReport()
    const photo = await phonePhoto(page)
    let cut = 0
    await page.route('**/api/photos', async (route) => {
      cut += 1
      await route.abort('connectionreset')
    })
    await page.getByTestId('report-photo-input').setInputFiles({ name: 'IMG_2042.jpg', mimeType: 'image/jpeg', buffer: photo })
    const failed = page.locator('[data-testid="report-photo"][data-status="failed"]')
    await failed.waitFor({ state: 'visible', timeout: 30_000 })
    expect(cut).toBe(1)
    await page.unroute('**/api/photos')

    await failed.getByTestId('report-photo-retry').click()
    await page.locator('[data-testid="report-photo"][data-status="done"]').waitFor({ state: 'visible', timeout: 30_000 })
    expect(await page.locator('[data-testid="report-photo"]').count()).toBe(1)
  })

  it('staff: the photo picker of a proxy entry refuses a PDF renamed .jpg with its reason and 删除, and retries a cut-off upload', async () => {
    const staff = await context.newPage()
    await staff.goto(`${product.baseUrl}/staff/pages/login/index`)
    await field(staff, 'login-phone').fill('13800000001') // the demo 网格长
    await field(staff, 'login-password').fill('Demo@2026')
    await shown(staff, 'login-submit').click()
    await staff.waitForURL(/\/staff\/pages\/home\/index/)
    await staff.goto(`${product.baseUrl}/staff/pages/proxy/index`)
    await shown(staff, 'proxy-form').waitFor({ state: 'visible' })
    const input = staff.getByTestId('proxy-photos-input')

    await input.setInputFiles({ name: '现场.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('%PDF-1.7\n%%EOF\n') })
    const refused = staff.getByTestId('proxy-photos-refused')
    await refused.waitFor({ state: 'visible' })
    expect(await refused.textContent()).toContain('这个文件不是照片，只能上传 JPEG、PNG 或 WebP 格式的图片')
    expect(await staff.getByTestId('proxy-photos-retry').count()).toBe(0)
    await refused.getByTestId('proxy-photos-delete').click()
    await refused.waitFor({ state: 'detached' })
    expect(await staff.getByTestId('proxy-photos-item').count()).toBe(0)

    await staff.route('**/api/photos', (route) => route.abort('connectionreset'))
    await input.setInputFiles({ name: '现场.jpg', mimeType: 'image/jpeg', buffer: await phonePhoto(staff) })
    await staff.locator('[data-testid="proxy-photos-item"][data-status="failed"]').waitFor({ timeout: 30_000 })
    await staff.unroute('**/api/photos')
    await shown(staff, 'proxy-photos-retry').click()
    await staff.locator('[data-testid="proxy-photos-item"][data-status="done"]').waitFor({ timeout: 30_000 })
    // Shrunk on the way like a resident's.
    const [latest] = await product.query<{ size: number }>(
      `SELECT size FROM photo WHERE uploader_kind = 'staff' ORDER BY created_at DESC LIMIT 1`,
    )
    expect(latest.size).toBeLessThanOrEqual(MB)
    await staff.close()
  })
})
