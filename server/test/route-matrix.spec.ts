/**
 * Every API route × every kind of caller. The expected status of each cell is the
 * committed table test/route-matrix.json; the test fails on any difference, on a route the table lacks,
 * and on a table row for a route that no longer exists. Every response body is also scanned for phone
 * numbers and openids that its caller may not see.
 */
import { can, defaultCalendar, localDateString, ROLES, type Role, type TicketState } from '@mq/shared'
import { randomBytes, randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startTestApp, type TestApp } from './app'
import {
  authHeader,
  IMAGES,
  makeCompound,
  makeResident,
  makeStaff,
  makeTicket,
  membershipPlace,
  multipartBody,
  newPhone,
  signIn,
  staffPrincipal,
  TEST_PASSWORD,
  uploadPhoto,
  type CompoundFixture,
} from './factories'
import { fakeOpenid, startFakeWechat, wechatEnv, type FakeWechat } from './fake-wechat'
import expected from './route-matrix.json'
import { CLIPS, uploadVoice, voiceBody } from './voice'
import { Open311KeysService } from '../src/open311/open311-keys.service'
import type { Place } from '../src/places/place.entity'
import { PlacesService } from '../src/places/places.service'
import { MeetingsService } from '../src/meetings/meetings.service'
import { ResourcesService } from '../src/resources/resources.service'
import type { Resident } from '../src/residents/resident.entity'
import { NeedsService } from '../src/needs/needs.service'
import { StaffService } from '../src/staff/staff.service'
import type { Staff } from '../src/staff/staff.entity'
import { TicketWorkflowService } from '../src/tickets/ticket-workflow.service'
import { VisitsService } from '../src/visits/visits.service'

type Caller =
  | { name: string; kind: 'anonymous' }
  | { name: string; kind: 'resident'; resident: Resident }
  | { name: string; kind: 'staff'; staff: Staff; role: Role; compound: 1 | 2; place: Place }

type Request = { url: string; payload?: string | Buffer | Record<string, unknown>; headers?: Record<string, string> }

/** Mainland mobile numbers not embedded in a longer token. */
const PHONE = /(?<![\w-])1[3-9]\d{9}(?![\w-])/g
/** A whole JSON string shaped like a WeChat openid. */
const OPENID = /^o[A-Za-z0-9_-]{27}$/

function stringsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value)
  else if (Array.isArray(value)) value.forEach((v) => stringsIn(v, out))
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => stringsIn(v, out))
  return out
}

