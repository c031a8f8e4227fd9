import { mkdir, writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { launchBrowser, startProduct, type RunningProduct } from './harness'
import { sidewaysOverflow, sticksOut } from './ui'
import { pickStops, prepareTour, Tour, type TourStop } from './tour'

/**
 * Design checks for every page of the tour (tour.ts), in normal and in 长辈模式 (set on the device as the
 * app keeps it, whether or not the page has a switch), at 320 px — the narrowest phone:
 *   (a) nothing scrolls sideways;
 *   (b) every visible tap target (buttons, links, fields, pickers, checkboxes and radios, tabs, stars,
 *       Taro's and NutUI's as well as native ones) is at least 44×44 CSS px, 48×48 in 长辈模式;
 *   (c) in 长辈模式 every visible piece of text (and every field's text) is at least 20 px.
 * A failure lists each offending element (tag, classes, data-testid, text) with its size, so a page's
 * author can find it. Runs against the builds harness.ts picks (E2E_SERVER_MAIN, E2E_H5_DIST); DESIGN_PAGES
 * picks stops by name or prefix (e.g. `DESIGN_PAGES=resident-,admin-places`).
 */
const NARROW = { width: 320, height: 640 }
/** Each case's measurements, written after the run for before/after comparisons (not committed). */
const SUMMARY = resolve(__dirname, '..', '.test-results', 'design-summary.json')
const TARGET_MIN = { normal: 44, elder: 48 }
const ELDER_TEXT_MIN = 20

/** What counts as a tap target: native, Taro H5's web components, ARIA roles, and NutUI React's controls. */
const TAP_TARGETS = [
  'button',
  'a[href]',
  'input:not([type=hidden]):not([type=file])',
  'textarea',
  'select',
  '[role=button]',
  '[role=link]',
  '[role=tab]',
  '[role=radio]',
  '[role=checkbox]',
  '[role=switch]',
  '[role=menuitem]',
  '[role=option]',
  'taro-button-core',
  'taro-navigator-core',
  'taro-input-core',
  'taro-textarea-core',
  'taro-picker-core',
  'taro-checkbox-core',
  'taro-radio-core',
  'taro-switch-core',
  'taro-slider-core',
  // the report form's photo tiles (a label around a file input) and their remove buttons
  'label.report-add',
  '.report-photo__remove',
  // NutUI React (Taro) 3.x, hyphenated BEM; and the double-underscore spelling of older kits
  '.nut-button',
  '.nut-checkbox',
  '.nut-checkbox-button',
  '.nut-radio',
  '.nut-radio-button',
  '.nut-switch',
  '.nut-tabs-titles-item',
  '.nut-tabs__titles-item',
  '.nut-cell-clickable',
  '.nut-cell--clickable',
  '.nut-rate-item',
  '.nut-input',
  '.nut-textarea',
  '.nut-searchbar-input',
  '.nut-uploader-upload',
  '.nut-tabbar-item',
  '.nut-navbar-left',
  '.nut-collapse-item-header',
  '.nut-inputnumber-minus',
  '.nut-inputnumber-add',
  '.nut-pagination-prev',
  '.nut-pagination-next',
  '.nut-pagination-item',
  '.nut-sidebar-item',
  '.nut-menu-item',
  '.nut-segmented-item',
  '.nut-popup-title-right',
  '.nut-calendar-day',
  '.nut-elevator-list-item',
]
/** Targets that hold other targets (a clickable cell with a switch in it): the ones inside count too. */
const CONTAINERS = [
  '.nut-cell-clickable',
  '.nut-cell--clickable',
  '.nut-collapse-item-header',
  '[role=tab]',
  '.nut-tabbar-item',
]

interface Probe {
  targets: number
  small: string[]
  smallText: string[]
  /** The smallest text size seen (px), for the summary. */
  minText: number
}

/** Measures the shown page: tap targets under `min` px either way, text under `textMin` px. */
async function probe(page: Page, min: number, textMin: number): Promise<Probe> {
  return page.evaluate(
    ({ selectors, containers, least, textLeast }) => {
      const targetSelector = selectors.join(',')
      const containerSelector = containers.join(',')
      const describe = (el: Element): string => {
        const classes = Array.from(el.classList)
          .filter((c) => !/^(hydrated|taro-)/.test(c))
          .slice(0, 3)
        const own = el.getAttribute('data-testid')
        const testId = own
          ? `[data-testid=${own}]`
          : el.closest('[data-testid]')
            ? ` in [data-testid=${el.closest('[data-testid]')!.getAttribute('data-testid')}]`
            : ''
        const role = el.getAttribute('role')
        const text = (
          (el as HTMLInputElement).value ||
          el.getAttribute('placeholder') ||
          el.textContent ||
          el.getAttribute('aria-label') ||
          ''
        )
          .replace(/\s+/g, ' ')
          .trim()
          .slice(0, 18)
        return `${el.tagName.toLowerCase()}${classes.map((c) => `.${c}`).join('')}${role ? `[role=${role}]` : ''}${testId} «${text}»`
      }
      const hidden = (el: Element): boolean => {
        if (el.getClientRects().length === 0) return true
        for (let e: Element | null = el; e; e = e.parentElement) {
          const style = getComputedStyle(e)
          if (style.visibility === 'hidden' || style.opacity === '0' || style.display === 'none') return true
          if (e.getAttribute('aria-hidden') === 'true') return true
        }
        return false
      }

      // (b) tap targets: the outermost of nested matches (a wrapper and its native control are one target),
      // except inside containers, whose inner controls are targets of their own.
      const all = Array.from(document.querySelectorAll<HTMLElement>(targetSelector))
      const seen = all
        .filter((el) => {
          const outer = el.parentElement?.closest(targetSelector)
          return !outer || outer.matches(containerSelector)
        })
        .filter((el) => !hidden(el))
        .map((el) => ({ el, box: el.getBoundingClientRect() }))
        .filter(({ box }) => box.width > 1 && box.height > 1)
      const small = seen
        .filter(({ box }) => box.width < least || box.height < least)
        .map(({ el, box }) => `${describe(el)} ${box.width.toFixed(0)}×${box.height.toFixed(0)}`)

      // (c) text: every visible text node's font size, and every field's.
      const sizes = new Map<string, number>()
      let minText = Infinity
      const note = (el: Element, text: string) => {
        const size = parseFloat(getComputedStyle(el).fontSize)
        minText = Math.min(minText, size)
        if (size >= textLeast) return
        const key = `${describe(el).replace(/ «.*»$/, '')} «${text.replace(/\s+/g, ' ').trim().slice(0, 18)}» ${size.toFixed(1)}px`
        sizes.set(key, size)
      }
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent ?? ''
        const parent = node.parentElement
        if (!parent || !text.trim() || parent.closest('script, style, noscript, svg')) continue
        const range = document.createRange()
        range.selectNodeContents(node)
        const rects = Array.from(range.getClientRects()).filter((r) => r.width > 1 && r.height > 1)
        if (rects.length === 0 || hidden(parent)) continue
        note(parent, text)
      }
      for (const field of Array.from(
        document.querySelectorAll<HTMLInputElement>(
          'input:not([type=hidden]):not([type=file]):not([type=checkbox]):not([type=radio]), textarea',
        ),
      )) {
        if (hidden(field)) continue
        const text = field.value || field.placeholder
        if (text) note(field, text)
      }
      return {
        targets: seen.length,
        small,
        smallText: Array.from(sizes.keys()),
        minText: minText === Infinity ? 0 : minText,
      }
    },
    { selectors: TAP_TARGETS, containers: CONTAINERS, least: min, textLeast: textMin },
  )
}

