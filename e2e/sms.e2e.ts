import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchBrowser, startProduct, type RunningProduct } from './harness'
import { field, setElder, shootFullPage, shown, sidewaysOverflow, smallTapTargets } from './ui'

/**
 * 短信提醒 on the web page: a resident leaves a number on 我的反映, asks for a code, mistypes it (the
 * server's own words come back), then types the code the log provider printed, and the number shows as
 * verified. UPDATE_SCREENSHOTS=1 writes docs/screenshots/sms-verify-375.png and its 长辈模式 twin.
 */
const SHOTS = process.env.UPDATE_SCREENSHOTS
  ? resolve(__dirname, '..', 'docs', 'screenshots')
  : resolve(__dirname, '..', '.test-results', 'screenshots', 'sms')
const PHONE = { width: 375, height: 812 }
const NARROW = { width: 320, height: 640 }
const NUMBER = '13912345678'

/** The last code the log provider "sent" (it prints the message text; the number is masked there). */
function lastCode(output: string): string | null {
  const codes = Array.from(output.matchAll(/验证码 (\d{6})，/g), (m) => m[1])
  return codes.at(-1) ?? null
}

async function codeFromLog(product: RunningProduct): Promise<string> {
  for (let waited = 0; waited < 5_000; waited += 100) {
    const code = lastCode(product.output())
    if (code) return code
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`no code in the server log:\n${product.output().slice(-2000)}`)
}

describe('H5: a resident verifies a mobile number for text messages', () => {
  let product: RunningProduct
  let browser: Browser
  let context: BrowserContext
  let page: Page

  beforeAll(async () => {
    // info: the log provider's line with the code is an info line.
    product = await startProduct({ LOG_LEVEL: 'info' })
    browser = await launchBrowser()
    context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' })
    page = await context.newPage()
    await mkdir(SHOTS, { recursive: true })
  })
  afterAll(async () => {
    await context?.close()
    await browser?.close()
    await product?.stop()
  })

  it('asks for a code, is told a wrong one in the server’s words, then verifies with the texted code', async () => {
    await page.goto(`${product.baseUrl}/pages/mine/index`)
    await shown(page, 'sms-form').waitFor({ state: 'visible' })
    expect(await shown(page, 'sms-card').textContent()).toContain('短信提醒')
    expect(lastCode(product.output())).toBeNull()

    await field(page, 'sms-phone').fill(NUMBER)
    await shown(page, 'sms-send').click()
    await shown(page, 'sms-sent').waitFor({ state: 'visible' })
    expect(await shown(page, 'sms-sent').textContent()).toContain(NUMBER)
    expect(await shown(page, 'sms-send').textContent()).toMatch(/\d+秒后可重新获取/)
    const code = await codeFromLog(product)

    // Any other six digits are wrong: the server counts the try and says how many are left.
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0')
    await field(page, 'sms-code').fill(wrong)
    await shown(page, 'sms-confirm').click()
    await shown(page, 'sms-error').waitFor({ state: 'visible' })
    expect(await shown(page, 'sms-error').textContent()).toContain('验证码不对，还可以再试4次')

    for (const elder of [false, true]) {
      await setElder(page, elder)
      await shootFullPage(page, join(SHOTS, `sms-verify${elder ? '-elder' : ''}-375.png`))
      await page.setViewportSize(NARROW)
      expect({ elder, overflow: await sidewaysOverflow(page) }).toEqual({ elder, overflow: 0 })
      expect({ elder, small: (await smallTapTargets(page, elder ? 48 : 44)).small }).toEqual({ elder, small: [] })
      await page.setViewportSize(PHONE)
    }
    await setElder(page, false)

    await field(page, 'sms-code').fill(code)
    await shown(page, 'sms-confirm').click()
    await shown(page, 'sms-verified').waitFor({ state: 'visible' })
    expect(await shown(page, 'sms-number').textContent()).toBe(NUMBER)
    expect(await shown(page, 'sms-verified').textContent()).toContain('已验证')

    // The server keeps it: a fresh load of the page shows the same verified number.
    await page.reload()
    await shown(page, 'sms-verified').waitFor({ state: 'visible' })
    expect(await shown(page, 'sms-number').textContent()).toBe(NUMBER)
  })
  it('a text message’s short link opens the resident’s detail page, which says 找不到 for a request not theirs; a malformed one is a 404', async () => {
    const res = await fetch(`${product.baseUrl}/r/MQ999999`, { redirect: 'manual' })
    expect({ status: res.status, location: res.headers.get('location') }).toEqual({
      status: 302,
      location: '/pages/detail/index?id=MQ999999',
    })
    await page.goto(`${product.baseUrl}/r/MQ999999`)
    await shown(page, 'load-error').waitFor({ state: 'visible' })
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/pages/detail/index?id=MQ999999')
    expect(await shown(page, 'load-error').textContent()).toContain('找不到')

    const bad = await fetch(`${product.baseUrl}/r/not-a-number`, { redirect: 'manual' })
    expect(bad.status).toBe(404)
    expect(((await bad.json()) as { code: string }).code).toBe('TICKET_NOT_FOUND')
  })
})
