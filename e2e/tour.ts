import { randomBytes, randomUUID } from 'node:crypto'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { PAGES, pageUrl, type MiniappPage } from '@mq/shared'
import type { RunningProduct } from './harness'
import { api, fileRequest, pageSettled, settled, staffToken, type Json, type StaffLogin } from './ui'

/**
 * The tour: every page of the mini-app (H5 build), each in one or more states, with how to reach it in a
 * running demo product (harness.ts startProduct) — whose session, which URL, and which data-testid shows
 * the page is there. Used by gallery.ts (screenshots) and design.e2e.ts (layout, tap targets, type size).
 *
 * Pages are reached by URL, after putting the session into the browser's storage the way the app keeps it
 * (Taro H5 stores `{ data }` JSON in localStorage): a staff member's `mq.session.staff` from the API's
 * login, a resident's `mq.deviceSecret` (the app signs in with it), and 长辈模式's `mq.elderMode`. So the
 * tour does not depend on the pages' markup except for the one `ready` marker of each stop (and the login
 * form for the login-error state).
 */

export const DEMO_PASSWORD = 'Demo@2026'
/** Demo accounts (server/src/demo): phone numbers as the e2e specs use them. */
export const DEMO_STAFF = {
  gridLead: { phone: '13800000001', password: DEMO_PASSWORD }, // 网格长 王丽, 石灰桥新村
  police: { phone: '13800000002', password: DEMO_PASSWORD }, // 民警
  property: { phone: '13800000008', password: DEMO_PASSWORD }, // 物业 冯涛
  secretary: { phone: '13800000010', password: DEMO_PASSWORD }, // 小区党委书记
  admin: { phone: '13800000014', password: DEMO_PASSWORD }, // 管理员
} as const satisfies Record<string, StaffLogin>

export type Who = 'anonymous' | 'resident' | keyof typeof DEMO_STAFF

/** What the tour's URLs need: ids made in the demo database by prepareTour. */
export interface TourData {
  /** The QR token of 3幢 2单元 (石灰桥新村). */
  unitToken: string
  unitId: string
  compoundId: string
  /** This tour's resident: the device secret the browser keeps, and the API token for the same resident. */
  residentSecret: string
  /** The resident's requests: just filed (待受理), resolved (rating form shown), closed (rated 5★). */
  openId: string
  resolvedId: string
  closedId: string
  /** Mine, accepted by 物业, who asked a question: 等您补充 with the answer box. */
  waitingId: string
  /** Mine, accepted, with a thread: 物业's message, my answer with words and my addition. */
  threadId: string
  /** Mine, withdrawn (撤回) before acceptance. */
  withdrawnId: string
  /** The demo's 生活需求与助老 request: 待受理, handled by the 网格长. */
  demoOpenId: string
  /** A request 物业 accepted and replied to with a plan (公示内容 editable by 物业). */
  repliedId: string
  /** A proxy entry (代录) resolved by 物业: the 网格长's 回访 page. */
  callbackId: string
  /** 网格长 王丽 in the admin's staff list. */
  gridLeadStaffId: string
}

export interface TourStop {
  /** File-name stem: `<name>-375.png`, `<name>-elder-375.png`, `<name>-1280.png`. */
  name: string
  /** The page (shared/src/pages.ts). */
  page: MiniappPage | 'unknown'
  audience: 'resident' | 'staff' | 'admin'
  /** Whose session the browser holds. */
  who: Who
  /** What this state shows, in words. */
  about: string
  url(data: TourData): string
  /** A Playwright selector that, visible, proves the page (in this state) is shown and loaded. */
  ready: string
  /** Something to do after `ready` to reach the state (e.g. a failed login). */
  act?(page: Page): Promise<void>
  /** Shot at 1280 px as well (the admin console). */
  wide?: boolean
}

const tid = (id: string) => `[data-testid="${id}"] >> visible=true`

