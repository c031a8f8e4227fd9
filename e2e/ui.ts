import { randomBytes, randomUUID } from 'node:crypto'
import { join } from 'node:path'
import type { Page } from 'playwright-core'

/**
 * Helpers for driving the H5 build in a browser test: finding what is shown, the resident's 长辈模式,
 * layout checks at a narrow width, full-page screenshots, staff logins and API calls beside the UI.
 */

/** Taro keeps pages below the top of the stack in the DOM (hidden): act on the one shown. */
export function shown(page: Page, testId: string) {
  return page.getByTestId(testId).filter({ visible: true })
}

/** Taro's Input and Textarea are web components around a real <input>/<textarea>. */
export function field(page: Page, testId: string) {
  return shown(page, testId).locator('input, textarea')
}

/** How far the shown page scrolls sideways (Taro's H5 page scrolls inside .taro_page): 0 when it fits. */
export async function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(() =>
    Math.max(
      ...[document.documentElement, ...Array.from(document.querySelectorAll<HTMLElement>('.taro_page'))]
        .filter((el) => el === document.documentElement || el.offsetParent !== null)
        .map((el) => el.scrollWidth - el.clientWidth),
    ),
  )
}

/**
 * Waits until the page has stopped changing: web fonts loaded, images loaded (or failed), no finite
 * animation or transition running, and the viewport, the root font size (Taro's H5 scales rem with the
 * width) and the shown page's height the same over five animation frames in a row. Use after a resize,
 * before a screenshot, and before asserting that something did not happen.
 */
export async function settled(page: Page, timeoutMs = 15_000): Promise<void> {
  await page.evaluate(() => delete (window as { __mqLayout?: unknown }).__mqLayout)
  await page.waitForFunction(
    () => {
      const w = window as { __mqLayout?: { key: string; frames: number } }
      const root = document.documentElement
      const pages = Array.from(document.querySelectorAll<HTMLElement>('.taro_page')).filter((p) => p.offsetParent !== null)
      const key = [root.clientWidth, root.clientHeight, getComputedStyle(root).fontSize, root.scrollHeight]
        .concat(pages.map((p) => p.scrollHeight))
        .join(' ')
      w.__mqLayout = w.__mqLayout?.key === key ? { key, frames: w.__mqLayout.frames + 1 } : { key, frames: 0 }
      const animating = document
        .getAnimations()
        .some((a) => a.playState === 'running' && a.effect?.getComputedTiming().endTime !== Infinity)
      const images = Array.from(document.images).every((i) => i.complete)
      return document.fonts.status === 'loaded' && images && !animating && w.__mqLayout.frames >= 5
    },
    undefined,
    { polling: 'raf', timeout: timeoutMs },
  )
}

/**
 * Polls `probe` until `done` holds for what it returns, and returns that; fails after `timeoutMs` naming
 * `what` and the last value. For conditions outside the page (the database, the server's workers).
 */
export async function until<T>(
  what: string,
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (done(value)) return value
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms (last: ${JSON.stringify(value)})`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** Waits until the shown page has slid into place (Taro's H5 pages animate in from the right). */
export async function pageSettled(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const pages = Array.from(document.querySelectorAll<HTMLElement>('.taro_page')).filter((p) => p.offsetParent !== null)
    return pages.length > 0 && pages.every((p) => p.getBoundingClientRect().left === 0)
  })
}

/** The shown elements that reach past the viewport's right edge (what to fix when a page scrolls sideways). */
export async function sticksOut(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth
    return Array.from(document.querySelectorAll<HTMLElement>('body *'))
      .filter((el) => el.offsetParent !== null && el.getBoundingClientRect().right > width)
      .filter((el) => !Array.from(el.children).some((c) => (c as HTMLElement).getBoundingClientRect().right > width))
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className} ${el.getBoundingClientRect().right.toFixed(1)}px: ${(el.textContent ?? '').slice(0, 30)}`)
  })
}

/** The tap targets shown (buttons, and the report form's photo tiles) smaller than `min` px either way. */
export async function smallTapTargets(page: Page, min: number): Promise<{ count: number; small: string[] }> {
  return page.evaluate((least) => {
    const targets = Array.from(
      document.querySelectorAll<HTMLElement>('taro-button-core, button, label.report-add, .report-photo__remove'),
    )
    const visible = targets
      .filter((el) => el.offsetParent !== null && !el.closest('taro-button-core button'))
      .map((el) => ({ el, box: el.getBoundingClientRect() }))
      .filter(({ box }) => box.width > 0)
    const small = visible
      .filter(({ box }) => box.height < least || box.width < least)
      .map(({ el, box }) => `${(el.textContent ?? '').trim().slice(0, 20)} ${Math.round(box.width)}×${Math.round(box.height)}`)
    return { count: visible.length, small }
  }, min)
}

