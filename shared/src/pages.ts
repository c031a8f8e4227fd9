/**
 * The mini-app's pages, named once: the mini-app's app config builds its `pages` and `subPackages` from
 * this table, and the server names pages from it (a subscription message's `page`, links), so a path the
 * server emits is always a page the app has.
 *
 * Paths are as `app.json` spells them (no leading slash); a subpackage page's path includes its root.
 */

/**
 * Residents' pages. The first one is the page a scanned QR code opens. The pages a scan leads to next
 * (report, mine, detail, board) are small subpackages of their own, rooted at their own folder, so their
 * paths stay what they always were and WeChat's main package holds only what a first scan needs.
 */
const RESIDENT_PAGES = {
  scan: 'pages/scan/index',
  index: 'pages/index/index',
  report: 'pages/report/index',
  mine: 'pages/mine/index',
  detail: 'pages/detail/index',
  board: 'pages/board/index',
  needs: 'pages/needs/index',
  notFound: 'pages/not-found/index',
} as const

/** Staff pages: a subpackage, so residents never download them. */
const STAFF_PAGES = {
  login: 'pages/login/index',
  home: 'pages/home/index',
  request: 'pages/request/index',
  proxy: 'pages/proxy/index',
  callback: 'pages/callback/index',
  notifications: 'pages/notifications/index',
  metrics: 'pages/metrics/index',
  ranking: 'pages/ranking/index',
  recurring: 'pages/recurring/index',
  resources: 'pages/resources/index',
  visits: 'pages/visits/index',
  needs: 'pages/needs/index',
  meetings: 'pages/meetings/index',
} as const

/** The admin console: a subpackage of its own. */
const ADMIN_PAGES = {
  places: 'pages/places/index',
  import: 'pages/import/index',
  staff: 'pages/staff/index',
  staffDetail: 'pages/staff-detail/index',
  accessLog: 'pages/access-log/index',
  routing: 'pages/routing/index',
  deadlines: 'pages/deadlines/index',
  notifications: 'pages/notifications/index',
  templates: 'pages/templates/index',
  ledger: 'pages/ledger/index',
} as const

const STAFF_ROOT = 'staff'
const ADMIN_ROOT = 'admin'

type Prefixed<Root extends string, T extends Record<string, string>> = {
  readonly [K in keyof T]: `${Root}/${T[K]}`
}

function prefixed<Root extends string, T extends Record<string, string>>(root: Root, pages: T): Prefixed<Root, T> {
  return Object.fromEntries(Object.entries(pages).map(([key, path]) => [key, `${root}/${path}`])) as Prefixed<Root, T>
}

/** Every page by audience and name, as full paths: `PAGES.staff.request` is `staff/pages/request/index`. */
export const PAGES = {
  resident: RESIDENT_PAGES,
  staff: prefixed(STAFF_ROOT, STAFF_PAGES),
  admin: prefixed(ADMIN_ROOT, ADMIN_PAGES),
} as const

export type MiniappPage =
  | (typeof PAGES.resident)[keyof typeof PAGES.resident]
  | (typeof PAGES.staff)[keyof typeof PAGES.staff]
  | (typeof PAGES.admin)[keyof typeof PAGES.admin]

/** Resident pages loaded on demand (preloaded from the scan page): each is its own subpackage. */
const RESIDENT_ON_DEMAND = [RESIDENT_PAGES.report, RESIDENT_PAGES.mine, RESIDENT_PAGES.detail, RESIDENT_PAGES.board, RESIDENT_PAGES.needs]

/** `pages` of the app config (main package), entry page first. */
export const MAIN_PACKAGE_PAGES: string[] = Object.values(RESIDENT_PAGES).filter(
  (page) => !(RESIDENT_ON_DEMAND as readonly string[]).includes(page),
)

/** A resident page's subpackage: its own folder is the root (`pages/report` holds `pages/report/index`). */
function ownFolder(page: string): { root: string; pages: string[] } {
  const slash = page.lastIndexOf('/')
  return { root: page.slice(0, slash), pages: [page.slice(slash + 1)] }
}

/** `subPackages` of the app config: page paths relative to each root, as WeChat wants them. */
export const SUBPACKAGES: { root: string; pages: string[] }[] = [
  ...RESIDENT_ON_DEMAND.map(ownFolder),
  { root: STAFF_ROOT, pages: Object.values(STAFF_PAGES) },
  { root: ADMIN_ROOT, pages: Object.values(ADMIN_PAGES) },
]

/**
 * `preloadRule` of the app config: while a resident reads the scan page (or the home page), WeChat fetches
 * the resident subpackages in the background, so 「我要反映问题」 opens without waiting.
 */
export const PRELOAD_RULE: Record<string, { network: 'all' | 'wifi'; packages: string[] }> = Object.fromEntries(
  [RESIDENT_PAGES.scan, RESIDENT_PAGES.index].map((page) => [
    page,
    { network: 'all', packages: RESIDENT_ON_DEMAND.map((p) => ownFolder(p).root) },
  ]),
)

/** Every page's full path: the residents', then staff's, then admin's. */
export const ALL_PAGES: readonly MiniappPage[] = [
  ...Object.values(PAGES.resident),
  ...Object.values(PAGES.staff),
  ...Object.values(PAGES.admin),
]

const KNOWN = new Set<string>(ALL_PAGES)

/** Whether `path` (a page path without query and without leading slash) is a page of the mini-app. */
export function isMiniappPage(path: string): path is MiniappPage {
  return KNOWN.has(path)
}

type Query = Record<string, string | number | undefined>

function withQuery(path: string, query: Query | undefined): string {
  const pairs = Object.entries(query ?? {}).filter((pair): pair is [string, string | number] => pair[1] !== undefined)
  if (pairs.length === 0) return path
  return `${path}?${pairs.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`).join('&')}`
}

/**
 * A page with its query, as WeChat's server APIs want it (no leading slash): a subscription message's
 * `page`, a mini-program code's `path`.
 */
export function pagePath(page: MiniappPage, query?: Query): string {
  return withQuery(page, query)
}

/** A page with its query, as the mini-app navigates to it (`Taro.navigateTo`) and as H5 serves it. */
export function pageUrl(page: MiniappPage, query?: Query): string {
  return `/${withQuery(page, query)}`
}

/** The resident's page of one request (countdown, timeline, chase, rating). */
export function residentDetailUrl(ticketId: string): string {
  return pageUrl(PAGES.resident.detail, { id: ticketId })
}

/** The staff page where a request is handled. */
export function staffRequestUrl(ticketId: string): string {
  return pageUrl(PAGES.staff.request, { id: ticketId })
}