/** Every page, resident pages first, then staff, then the admin console. */
export const TOUR: TourStop[] = [
  // ---- residents (main package)
  {
    name: 'resident-index',
    page: PAGES.resident.index,
    audience: 'resident',
    who: 'resident',
    about: '首页: how it works, link to 我的反映',
    url: () => pageUrl(PAGES.resident.index),
    ready: tid('home-steps'),
  },
  {
    name: 'resident-scan',
    page: PAGES.resident.scan,
    audience: 'resident',
    who: 'resident',
    about: 'a scanned unit: place, handlers, the building’s open requests (我也遇到了), board card',
    url: (d) => pageUrl(PAGES.resident.scan, { token: d.unitToken }),
    ready: `${tid('scan-place')}`,
  },
  {
    name: 'resident-scan-invalid',
    page: PAGES.resident.scan,
    audience: 'resident',
    who: 'resident',
    about: 'an unknown code',
    url: () => pageUrl(PAGES.resident.scan, { token: 'NoSuchCode12345' }),
    ready: tid('scan-invalid'),
  },
  {
    name: 'resident-report',
    page: PAGES.resident.report,
    audience: 'resident',
    who: 'resident',
    about: 'the filing form (categories, description, photos, contact)',
    url: (d) => pageUrl(PAGES.resident.report, { token: d.unitToken }),
    ready: tid('report-categories'),
  },
  {
    name: 'resident-detail-open',
    page: PAGES.resident.detail,
    audience: 'resident',
    who: 'resident',
    about: 'my request, 待受理: countdown, timeline, 催一下',
    url: (d) => pageUrl(PAGES.resident.detail, { id: d.openId }),
    ready: `[data-testid="detail-view"][data-state="submitted"] >> visible=true`,
  },
  {
    name: 'resident-detail-resolved',
    page: PAGES.resident.detail,
    audience: 'resident',
    who: 'resident',
    about: 'my request, 已办结: the result and the rating form (stars, tags, comment)',
    url: (d) => pageUrl(PAGES.resident.detail, { id: d.resolvedId }),
    ready: tid('rating-form'),
  },
  {
    name: 'resident-detail-closed',
    page: PAGES.resident.detail,
    audience: 'resident',
    who: 'resident',
    about: 'my request, 已销号 with my 5★ rating',
    url: (d) => pageUrl(PAGES.resident.detail, { id: d.closedId }),
    ready: tid('detail-rating'),
  },
  {
    name: 'resident-detail-waiting',
    page: PAGES.resident.detail,
    audience: 'resident',
    who: 'resident',
    about: 'my request, 等您补充: the handler’s question over the answer box (words, photos, send)',
    url: (d) => pageUrl(PAGES.resident.detail, { id: d.waitingId }),
    ready: tid('answer-box'),
  },
  {
    name: 'resident-detail-thread',
    page: PAGES.resident.detail,
    audience: 'resident',
    who: 'resident',
    about: 'my request, 处理中: the thread with the handler, newest last, and 补充说明',
    url: (d) => pageUrl(PAGES.resident.detail, { id: d.threadId }),
    ready: tid('thread'),
  },
  {
    name: 'resident-detail-withdrawn',
    page: PAGES.resident.detail,
    audience: 'resident',
    who: 'resident',
    about: 'my request, 已撤回 before acceptance, with the reason on the timeline',
    url: (d) => pageUrl(PAGES.resident.detail, { id: d.withdrawnId }),
    ready: `[data-testid="detail-view"][data-state="withdrawn"] >> visible=true`,
  },
  {
    name: 'resident-mine',
    page: PAGES.resident.mine,
    audience: 'resident',
    who: 'resident',
    about: '我的反映: my requests in their states (待受理, 等您补充, 处理中, 已办结待评价, 已销号, 已撤回) and the one I follow',
    url: () => pageUrl(PAGES.resident.mine),
    ready: `${tid('mine-item')}`,
  },
  {
    name: 'resident-board',
    page: PAGES.resident.board,
    audience: 'resident',
    who: 'resident',
    about: "the compound's public board (公示栏)",
    url: (d) => pageUrl(PAGES.resident.board, { compoundId: d.compoundId }),
    ready: tid('board-item'),
  },
  {
    name: 'resident-needs',
    page: PAGES.resident.needs,
    audience: 'resident',
    who: 'resident',
    about: "the compound's needs (居民需求) from a stairwell code: propose one, +1 once per household",
    url: (d) => pageUrl(PAGES.resident.needs, { compoundId: d.compoundId, token: d.unitToken }),
    ready: tid('need-item'),
  },
  {
    name: 'resident-not-found',
    page: PAGES.resident.notFound,
    audience: 'resident',
    who: 'resident',
    about: 'an unknown address: the Chinese 404 page with a way home',
    url: () => '/no/such/page',
    ready: tid('not-found'),
  },

  // ---- staff (subpackage)
  {
    name: 'staff-login',
    page: PAGES.staff.login,
    audience: 'staff',
    who: 'anonymous',
    about: 'staff login form',
    url: () => pageUrl(PAGES.staff.login),
    ready: `[data-testid="login-phone"] input >> visible=true`,
  },
  {
    name: 'staff-login-error',
    page: PAGES.staff.login,
    audience: 'staff',
    who: 'anonymous',
    about: 'a wrong password: 手机号或密码不正确',
    url: () => pageUrl(PAGES.staff.login),
    ready: `[data-testid="login-phone"] input >> visible=true`,
    async act(page) {
      await page.locator(`[data-testid="login-phone"] input >> visible=true`).fill(DEMO_STAFF.secretary.phone)
      await page.locator(`[data-testid="login-password"] input >> visible=true`).fill('not-the-password1')
      await page.locator(tid('login-submit')).click()
      await page.locator(tid('login-error')).waitFor({ state: 'visible' })
    },
  },
  {
    name: 'staff-home',
    page: PAGES.staff.home,
    audience: 'staff',
    who: 'gridLead',
    about: "网格长's inbox (待受理 tab, counts, header buttons)",
    url: () => pageUrl(PAGES.staff.home),
    ready: `[data-testid="inbox-list"][data-loading="false"] >> visible=true`,
  },
  {
    name: 'staff-request',
    page: PAGES.staff.request,
    audience: 'staff',
    who: 'gridLead',
    about: 'handling screen of an open request (reporter, call, 受理 etc.)',
    url: (d) => pageUrl(PAGES.staff.request, { id: d.demoOpenId }),
    ready: `[data-testid="request"][data-state="submitted"] >> visible=true`,
  },
  {
    name: 'staff-request-replied',
    page: PAGES.staff.request,
    audience: 'staff',
    who: 'property',
    about: 'handling screen of a replied request with its 公示内容 (public summary, editable by 物业)',
    url: (d) => pageUrl(PAGES.staff.request, { id: d.repliedId }),
    ready: tid('public-summary-commitment'),
  },
  {
    name: 'staff-request-thread',
    page: PAGES.staff.request,
    audience: 'staff',
    who: 'property',
    about: 'handling screen with the thread: the resident’s answer and addition, a message to them',
    url: (d) => pageUrl(PAGES.staff.request, { id: d.threadId }),
    ready: tid('request-thread'),
  },
  {
    name: 'staff-request-closed',
    page: PAGES.staff.request,
    audience: 'staff',
    who: 'gridLead',
    about: 'handling screen of a closed request (outcome, rating, full timeline)',
    url: (d) => pageUrl(PAGES.staff.request, { id: d.closedId }),
    ready: `[data-testid="request"][data-state="closed"] >> visible=true`,
  },
  {
    name: 'staff-proxy',
    page: PAGES.staff.proxy,
    audience: 'staff',
    who: 'gridLead',
    about: '代录: filing for a resident by phone or visit',
    url: () => pageUrl(PAGES.staff.proxy),
    ready: tid('proxy-form'),
  },
  {
    name: 'staff-callback',
    page: PAGES.staff.callback,
    audience: 'staff',
    who: 'gridLead',
    about: '回访: recording the rating a resident gave on the phone',
    url: (d) => pageUrl(PAGES.staff.callback, { id: d.callbackId }),
    ready: tid('callback-stars'),
  },
  {
    name: 'staff-notifications',
    page: PAGES.staff.notifications,
    audience: 'staff',
    who: 'gridLead',
    about: 'in-app notifications',
    url: () => pageUrl(PAGES.staff.notifications),
    ready: tid('notification'),
  },
  {
    name: 'staff-metrics',
    page: PAGES.staff.metrics,
    audience: 'staff',
    who: 'gridLead',
    about: "the compound's metrics (rates, groups, weeks, heat table, attention lists)",
    url: () => pageUrl(PAGES.staff.metrics),
    ready: `[data-testid="metrics"][data-loading="false"] >> visible=true`,
  },
  {
    name: 'staff-needs',
    page: PAGES.staff.needs,
    audience: 'staff',
    who: 'gridLead',
    about: "the compound's needs list: support counts, statuses and the moves between them, 代录",
    url: () => pageUrl(PAGES.staff.needs),
    ready: tid('staff-need'),
  },
  {
    name: 'staff-meetings',
    page: PAGES.staff.meetings,
    audience: 'staff',
    who: 'gridLead',
    about: "the compound's joint meetings (议事会): the demo's planned 三方联动议事会 and held 九长大会",
    url: () => pageUrl(PAGES.staff.meetings),
    ready: tid('meeting-row'),
  },
  {
    name: 'staff-meeting',
    page: PAGES.staff.meetings,
    audience: 'staff',
    who: 'gridLead',
    about: 'the held 九长大会: attendees by role, the agenda with its decisions (落实中, 已落实), the decision form',
    url: () => pageUrl(PAGES.staff.meetings),
    ready: tid('meeting-row'),
    async act(page) {
      await page.locator(tid('meeting-row')).filter({ hasText: '九长大会' }).getByTestId('meeting-open').click()
      await page.locator(tid('meeting-decide')).waitFor({ state: 'visible' })
    },
  },
  {
    name: 'staff-resources',
    page: PAGES.staff.resources,
    audience: 'staff',
    who: 'gridLead',
    about: "the compound's resources list (资源清单): units, volunteers with their skills, venues; contacts masked",
    url: () => pageUrl(PAGES.staff.resources),
    ready: tid('resource-item'),
  },
  {
    name: 'staff-resources-match',
    page: PAGES.staff.resources,
    audience: 'staff',
    who: 'gridLead',
    about: 'matching the demo 生活需求与助老 request to resources: pick, owner, working-day date, note',
    url: (d) => pageUrl(PAGES.staff.resources, { ticketId: d.demoOpenId }),
    ready: tid('match-panel'),
  },

  {
    name: 'staff-visits-register',
    page: PAGES.staff.visits,
    audience: 'staff',
    who: 'gridLead',
    about: "the compound's visit register in full, with the form that puts a household on it",
    url: () => pageUrl(PAGES.staff.visits),
    ready: tid('visit-schedule'),
    async act(page) {
      await page.locator(tid('visit-tab-register')).click()
      await page.locator(tid('visit-new-open')).click()
      await page.locator(tid('visit-register-row')).first().waitFor({ state: 'visible' })
    },
  },
  {
    name: 'staff-visits-register-masked',
    page: PAGES.staff.visits,
    audience: 'staff',
    who: 'police',
    about: "the compound's visit register as a 民警 sees it: names masked, no room",
    url: () => pageUrl(PAGES.staff.visits),
    ready: tid('visit-tab-register'),
    async act(page) {
      await page.locator(tid('visit-tab-register')).click()
      await page.locator(tid('visit-register-row')).first().waitFor({ state: 'visible' })
    },
  },
  {
    name: 'staff-visits',
    page: PAGES.staff.visits,
    audience: 'staff',
    who: 'gridLead',
    about: "the grid worker's visits: households overdue first, then due today, then by date",
    url: () => pageUrl(PAGES.staff.visits),
    ready: tid('visit-schedule'),
  },
  {
    name: 'staff-visits-household',
    page: PAGES.staff.visits,
    audience: 'staff',
    who: 'gridLead',
    about: 'a household: people, call button, notes, the visit form with 代录诉求 chosen, past visits',
    url: () => pageUrl(PAGES.staff.visits),
    ready: tid('visit-schedule'),
    async act(page) {
      await page.locator(tid('visit-row')).first().click()
      await page.locator(tid('visit-follow-request')).click()
      await page.locator(tid('visit-form')).waitFor({ state: 'visible' })
    },
  },

  // ---- admin console (subpackage); the metrics page is the staff one, opened by an admin
  {
    name: 'admin-places',
    page: PAGES.admin.places,
    audience: 'admin',
    who: 'admin',
    about: 'place tree with the compound 石灰桥新村 selected',
    url: (d) => pageUrl(PAGES.admin.places, { select: d.compoundId }),
    ready: tid('place-detail'),
    wide: true,
  },
  {
    name: 'admin-places-unit',
    page: PAGES.admin.places,
    audience: 'admin',
    who: 'admin',
    about: 'a unit selected: its QR code and poster downloads',
    url: (d) => pageUrl(PAGES.admin.places, { select: d.unitId }),
    ready: tid('place-qr'),
    wide: true,
  },
  {
    name: 'admin-import',
    page: PAGES.admin.import,
    audience: 'admin',
    who: 'admin',
    about: 'importing buildings and units into 石灰桥新村 from a sheet',
    url: (d) => pageUrl(PAGES.admin.import, { type: 'places', placeId: d.compoundId }),
    ready: tid('import-page'),
    wide: true,
  },
  {
    name: 'admin-import-staff',
    page: PAGES.admin.import,
    audience: 'admin',
    who: 'admin',
    about: 'importing staff from a sheet',
    url: () => pageUrl(PAGES.admin.import, { type: 'staff' }),
    ready: tid('import-page'),
    wide: true,
  },
  {
    name: 'admin-staff',
    page: PAGES.admin.staff,
    audience: 'admin',
    who: 'admin',
    about: 'staff list with search and 新增',
    url: () => pageUrl(PAGES.admin.staff),
    ready: tid('staff-table'),
    wide: true,
  },
  {
    name: 'admin-staff-detail',
    page: PAGES.admin.staffDetail,
    audience: 'admin',
    who: 'admin',
    about: 'one staff member (王丽): memberships, password reset, disable',
    url: (d) => pageUrl(PAGES.admin.staffDetail, { id: d.gridLeadStaffId }),
    ready: tid('staff-detail'),
    wide: true,
  },
  {
    name: 'admin-routing',
    page: PAGES.admin.routing,
    audience: 'admin',
    who: 'admin',
    about: '分派规则 of 石灰桥新村 and the dry run',
    url: (d) => pageUrl(PAGES.admin.routing, { compoundId: d.compoundId }),
    ready: tid('routing-table'),
    wide: true,
  },
  {
    name: 'admin-deadlines',
    page: PAGES.admin.deadlines,
    audience: 'admin',
    who: 'admin',
    about: '时限设置 of 石灰桥新村',
    url: (d) => pageUrl(PAGES.admin.deadlines, { compoundId: d.compoundId }),
    ready: tid('deadline-form'),
    wide: true,
  },
  {
    name: 'admin-notifications',
    page: PAGES.admin.notifications,
    audience: 'admin',
    who: 'admin',
    about: '通知失败: one failed message with 重新发送',
    url: () => pageUrl(PAGES.admin.notifications),
    ready: tid('notifications-table-row'),
    wide: true,
  },
  {
    name: 'admin-access-log',
    page: PAGES.admin.accessLog,
    audience: 'admin',
    who: 'admin',
    about: '个人信息查看记录',
    url: () => pageUrl(PAGES.admin.accessLog),
    ready: tid('access-log-table-row'),
    wide: true,
  },
  {
    name: 'admin-metrics',
    page: PAGES.staff.metrics,
    audience: 'admin',
    who: 'admin',
    about: 'the metrics page as an admin sees it (figures only, back to the console)',
    url: () => pageUrl(PAGES.staff.metrics),
    ready: `[data-testid="metrics"][data-loading="false"] >> visible=true`,
    wide: true,
  },
]

