import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchBrowser, startProduct, type RunningProduct } from './harness'
import { settled, shown } from './ui'

/**
 * Stored script is shown as text: a resident files a request whose description is
 * markup that would run if the H5 app ever rendered it as HTML. The server stores it verbatim; the
 * detail page shows it literally, no element of it exists in the DOM, nothing ran and no dialog opened.
 */
const HOSTILE =
  '<img src=x onerror="window.__mqXss=1"><script>window.__mqXss=2</script><svg onload="window.__mqXss=3"></svg>' +
  '<a href="javascript:window.__mqXss=4">链接</a>楼道灯坏了'

describe('H5: stored script in a request renders as text', () => {
  let product: RunningProduct
  let browser: Browser
  let context: BrowserContext
  let page: Page
  const dialogs: string[] = []

  beforeAll(async () => {
    product = await startProduct()
    browser = await launchBrowser()
    context = await browser.newContext({ viewport: { width: 375, height: 812 }, locale: 'zh-CN' })
    page = await context.newPage()
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message())
      void dialog.dismiss()
    })
  })
  afterAll(async () => {
    await context?.close()
    await browser?.close()
    await product?.stop()
  })

  it('files markup as a description: stored verbatim, shown literally, nothing runs', async () => {
    const [code] = await product.query<{ token: string }>(`SELECT token FROM qr_code WHERE revoked_at IS NULL LIMIT 1`)
    await page.goto(`${product.baseUrl}/pages/report/index?token=${code.token}`)
    await shown(page, 'category-facilities').click()
    await shown(page, 'report-description').locator('textarea').fill(HOSTILE)
    await shown(page, 'report-submit').click()
    await page.waitForURL(/\/pages\/detail\/index\?id=/)
    const id = new URL(page.url()).searchParams.get('id')

    const description = shown(page, 'detail-description')
    await description.waitFor({ state: 'visible' })
    expect(await description.textContent()).toBe(HOSTILE)
    const [row] = await product.query<{ description: string }>(`SELECT description FROM ticket WHERE id = $1`, [id])
    expect(row.description).toBe(HOSTILE)

    // No element of the markup made it into the page, and none of its handlers ran.
    expect(await description.locator('img, script, svg, a').count()).toBe(0)
    expect(await page.locator('img[src="x"], svg[onload]').count()).toBe(0)
    // Whatever the page would load or run has had its chance: images done, layout still.
    await settled(page)
    expect(await page.evaluate(() => (window as { __mqXss?: number }).__mqXss)).toBeUndefined()

    // The same after a reload (the text now comes from the server, not from the form).
    await page.reload()
    await shown(page, 'detail-description').waitFor({ state: 'visible' })
    expect(await shown(page, 'detail-description').textContent()).toBe(HOSTILE)
    expect(await page.evaluate(() => (window as { __mqXss?: number }).__mqXss)).toBeUndefined()
    expect(dialogs).toEqual([])
    console.log('XSS stored_script_rendered_unescaped=0 (resident detail page, before and after reload)')
  })
})
