import { mkdir } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { launchBrowser, startProduct, type RunningProduct } from './harness'
import { screenshotPath, setElder, settled, shootFullPage, shown, staffLoginPage } from './ui'

/**
 * 考核排名 and the drill-down, in the H5 app at 375 px: the demo street supervisor (黄科长) ranks the
 * street's communities for this month and goes down to a building in three taps (community → compound →
 * building). A second community with a few requests is added here in SQL, beside the demo data, so the
 * ranking has two rows, one of them a small sample. Screenshots (normal and 长辈模式) of the ranking and the
 * building level go to .test-results/, or with UPDATE_SCREENSHOTS=1 to docs/screenshots/ranking/.
 */
const SHOTS = process.env.UPDATE_SCREENSHOTS
  ? resolve(__dirname, '..', 'docs', 'screenshots', 'ranking')
  : resolve(__dirname, '..', '.test-results', 'screenshots', 'ranking')
const STREET = { phone: '13800000012', password: 'Demo@2026' }
const PHONE = { width: 375, height: 812 }

async function rows(page: Page): Promise<{ name: string; rank: string; small: string }[]> {
  // Pages lower in the stack stay in the document, hidden: only the visible one counts.
  await page.locator('[data-testid="ranking"][data-loading="false"] [data-testid="ranking-table"]').filter({ visible: true }).first().waitFor()
  return page
    .locator('[data-testid="ranking-row"]:visible')
    .evaluateAll((els) =>
      els.map((e) => ({
        name: e.querySelector('[data-testid="ranking-row-name"]')?.textContent ?? '',
        rank: e.getAttribute('data-rank') ?? '',
        small: e.getAttribute('data-small') ?? '',
      })),
    )
}

describe('考核排名: a street supervisor ranks its communities and drills down to a building', () => {
  let product: RunningProduct
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true })
    product = await startProduct()
    browser = await launchBrowser()
    const [street] = await product.query<{ id: string; path: string[] }>(`SELECT id, path FROM place WHERE kind = 'street'`)
    const [compound] = await product.query<{ id: string }>(`SELECT id FROM place WHERE kind = 'compound'`)
    // A second community of the street: 石桥社区 › 石桥花园 › 1幢 › 1单元.
    const place = async (kind: string, name: string, parent: { id: string; path: string[] }) => {
      const [row] = await product.query<{ id: string; path: string[] }>(
        `INSERT INTO place (id, kind, name, parent_id, path, sort_order)
         SELECT id, $1, $2, $3, $4::uuid[] || id, 1 FROM (SELECT gen_random_uuid() AS id) g RETURNING id, path`,
        [kind, name, parent.id, parent.path],
      )
      return row
    }
    const community = await place('community', '石桥社区', street)
    const other = await place('compound', '石桥花园', community)
    const building = await place('building', '1幢', other)
    const unit = await place('unit', '1单元', building)
    // This month: 12 more in the demo compound (accepted on time, resolved, two of them handed off), and
    // 4 in 石桥花园 (a small sample).
    const file = (compoundId: string, count: number, where: string) =>
      product.query(
        `INSERT INTO ticket (unit_id, building_id, compound_id, category, severity, state, channel, description,
                             accept_by, accepted_at, resolved_at, created_at)
         SELECT u.id, u.parent_id, $1, 'facilities', 'simple', 'resolved', 'miniapp', '排名演示',
                now() - interval '1 hour', now() - interval '2 hours', now() - interval '30 minutes', now() - interval '3 hours'
           FROM place u, generate_series(1, $2::int) i
          WHERE ${where}`,
        [compoundId, count],
      )
    await file(compound.id, 12, `u.id = (SELECT id FROM place WHERE kind = 'unit' AND path @> ARRAY['${compound.id}'::uuid] ORDER BY name LIMIT 1)`)
    await file(other.id, 4, `u.id = '${unit.id}'`)
    await product.query(
      `INSERT INTO ticket_event (ticket_id, at, actor_kind, type, public, data)
       SELECT id, now(), 'staff', 'transferred', true, '{"fromRole": "grid_lead", "toRole": "property_manager", "toName": "冯涛", "reason": "演示"}'
         FROM ticket WHERE compound_id = $1 AND description = '排名演示' ORDER BY number LIMIT 2`,
      [compound.id],
    )
    page = await browser.newPage({ viewport: PHONE })
  }, 180_000)

  afterAll(async () => {
    await browser?.close()
    await product?.stop()
  })

  it('ranks the communities, marks the small sample, and reaches a building in three taps', async () => {
    await staffLoginPage(page, product.baseUrl, STREET, /\/staff\/pages\/home\/index/)
    await page.goto(`${product.baseUrl}/staff/pages/ranking/index`)
    expect(await rows(page)).toEqual([
      { name: '石灰桥社区', rank: '1', small: 'false' },
      { name: '石桥社区', rank: '', small: 'true' },
    ])
    await expect(shown(page, 'ranking-weights').textContent()).resolves.toContain('响应率×30% + 解决率×35% + 满意率×35%（默认权重）')
    await expect(shown(page, 'ranking-small').first().textContent()).resolves.toContain('样本不足')
    await expect(shown(page, 'ranking-total-handoff').textContent()).resolves.toMatch(/回退率\d+(\.\d)?%\(2\/\d+\)/)
    await shootFullPage(page, screenshotPath(SHOTS, 'street-ranking'))
    await setElder(page, true)
    await shootFullPage(page, screenshotPath(SHOTS, 'street-ranking-elder'))
    await setElder(page, false)

    let taps = 0
    const tap = async (name: string) => {
      taps++
      await page.locator('[data-testid="ranking-row"]:visible', { hasText: name }).first().click()
      await page.locator('[data-testid="ranking-trail-item"]', { hasText: name }).filter({ visible: true }).first().waitFor()
    }
    await tap('石灰桥社区')
    expect((await rows(page)).map((r) => r.name)).toEqual(['石灰桥新村'])
    await tap('石灰桥新村')
    const buildings = await rows(page)
    expect(buildings.length).toBe(8)
    const busiest = buildings[0].name
    await tap(busiest)
    expect(taps).toBe(3)
    const trail = await page.locator('[data-testid="ranking-trail-item"]:visible').allTextContents()
    expect(trail.map((t) => t.replace('› ', ''))).toEqual(['西溪街道', '石灰桥社区', '石灰桥新村', busiest])
    // The building level: its figures, its handlers ranked, the lists and the heat table, and a print button.
    await expect(shown(page, 'ranking-table').getAttribute('data-of')).resolves.toBe('handlers')
    await shown(page, 'ranking-figures').waitFor()
    await shown(page, 'ranking-overdue').waitFor()
    await shown(page, 'ranking-escalated').waitFor()
    await shown(page, 'metrics-heat').waitFor()
    await shown(page, 'ranking-print').waitFor()
    await settled(page)
    await shootFullPage(page, screenshotPath(SHOTS, 'building-level'))
    await setElder(page, true)
    await shootFullPage(page, screenshotPath(SHOTS, 'building-level-elder'))
    await setElder(page, false)
  })
})