/** Stops picked by a comma-separated list of names or prefixes (e.g. `admin-,resident-scan`); all when empty. */
export function pickStops(filter: string | undefined): TourStop[] {
  const wanted = (filter ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  if (wanted.length === 0) return TOUR
  const picked = TOUR.filter((s) => wanted.some((w) => s.name === w || s.name.startsWith(w)))
  if (picked.length === 0)
    throw new Error(`no tour stop matches ${filter}; stops: ${TOUR.map((s) => s.name).join(', ')}`)
  return picked
}

// -------------------------------------------------------------------------------------------------
// Preparing the demo database

async function must<T>(
  what: string,
  call: Promise<{ status: number; body: T }>,
  ok = [200, 201],
): Promise<T> {
  const res = await call
  if (!ok.includes(res.status)) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body
}

/** Makes the requests and records the tour's URLs need in a freshly started demo product. */
export async function prepareTour(product: RunningProduct): Promise<TourData> {
  const base = product.baseUrl
  const [unit] = await product.query<{ token: string; unit_id: string; compound_id: string }>(
    `SELECT q.token, q.unit_id, b.parent_id AS compound_id
       FROM qr_code q JOIN place u ON u.id = q.unit_id JOIN place b ON b.id = u.parent_id
      WHERE q.revoked_at IS NULL AND b.name = '3幢' AND u.name = '2单元'`,
  )
  if (!unit) throw new Error('demo data: no QR code for 3幢 2单元')

  const residentSecret = randomBytes(32).toString('base64url')
  const resident = (
    await must(
      'device login',
      api<{ accessToken: string }>(base, '/api/auth/device', { json: { deviceSecret: residentSecret } }),
    )
  ).accessToken
  const pm = await staffToken(base, DEMO_STAFF.property)
  const lead = await staffToken(base, DEMO_STAFF.gridLead)
  const act = (token: string, id: string, command: string, json: unknown) =>
    must(`${command} ${id}`, api(base, `/api/requests/${id}/${command}`, { token, json }))

  const file = (category: string, description: string) =>
    fileRequest<{ id: string }>(base, resident, { unitId: unit.unit_id, category, description }).then(
      (r) => r.id,
    )
  const openId = await file('facilities', '3幢2单元三楼楼道灯坏了，晚上看不清台阶，老人上下楼很危险。')
  const resolvedId = await file('sanitation', '单元门口的垃圾桶满了两天没人清，气味很大。')
  const closedId = await file('facilities', '2单元门口的门禁坏了，刷卡开不了门。')
  for (const id of [resolvedId, closedId]) {
    await act(pm, id, 'accept', {})
    await act(pm, id, 'resolve', { note: '已处理完毕，并检查了整栋楼的同类问题。', photoIds: [] })
  }
  await must(
    'rating',
    api(base, `/api/requests/${closedId}/rating`, { token: resident, json: { stars: 5, tags: [] } }),
  )

  // The conversation: a question waiting for me; a thread with 物业; one I withdrew before acceptance.
  const waitingId = await file('facilities', '楼下的单元门关不严，风一吹就开。')
  await act(pm, waitingId, 'accept', {})
  await act(pm, waitingId, 'wait', { question: '请问是哪一扇门？方便的话拍张照片。' })
  const threadId = await file('facilities', '三楼楼梯扶手松动，老人扶着不放心。')
  await act(pm, threadId, 'accept', {})
  await act(pm, threadId, 'wait', { question: '是靠窗那一侧的扶手吗？' })
  await act(resident, threadId, 'messages', { text: '是靠窗那一侧，三楼到四楼之间。' })
  await act(pm, threadId, 'staff-messages', { text: '收到，明天上午师傅来加固。' })
  await act(resident, threadId, 'messages', { text: '明天上午家里有人，可以直接敲门。' })
  const withdrawnId = await file('facilities', '楼道里的声控灯不太灵敏。')
  await act(resident, withdrawnId, 'withdraw', { reason: '今天又好了，不用修了。' })

  // Another resident's leak in the same building: the tour's resident follows it (我也遇到了).
  const other = await must(
    'device login',
    api<{ accessToken: string }>(base, '/api/auth/device', {
      json: { deviceSecret: randomBytes(32).toString('base64url') },
    }),
  )
  const leak = await fileRequest<{ id: string }>(base, other.accessToken, {
    unitId: unit.unit_id,
    category: 'leak',
    description: '顶楼卫生间天花板渗水，下雨天更严重。',
  })
  await must('follow', api(base, `/api/requests/${leak.id}/follow`, { token: resident, json: { token: unit.token } }))
  await act(pm, leak.id, 'accept', {})
  await act(pm, leak.id, 'reply', {
    plan: '本周内请防水施工队上门查看屋面',
    promisedAt: new Date(Date.now() + 5 * 86_400_000).toISOString(),
  })

  // A proxy entry (代录) by the 网格长, resolved by 物业: ready for the 回访.
  const proxy = await must(
    'proxy entry',
    api<{ id: string }>(base, '/api/requests/proxy', {
      token: lead,
      json: {
        unitId: unit.unit_id,
        category: 'leak',
        description: '老人来电：厨房水管漏水，地面一直湿。',
        channel: 'phone',
        residentName: '刘秀兰',
        residentPhone: '13911112222',
      },
      headers: { 'Idempotency-Key': randomUUID() },
    }),
  )
  await act(pm, proxy.id, 'accept', {})
  await act(pm, proxy.id, 'resolve', { note: '已更换厨房进水管接头。', photoIds: [] })

  const [demo] = await product.query<{ id: string }>(
    `SELECT id FROM ticket WHERE category = 'elderly_care' ORDER BY created_at LIMIT 1`,
  )
  const [wangLi] = await product.query<{ id: string }>(`SELECT id FROM staff WHERE phone = $1`, [
    DEMO_STAFF.gridLead.phone,
  ])

  // One message of the demo's requests failed for good (as WeChat's 43101 would), for 通知失败.
  await product.query(
    `UPDATE notification_outbox SET status = 'failed', attempts = 5, last_error = 'errcode 43101: user refuse to accept the msg'
      WHERE id = (SELECT id FROM notification_outbox WHERE ticket_id IS NOT NULL AND status <> 'sending' ORDER BY id LIMIT 1)`,
  )

  return {
    unitToken: unit.token,
    unitId: unit.unit_id,
    compoundId: unit.compound_id,
    residentSecret,
    openId,
    resolvedId,
    closedId,
    waitingId,
    threadId,
    withdrawnId,
    demoOpenId: demo.id,
    repliedId: leak.id,
    callbackId: proxy.id,
    gridLeadStaffId: wangLi.id,
  }
}

// -------------------------------------------------------------------------------------------------
// Visiting

/** One browser context per person, holding their session; pages are opened in it by URL. */
export class Tour {
  private contexts = new Map<Who, BrowserContext>()
  private pages = new Map<Who, Page>()
  private sessions = new Map<Who, Json>()

  constructor(
    private readonly browser: Browser,
    private readonly product: RunningProduct,
    readonly data: TourData,
  ) {}

  private async pageFor(who: Who): Promise<Page> {
    const open = this.pages.get(who)
    if (open) return open
    const context = await this.browser.newContext({
      viewport: { width: 375, height: 812 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    })
    const page = await context.newPage()
    // Storage is per origin: open a same-origin URL that is not the app to write it before the app reads it.
    await page.goto(`${this.product.baseUrl}/api/health`)
    if (who === 'resident') await setStored(page, 'mq.deviceSecret', this.data.residentSecret)
    if (who !== 'anonymous' && who !== 'resident') {
      // The API's login answers { accessToken, refreshToken, me, … }: the app stores the first three.
      const { status, body } = await api<{ accessToken: string; refreshToken: string; me: Json }>(
        this.product.baseUrl,
        '/api/auth/staff/login',
        { json: DEMO_STAFF[who] },
      )
      if (status !== 200) throw new Error(`staff login ${who}: ${status}`)
      const session = { accessToken: body.accessToken, refreshToken: body.refreshToken, me: body.me }
      this.sessions.set(who, session)
      await setStored(page, 'mq.session.staff', session)
    }
    this.contexts.set(who, context)
    this.pages.set(who, page)
    return page
  }

  /**
   * Opens `stop` in its person's browser, in 长辈模式 or not (set in storage before the app starts), at
   * `width` px; waits for its ready marker and for the page to come to rest. Answers the page.
   */
  async visit(stop: TourStop, options: { elder: boolean; width: number; height?: number }): Promise<Page> {
    const page = await this.pageFor(stop.who)
    await page.setViewportSize({
      width: options.width,
      height: options.height ?? (options.width >= 1000 ? 800 : 812),
    })
    // A blank same-origin page first, so the app starts afresh and reads the mode from storage.
    await page.goto(`${this.product.baseUrl}/api/health`)
    await setStored(page, 'mq.elderMode', options.elder)
    await page.goto(`${this.product.baseUrl}${stop.url(this.data)}`)
    try {
      await page.locator(stop.ready).first().waitFor({ state: 'visible', timeout: 20_000 })
      if (stop.act) await stop.act(page)
      await pageSettled(page)
      await settled(page)
    } catch (error) {
      throw new Error(
        `${stop.name}: not shown at ${page.url()} (waiting for ${stop.ready}): ${(error as Error).message.split('\n')[0]}`,
      )
    }
    return page
  }

  async close(): Promise<void> {
    for (const context of this.contexts.values()) await context.close()
    this.contexts.clear()
    this.pages.clear()
  }
}

/** Writes a value the way Taro's H5 setStorageSync does: `{ "data": value }` JSON in localStorage. */
async function setStored(page: Page, key: string, value: unknown): Promise<void> {
  await page.evaluate(([k, v]) => localStorage.setItem(k as string, JSON.stringify({ data: v })), [
    key,
    value,
  ] as const)
}