describe('route × caller matrix', () => {
  let fake: FakeWechat
  let t: TestApp
  let c1: CompoundFixture
  let c2: CompoundFixture
  let residentA: Resident
  let residentB: Resident
  let ticketId: string
  let target: Staff
  let removableMembershipId: string
  let loginTarget: Staff
  let refreshSubject: Resident
  let dataDir: string
  let photoTicket: { ticketId: string; photoId: string } | null = null
  let voiceTicket: { ticketId: string; voiceId: string } | null = null
  const callers: Caller[] = []

  beforeAll(async () => {
    fake = await startFakeWechat()
    dataDir = await mkdtemp(join(tmpdir(), 'mq-matrix-'))
    t = await startTestApp({
      ...wechatEnv(fake, 2000),
      DATA_DIR: dataDir,
      WECHAT_TEMPLATES: 'accepted=tmpl-matrix-accepted',
    })
    c1 = await makeCompound(t, [2, 1])
    c2 = await makeCompound(t, [1])
    residentA = await makeResident(t, { name: '住户甲' })
    residentB = await makeResident(t, { name: '住户乙' })
    ticketId = (await makeTicket(t, { unit: c1.units[0][0], resident: residentA, room: '302' })).id
    await makeTicket(t, { unit: c1.units[0][1], resident: residentB }) // B lives in the same building
    refreshSubject = await makeResident(t)
    // Staff the admin routes act on; not callers themselves.
    target = await makeStaff(t, 'liaison', c1.compound, '矩阵目标')
    removableMembershipId = (
      await t.app
        .get(StaffService)
        .addMembership({ staffId: target.id, placeId: c1.buildings[1].id, role: 'property_manager' })
    ).id
    loginTarget = await makeStaff(t, 'liaison', c1.compound, '登录目标')

    callers.push({ name: 'anonymous', kind: 'anonymous' })
    callers.push({ name: 'residentA', kind: 'resident', resident: residentA })
    callers.push({ name: 'residentB', kind: 'resident', resident: residentB })
    for (const [n, c] of [
      [1, c1],
      [2, c2],
    ] as const) {
      for (const role of ROLES) {
        const place = membershipPlace(c, role)
        callers.push({
          name: `c${n}:${role}`,
          kind: 'staff',
          role,
          compound: n,
          place,
          staff: await makeStaff(t, role, place),
        })
      }
    }
  })
  afterAll(async () => {
    await t.close()
    await fake.close()
    await rm(dataDir, { recursive: true, force: true })
  })

  /**
   * A request of resident A in unit 1-1 of compound 1, made for one cell: actions change state, so every
   * cell gets its own. Routed to c1's 物业 (facilities), or complex (leak) when it must take a reply.
   */
  const fresh = async (state: TicketState = 'submitted', category: 'facilities' | 'leak' = 'facilities') =>
    (await makeTicket(t, { unit: c1.units[0][0], resident: residentA, category, state })).id
  const idempotent = () => ({ 'idempotency-key': randomUUID() })
  /** A need of compound 1 entered by its 网格长's side (no household counted), one per cell: statuses move. */
  const need = async () =>
    (
      await t.app.get(NeedsService).create({
        source: 'staff',
        compoundId: c1.compound.id,
        title: '矩阵需求',
        description: '',
        createdBy: { kind: 'staff', staffId: target.id },
      })
    ).id
  const replyTemplate = async () =>
    (
      await t.dataSource.query<{ id: string }[]>(
        `INSERT INTO reply_template (place_id, action, title, text, updated_at) VALUES ($1, 'accept', '矩阵', '矩阵', now()) RETURNING id`,
        [c1.compound.id],
      )
    )[0].id
  /** A household on the visit register of compound 1 (unit 1-1, with a phone), its grid worker c1's 网格长. */
  const visitPhone = newPhone('137')
  const c1GridLead = () => {
    const caller = callers.find((c) => c.name === 'c1:grid_lead')
    if (caller?.kind !== 'staff') throw new Error('no c1:grid_lead caller')
    return caller.staff
  }
  const household = async () => {
    const input = { unitId: c1.units[0][0].id, room: '301', people: [{ name: '矩阵走访', phone: visitPhone }], reasons: ['living_alone' as const], intervalDays: 7, assigneeStaffId: c1GridLead().id }
    return (await t.app.get(VisitsService).create(await staffPrincipal(t, c1GridLead()), input, null)).id
  }
  /** A fresh visit to a fresh household per cell: filing from it is once per visit. */
  const visitOf = async () => {
    const input = { householdId: await household(), kind: 'visit' as const, wellbeing: 'attention' as const, needsFound: '矩阵走访发现楼道灯坏了' }
    return (await t.app.get(VisitsService).logVisit(await staffPrincipal(t, c1GridLead()), input)).id
  }
  const calendarDay = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10)
  /** A joint meeting of compound 1 planned by c1's 网格长 (held: ready for decisions), one per cell. */
  const meeting = async (held = false) => {
    const meetings = t.app.get(MeetingsService)
    const organiser = await staffPrincipal(t, c1GridLead())
    const input = { compoundId: c1.compound.id, kind: 'nine_heads' as const, title: '矩阵议事会', startsAt: new Date().toISOString(), place: '议事厅', attendeeRoles: ['grid_lead' as const] }
    const { id } = await meetings.create(organiser, input)
    if (held) await meetings.markHeld(organiser, id)
    return id
  }
  const decisionDay = () => defaultCalendar().nextWorkingDay(localDateString(new Date()))
  /** An open decision of a held meeting, owned by the role 物业 (no one named). */
  const decision = async () => {
    const input = { agendaItemId: null, ownerRole: 'property_manager' as const, targetDate: decisionDay(), publicSummary: '矩阵决定内容' }
    const detail = await t.app.get(MeetingsService).recordDecision(await staffPrincipal(t, c1GridLead()), await meeting(true), input)
    return detail.decisions[0].id
  }

  /** A volunteer on compound 1's resources list, with a phone, added by c1's 网格长: one per cell. */
  const volunteerPhone = newPhone('136')
  const resourceKeeper = async () => {
    const caller = callers.find((c) => c.name === 'c1:grid_lead')
    if (caller?.kind !== 'staff') throw new Error('no c1:grid_lead caller')
    return staffPrincipal(t, caller.staff)
  }
  const resource = async () => {
    const input = { compoundId: c1.compound.id, kind: 'volunteer' as const, name: `矩阵志愿者${randomUUID().slice(0, 6)}`, tags: ['陪诊'], openingHours: null, address: null, contactName: '矩阵志愿者', contactPhone: volunteerPhone, availability: null }
    return (await t.app.get(ResourcesService).create(await resourceKeeper(), input)).id
  }
  /** An open match of a fresh request to a fresh volunteer, owned by the role 物业, made by c1's 网格长. */
  const resourceMatch = async () => {
    const input = { subject: 'ticket' as const, subjectId: await fresh(), resourceIds: [await resource()], owner: { role: 'property_manager' as const }, targetDate: '2100-01-04', note: null }
    return (await t.app.get(ResourcesService).match(await resourceKeeper(), input)).items[0].id
  }

  /** How to call each route: path parameters from the fixtures, a body that is valid for it. */
  const requests: Record<string, (caller: Caller) => Request | Promise<Request>> = {
    'GET /api/health': () => ({ url: '/api/health' }),
    'GET /api/health/live': () => ({ url: '/api/health/live' }),
    'GET /api/health/ready': () => ({ url: '/api/health/ready' }),
    'GET /api/places/by-token/{token}': () => ({ url: `/api/places/by-token/${c1.tokens[0][0]}` }),
    'GET /api/category-hints': () => ({ url: `/api/category-hints?compoundId=${c1.compound.id}` }),
    'GET /api/board/{compoundId}': () => ({ url: `/api/board/${c1.compound.id}` }),
    'GET /api/board/{compoundId}/report': () => ({ url: `/api/board/${c1.compound.id}/report` }),
    'GET /api/board/{compoundId}/report.pdf': () => ({ url: `/api/board/${c1.compound.id}/report.pdf` }),
    'GET /api/meetings/compounds': () => ({ url: '/api/meetings/compounds' }),
    'GET /api/meetings': () => ({ url: `/api/meetings?compoundId=${c1.compound.id}` }),
    'POST /api/meetings': () => ({
      url: '/api/meetings',
      payload: { compoundId: c1.compound.id, kind: 'tripartite', title: '矩阵会议', startsAt: '2100-01-04T06:00:00Z', place: '议事厅', attendeeRoles: ['property_manager'] },
    }),
    'GET /api/meetings/{id}': async () => ({ url: `/api/meetings/${await meeting()}` }),
    'GET /api/meetings/{id}/candidates': async () => ({ url: `/api/meetings/${await meeting()}/candidates` }),
    'POST /api/meetings/{id}/agenda': async () => ({
      url: `/api/meetings/${await meeting()}/agenda`,
      payload: { source: 'request', id: await fresh('submitted', 'leak') },
    }),
    'POST /api/meetings/{id}/held': async () => ({ url: `/api/meetings/${await meeting()}/held` }),
    'POST /api/meetings/{id}/decisions': async () => ({
      url: `/api/meetings/${await meeting(true)}/decisions`,
      payload: { agendaItemId: null, ownerRole: 'police', targetDate: decisionDay(), publicSummary: '矩阵决定内容' },
    }),
    'POST /api/meetings/decisions/{decisionId}/done': async () => ({ url: `/api/meetings/decisions/${await decision()}/done`, payload: { note: '矩阵已落实' } }),
    'GET /api/meetings/{id}/minutes.pdf': async () => ({ url: `/api/meetings/${await meeting()}/minutes.pdf` }),
    'GET /api/recurring': () => ({ url: `/api/recurring?compoundId=${c1.compound.id}` }),
    // No proposal under this key: supervisors of compound 1 get 404 past the role and scope checks.
    'GET /api/recurring/compounds': () => ({ url: '/api/recurring/compounds' }),
    'POST /api/recurring/adopt': () => ({
      url: '/api/recurring/adopt',
      payload: { compoundId: c1.compound.id, key: 'building:none', ownerRole: 'property_manager', plan: '矩阵测试计划', targetDate: '2100-01-01' },
    }),
    'POST /api/recurring/dismiss': () => ({
      url: '/api/recurring/dismiss',
      payload: { compoundId: c1.compound.id, key: 'building:none', reason: '矩阵测试理由' },
    }),
    'POST /api/recurring/{id}/progress': () => ({ url: `/api/recurring/${randomUUID()}/progress`, payload: { note: '矩阵测试进展' } }),
    'GET /api/compounds/{compoundId}/needs': () => ({ url: `/api/compounds/${c1.compound.id}/needs` }),
    'GET /api/needs': () => ({ url: '/api/needs' }),
    'POST /api/needs': () => ({ url: '/api/needs', payload: { unitToken: c1.tokens[0][0], title: '矩阵需求', room: '302' } }),
    'POST /api/needs/staff': () => ({ url: '/api/needs/staff', payload: { compoundId: c1.compound.id, title: '矩阵代录需求' } }),
    'GET /api/needs/mine': () => ({ url: `/api/needs/mine?compoundId=${c1.compound.id}` }),
    'POST /api/needs/{id}/support': async () => ({ url: `/api/needs/${await need()}/support`, payload: { unitToken: c1.tokens[0][0] } }),
    'POST /api/needs/{id}/status': async () => ({ url: `/api/needs/${await need()}/status`, payload: { status: 'planned' } }),
    // A fresh 意见建议 of resident A per cell (routed to c1's 自管组长): turned into a need once.
    'POST /api/needs/from-request/{ticketId}': async () => ({
      url: `/api/needs/from-request/${(await makeTicket(t, { unit: c1.units[0][0], resident: residentA, category: 'suggestion' })).id}`,
      payload: { title: '矩阵转需求' },
    }),
    'GET /api/resources': () => ({ url: `/api/resources?compoundId=${c1.compound.id}` }),
    'GET /api/resources/compounds': () => ({ url: '/api/resources/compounds' }),
    'GET /api/resources/import-template.xlsx': () => ({ url: '/api/resources/import-template.xlsx' }),
    'GET /api/resources/matches': () => ({ url: `/api/resources/matches?subject=ticket&subjectId=${ticketId}` }),
    'POST /api/resources/matches': async () => ({
      url: '/api/resources/matches',
      payload: { subject: 'ticket', subjectId: await fresh(), resourceIds: [await resource()], owner: { role: 'property_manager' }, targetDate: '2100-01-04' },
    }),
    'POST /api/resources/matches/{id}/done': async () => ({ url: `/api/resources/matches/${await resourceMatch()}/done`, payload: { note: '矩阵已办' } }),
    'POST /api/resources/compounds/{compoundId}/import': () => ({
      url: `/api/resources/compounds/${c1.compound.id}/import`,
      headers: { 'content-type': 'text/csv' },
      payload: '类型,名称,开放时间\n场地,矩阵活动室,每天 8:00-20:00\n',
    }),
    'POST /api/resources': () => ({ url: '/api/resources', payload: { compoundId: c1.compound.id, kind: 'unit', name: '矩阵单位' } }),
    'GET /api/resources/{id}': async () => ({ url: `/api/resources/${await resource()}` }),
    'PATCH /api/resources/{id}': async () => ({ url: `/api/resources/${await resource()}`, payload: { availability: '矩阵' } }),
    'GET /api/visits/households': () => ({ url: `/api/visits/households?compoundId=${c1.compound.id}` }),
    'POST /api/visits/households': () => ({
      url: '/api/visits/households',
      payload: { unitId: c1.units[0][0].id, room: '302', people: [{ name: '矩阵新户' }], reasons: ['no_smartphone'], intervalDays: 14, assigneeStaffId: c1GridLead().id },
    }),
    'GET /api/visits/households/{id}': async () => ({ url: `/api/visits/households/${await household()}` }),
    'PATCH /api/visits/households/{id}': async () => ({ url: `/api/visits/households/${await household()}`, payload: { intervalDays: 10 } }),
    'DELETE /api/visits/households/{id}': async () => ({ url: `/api/visits/households/${await household()}` }),
    'GET /api/visits/schedule': () => ({ url: '/api/visits/schedule' }),
    'GET /api/visits/due': () => ({ url: '/api/visits/due' }),
    'GET /api/visits/figures': () => ({ url: `/api/visits/figures?placeId=${c1.compound.id}` }),
    'POST /api/visits': async () => ({ url: '/api/visits', payload: { householdId: await household(), kind: 'call', wellbeing: 'good' } }),
    'POST /api/visits/{id}/request': async () => ({ url: `/api/visits/${await visitOf()}/request`, payload: { category: 'facilities' } }),
    'POST /api/visits/{id}/need': async () => ({ url: `/api/visits/${await visitOf()}/need`, payload: { title: '矩阵需求' } }),
    'GET /api/metrics': () => ({
      url: `/api/metrics?compoundId=${c1.compound.id}&from=2020-01-01T00:00:00Z&to=2100-01-01T00:00:00Z`,
    }),
    'GET /api/metrics/weekly': () => ({
      url: `/api/metrics/weekly?compoundId=${c1.compound.id}&from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z`,
    }),
    'GET /api/metrics/heat': () => ({
      url: `/api/metrics/heat?compoundId=${c1.compound.id}&from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z`,
    }),
    'GET /api/metrics/attention': () => ({ url: `/api/metrics/attention?compoundId=${c1.compound.id}` }),
    'GET /api/metrics/ranking': () => ({ url: `/api/metrics/ranking?placeId=${c1.compound.id}&period=2026-Q4` }),
    'PUT /api/metrics/ranking-weights/{districtId}': () => ({
      method: 'PUT',
      url: `/api/metrics/ranking-weights/${c1.district.id}`,
      payload: { response: 30, resolution: 35, satisfaction: 35 },
    }),
    'PATCH /api/requests/{id}/public-summary': async () => ({
      url: `/api/requests/${await fresh('replied', 'leak')}/public-summary`,
      payload: { commitment: '公示：本周内完成维修' },
    }),
    'GET /api/admin/compounds/{compoundId}/deadline-settings': () => ({
      url: `/api/admin/compounds/${c1.compound.id}/deadline-settings`,
    }),
    // {} keeps the defaults, so the other cells' requests are timed as before.
    'PUT /api/admin/compounds/{compoundId}/deadline-settings': () => ({
      url: `/api/admin/compounds/${c1.compound.id}/deadline-settings`,
      payload: {},
    }),
    'GET /api/admin/compounds/{compoundId}/reply-templates': () => ({
      url: `/api/admin/compounds/${c1.compound.id}/reply-templates`,
    }),
    'POST /api/admin/reply-templates': () => ({
      url: '/api/admin/reply-templates',
      payload: { placeId: c1.compound.id, action: 'accept', title: '已受理', text: '诉求{编号}已受理' },
    }),
    // A template of compound 1 per call: deleting one must not take the next cell's.
    'PUT /api/admin/reply-templates/{id}': async () => ({
      url: `/api/admin/reply-templates/${await replyTemplate()}`,
      payload: { action: 'resolve', title: '已办结', text: '已于{日期}办结' },
    }),
    'DELETE /api/admin/reply-templates/{id}': async () => ({ url: `/api/admin/reply-templates/${await replyTemplate()}` }),
    'GET /api/admin/compounds/{compoundId}/after-photo-settings': () => ({
      url: `/api/admin/compounds/${c1.compound.id}/after-photo-settings`,
    }),
    'PUT /api/admin/compounds/{compoundId}/after-photo-settings': () => ({
      url: `/api/admin/compounds/${c1.compound.id}/after-photo-settings`,
      payload: { categories: null },
    }),
    'GET /api/requests/{id}/reply-templates': () => ({ url: `/api/requests/${ticketId}/reply-templates?action=accept` }),
    'GET /api/admin/places/{placeId}/calendar': () => ({ url: `/api/admin/places/${c1.compound.id}/calendar` }),
    // A day a month ahead: the one cell that may set it does so once; the requests of the other cells
    // are filed today, and their deadlines end sooner on on-duty roles.
    'POST /api/admin/places/{placeId}/calendar/overrides': () => ({
      url: `/api/admin/places/${c1.compound.id}/calendar/overrides`,
      payload: { date: calendarDay, working: false, reason: '矩阵测试' },
    }),
    'DELETE /api/admin/places/{placeId}/calendar/overrides/{date}': () => ({
      url: `/api/admin/places/${c1.compound.id}/calendar/overrides/${calendarDay}`,
    }),
    'GET /api/admin/places/{placeId}/urgent-list': () => ({ url: `/api/admin/places/${c1.compound.id}/urgent-list` }),
    'PUT /api/admin/places/{placeId}/urgent-list': () => ({
      url: `/api/admin/places/${c1.compound.id}/urgent-list`,
      payload: { addWords: [], propertyPhone: null },
    }),
    'GET /api/ledger.xlsx': () => ({
      url: `/api/ledger.xlsx?placeId=${c1.compound.id}&from=2020-01-01T00:00:00Z&to=2100-01-01T00:00:00Z`,
    }),
    'POST /api/auth/wechat': () => ({ url: '/api/auth/wechat', payload: { code: 'user-matrix' } }),
    'POST /api/auth/device': () => ({
      url: '/api/auth/device',
      payload: { deviceSecret: randomBytes(24).toString('base64url') },
    }),
    'POST /api/auth/demo-resident': () => ({ url: '/api/auth/demo-resident' }),
    'POST /api/auth/staff/login': () => ({
      url: '/api/auth/staff/login',
      payload: { phone: loginTarget.phone, password: TEST_PASSWORD },
    }),
    'POST /api/auth/refresh': async () => ({
      url: '/api/auth/refresh',
      payload: { refreshToken: (await signIn(t, { resident: refreshSubject })).refreshToken },
    }),
    'POST /api/auth/logout': () => ({ url: '/api/auth/logout' }),
    'GET /api/me': () => ({ url: '/api/me' }),
    'PATCH /api/me': () => ({ url: '/api/me', payload: { name: '改个名' } }),
    'POST /api/me/password': () => ({
      url: '/api/me/password',
      payload: { currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD },
    }),
    'POST /api/requests': () => ({
      url: '/api/requests',
      headers: idempotent(),
      payload: { unitToken: c1.tokens[0][0], category: 'facilities', description: '楼道灯坏了' },
    }),
    'POST /api/requests/proxy': () => ({
      url: '/api/requests/proxy',
      headers: idempotent(),
      payload: {
        unitId: c1.units[0][0].id,
        category: 'elderly_care',
        description: '老人需要助餐',
        channel: 'visit',
        residentName: '李奶奶',
        residentPhone: newPhone('135'),
      },
    }),
    'GET /api/requests/mine': () => ({ url: '/api/requests/mine' }),
    'GET /api/requests/inbox': () => ({ url: '/api/requests/inbox?filter=all' }),
    'GET /api/requests/duplicates': () => ({
      url: `/api/requests/duplicates?unitToken=${c1.tokens[0][0]}&category=facilities`,
    }),
    'GET /api/requests/{id}': () => ({ url: `/api/requests/${ticketId}` }),
    'GET /api/requests/{id}/candidates': () => ({ url: `/api/requests/${ticketId}/candidates` }),
    'GET /api/requests/{id}/photos/{photoId}': async () => {
      if (!photoTicket) {
        const photoId = await uploadPhoto(t, { resident: residentA })
        const ticket = await makeTicket(t, { unit: c1.units[0][0], resident: residentA, photoIds: [photoId] })
        photoTicket = { ticketId: ticket.id, photoId }
      }
      return { url: `/api/requests/${photoTicket.ticketId}/photos/${photoTicket.photoId}` }
    },
    // Resident A's voice note in the thread of their request: the reporter and full-data roles play it.
    'GET /api/requests/{id}/voice/{voiceId}': async () => {
      if (!voiceTicket) {
        const ticket = await makeTicket(t, { unit: c1.units[0][0], resident: residentA })
        const voiceId = await uploadVoice(t, { resident: residentA })
        const res = await t.app.inject({
          method: 'POST',
          url: `/api/requests/${ticket.id}/messages`,
          payload: { voiceNoteId: voiceId },
          headers: await authHeader(t, { resident: residentA }),
        })
        if (res.statusCode !== 200) throw new Error(`voice message: ${res.statusCode} ${res.body}`)
        voiceTicket = { ticketId: ticket.id, voiceId }
      }
      return { url: `/api/requests/${voiceTicket.ticketId}/voice/${voiceTicket.voiceId}` }
    },
    'POST /api/requests/{id}/chase': async () => ({ url: `/api/requests/${await fresh()}/chase` }),
    'POST /api/requests/{id}/rating': async () => ({
      url: `/api/requests/${await fresh('resolved')}/rating`,
      payload: { stars: 5 },
    }),
    // The stairwell code of the request's building, which residentA and residentB scanned.
    'POST /api/requests/{id}/follow': async () => ({
      url: `/api/requests/${await fresh()}/follow`,
      payload: { token: c1.tokens[0][0] },
    }),
    'POST /api/requests/{id}/accept': async () => ({ url: `/api/requests/${await fresh()}/accept`, payload: {} }),
    'POST /api/requests/{id}/reply': async () => ({
      url: `/api/requests/${await fresh('accepted', 'leak')}/reply`,
      payload: { plan: '更换水管', promisedAt: new Date(Date.now() + 7 * 86_400_000).toISOString() },
    }),
    'POST /api/requests/{id}/resolve': async () => ({
      url: `/api/requests/${await fresh('accepted')}/resolve`,
      payload: { note: '已修好' },
    }),
    'POST /api/requests/{id}/reject': async () => ({
      url: `/api/requests/${await fresh()}/reject`,
      payload: { reason: '不属于本系统' },
    }),
    'POST /api/requests/{id}/transfer': async () => ({
      url: `/api/requests/${await fresh()}/transfer`,
      payload: { toRole: 'police', reason: '涉及治安' },
    }),
    'POST /api/requests/{id}/co-handlers': async () => ({
      url: `/api/requests/${await fresh()}/co-handlers`,
      payload: { staffId: loginTarget.id },
    }),
    'DELETE /api/requests/{id}/co-handlers/{staffId}': async () => {
      const id = await fresh()
      const handler = (await t.dataSource.query('SELECT handler_staff_id FROM ticket WHERE id = $1', [id]))[0]
      await t.app
        .get(TicketWorkflowService)
        .addCoHandler(await staffPrincipal(t, handler.handler_staff_id), id, loginTarget.id, null)
      return { url: `/api/requests/${id}/co-handlers/${loginTarget.id}` }
    },
    'POST /api/requests/{id}/wait': async () => ({
      url: `/api/requests/${await fresh('accepted')}/wait`,
      payload: { question: '请补充照片' },
    }),
    'POST /api/requests/{id}/resume': async () => ({
      url: `/api/requests/${await fresh('waiting_resident')}/resume`,
      payload: {},
    }),
    'POST /api/requests/{id}/merge': async () => ({
      url: `/api/requests/${await fresh()}/merge`,
      payload: { intoId: await fresh() },
    }),
    // With a voice note of the caller's own where they may record one: the thread refuses strangers all the same.
    'POST /api/requests/{id}/messages': async (caller) => ({
      url: `/api/requests/${await fresh()}/messages`,
      payload: {
        text: '灯在三楼楼梯口',
        ...(caller.kind === 'resident' || (caller.kind === 'staff' && can(caller.role, 'handle_tickets'))
          ? { voiceNoteId: await uploadVoice(t, caller.kind === 'resident' ? { resident: caller.resident } : { staff: caller.staff }) }
          : {}),
      },
    }),
    'POST /api/requests/{id}/withdraw': async () => ({
      url: `/api/requests/${await fresh()}/withdraw`,
      payload: { reason: '已经修好了' },
    }),
    'POST /api/requests/{id}/staff-messages': async () => ({
      url: `/api/requests/${await fresh()}/staff-messages`,
      payload: { text: '师傅下午到' },
    }),
    'POST /api/requests/{id}/notes': async () => ({
      url: `/api/requests/${await fresh()}/notes`,
      payload: { text: '已电话联系' },
    }),
    // 200 to everyone who handles requests: a request they may not act on is an error inside the answer.
    'POST /api/requests/batch/accept': async () => ({
      url: '/api/requests/batch/accept',
      payload: { ids: [await fresh()], input: {} },
    }),
    'POST /api/requests/batch/transfer': () => ({
      url: '/api/requests/batch/transfer',
      // No such request: the cell is about who may call the route (the medium spec covers the rest).
      payload: { ids: [randomUUID()], input: { toRole: 'grid_lead', reason: '不属物业职责' } },
    }),
    'POST /api/requests/batch/notes': () => ({
      url: '/api/requests/batch/notes',
      payload: { ids: [ticketId], input: { text: '已电话联系' } },
    }),
    'POST /api/photos': () => {
      const body = multipartBody(IMAGES.jpeg)
      return { url: '/api/photos', payload: body.payload, headers: body.headers }
    },
    'POST /api/voice-notes': () => {
      const body = voiceBody(CLIPS.aac)
      return { url: '/api/voice-notes', payload: body.payload, headers: body.headers }
    },
    'GET /api/admin/compounds/{compoundId}/routing/rules': () => ({
      url: `/api/admin/compounds/${c1.compound.id}/routing/rules`,
    }),
    'PUT /api/admin/compounds/{compoundId}/routing/rules/{category}': () => ({
      url: `/api/admin/compounds/${c1.compound.id}/routing/rules/sanitation`,
      payload: { leadRole: 'property_manager', coRoles: [], severity: 'simple' },
    }),
    'DELETE /api/admin/compounds/{compoundId}/routing/rules/{category}': () => ({
      url: `/api/admin/compounds/${c1.compound.id}/routing/rules/sanitation`,
    }),
    'GET /api/admin/compounds/{compoundId}/routing/dry-run': () => ({
      url: `/api/admin/compounds/${c1.compound.id}/routing/dry-run?unitId=${c1.units[0][0].id}&category=facilities`,
    }),
    'GET /api/admin/staff': () => ({ url: '/api/admin/staff' }),
    'POST /api/admin/staff': () => ({
      url: '/api/admin/staff',
      payload: {
        name: '新人',
        phone: newPhone(),
        password: 'Matrix2026',
        memberships: [{ placeId: c1.compound.id, role: 'liaison' }],
      },
    }),
    'POST /api/admin/staff/import': () => ({
      url: `/api/admin/staff/import?placeId=${c1.compound.id}`,
      headers: { 'content-type': 'text/csv' },
      payload: `姓名,手机号,角色\n导入者,${newPhone()},片长\n`,
    }),
    'GET /api/admin/staff/{id}': () => ({ url: `/api/admin/staff/${target.id}` }),
    'PATCH /api/admin/staff/{id}': () => ({
      url: `/api/admin/staff/${target.id}`,
      payload: { name: '矩阵目标' },
    }),
    'POST /api/admin/staff/{id}/password': () => ({
      url: `/api/admin/staff/${target.id}/password`,
      payload: { password: TEST_PASSWORD },
    }),
    'POST /api/admin/staff/{id}/memberships': () => ({
      url: `/api/admin/staff/${target.id}/memberships`,
      payload: { placeId: c1.buildings[1].id, role: 'building_lead' },
    }),
    'DELETE /api/admin/staff/{id}/memberships/{membershipId}': () => ({
      url: `/api/admin/staff/${target.id}/memberships/${removableMembershipId}`,
    }),
    'GET /api/admin/access-log': () => ({ url: '/api/admin/access-log' }),
    'GET /api/admin/places': () => ({ url: '/api/admin/places' }),
    'POST /api/admin/places': () => ({
      url: '/api/admin/places',
      payload: { parentId: c1.compound.id, name: '新楼' },
    }),
    'PATCH /api/admin/places/{id}': () => ({ url: `/api/admin/places/${c1.buildings[1].id}`, payload: { sortOrder: 2 } }),
    // A fresh building per call: retiring must not take fixtures from the other routes.
    'POST /api/admin/places/{id}/retire': async () => ({
      url: `/api/admin/places/${(await t.app.get(PlacesService).create({ kind: 'building', name: '待停用', parent: c1.compound })).id}/retire`,
    }),
    'POST /api/admin/places/{id}/import': () => ({
      url: `/api/admin/places/${c1.compound.id}/import`,
      headers: { 'content-type': 'text/csv' },
      payload: '楼栋,单元\n1幢,1单元\n',
    }),
    'POST /api/admin/places/{id}/qr': async () => ({
      url: `/api/admin/places/${(await t.app.get(PlacesService).create({ kind: 'unit', name: '换码', parent: c1.buildings[1] })).id}/qr`,
    }),
    'GET /api/posters/units/{unitId}.svg': () => ({ url: `/api/posters/units/${c1.units[0][0].id}.svg` }),
    'GET /api/posters/units/{unitId}.png': () => ({ url: `/api/posters/units/${c1.units[0][0].id}.png` }),
    'GET /api/posters/compounds/{compoundId}.pdf': () => ({
      url: `/api/posters/compounds/${c1.compound.id}.pdf`,
    }),
    'GET /api/escalations': () => ({ url: '/api/escalations' }),
    'POST /api/requests/{id}/extend': async () => ({
      url: `/api/requests/${await fresh('replied', 'leak')}/extend`,
      payload: { promisedAt: new Date(Date.now() + 40 * 86_400_000).toISOString(), reason: '需要业委会表决维修基金' },
    }),
    'POST /api/requests/{id}/reassign': async () => ({
      url: `/api/requests/${await fresh()}/reassign`,
      payload: { toRole: 'grid_lead', reason: '请网格长协调' },
    }),
    'GET /api/notifications': () => ({ url: '/api/notifications' }),
    'POST /api/notifications/read-all': () => ({ url: '/api/notifications/read-all' }),
    // Staff read a notification of their own; anyone else is refused before the id matters.
    'POST /api/notifications/{id}/read': async (caller) => {
      if (caller.kind !== 'staff') return { url: '/api/notifications/1/read' }
      const [row] = await t.dataSource.query<{ id: string }[]>(
        `INSERT INTO notification_outbox (dedupe_key, recipient_kind, recipient_id, type, ticket_id, status, next_attempt_at)
         VALUES ($1, 'staff', $2, 'assigned', $3, 'skipped', now()) RETURNING id`,
        [`matrix:${randomUUID()}`, caller.staff.id, ticketId],
      )
      return { url: `/api/notifications/${row.id}/read` }
    },
    'GET /api/notifications/consents': () => ({ url: '/api/notifications/consents' }),
    'POST /api/notifications/consents': () => ({
      url: '/api/notifications/consents',
      payload: { accepted: ['tmpl-matrix-accepted'] },
    }),
    'GET /api/notifications/wechat-binding': () => ({ url: '/api/notifications/wechat-binding' }),
    'POST /api/notifications/wechat-binding': () => ({
      url: '/api/notifications/wechat-binding',
      payload: { code: 'user-matrix-staff' },
    }),
    'DELETE /api/notifications/wechat-binding': () => ({ url: '/api/notifications/wechat-binding' }),
    'GET /api/admin/notifications': () => ({ url: '/api/admin/notifications?status=failed' }),
    'GET /api/sms/mobile': () => ({ url: '/api/sms/mobile' }),
    // A number of its own per cell: one code a minute per number.
    'POST /api/sms/mobile/code': () => ({ url: '/api/sms/mobile/code', payload: { phone: newPhone('150') } }),
    // No code was asked for this number, so a resident gets 400 (sms.spec.ts verifies real codes).
    'POST /api/sms/mobile/verify': () => ({
      url: '/api/sms/mobile/verify',
      payload: { phone: newPhone('150'), code: '123456' },
    }),
    'DELETE /api/sms/mobile': () => ({ url: '/api/sms/mobile' }),
    // A failed message of compound 1 per call: retrying one must not change the next cell.
    'POST /api/admin/notifications/{id}/retry': async () => {
      const [row] = await t.dataSource.query<{ id: string }[]>(
        `INSERT INTO notification_outbox (dedupe_key, recipient_kind, recipient_id, type, ticket_id, status, attempts, next_attempt_at, last_error)
         VALUES ($1, 'resident', $2, 'accepted', $3, 'failed', 8, now(), 'errcode -1 system error') RETURNING id`,
        [`matrix:${randomUUID()}`, residentA.id, ticketId],
      )
      return { url: `/api/admin/notifications/${row.id}/retry` }
    },
    'GET /api/admin/open311/keys': () => ({ url: '/api/admin/open311/keys' }),
    'POST /api/admin/open311/keys': () => ({
      url: '/api/admin/open311/keys',
      payload: { name: '矩阵合作方', placeId: c1.compound.id },
    }),
    // A fresh key of compound 1 per call, issued by its admin: revoking one must not affect the next cell.
    'POST /api/admin/open311/keys/{id}/revoke': async () => {
      const admin = callers.find((c) => c.name === 'c1:admin')
      if (admin?.kind !== 'staff') throw new Error('no c1:admin caller')
      const key = await t.app
        .get(Open311KeysService)
        .issue(await staffPrincipal(t, admin.staff), { name: '待撤销', placeId: c1.compound.id })
      return { url: `/api/admin/open311/keys/${key.id}/revoke` }
    },
  }

  /** Phones the caller may see: their own, what they sent, staff they administer, and the ticket's reporter for 网格长/物业/自管组 of compound 1. */
  async function allowedPhones(caller: Caller, request: Request): Promise<Set<string>> {
    const allowed = new Set<string>()
    const sent =
      typeof request.payload === 'string' || Buffer.isBuffer(request.payload)
        ? request.payload.toString()
        : JSON.stringify(request.payload ?? '')
    for (const phone of sent.match(PHONE) ?? []) allowed.add(phone)
    if (caller.kind === 'resident' && caller.resident.phone) allowed.add(caller.resident.phone)
    if (caller.kind === 'staff') {
      allowed.add(caller.staff.phone)
      if (
        caller.compound === 1 &&
        ['grid_lead', 'property_manager', 'self_management_lead'].includes(caller.role)
      ) {
        allowed.add(residentA.phone!)
        allowed.add(visitPhone) // the visit register's household, in full to the same roles
        allowed.add(volunteerPhone) // a volunteer's contact on the resources list, in full to the same roles
      }
      if (caller.role === 'admin') {
        const rows = await t.dataSource.query<{ phone: string }[]>(
          `SELECT s.phone FROM staff s JOIN membership m ON m.staff_id = s.id JOIN place p ON p.id = m.place_id
            WHERE p.path @> ARRAY[$1]::uuid[]`,
          [caller.place.id],
        )
        for (const row of rows) allowed.add(row.phone)
      }
    }
    return allowed
  }

  function allowedOpenids(caller: Caller): Set<string> {
    const seesA =
      caller.kind === 'staff' &&
      caller.compound === 1 &&
      ['grid_lead', 'property_manager', 'self_management_lead'].includes(caller.role)
    return new Set(seesA ? [residentA.openid!] : [])
  }

  it('answers every cell as the committed table says, and leaks no phone number or openid', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<string, Record<string, unknown>>
    }
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
    )
    const table = expected.routes as Record<string, Record<string, number>>
    // Every route is in the table and has a way to be called; every table row is a real route.
    expect({
      missingFromTable: routes.filter((r) => !table[r]),
      staleInTable: Object.keys(table).filter((r) => !routes.includes(r)),
    }).toEqual({ missingFromTable: [], staleInTable: [] })
    expect(routes.filter((r) => !requests[r])).toEqual([])
    expect(expected.callers).toEqual(callers.map((c) => c.name))

    const differences: string[] = []
    const leaks: string[] = []
    const knownOpenids = [residentA.openid!, residentB.openid!, fakeOpenid('user-matrix')]
    let sawPersonalData = false
    for (const route of routes) {
      const method = route.split(' ')[0] as 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
      for (const caller of callers) {
        const request = await requests[route](caller)
        // A fresh session per cell: logout and password changes must not leak into the next cell.
        const auth =
          caller.kind === 'anonymous'
            ? {}
            : await authHeader(
                t,
                caller.kind === 'staff' ? { staff: caller.staff } : { resident: caller.resident },
              )
        const res = await t.app.inject({
          ...request,
          method,
          headers: { ...auth, ...(request.headers ?? {}) },
        })
        const want = table[route][caller.name]
        if (res.statusCode !== want)
          differences.push(
            `${route} as ${caller.name}: ${res.statusCode} (table: ${want}) ${res.body.slice(0, 120)}`,
          )

        if (!/json|text/.test(String(res.headers['content-type'] ?? ''))) continue // posters: images and PDFs
        const allowed = await allowedPhones(caller, request)
        for (const phone of res.body.match(PHONE) ?? []) {
          if (!allowed.has(phone)) leaks.push(`${route} as ${caller.name}: phone ${phone}`)
          else if (phone === residentA.phone && route === 'GET /api/requests/{id}') sawPersonalData = true
        }
        const openids = allowedOpenids(caller)
        const strings =
          res.body.startsWith('{') || res.body.startsWith('[') ? stringsIn(JSON.parse(res.body)) : [res.body]
        for (const s of strings) {
          const found = new Set(knownOpenids.filter((o) => s.includes(o)))
          if (OPENID.test(s)) found.add(s)
          for (const openid of found)
            if (!openids.has(openid)) leaks.push(`${route} as ${caller.name}: openid ${openid}`)
        }
      }
    }
    expect(differences).toEqual([])
    expect(leaks).toEqual([])
    // The scanner is live: the personal-data roles did receive the reporter's phone.
    expect(sawPersonalData).toBe(true)
    // A guard against a hang, not a speed check: 156 routes × 31 callers took 36 s on an idle machine and
    // over 200 s with other suites on both cores.
  }, 600_000)
})