/**
 * Offenders alike but for their text (each row of a list) as one line: the first one's text, how many
 * more, and the size.
 */
function grouped(offenders: string[]): string[] {
  const groups = new Map<string, { text: string; count: number }>()
  for (const line of offenders) {
    const match = /^(.*) «(.*)» (\S+)$/.exec(line)
    const key = match ? `${match[1]}\u0000${match[3]}` : line
    const group = groups.get(key)
    if (group) group.count++
    else groups.set(key, { text: match ? match[2] : '', count: 1 })
  }
  return Array.from(groups, ([key, { text, count }]) => {
    const [where, size] = key.split('\u0000')
    return size === undefined
      ? where
      : `${where} «${text}»${count > 1 ? ` (+${count - 1} more like it)` : ''} ${size}`
  })
}

const STOPS = pickStops(process.env.DESIGN_PAGES)

describe('design: every page at 320 px, normal and 长辈模式', () => {
  let product: RunningProduct
  let browser: Browser
  let tour: Tour
  const summary: Record<string, unknown>[] = []

  beforeAll(async () => {
    product = await startProduct()
    browser = await launchBrowser()
    tour = new Tour(browser, product, await prepareTour(product))
  }, 120_000)
  afterAll(async () => {
    await mkdir(resolve(SUMMARY, '..'), { recursive: true })
    await writeFile(SUMMARY, `${JSON.stringify(summary, null, 1)}\n`)
    await tour?.close()
    await browser?.close()
    await product?.stop()
  })

  const cases: [string, TourStop, boolean][] = STOPS.flatMap((stop) => [
    [stop.name, stop, false] as [string, TourStop, boolean],
    [`${stop.name} (长辈模式)`, stop, true] as [string, TourStop, boolean],
  ])

  it.each(cases)('%s: fits 320 px, tap targets and text big enough', async (_name, stop, elder) => {
    const page = await tour.visit(stop, { elder, ...NARROW })
    const min = elder ? TARGET_MIN.elder : TARGET_MIN.normal
    const problems: string[] = []

    const overflow = await sidewaysOverflow(page)
    if (overflow > 0) {
      problems.push(
        `scrolls sideways by ${overflow}px; sticking out: ${(await sticksOut(page)).join(' | ') || '(none found)'}`,
      )
    }
    // Normal mode has no text floor of its own (the issue sets 20 px for 长辈模式 only): 0 never fails.
    const measured = await probe(page, min, elder ? ELDER_TEXT_MIN : 0)
    summary.push({
      page: stop.name,
      elder,
      overflow,
      targets: measured.targets,
      smallTargets: measured.small.length,
      minTextPx: measured.minText,
      smallText: measured.smallText.length,
    })
    if (measured.targets === 0) problems.push('no tap target found at all (is the page shown?)')
    for (const s of grouped(measured.small)) problems.push(`tap target under ${min}×${min}: ${s}`)
    for (const s of grouped(measured.smallText)) problems.push(`text under ${ELDER_TEXT_MIN}px: ${s}`)

    expect({ page: stop.name, elder, url: stop.url(tour.data), problems }).toEqual({
      page: stop.name,
      elder,
      url: stop.url(tour.data),
      problems: [],
    })
  })
})