/** The shown page's full height (Taro's H5 page scrolls inside .taro_page). */
export async function contentHeight(page: Page): Promise<number> {
  return page.evaluate(() => {
    const pages = Array.from(document.querySelectorAll<HTMLElement>('.taro_page')).filter((p) => p.offsetParent !== null)
    return Math.max(document.documentElement.scrollHeight, ...pages.map((p) => p.scrollHeight))
  })
}

/** A full-page screenshot at the viewport's width: the viewport grows to the content, then returns. */
export async function shootFullPage(page: Page, path: string): Promise<void> {
  const viewport = page.viewportSize()!
  await settled(page)
  for (let i = 0, height = 0; i < 3; i++) {
    const next = Math.min(8000, Math.max(viewport.height, await contentHeight(page)))
    if (next === height) break
    height = next
    await page.setViewportSize({ width: viewport.width, height })
    await settled(page)
  }
  await page.screenshot({ path })
  await page.setViewportSize(viewport)
  await settled(page)
}

export function screenshotPath(dir: string, name: string): string {
  return join(dir, `${name}.png`)
}

export async function isElder(page: Page): Promise<boolean> {
  return (await page.locator('.mq-kit__page.mq-elder').filter({ visible: true }).count()) > 0
}

/** Switches the resident's 长辈模式 with the page's own switch. */
export async function setElder(page: Page, on: boolean): Promise<void> {
  if ((await isElder(page)) === on) return
  await shown(page, 'elder-toggle').click()
  await page.waitForFunction(
    (want) =>
      Array.from(document.querySelectorAll<HTMLElement>('.mq-kit__page')).some(
        (p) => p.offsetParent !== null && p.classList.contains('mq-elder') === want,
      ),
    on,
  )
}

export type Json = Record<string, unknown>

/** A call to the product's API beside the UI; `json` makes it a POST unless `method` says otherwise. */
export async function api<T = Json>(
  baseUrl: string,
  path: string,
  init: { token?: string; method?: string; json?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${baseUrl}${path}`, {
    method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
    headers: {
      ...(init.json === undefined ? {} : { 'content-type': 'application/json' }),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...init.headers,
    },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  })
  const text = await res.text()
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T }
}

export interface StaffLogin {
  phone: string
  password: string
}

export async function staffToken(baseUrl: string, who: StaffLogin): Promise<string> {
  const { status, body } = await api<{ accessToken: string }>(baseUrl, '/api/auth/staff/login', { json: who })
  if (status !== 200) throw new Error(`staff login ${who.phone}: ${status}`)
  return body.accessToken
}

/** A new resident (a new device), as the API knows them. */
export async function residentToken(baseUrl: string): Promise<string> {
  const { status, body } = await api<{ accessToken: string }>(baseUrl, '/api/auth/device', {
    json: { deviceSecret: randomBytes(32).toString('base64url') },
  })
  if (status !== 200) throw new Error(`device login: ${status}`)
  return body.accessToken
}

/** Files a request as a resident through the API; answers the request's view. */
export async function fileRequest<T = Json>(
  baseUrl: string,
  token: string,
  body: { unitId: string; category: string; description: string },
): Promise<T> {
  const filed = await api<T>(baseUrl, '/api/requests', {
    token,
    json: { ...body, contactConsent: true },
    headers: { 'Idempotency-Key': randomUUID() },
  })
  if (filed.status !== 201) throw new Error(`filing: ${filed.status} ${JSON.stringify(filed.body)}`)
  return filed.body
}

/** Logs a staff member in through the login page; waits for the page the login lands on. */
export async function staffLoginPage(page: Page, baseUrl: string, who: StaffLogin, lands: RegExp): Promise<void> {
  await page.goto(`${baseUrl}/staff/pages/login/index`)
  await field(page, 'login-phone').fill(who.phone)
  await field(page, 'login-password').fill(who.password)
  await shown(page, 'login-submit').click()
  await page.waitForURL(lands)
}
