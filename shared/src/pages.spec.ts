import {
  ALL_PAGES,
  MAIN_PACKAGE_PAGES,
  PAGES,
  PRELOAD_RULE,
  SUBPACKAGES,
  isMiniappPage,
  pagePath,
  pageUrl,
  residentDetailUrl,
  staffRequestUrl,
} from './pages'

describe('the mini-app page table', () => {
  it('opens the scan page first: a scanned QR code opens the first page of the main package', () => {
    expect(MAIN_PACKAGE_PAGES[0]).toBe('pages/scan/index')
    expect(MAIN_PACKAGE_PAGES).toEqual(['pages/scan/index', 'pages/index/index', 'pages/not-found/index'])
  })

  it('keeps the resident pages a scan leads to in subpackages of their own folder, preloaded from the scan page', () => {
    for (const page of [PAGES.resident.report, PAGES.resident.mine, PAGES.resident.detail, PAGES.resident.board]) {
      const root = page.replace(/\/index$/, '')
      expect(SUBPACKAGES).toContainEqual({ root, pages: ['index'] })
      expect(PRELOAD_RULE[PAGES.resident.scan].packages).toContain(root)
    }
    // Preloading names only subpackages, and only from pages that exist.
    const roots = new Set(SUBPACKAGES.map((p) => p.root))
    for (const [page, rule] of Object.entries(PRELOAD_RULE)) {
      expect(isMiniappPage(page)).toBe(true)
      for (const root of rule.packages) expect(roots.has(root)).toBe(true)
    }
  })

  it('lists each page once, subpackage pages under their root', () => {
    expect(new Set(ALL_PAGES).size).toBe(ALL_PAGES.length)
    const fromPackages = [
      ...MAIN_PACKAGE_PAGES,
      ...SUBPACKAGES.flatMap((p) => p.pages.map((page) => `${p.root}/${page}`)),
    ]
    expect([...fromPackages].sort()).toEqual([...ALL_PAGES].sort())
    expect(PAGES.staff.request).toBe('staff/pages/request/index')
    expect(PAGES.admin.staffDetail).toBe('admin/pages/staff-detail/index')
    // WeChat refuses a subpackage root inside another one, or a main-package page under a root.
    for (const { root } of SUBPACKAGES) {
      expect(MAIN_PACKAGE_PAGES.some((page) => page.startsWith(`${root}/`))).toBe(false)
      expect(
        SUBPACKAGES.filter((other) => other.root.startsWith(`${root}/`) || root.startsWith(`${other.root}/`)),
      ).toEqual([])
    }
  })

  it('knows its pages and nothing else', () => {
    for (const page of ALL_PAGES) expect(isMiniappPage(page)).toBe(true)
    for (const notAPage of [
      'pages/request/index',
      '/pages/scan/index',
      'pages/scan/index?x=1',
      'staff/pages/login',
      '',
    ])
      expect(isMiniappPage(notAPage)).toBe(false)
  })

  it('builds paths with an encoded query, with and without the leading slash', () => {
    expect(pagePath(PAGES.resident.detail, { id: 'abc' })).toBe('pages/detail/index?id=abc')
    expect(pagePath(PAGES.staff.notifications)).toBe('staff/pages/notifications/index')
    expect(pageUrl(PAGES.resident.scan, { token: 'a b&c', skip: undefined, n: 2 })).toBe(
      '/pages/scan/index?token=a%20b%26c&n=2',
    )
    expect(residentDetailUrl('7d1f')).toBe('/pages/detail/index?id=7d1f')
    expect(staffRequestUrl('7d1f')).toBe('/staff/pages/request/index?id=7d1f')
  })
})
