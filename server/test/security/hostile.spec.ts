/**
 * Mass assignment and hostile input. Every route that takes a body (from the OpenAPI
 * document: a new one fails here until it has a target) gets, as its rightful caller:
 *  - its valid body plus fields the caller must never set (state, handler, compound, reporter, rating,
 *    role…), one at a time and all at once: refused, and nothing of them is stored;
 *  - wrong types, huge strings, SQL and script fragments, NUL bytes and lone surrogates in every field;
 *  - raw bodies: invalid UTF-8, deep nesting, prototype pollution, non-objects, wrong content types;
 *  - fast-check property fuzzing of its body schema from the OpenAPI document;
 *  - the same body as a form (application/x-www-form-urlencoded) and as multipart, NULs and broken
 *    encodings in every field; CSV and XLSX imports with NULs, lone surrogates and broken files; Open311
 *    filings as form and JSON; the framework's own refusals (bad URLs, over-long parameters, bodies too
 *    large, content types nobody accepts, malformed HTTP on a real socket); and fast-check over all of
 *    those content types at once.
 * None may answer 5xx, and every error has its shape: `{ code, message, requestId }` with the code's
 * status, a Chinese message and the same x-request-id header, or under /open311 GeoReport's
 * `[{code, description}]` (XML unless the path ends in .json) with x-request-id. Stored script comes back verbatim as data (the H5 app renders text through React,
 * which escapes it; e2e/hostile.e2e.ts checks that in Chromium).
 *
 * Figure: `HOSTILE cases=N 5xx=0 accepted_extra=0 fuzz_runs=M`.
 */
import { addLocalDays, defaultCalendar, ERROR_STATUS, ErrorBodySchema, localDateString } from '@mq/shared'
import ExcelJS from 'exceljs'
import fc from 'fast-check'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { connect, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startTestApp, type TestApp } from '../app'
import {
  authHeader,
  count,
  IMAGES,
  makeCompound,
  makeResident,
  makeStaff,
  makeTicket,
  multipartBody,
  newPhone,
  signIn,
  TEST_PASSWORD,
  type CompoundFixture,
} from '../factories'
import { CLIPS } from '../voice'
import { startFakeSms, smsEnv, type FakeSmsProvider } from '../fake-sms'
import { startFakeWechat, wechatEnv, type FakeWechat } from '../fake-wechat'
import { NeedsService } from '../../src/needs/needs.service'
import type { Resident } from '../../src/residents/resident.entity'
import type { Staff } from '../../src/staff/staff.entity'
import type { CategoryCode, Role, TicketState } from '@mq/shared'

/** A caller as the factories sign them in (a handler is known by id only); null: anonymous. */
type Who = { resident: Resident } | { staff: Staff } | null
interface Target {
  url: string
  who: Who
  body: Record<string, unknown>
  headers?: Record<string, string>
}
/** What the shape checks read of an answer. */
interface Answer {
  statusCode: number
  headers: Record<string, unknown>
  body: string
}
type JsonSchema = {
  $ref?: string
  type?: string | string[]
  properties?: Record<string, JsonSchema>
  required?: string[]
  items?: JsonSchema
  enum?: unknown[]
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  allOf?: JsonSchema[]
  format?: string
  minLength?: number
  maxLength?: number
  minimum?: number
  maximum?: number
  maxItems?: number
  nullable?: boolean
}

/** Strings an attacker sends: SQL, script, template and path tricks, control characters. */
const HOSTILE_STRINGS = [
  "' OR '1'='1' --",
  "'; DROP TABLE ticket; --",
  '1; SELECT pg_sleep(5)',
  '<img src=x onerror=alert(1)>',
  '<script>alert("x")</script>',
  'javascript:alert(1)',
  '{{constructor.constructor("return process")()}}',
  '${7*7}',
  '../../../../etc/passwd',
  '=HYPERLINK("http://evil","x")',
  'a\u0000b',
  '\ud800',
  '\u202e\u0000\u0007',
  '𠮷'.repeat(300),
  'x'.repeat(100_000),
  '',
  ' ',
]
/** Values of the wrong type for any field. */
const WRONG_TYPES: unknown[] = [null, 0, -1, 1e308, true, [], [1, 2], {}, { $gt: '' }, '1', 'true']
/** Fields no caller may set through a body. */
const EXTRA_FIELDS: Record<
  string,
  (ctx: { foreignStaffId: string; otherResidentId: string; c2: string }) => unknown
> = {
  state: () => 'closed',
  handlerStaffId: (x) => x.foreignStaffId,
  handler: (x) => ({ id: x.foreignStaffId }),
  compoundId: (x) => x.c2,
  compound: (x) => ({ id: x.c2 }),
  reporterResidentId: (x) => x.otherResidentId,
  reporter: (x) => ({ id: x.otherResidentId }),
  rating: () => 5,
  stars: () => 1,
  role: () => 'admin',
  roles: () => ['admin'],
  memberships: (x) => [{ placeId: x.c2, role: 'admin' }],
  isAdmin: () => true,
  id: () => randomUUID(),
  createdAt: () => '2000-01-01T00:00:00Z',
  chaseCount: () => 99,
  followerCount: () => 9999,
  overdue: () => true,
}

describe('hostile input', () => {
  let fake: FakeWechat
  let sms: FakeSmsProvider
  let t: TestApp
  let dataDir: string
  let c1: CompoundFixture
  let c2: CompoundFixture
  let residentA: Resident
  let otherResident: Resident
  let foreignStaff: Staff
  const staff = new Map<Role, Staff>()
  let doc: {
    paths: Record<
      string,
      Record<string, { requestBody?: { content: Record<string, { schema: JsonSchema }> } }>
    >
    components: { schemas: Record<string, JsonSchema> }
  }

  beforeAll(async () => {
    fake = await startFakeWechat()
    dataDir = await mkdtemp(join(tmpdir(), 'mq-hostile-'))
    sms = await startFakeSms()
    t = await startTestApp({
      ...wechatEnv(fake, 2000),
      ...smsEnv(sms),
      DATA_DIR: dataDir,
      WECHAT_TEMPLATES: 'accepted=tmpl-hostile',
    })
    c1 = await makeCompound(t, [2, 1])
    c2 = await makeCompound(t, [1])
    residentA = await makeResident(t, { name: '恶意测试' })
    otherResident = await makeResident(t)
    foreignStaff = await makeStaff(t, 'grid_lead', c2.compound)
    for (const role of [
      'grid_lead',
      'police',
      'property_manager',
      'liaison',
      'community_supervisor',
    ] as const)
      staff.set(role, await makeStaff(t, role, role === 'community_supervisor' ? c1.community : c1.compound))
    staff.set('admin', await makeStaff(t, 'admin', c1.community))
    doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as typeof doc
  })
  afterAll(async () => {
    await t.close()
    await fake.close()
    await sms.close()
    await rm(dataDir, { recursive: true, force: true })
  })

  const who = (role: Role): Who => ({ staff: staff.get(role)! })
  async function ticket(state: TicketState = 'submitted', category: 'facilities' | 'leak' = 'facilities') {
    const made = await makeTicket(t, { unit: c1.units[0][0], resident: residentA, category, state })
    const [row] = await t.dataSource.query<{ handler_staff_id: string }[]>(
      'SELECT handler_staff_id FROM ticket WHERE id = $1',
      [made.id],
    )
    return { id: made.id, handler: { staff: { id: row.handler_staff_id } as Staff } as Who }
  }
  const week = () => new Date(Date.now() + 7 * 86_400_000).toISOString()

  /** Each body route, as its rightful caller would call it with a valid body. Fresh objects per call. */
  const targets: Record<string, () => Promise<Target>> = {
    'POST /api/auth/wechat': async () => ({
      url: '/api/auth/wechat',
      who: null,
      body: { code: `user-hostile-${randomUUID()}` },
    }),
    'POST /api/auth/device': async () => ({
      url: '/api/auth/device',
      who: null,
      body: { deviceSecret: `hostile-device-${randomUUID()}` },
    }),
    'POST /api/auth/staff/login': async () => ({
      url: '/api/auth/staff/login',
      who: null,
      body: { phone: staff.get('liaison')!.phone, password: TEST_PASSWORD },
    }),
    'POST /api/auth/refresh': async () => ({
      url: '/api/auth/refresh',
      who: null,
      body: { refreshToken: (await signIn(t, { resident: residentA })).refreshToken },
    }),
    'PATCH /api/me': async () => ({ url: '/api/me', who: { resident: residentA }, body: { name: '改个名' } }),
    'POST /api/me/password': async () => ({
      url: '/api/me/password',
      who: who('liaison'),
      body: { currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD },
    }),
    'POST /api/admin/places': async () => ({
      url: '/api/admin/places',
      who: who('admin'),
      body: { parentId: c1.compound.id, name: '新楼' },
    }),
    'PATCH /api/admin/places/{id}': async () => ({
      url: `/api/admin/places/${c1.buildings[1].id}`,
      who: who('admin'),
      body: { sortOrder: 3 },
    }),
    'POST /api/admin/staff': async () => ({
      url: '/api/admin/staff',
      who: who('admin'),
      body: {
        name: '新人',
        phone: newPhone(),
        password: 'Hostile2026',
        memberships: [{ placeId: c1.compound.id, role: 'liaison' }],
      },
    }),
    'PATCH /api/admin/staff/{id}': async () => {
      const target = await makeStaff(t, 'liaison', c1.compound, '改名目标')
      return { url: `/api/admin/staff/${target.id}`, who: who('admin'), body: { name: '改名目标' } }
    },
    'POST /api/admin/staff/{id}/password': async () => {
      const target = await makeStaff(t, 'liaison', c1.compound, '重置目标')
      return {
        url: `/api/admin/staff/${target.id}/password`,
        who: who('admin'),
        body: { password: 'Hostile2026' },
      }
    },
    'POST /api/admin/staff/{id}/memberships': async () => {
      const target = await makeStaff(t, 'liaison', c1.compound, '加岗目标')
      return {
        url: `/api/admin/staff/${target.id}/memberships`,
        who: who('admin'),
        body: { placeId: c1.buildings[1].id, role: 'building_lead' },
      }
    },
    'PUT /api/admin/compounds/{compoundId}/routing/rules/{category}': async () => ({
      url: `/api/admin/compounds/${c1.compound.id}/routing/rules/sanitation`,
      who: who('admin'),
      body: { leadRole: 'property_manager', coRoles: [], severity: 'simple' },
    }),
    'POST /api/requests': async () => ({
      url: '/api/requests',
      who: { resident: residentA },
      body: { unitToken: c1.tokens[0][0], category: 'facilities', description: '楼道灯坏了' },
      headers: { 'idempotency-key': randomUUID() },
    }),
    'POST /api/requests/proxy': async () => ({
      url: '/api/requests/proxy',
      who: who('grid_lead'),
      body: {
        unitId: c1.units[0][0].id,
        category: 'elderly_care',
        description: '老人需要助餐',
        channel: 'visit',
        residentName: '李奶奶',
        residentPhone: newPhone('135'),
      },
      headers: { 'idempotency-key': randomUUID() },
    }),
    'POST /api/requests/{id}/rating': async () => ({
      url: `/api/requests/${(await ticket('resolved')).id}/rating`,
      who: { resident: residentA },
      body: { stars: 5 },
    }),
    'POST /api/requests/{id}/follow': async () => ({
      url: `/api/requests/${(await ticket()).id}/follow`,
      who: { resident: otherResident },
      body: { token: c1.tokens[0][0] },
    }),
    'POST /api/requests/{id}/accept': async () => {
      const x = await ticket()
      return { url: `/api/requests/${x.id}/accept`, who: x.handler, body: {} }
    },
    'POST /api/requests/{id}/reply': async () => {
      const x = await ticket('accepted', 'leak')
      return {
        url: `/api/requests/${x.id}/reply`,
        who: x.handler,
        body: { plan: '更换水管', promisedAt: week() },
      }
    },
    'POST /api/requests/{id}/resolve': async () => {
      const x = await ticket('accepted')
      return { url: `/api/requests/${x.id}/resolve`, who: x.handler, body: { note: '已修好' } }
    },
    'POST /api/requests/{id}/reject': async () => {
      const x = await ticket()
      return { url: `/api/requests/${x.id}/reject`, who: x.handler, body: { reason: '不属于本系统' } }
    },
    'POST /api/requests/{id}/transfer': async () => {
      const x = await ticket()
      return {
        url: `/api/requests/${x.id}/transfer`,
        who: x.handler,
        body: { toRole: 'police', reason: '涉及治安' },
      }
    },
    'POST /api/requests/{id}/co-handlers': async () => {
      const x = await ticket()
      return {
        url: `/api/requests/${x.id}/co-handlers`,
        who: x.handler,
        body: { staffId: staff.get('liaison')!.id },
      }
    },
    'POST /api/requests/{id}/wait': async () => {
      const x = await ticket('accepted')
      return { url: `/api/requests/${x.id}/wait`, who: x.handler, body: { question: '请补充照片' } }
    },
    'POST /api/requests/{id}/resume': async () => {
      const x = await ticket('waiting_resident')
      return { url: `/api/requests/${x.id}/resume`, who: x.handler, body: {} }
    },
    'POST /api/requests/{id}/merge': async () => {
      const x = await ticket()
      return { url: `/api/requests/${x.id}/merge`, who: x.handler, body: { intoId: (await ticket()).id } }
    },
    'POST /api/requests/{id}/messages': async () => ({
      url: `/api/requests/${(await ticket()).id}/messages`,
      who: { resident: residentA },
      body: { text: '灯在三楼', photoIds: [] },
    }),
    'POST /api/requests/{id}/withdraw': async () => ({
      url: `/api/requests/${(await ticket()).id}/withdraw`,
      who: { resident: residentA },
      body: { reason: '已经好了' },
    }),
    'POST /api/requests/{id}/staff-messages': async () => {
      const x = await ticket()
      return { url: `/api/requests/${x.id}/staff-messages`, who: x.handler, body: { text: '师傅下午到' } }
    },
    'POST /api/requests/{id}/notes': async () => {
      const x = await ticket()
      return { url: `/api/requests/${x.id}/notes`, who: x.handler, body: { text: '已电话联系' } }
    },
    'POST /api/requests/batch/accept': async () => {
      const x = await ticket()
      return { url: '/api/requests/batch/accept', who: x.handler, body: { ids: [x.id], input: {} } }
    },
    'POST /api/requests/batch/transfer': async () => {
      const x = await ticket()
      return {
        url: '/api/requests/batch/transfer',
        who: x.handler,
        body: { ids: [x.id], input: { toRole: 'grid_lead', reason: '不属物业职责' } },
      }
    },
    'POST /api/requests/batch/notes': async () => {
      const x = await ticket()
      return {
        url: '/api/requests/batch/notes',
        who: x.handler,
        body: { ids: [x.id], input: { text: '已电话联系' } },
      }
    },
    'PATCH /api/requests/{id}/public-summary': async () => ({
      url: `/api/requests/${(await ticket('resolved')).id}/public-summary`,
      who: who('community_supervisor'),
      body: { resolution: '已更换楼道灯' },
    }),
    'POST /api/requests/{id}/extend': async () => ({
      url: `/api/requests/${(await ticket('replied', 'leak')).id}/extend`,
      who: who('community_supervisor'),
      body: {
        promisedAt: new Date(Date.now() + 40 * 86_400_000).toISOString(),
        reason: '需要业委会表决维修基金',
      },
    }),
    'POST /api/requests/{id}/reassign': async () => ({
      url: `/api/requests/${(await ticket()).id}/reassign`,
      who: who('community_supervisor'),
      body: { toRole: 'grid_lead', reason: '请网格长协调' },
    }),
    'POST /api/sms/mobile/code': async () => ({
      url: '/api/sms/mobile/code',
      who: { resident: residentA },
      // A number of its own per target: one code a minute per number.
      body: { phone: newPhone('151') },
    }),
    // A code really sent (to the fake SMS API) for a fresh number, so the valid body verifies.
    'POST /api/sms/mobile/verify': async () => {
      const phone = newPhone('151')
      const sent = await t.app.inject({
        method: 'POST',
        url: '/api/sms/mobile/code',
        headers: await authHeader(t, { resident: residentA }),
        payload: { phone },
      })
      if (sent.statusCode !== 200) throw new Error(`asking for a code: ${sent.statusCode} ${sent.body}`)
      return {
        url: '/api/sms/mobile/verify',
        who: { resident: residentA },
        body: { phone, code: sms.calls.at(-1)!.params.code },
      }
    },
    'POST /api/notifications/consents': async () => ({
      url: '/api/notifications/consents',
      who: { resident: residentA },
      body: { accepted: ['tmpl-hostile'] },
    }),
    'POST /api/notifications/wechat-binding': async () => ({
      url: '/api/notifications/wechat-binding',
      who: who('liaison'),
      body: { code: `user-hostile-staff-${randomUUID()}` },
    }),
    'POST /api/admin/open311/keys': async () => ({
      url: '/api/admin/open311/keys',
      who: who('admin'),
      body: { name: '合作方', placeId: c1.compound.id },
    }),
    'PUT /api/admin/compounds/{compoundId}/deadline-settings': async () => ({
      url: `/api/admin/compounds/${c1.compound.id}/deadline-settings`,
      who: who('admin'),
      body: { acceptWithinMinutes: 30 },
    }),
    'PUT /api/metrics/ranking-weights/{districtId}': async () => ({
      url: `/api/metrics/ranking-weights/${c1.district.id}`,
      who: { staff: await districtSupervisor() },
      body: { response: 30, resolution: 40, satisfaction: 30 },
    }),
    // A day of its own per target (a place sets a date once): some day in the next year and a half.
    'POST /api/admin/places/{placeId}/calendar/overrides': async () => ({
      url: `/api/admin/places/${c1.compound.id}/calendar/overrides`,
      who: who('admin'),
      body: {
        date: localDateString(addLocalDays(Date.now(), 2 + overrideDays++)),
        working: false,
        reason: '台风停工',
      },
    }),
    'POST /api/admin/reply-templates': async () => ({
      url: '/api/admin/reply-templates',
      who: who('admin'),
      body: {
        placeId: c1.compound.id,
        category: null,
        action: 'accept',
        title: '已受理',
        text: '您反映的{编号}已受理。',
      },
    }),
    'PUT /api/admin/reply-templates/{id}': async () => {
      const made = await t.app.inject({
        method: 'POST',
        url: '/api/admin/reply-templates',
        headers: await authHeader(t, supervisorOf('admin')),
        payload: { placeId: c1.compound.id, action: 'resolve', title: '已办结', text: '已处理完毕。' },
      })
      if (made.statusCode >= 300) throw new Error(`making a template: ${made.statusCode} ${made.body}`)
      const { id } = made.json() as { id: string }
      return {
        url: `/api/admin/reply-templates/${id}`,
        who: who('admin'),
        body: {
          category: 'facilities',
          action: 'resolve',
          title: '灯已修好',
          text: '楼道灯已于{日期}修好。',
        },
      }
    },
    'PUT /api/admin/places/{placeId}/urgent-list': async () => ({
      url: `/api/admin/places/${c1.compound.id}/urgent-list`,
      who: who('admin'),
      body: {
        addWords: ['井盖'],
        dropWords: [],
        addCategories: [],
        dropCategories: [],
        propertyPhone: '0571-88886666',
      },
    }),
    'PUT /api/admin/compounds/{compoundId}/after-photo-settings': async () => ({
      url: `/api/admin/compounds/${c1.compound.id}/after-photo-settings`,
      who: who('admin'),
      body: { categories: ['facilities', 'sanitation'] },
    }),
    'POST /api/needs': async () => ({
      url: '/api/needs',
      who: { resident: residentA },
      body: { unitToken: c1.tokens[0][0], title: '增设电动自行车充电桩', description: '楼下没有地方充电', room: '502' },
    }),
    'POST /api/needs/staff': async () => ({
      url: '/api/needs/staff',
      who: who('grid_lead'),
      body: { compoundId: c1.compound.id, unitId: c1.units[0][0].id, room: '301', title: '老年助餐点', description: '电话反映' },
    }),
    'POST /api/needs/{id}/support': async () => ({
      url: `/api/needs/${await freshNeed()}/support`,
      who: { resident: residentA },
      body: { unitToken: c1.tokens[0][0], room: '502' },
    }),
    'POST /api/needs/{id}/status': async () => ({
      url: `/api/needs/${await freshNeed()}/status`,
      who: who('grid_lead'),
      body: { status: 'not_feasible', reason: '场地不足' },
    }),
    // A fresh 意见建议 per call (a request becomes a need once); 网格长 coordinates it.
    'POST /api/needs/from-request/{ticketId}': async () => ({
      url: `/api/needs/from-request/${(await makeTicket(t, { unit: c1.units[0][0], resident: residentA, category: 'suggestion' })).id}`,
      who: who('grid_lead'),
      body: { title: '上门理发服务' },
    }),
    'POST /api/recurring/adopt': async () => ({
      url: '/api/recurring/adopt',
      who: who('community_supervisor'),
      body: {
        compoundId: c1.compound.id,
        key: await proposal(),
        ownerRole: 'property_manager',
        plan: '更换老化线路',
        targetDate: '2027-03-31',
      },
    }),
    'POST /api/recurring/dismiss': async () => ({
      url: '/api/recurring/dismiss',
      who: who('community_supervisor'),
      body: { compoundId: c1.compound.id, key: await proposal(), reason: '已有专项整治' },
    }),
    // Compound 1's resources list, kept by its 网格长; matches of a fresh request to a fresh resource.
    'POST /api/resources': async () => ({
      url: '/api/resources',
      who: who('grid_lead'),
      body: { compoundId: c1.compound.id, kind: 'volunteer', name: '测试志愿者', tags: ['陪诊'], contactName: '王阿姨', contactPhone: newPhone() },
    }),
    'PATCH /api/resources/{id}': async () => ({
      url: `/api/resources/${await resourceOf()}`,
      who: who('grid_lead'),
      body: { name: '测试志愿者', tags: ['理发'], availability: '工作日上午' },
    }),
    'POST /api/resources/matches': async () => ({
      url: '/api/resources/matches',
      who: who('grid_lead'),
      body: { subject: 'ticket', subjectId: (await ticket()).id, resourceIds: [await resourceOf()], owner: { role: 'property_manager' }, targetDate: '2100-01-04', note: '周二上门' },
    }),
    'POST /api/resources/matches/{id}/done': async () => ({
      url: `/api/resources/matches/${await resourceMatchOf()}/done`,
      who: who('grid_lead'),
      body: { note: '已上门陪诊' },
    }),
    // Joint meetings: a fresh meeting of c1 (held where decisions need it) and a fresh request per call.
    'POST /api/meetings': async () => ({
      url: '/api/meetings',
      who: who('grid_lead'),
      body: {
        compoundId: c1.compound.id,
        kind: 'tripartite',
        title: '三方联动议事会',
        startsAt: week(),
        place: '社区议事厅',
        attendeeRoles: ['grid_lead', 'property_manager', 'police'],
      },
    }),
    'POST /api/meetings/{id}/agenda': async () => ({
      url: `/api/meetings/${await meeting()}/agenda`,
      who: who('grid_lead'),
      body: { source: 'request', id: (await ticket('submitted', 'leak')).id },
    }),
    'POST /api/meetings/{id}/decisions': async () => ({
      url: `/api/meetings/${await meeting(true)}/decisions`,
      who: who('grid_lead'),
      body: {
        agendaItemId: null,
        ownerRole: 'property_manager',
        ownerStaffId: staff.get('property_manager')!.id,
        targetDate: workday(),
        publicSummary: '物业两周内修好车棚顶',
        internalNote: '材料费由维修基金出',
      },
    }),
    'POST /api/meetings/decisions/{decisionId}/done': async () => ({
      url: `/api/meetings/decisions/${await decision()}/done`,
      who: who('property_manager'),
      body: { note: '车棚顶已修好' },
    }),
    // One adopted problem for every call: progress entries add to it and take nothing away.
    'POST /api/recurring/{id}/progress': async () => {
      adoptedId ??= await adoptOne()
      return {
        url: `/api/recurring/${adoptedId}/progress`,
        who: who('community_supervisor'),
        body: { note: '已更换三处线路' },
      }
    },
    'POST /api/visits/households': async () => ({
      url: '/api/visits/households',
      who: who('grid_lead'),
      body: visitHouseholdBody(),
    }),
    'PATCH /api/visits/households/{id}': async () => ({
      url: `/api/visits/households/${await visitHousehold()}`,
      who: who('grid_lead'),
      body: { room: '402', people: [{ name: '钱奶奶', phone: newPhone('137') }], intervalDays: 10, notes: '下午在家' },
    }),
    'POST /api/visits': async () => ({
      url: '/api/visits',
      who: who('grid_lead'),
      body: { householdId: await visitHousehold(), kind: 'visit', wellbeing: 'fair', needsFound: '想装扶手' },
    }),
    // A fresh visit per target: a request and a need are filed once per visit.
    'POST /api/visits/{id}/request': async () => ({
      url: `/api/visits/${await visitOf()}/request`,
      who: who('grid_lead'),
      body: { category: 'facilities', description: '楼道扶手松动' },
    }),
    'POST /api/visits/{id}/need': async () => ({
      url: `/api/visits/${await visitOf()}/need`,
      who: who('grid_lead'),
      body: { title: '楼道加装扶手', description: '老人上下楼不便' },
    }),
  }
  /** A need of compound 1 in 征集中, one per call (statuses move). */
  const freshNeed = async () =>
    (
      await t.app.get(NeedsService).create({
        source: 'staff',
        compoundId: c1.compound.id,
        title: '恶意测试需求',
        description: '',
        createdBy: { kind: 'staff', staffId: staff.get('grid_lead')!.id },
      })
    ).id
  let overrideDays = 0
  /** A household for compound 1's visit register, its grid worker c1's 网格长. */
  const visitHouseholdBody = () => ({
    unitId: c1.units[0][0].id,
    room: '401',
    people: [{ name: '孙爷爷', phone: newPhone('137') }],
    reasons: ['living_alone', 'no_smartphone'],
    intervalDays: 7,
    assigneeStaffId: staff.get('grid_lead')!.id,
    notes: '耳背',
  })
  async function visitSetup(url: string, payload: Record<string, unknown>): Promise<string> {
    const res = await t.app.inject({ method: 'POST', url, headers: await authHeader(t, who('grid_lead')!), payload })
    if (res.statusCode >= 300) throw new Error(`setting up ${url}: ${res.statusCode} ${res.body}`)
    return (res.json() as { id: string }).id
  }
  const visitHousehold = () => visitSetup('/api/visits/households', visitHouseholdBody())
  const visitOf = async () =>
    visitSetup('/api/visits', { householdId: await visitHousehold(), kind: 'call', wellbeing: 'attention', needsFound: '扶手松了' })
  /** A resource of compound 1 (a venue), added by its 网格长. */
  async function resourceOf(): Promise<string> {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/resources',
      headers: await authHeader(t, who('grid_lead')!),
      payload: { compoundId: c1.compound.id, kind: 'venue', name: `活动室${randomUUID().slice(0, 6)}`, openingHours: '每天' },
    })
    if (res.statusCode !== 201) throw new Error(`resource: ${res.statusCode} ${res.body}`)
    return (res.json() as { id: string }).id
  }
  /** An open match of a fresh request to a fresh resource, made by compound 1's 网格长. */
  async function resourceMatchOf(): Promise<string> {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/resources/matches',
      headers: await authHeader(t, who('grid_lead')!),
      payload: { subject: 'ticket', subjectId: (await ticket()).id, resourceIds: [await resourceOf()], owner: { role: 'property_manager' }, targetDate: '2100-01-04' },
    })
    if (res.statusCode !== 201) throw new Error(`match: ${res.statusCode} ${res.body}`)
    return (res.json() as { items: { id: string }[] }).items[0].id
  }
  let adoptedId: string | undefined
  /** A joint meeting of c1 planned by its 网格长 (and marked held). */
  async function meeting(held = false): Promise<string> {
    const headers = await authHeader(t, supervisorOf('grid_lead'))
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/meetings',
      headers,
      payload: { compoundId: c1.compound.id, kind: 'nine_heads', title: '九长大会', startsAt: week(), place: '议事厅', attendeeRoles: ['grid_lead'] },
    })
    if (res.statusCode >= 300) throw new Error(`meeting: ${res.statusCode} ${res.body}`)
    const { id } = res.json() as { id: string }
    if (held) await t.app.inject({ method: 'POST', url: `/api/meetings/${id}/held`, headers })
    return id
  }
  const workday = () => defaultCalendar().nextWorkingDay(localDateString(new Date()))
  /** An open decision of a held meeting of c1, owned by the role 物业. */
  async function decision(): Promise<string> {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/meetings/${await meeting(true)}/decisions`,
      headers: await authHeader(t, supervisorOf('grid_lead')),
      payload: { agendaItemId: null, ownerRole: 'property_manager', targetDate: workday(), publicSummary: '物业修好车棚顶' },
    })
    if (res.statusCode >= 300) throw new Error(`decision: ${res.statusCode} ${res.body}`)
    return (res.json() as { decisions: { id: string }[] }).decisions[0].id
  }
  async function adoptOne(): Promise<string> {
    const adopted = await t.app.inject({
      method: 'POST',
      url: '/api/recurring/adopt',
      headers: await authHeader(t, supervisorOf('community_supervisor')),
      payload: {
        compoundId: c1.compound.id,
        key: await proposal(),
        ownerRole: 'grid_lead',
        plan: '每周巡查一次',
        targetDate: '2027-03-31',
      },
    })
    if (adopted.statusCode >= 300) throw new Error(`adopting: ${adopted.statusCode} ${adopted.body}`)
    return (adopted.json() as { id: string }).id
  }
  const supervisorOf = (role: Role) => ({ staff: staff.get(role)! })
  let supervisor: Staff | undefined
  const districtSupervisor = async () =>
    (supervisor ??= await makeStaff(t, 'district_supervisor', c1.district))
  /**
   * The key of a 重点问题 still proposed for c1: the last one made while nobody has adopted or dismissed it
   * (targets are asked for again and again; refused bodies leave it proposed), else a fresh one — three
   * requests of a category not used for one yet, in one of c1's buildings.
   */
  const recurringPlaces = [1, 0].flatMap((building) =>
    (['sanitation', 'parking', 'shops', 'group_rental', 'fire_safety', 'suggestion'] as CategoryCode[]).map(
      (category) => ({ building, category }),
    ),
  )
  let proposedKey: string | null = null
  async function proposed(): Promise<{ key: string; requests: { id: string }[] }[]> {
    const list = await t.app.inject({
      method: 'GET',
      url: `/api/recurring?compoundId=${c1.compound.id}`,
      headers: await authHeader(t, supervisorOf('community_supervisor')),
    })
    return (list.json() as { proposed: { key: string; requests: { id: string }[] }[] }).proposed
  }
  async function proposal(): Promise<string> {
    if (proposedKey && (await proposed()).some((p) => p.key === proposedKey)) return proposedKey
    const next = recurringPlaces.shift()
    if (!next) throw new Error('no building and category left for a fresh recurring problem')
    const ids: string[] = []
    for (let i = 0; i < 3; i++) {
      ids.push(
        (
          await makeTicket(t, {
            unit: c1.units[next.building][0],
            resident: residentA,
            category: next.category,
          })
        ).id,
      )
    }
    const found = (await proposed()).find((p) => ids.every((id) => p.requests.some((r) => r.id === id)))
    if (!found) throw new Error(`no proposal for ${next.category} in building ${next.building}`)
    proposedKey = found.key
    return found.key
  }
  /** Sheet uploads take a raw CSV/XLSX body. */
  const sheets: Record<string, () => string> = {
    'POST /api/admin/places/{id}/import': () => `/api/admin/places/${c1.compound.id}/import`,
    'POST /api/resources/compounds/{compoundId}/import': () => `/api/resources/compounds/${c1.compound.id}/import`,
    'POST /api/admin/staff/import': () => `/api/admin/staff/import?placeId=${c1.compound.id}`,
  }

  let cases = 0
  let acceptedExtra = -1
  const serverErrors: string[] = []
  /** Error answers not in their shape, over the whole suite (checked by the last test). */
  const badShapes: string[] = []
  let errorsChecked = 0
  const xmlErrors = new XMLParser({ parseTagValue: false, isArray: (name) => name === 'error' })
  const HAN = /\p{Script=Han}/u

  /** What is wrong with an error answer's shape, or null: GeoReport's under /open311, the product's elsewhere. */
  function shapeProblem(url: string, res: Answer): string | null {
    const requestId = res.headers['x-request-id']
    if (typeof requestId !== 'string' || requestId === '') return 'no x-request-id'
    if (/^\/open311(\/|$|\?)/.test(url)) {
      let error: { code?: unknown; description?: unknown } | undefined
      if (/\.json$/i.test(url.split('?')[0])) {
        if (!String(res.headers['content-type']).startsWith('application/json')) return 'not JSON'
        const body = JSON.parse(res.body) as unknown
        if (!Array.isArray(body) || body.length !== 1) return 'not a GeoReport error list'
        error = body[0] as typeof error
      } else {
        if (res.headers['content-type'] !== 'text/xml; charset=utf-8') return 'not XML'
        if (XMLValidator.validate(res.body) !== true) return 'malformed XML'
        const doc = xmlErrors.parse(res.body) as { errors?: { error?: (typeof error)[] } }
        if (doc.errors?.error?.length !== 1) return 'not a GeoReport <errors> document'
        error = doc.errors.error[0]
      }
      if (
        Object.keys(error ?? {})
          .sort()
          .join() !== 'code,description'
      )
        return 'not {code, description}'
      if (String(error!.code) !== String(res.statusCode)) return `code ${String(error!.code)}`
      return typeof error!.description === 'string' && HAN.test(error!.description) ? null : 'description'
    }
    if (!String(res.headers['content-type']).startsWith('application/json')) return 'not JSON'
    const parsed = ErrorBodySchema.safeParse(JSON.parse(res.body))
    if (!parsed.success) return 'not { code, message, requestId }'
    if (parsed.data.requestId !== requestId) return 'requestId differs from x-request-id'
    if (ERROR_STATUS[parsed.data.code] !== res.statusCode) return `${parsed.data.code} with this status`
    return HAN.test(parsed.data.message) ? null : 'message not in Chinese'
  }
  function checkShape(label: string, url: string, res: Answer): void {
    if (res.statusCode < 400) return
    errorsChecked++
    let problem: string | null
    try {
      problem = shapeProblem(url, res)
    } catch (error) {
      problem = `unreadable: ${(error as Error).message}`
    }
    if (problem)
      badShapes.push(`${label} ${url.slice(0, 60)}: ${res.statusCode} ${problem} ${res.body.slice(0, 120)}`)
  }
  /** Any request, counted and checked like send()'s. */
  async function request(label: string, options: Parameters<TestApp['app']['inject']>[0] & { url: string }) {
    const res = await t.app.inject(options)
    cases++
    if (res.statusCode >= 500)
      serverErrors.push(`${label} ${options.url.slice(0, 60)}: ${res.statusCode} ${res.body.slice(0, 160)}`)
    checkShape(label, options.url, res)
    return res
  }
  async function send(
    route: string,
    target: Target,
    payload: string | Buffer | Record<string, unknown> | unknown,
    extraHeaders: Record<string, string> = {},
  ) {
    const method = route.split(' ')[0] as 'POST' | 'PUT' | 'PATCH'
    const raw = typeof payload === 'string' || Buffer.isBuffer(payload)
    const res = await t.app.inject({
      method,
      url: target.url,
      payload: raw ? payload : JSON.stringify(payload),
      headers: {
        'content-type': 'application/json',
        ...(target.who ? await authHeader(t, target.who) : {}),
        ...(target.headers ?? {}),
        ...(route.startsWith('POST /api/requests') && !route.includes('{')
          ? { 'idempotency-key': randomUUID() }
          : {}),
        ...extraHeaders,
      },
    })
    cases++
    if (res.statusCode >= 500) {
      const shown = raw ? String(payload).slice(0, 60) : JSON.stringify(payload).slice(0, 60)
      serverErrors.push(`${route} ${shown}: ${res.statusCode} ${res.body.slice(0, 160)}`)
    }
    checkShape(route, target.url, res)
    return res
  }

  const bodyRoutes = () =>
    Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([m, op]) => ['post', 'put', 'patch'].includes(m) && op.requestBody)
        .map(([m, op]) => ({ route: `${m.toUpperCase()} ${path}`, content: op.requestBody!.content })),
    )

  it('every body route has a target, and each target is valid for its caller', async () => {
    const routes = bodyRoutes()
    const json = routes.filter((r) => r.content['application/json']).map((r) => r.route)
    expect(json.filter((r) => !targets[r])).toEqual([])
    expect(
      routes.filter(
        (r) =>
          !r.content['application/json'] &&
          !sheets[r.route] &&
          r.route !== 'POST /api/photos' &&
          r.route !== 'POST /api/voice-notes',
      ),
    ).toEqual([])
    const invalid: string[] = []
    for (const route of Object.keys(targets)) {
      const target = await targets[route]()
      const res = await send(route, target, target.body)
      if (res.statusCode >= 300) invalid.push(`${route}: ${res.statusCode} ${res.body.slice(0, 120)}`)
    }
    expect(invalid).toEqual([])
  })

  it('mass assignment: fields the caller may not set are refused, one at a time and all at once, and never stored', async () => {
    const ctx = { foreignStaffId: foreignStaff.id, otherResidentId: otherResident.id, c2: c2.compound.id }
    const accepted: string[] = []
    for (const route of Object.keys(targets)) {
      // One object per route: refused requests change nothing, so the next case finds it as it was.
      const target = await targets[route]()
      for (const field of [...Object.keys(EXTRA_FIELDS), '*']) {
        const extras =
          field === '*'
            ? Object.fromEntries(Object.entries(EXTRA_FIELDS).map(([k, v]) => [k, v(ctx)]))
            : { [field]: EXTRA_FIELDS[field](ctx) }
        // Extras that are real fields of this body (e.g. `stars` of a rating) are not extras here.
        const body = { ...extras, ...target.body }
        if (Object.keys(body).length === Object.keys(target.body).length) continue
        const res = await send(route, target, body)
        if (res.statusCode < 300) accepted.push(`${route} + ${field}: ${res.statusCode}`)
        else if (res.statusCode === 400) {
          const details = (res.json() as { details?: { message: string }[] }).details ?? []
          expect(details.length).toBeGreaterThan(0)
        }
      }
    }
    // Nothing of them reached the database either.
    const stored = {
      foreignHandler: await count(t.dataSource, 'SELECT 1 FROM ticket WHERE handler_staff_id = $1', [
        foreignStaff.id,
      ]),
      foreignCompound: await count(t.dataSource, 'SELECT 1 FROM ticket WHERE compound_id = $1', [
        c2.compound.id,
      ]),
      otherReporter: await count(t.dataSource, 'SELECT 1 FROM ticket WHERE reporter_resident_id = $1', [
        otherResident.id,
      ]),
      chaseCount: await count(
        t.dataSource,
        'SELECT 1 FROM ticket WHERE chase_count = 99 OR follower_count = 9999',
      ),
      adminGranted: await count(
        t.dataSource,
        `SELECT 1 FROM membership m JOIN staff s ON s.id = m.staff_id WHERE m.role = 'admin' AND (m.place_id = $1 OR s.id = ANY($2))`,
        [c2.compound.id, [...staff.entries()].filter(([r]) => r !== 'admin').map(([, s]) => s.id)],
      ),
      backdated: await count(t.dataSource, "SELECT 1 FROM ticket WHERE created_at < '2001-01-01'"),
    }
    acceptedExtra = accepted.length + Object.values(stored).reduce((a, b) => a + b, 0)
    console.log(`MASS_ASSIGNMENT accepted_extra=${acceptedExtra} ${JSON.stringify(stored)}`)
    expect({ accepted, stored }).toEqual({
      accepted: [],
      stored: {
        foreignHandler: 0,
        foreignCompound: 0,
        otherReporter: 0,
        chaseCount: 0,
        adminGranted: 0,
        backdated: 0,
      },
    })
    // A sweep of every route × field (several hundred requests): minutes on a loaded machine, not 30 s.
  }, 180_000)

  it('hostile values and wrong types in every field: never a 5xx', async () => {
    for (const route of Object.keys(targets)) {
      const target = await targets[route]()
      for (const field of Object.keys(target.body)) {
        // A fresh object per field; within it, a value that is accepted moves it on (the rest then meet a
        // later state, which is also fine to meet).
        const fresh = await targets[route]()
        for (const value of [...HOSTILE_STRINGS, ...WRONG_TYPES]) {
          await send(route, fresh, { ...fresh.body, [field]: value })
        }
      }
    }
    expect(serverErrors).toEqual([])
  }, 300_000)

  it('raw bodies: invalid UTF-8, deep nesting, prototype pollution, non-objects, wrong types of content', async () => {
    const acceptedRaw: string[] = []
    const depth = 100_000
    const raws: { payload: string | Buffer; headers?: Record<string, string> }[] = [
      {
        payload: Buffer.from([
          0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d,
        ]),
      }, // {"name":"<bad>"}
      { payload: Buffer.from([0xc0, 0xaf, 0xed, 0xa0, 0x80]) },
      { payload: '['.repeat(depth) + ']'.repeat(depth) },
      { payload: '{"a":'.repeat(depth) + '1' + '}'.repeat(depth) },
      { payload: '{"__proto__":{"isAdmin":true},"name":"x"}' },
      { payload: '{"constructor":{"prototype":{"isAdmin":true}},"name":"x"}' },
      { payload: 'null' },
      { payload: '"just a string"' },
      { payload: '[]' },
      { payload: '12345' },
      { payload: '' },
      { payload: '{"name":' },
      { payload: '{"name":"x"}{"name":"y"}' },
      { payload: '<xml/>', headers: { 'content-type': 'application/xml' } },
      { payload: 'name=x', headers: { 'content-type': 'text/plain' } },
      { payload: '{"name":"x"}', headers: { 'content-type': 'multipart/form-data; boundary=x' } },
    ]
    // Bodies that may be accepted when their fields are valid, but never with a 5xx: a form body (Open311
    // clients send them; bearer tokens, not cookies, so a cross-site form cannot act for anyone) and a
    // charset the server ignores (bodies are read as UTF-8).
    const tolerated = [
      { payload: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      { payload: '{"name":"x"}', headers: { 'content-type': 'application/json; charset=utf-16' } },
    ]
    for (const route of Object.keys(targets)) {
      const target = await targets[route]()
      for (const raw of tolerated) await send(route, target, raw.payload, raw.headers)
      for (const [i, raw] of raws.entries()) {
        const res = await send(route, target, raw.payload, raw.headers)
        if (res.statusCode < 400) acceptedRaw.push(`${route} raw #${i}: ${res.statusCode}`)
      }
    }
    expect(acceptedRaw).toEqual([])
    // Nothing got polluted in this process.
    expect(({} as { isAdmin?: boolean }).isAdmin).toBeUndefined()
    for (const route of Object.keys(sheets)) {
      for (const payload of [
        '\u0000\u0000',
        '姓名,手机号,角色\n' + '=cmd|" /C calc"!A0,13800000000,片长\n',
        'a,b\n'.repeat(50_000),
        Buffer.from([0xff, 0xfe, 0x00]),
      ]) {
        await send(route, { url: sheets[route](), who: who('admin'), body: {} }, payload, {
          'content-type': 'text/csv',
        })
      }
    }
    expect(serverErrors).toEqual([])
  }, 300_000)

  /** An arbitrary of values shaped by a JSON schema, with any JSON value mixed in at every level. */
  function arbitraryOf(schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
    const resolved = schema.$ref ? doc.components.schemas[schema.$ref.split('/').pop()!] : schema
    const any = fc.jsonValue({ maxDepth: 2 })
    const alternatives = resolved.anyOf ?? resolved.oneOf ?? resolved.allOf
    let shaped: fc.Arbitrary<unknown>
    if (alternatives) shaped = fc.oneof(...alternatives.map((s) => arbitraryOf(s, depth + 1)))
    else if (resolved.enum) shaped = fc.constantFrom(...resolved.enum)
    else {
      const type = Array.isArray(resolved.type) ? resolved.type[0] : resolved.type
      switch (type) {
        case 'object': {
          const props = Object.fromEntries(
            Object.entries(resolved.properties ?? {}).map(([k, s]) => [
              k,
              depth > 3 ? any : arbitraryOf(s, depth + 1),
            ]),
          )
          shaped = fc.record(props, { requiredKeys: (resolved.required ?? []).filter((k) => k in props) })
          break
        }
        case 'array':
          shaped = fc.array(resolved.items ? arbitraryOf(resolved.items, depth + 1) : any, {
            maxLength: (resolved.maxItems ?? 5) + 1,
          })
          break
        case 'string':
          shaped =
            resolved.format === 'uuid'
              ? fc.oneof(fc.uuid(), fc.constantFrom(c1.compound.id, residentA.id, foreignStaff.id))
              : resolved.format === 'date-time'
                ? fc.date({ noInvalidDate: true }).map((d) => d.toISOString())
                : fc.oneof(
                    fc.string({ maxLength: (resolved.maxLength ?? 40) + 2 }),
                    fc.string({ unit: 'binary', maxLength: 50 }),
                    fc.constantFrom(...HOSTILE_STRINGS.slice(0, 12)),
                  )
          break
        case 'integer':
          shaped = fc.oneof(
            fc.integer({ min: (resolved.minimum ?? 0) - 2, max: (resolved.maximum ?? 1000) + 2 }),
            fc.integer(),
          )
          break
        case 'number':
          shaped = fc.oneof(fc.double(), fc.integer())
          break
        case 'boolean':
          shaped = fc.boolean()
          break
        default:
          shaped = any
      }
    }
    return fc.oneof({ weight: 4, arbitrary: shaped }, { weight: 1, arbitrary: any })
  }

  it('property fuzzing (fast-check) of every body schema in the OpenAPI document: never a 5xx', async () => {
    let runs = 0
    const routes = bodyRoutes().filter((r) => r.content['application/json'] && targets[r.route])
    for (const { route, content } of routes) {
      const target = await targets[route]()
      await fc.assert(
        fc.asyncProperty(arbitraryOf(content['application/json'].schema), async (body) => {
          runs++
          const res = await send(route, target, body)
          return res.statusCode < 500
        }),
        { numRuns: 40, seed: 12, endOnFailure: true },
      )
    }
    console.log(`FUZZ routes=${routes.length} runs=${runs}`)
    expect(runs).toBeGreaterThanOrEqual(routes.length * 40)
  }, 300_000)

  it('stored script and SQL come back verbatim as data, and nothing ran', async () => {
    const description = `<img src=x onerror=alert(1)><script>alert("x")</script>'; DROP TABLE ticket; --`
    const target = await targets['POST /api/requests']()
    const res = await send('POST /api/requests', target, { ...target.body, description })
    expect(res.statusCode).toBe(201)
    const id = (res.json() as { id: string }).id
    const back = await t.app.inject({
      method: 'GET',
      url: `/api/requests/${id}`,
      headers: await authHeader(t, { resident: residentA }),
    })
    expect((back.json() as { description: string }).description).toBe(description)
    expect(back.headers['content-type']).toMatch(/^application\/json/)
    const [row] = await t.dataSource.query<{ description: string }[]>(
      'SELECT description FROM ticket WHERE id = $1',
      [id],
    )
    expect(row.description).toBe(description)
    expect(await count(t.dataSource, 'SELECT 1 FROM ticket')).toBeGreaterThan(0)
  })

  // ── Every content type the server accepts ────────────────────────────────────────────────────────

  const FORM = { 'content-type': 'application/x-www-form-urlencoded' }
  const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

  /** A body as a form: scalars as they are, lists of scalars as repeated names, objects left out. */
  function formOf(body: Record<string, unknown>, override?: [field: string, raw: string]): string {
    const pairs: string[] = []
    for (const [name, value] of Object.entries(body)) {
      if (override?.[0] === name) {
        pairs.push(`${encodeURIComponent(name)}=${override[1]}`)
        continue
      }
      for (const item of Array.isArray(value) ? value : [value]) {
        if (item !== null && typeof item !== 'object')
          pairs.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(item))}`)
      }
    }
    return pairs.join('&')
  }
  /** Already %-encoded values a form field may not hold: NUL, a lone UTF-16 half, cut or bogus escapes. */
  const FORM_REFUSED = ['a%00b', '%00', 'a%ED%A0%80b', '%E4%B8', '%zz', '%F0%9F%98']
  /** Values that may be accepted or refused, never with a 5xx. */
  const FORM_HOSTILE = [
    encodeURIComponent("'; DROP TABLE ticket; --"),
    encodeURIComponent('<script>alert("x")</script>'),
    encodeURIComponent('𠮷'.repeat(300)),
    'x'.repeat(200_000),
    '',
    '%2B%26%3D',
    '+++',
  ]
  const detailsOf = (res: Answer & { json(): unknown }) =>
    res.statusCode === 400
      ? ((res.json() as { details?: { path: string; message: string }[] }).details ?? [])
      : []

  /** A multipart body of text fields and, optionally, one file. */
  function multipart(
    fields: [string, string | Buffer][],
    file?: { field?: string; filename?: string; data: Buffer },
    boundary = `----mqhostile${randomUUID()}`,
  ): { payload: Buffer; headers: Record<string, string> } {
    const parts: Buffer[] = []
    for (const [name, value] of fields) {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`))
      parts.push(Buffer.from(value), Buffer.from('\r\n'))
    }
    if (file) {
      parts.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'file'}"; ` +
            `filename="${file.filename ?? 'photo.jpg'}"\r\nContent-Type: image/jpeg\r\n\r\n`,
        ),
        file.data,
        Buffer.from('\r\n'),
      )
    }
    parts.push(Buffer.from(`--${boundary}--\r\n`))
    return {
      payload: Buffer.concat(parts),
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    }
  }

  /**
   * An XLSX file of these rows. OOXML writes a character XML cannot hold as `_xHHHH_`; ExcelJS writes
   * text as given and reads such escapes back, so `_x0000_` comes back as NUL and `_xD800_` as a lone
   * surrogate, as from a crafted file.
   */
  async function xlsxOf(rows: string[][]): Promise<Buffer> {
    const workbook = new ExcelJS.Workbook()
    const sheet = workbook.addWorksheet('导入')
    for (const row of rows) sheet.addRow(row)
    return Buffer.from(await workbook.xlsx.writeBuffer())
  }
  const csvOf = (rows: string[][]) => rows.map((row) => row.join(',')).join('\n') + '\n'
  /** A valid sheet per import: a header and one data row. */
  const sheetRows = (route: string): string[][] =>
    route.includes('places')
      ? [
          ['楼栋', '单元'],
          ['九号楼', '一单元'],
        ]
      : route.includes('resources')
      ? [
          ['类型', '名称', '开放时间'],
          ['场地', '导入活动室', '每天 8:00-20:00'],
        ]
      : [
          ['姓名', '手机号', '角色'],
          ['导入测试', newPhone(), '楼道长'],
        ]

  it('form bodies: every body route as a form; NULs and broken % escapes in every field are a 400 naming it', async () => {
    const unnamed: string[] = []
    for (const route of Object.keys(targets)) {
      const target = await targets[route]()
      await send(route, target, formOf(target.body), FORM)
      for (const field of Object.keys(target.body)) {
        for (const raw of FORM_REFUSED) {
          const res = await send(route, target, formOf(target.body, [field, raw]), FORM)
          if (!detailsOf(res).some((d) => d.path === field))
            unnamed.push(`${route} ${field}=${raw}: ${res.statusCode}`)
        }
        const fresh = await targets[route]()
        for (const raw of FORM_HOSTILE) await send(route, fresh, formOf(fresh.body, [field, raw]), FORM)
      }
      for (const payload of [
        Buffer.concat([Buffer.from('name='), Buffer.from([0xff, 0xfe, 0xc3, 0x28])]),
        'na%00me=x',
        '&&&===&',
        '='.repeat(10_000),
        'a=1&'.repeat(20_000),
        '__proto__%5BisAdmin%5D=true&constructor%5Bprototype%5D%5BisAdmin%5D=true',
      ]) {
        const res = await send(route, target, payload, FORM)
        if (res.statusCode < 400 && typeof payload === 'string' && payload.includes('%00'))
          unnamed.push(`${route} ${payload}`)
      }
    }
    expect(({} as { isAdmin?: boolean }).isAdmin).toBeUndefined()
    expect(unnamed).toEqual([])
    expect(serverErrors).toEqual([])
  }, 300_000)

  it('multipart bodies, with and without files: the photo upload and every body route, never a 5xx', async () => {
    const photo: Target = { url: '/api/photos', who: { resident: residentA }, body: {} }
    const route = 'POST /api/photos'
    const valid = multipartBody(IMAGES.jpeg)
    expect((await send(route, photo, valid.payload, valid.headers)).statusCode).toBe(201)
    const png = multipart([], { data: IMAGES.png })
    const refused = [
      multipart([]),
      multipart([['note', 'a\u0000b']]),
      multipart([['note', Buffer.from([0xff, 0xfe, 0x00])]]),
      multipart([], { data: Buffer.alloc(6 * 1024 * 1024, 0xff) }),
      multipart([], { data: Buffer.from('<svg onload=alert(1)>') }),
      multipart([], { data: Buffer.alloc(0) }),
      multipart([], { data: IMAGES.jpeg, field: 'file\u0000' }),
      multipart([['file', 'not a file']]),
      { payload: png.payload.subarray(0, png.payload.length - 20), headers: png.headers },
      { payload: png.payload, headers: { 'content-type': 'multipart/form-data' } },
      { payload: png.payload, headers: { 'content-type': 'multipart/form-data; boundary=other' } },
      { payload: Buffer.alloc(0), headers: png.headers },
      { payload: png.payload, headers: { 'content-type': 'multipart/mixed; boundary=x' } },
    ]
    const accepted: string[] = []
    for (const [i, body] of refused.entries()) {
      const res = await send(route, photo, body.payload, body.headers)
      if (res.statusCode < 400) accepted.push(`multipart #${i}: ${res.statusCode}`)
    }
    // Fields beside the file are never read, so text in them reaches nothing; the photo is stored.
    for (const body of [
      multipart(
        [
          ['note', 'a\u0000b'],
          ['x\u0000', 'x'.repeat(100_000)],
        ],
        { data: IMAGES.jpeg },
      ),
      multipart([], { data: IMAGES.webp, filename: 'a\u0000b\ud800.jpg' }),
    ]) {
      expect((await send(route, photo, body.payload, body.headers)).statusCode).toBe(201)
    }
    // A JSON route sent multipart has no body it can read: a 4xx, whatever the fields hold.
    for (const [name, target] of await Promise.all(
      Object.keys(targets).map(async (r) => [r, await targets[r]()] as const),
    )) {
      const fields = Object.entries(target.body).map(([k, v]): [string, string] => [k, `${String(v)}\u0000`])
      const body = multipart(fields, { data: IMAGES.jpeg })
      const res = await send(name, target, body.payload, body.headers)
      if (res.statusCode < 400) accepted.push(`${name}: ${res.statusCode}`)
    }
    expect(accepted).toEqual([])
    expect(serverErrors).toEqual([])
  }, 300_000)

  it('the voice-note upload: every recorder format with its duration is stored; broken, hostile or mistyped bodies are 4xx', async () => {
    const voice: Target = { url: '/api/voice-notes', who: { resident: residentA }, body: {} }
    const route = 'POST /api/voice-notes'
    const accepted: string[] = []
    for (const [kind, clip] of Object.entries(CLIPS)) {
      const body = multipart([['durationMs', '3000']], { data: clip, filename: `voice.${kind}` })
      const res = await send(route, voice, body.payload, body.headers)
      if (res.statusCode !== 201) accepted.push(`${kind}: ${res.statusCode} ${res.body.slice(0, 100)}`)
    }
    expect(accepted).toEqual([])
    const aac = multipart([['durationMs', '3000']], { data: CLIPS.aac })
    const refused = [
      multipart([]),
      multipart([['durationMs', '3000']]),
      multipart([], { data: CLIPS.aac }),
      multipart([['durationMs', '3000\u0000']], { data: CLIPS.aac }),
      multipart([['durationMs', Buffer.from([0xff, 0xfe, 0x00])]], { data: CLIPS.aac }),
      multipart([['durationMs', '9'.repeat(5000)]], { data: CLIPS.aac }),
      multipart([['durationMs', "3000'; DROP TABLE voice_note; --"]], { data: CLIPS.aac }),
      multipart([['durationMs', '60001']], { data: CLIPS.aac }),
      multipart([['durationMs', '3000']], {
        data: Buffer.concat([CLIPS.aac, Buffer.alloc(3 * 1024 * 1024, 0xff)]),
      }),
      multipart([['durationMs', '3000']], { data: Buffer.from('%PDF-1.7\n'), filename: 'voice.aac' }),
      multipart([['durationMs', '3000']], { data: IMAGES.jpeg, filename: 'voice.aac' }),
      multipart([['durationMs', '3000']], { data: Buffer.from('<svg onload=alert(1)>') }),
      multipart([['durationMs', '3000']], { data: Buffer.alloc(0) }),
      multipart([['durationMs', '3000']], { data: CLIPS.aac, field: 'file\u0000' }),
      multipart([
        ['durationMs', '3000'],
        ['file', 'not a file'],
      ]),
      { payload: aac.payload.subarray(0, aac.payload.length - 20), headers: aac.headers },
      { payload: aac.payload, headers: { 'content-type': 'multipart/form-data' } },
      { payload: aac.payload, headers: { 'content-type': 'multipart/form-data; boundary=other' } },
      { payload: Buffer.alloc(0), headers: aac.headers },
      { payload: aac.payload, headers: { 'content-type': 'multipart/mixed; boundary=x' } },
      // Every other content type the server parses: none is an upload.
      {
        payload: JSON.stringify({ file: 'x', durationMs: 3000 }),
        headers: { 'content-type': 'application/json' },
      },
      { payload: 'file=x&durationMs=3000', headers: FORM },
      { payload: 'file,durationMs\nx,3000\n', headers: { 'content-type': 'text/csv' } },
      {
        payload: await xlsxOf([
          ['file', 'durationMs'],
          ['x', '3000'],
        ]),
        headers: { 'content-type': XLSX_TYPE },
      },
      { payload: CLIPS.aac, headers: { 'content-type': 'application/octet-stream' } },
      { payload: CLIPS.aac, headers: { 'content-type': 'audio/aac' } },
      { payload: 'x', headers: { 'content-type': 'text/plain' } },
    ]
    for (const [i, body] of refused.entries()) {
      const res = await send(route, voice, body.payload, body.headers)
      if (res.statusCode < 400) accepted.push(`voice #${i}: ${res.statusCode}`)
    }
    expect(accepted).toEqual([])
    expect(serverErrors).toEqual([])
  }, 300_000)

  it('CSV and XLSX imports: unstorable text is a 400 naming row and column; broken files are 4xx', async () => {
    const unnamed: string[] = []
    for (const route of Object.keys(sheets)) {
      const target: Target = { url: sheets[route](), who: who('admin'), body: {} }
      const withCell = (value: string) => {
        const rows = sheetRows(route)
        rows[1][1] = value
        return rows
      }
      const refused: { payload: Buffer | string; type: string; cell?: boolean }[] = [
        { payload: csvOf(withCell('a\u0000b')), type: 'text/csv', cell: true },
        { payload: await xlsxOf(withCell('a_x0000_b')), type: XLSX_TYPE, cell: true },
        { payload: await xlsxOf(withCell('x_xD800_y')), type: XLSX_TYPE, cell: true },
        { payload: await xlsxOf(withCell('_xDFFF_')), type: 'application/octet-stream', cell: true },
        {
          payload: Buffer.concat([
            Buffer.from('楼栋,单元\n'),
            Buffer.from([0xed, 0xa0, 0x80]),
            Buffer.from(',1\n'),
          ]),
          type: 'text/csv',
        },
        { payload: Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(2000, 7)]), type: XLSX_TYPE },
        { payload: (await xlsxOf(sheetRows(route))).subarray(0, 900), type: XLSX_TYPE },
        { payload: '"unclosed,quote\n', type: 'text/csv' },
        { payload: csvOf(withCell('x'.repeat(40_000))), type: 'text/csv' },
        { payload: await xlsxOf(withCell('𠮷'.repeat(20_000))), type: XLSX_TYPE },
        { payload: csvOf(sheetRows(route)), type: 'application/json' },
        { payload: csvOf(sheetRows(route)), type: 'text/plain' },
        { payload: csvOf(sheetRows(route)), type: 'application/x-www-form-urlencoded' },
        { payload: '', type: 'text/csv' },
      ]
      const accepted: string[] = []
      for (const [i, { payload, type, cell }] of refused.entries()) {
        const res = await send(route, target, payload, { 'content-type': type })
        if (res.statusCode < 400) accepted.push(`${route} #${i}: ${res.statusCode}`)
        if (cell && !detailsOf(res).some((d) => d.path === 'row 2' && d.message.startsWith('B 列'))) {
          unnamed.push(`${route} #${i}: ${res.statusCode} ${res.body.slice(0, 100)}`)
        }
      }
      expect(accepted).toEqual([])
      // A sheet sent as a multipart file is not a sheet body.
      const asFile = multipart([], { data: Buffer.from(csvOf(sheetRows(route))), filename: 'a.csv' })
      expect((await send(route, target, asFile.payload, asFile.headers)).statusCode).toBe(400)
      // Both formats of a valid sheet are accepted, so the refusals above met the real import.
      for (const [payload, type] of [
        [csvOf(sheetRows(route)), 'text/csv'],
        [await xlsxOf(sheetRows(route)), XLSX_TYPE],
      ] as const) {
        const res = await send(route, target, payload, { 'content-type': type })
        expect(res.statusCode).toBeLessThan(300)
      }
    }
    expect(unnamed).toEqual([])
    expect(serverErrors).toEqual([])
  }, 300_000)

  it('Open311: filings as form and JSON, hostile, broken or of other types, and anything under /open311, answer GeoReport errors', async () => {
    const keyTarget = await targets['POST /api/admin/open311/keys']()
    const apiKey = (await send('POST /api/admin/open311/keys', keyTarget, keyTarget.body)).json()
      .apiKey as string
    const filing = (): Record<string, string> => ({
      api_key: apiKey,
      service_code: 'facilities',
      address_id: c1.tokens[0][0],
      description: '3楼楼道灯不亮',
      first_name: '秀英',
      last_name: '王',
      phone: newPhone('138'),
    })
    const unnamed: string[] = []
    const accepted: string[] = []
    for (const format of ['json', 'xml'] as const) {
      const url = `/open311/v2/requests.${format}`
      const post = (payload: string | Buffer, contentType?: string) =>
        request(`POST ${url}`, {
          method: 'POST',
          url,
          payload,
          headers: contentType === undefined ? {} : { 'content-type': contentType },
        })
      const refusedFor = async (res: Answer, field: string, label: string) => {
        if (res.statusCode !== 400 || !res.body.includes(field))
          unnamed.push(`${label} ${field}: ${res.statusCode} ${res.body.slice(0, 120)}`)
      }
      expect((await post(new URLSearchParams(filing()).toString(), FORM['content-type'])).statusCode).toBe(
        201,
      )
      expect((await post(JSON.stringify(filing()), 'application/json')).statusCode).toBe(201)
      for (const field of Object.keys(filing())) {
        for (const raw of FORM_REFUSED) {
          const body = formOf(filing(), [field, raw])
          await refusedFor(await post(body, FORM['content-type']), field, `form ${format} ${raw}`)
        }
        for (const value of ['a\u0000b', '\ud800', 'x\udfff']) {
          await refusedFor(
            await post(JSON.stringify({ ...filing(), [field]: value }), 'application/json'),
            field,
            `json ${format}`,
          )
        }
        for (const value of [...HOSTILE_STRINGS, ...WRONG_TYPES]) {
          await post(JSON.stringify({ ...filing(), [field]: value }), 'application/json')
        }
        for (const raw of FORM_HOSTILE) await post(formOf(filing(), [field, raw]), FORM['content-type'])
      }
      const depth = 100_000
      for (const [payload, type] of [
        ['{"api_key":', 'application/json'],
        ['', 'application/json'],
        ['null', 'application/json'],
        ['[]', 'application/json'],
        ['[[[' + 'x', 'application/json'],
        ['{"a":'.repeat(depth) + '1' + '}'.repeat(depth), 'application/json'],
        [Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), 'application/json'],
        [Buffer.concat([Buffer.from('api_key='), Buffer.from([0xc3, 0x28])]), FORM['content-type']],
        ['{"__proto__":{"isAdmin":true}}', 'application/json'],
        [JSON.stringify({ ...filing(), description: 'x'.repeat(1_100_000) }), 'application/json'],
        [formOf({ ...filing(), description: 'x'.repeat(1_100_000) }), FORM['content-type']],
        ['<service_request/>', 'application/xml'],
        ['api_key=x', 'text/plain'],
        ['api_key=x', 'application/x-unknown'],
        ['api_key=x', 'a/b/c'],
        ['api_key=x', ''],
        ['api_key=x', undefined],
        [
          multipart(Object.entries(filing())).payload,
          multipart([], undefined, 'fixed').headers['content-type'],
        ],
        [
          multipart(Object.entries(filing()), undefined, 'fixed').payload,
          'multipart/form-data; boundary=fixed',
        ],
        [
          multipart([['api_key', 'a\u0000b']], { data: IMAGES.jpeg }, 'fixed').payload,
          'multipart/form-data; boundary=fixed',
        ],
      ] as [string | Buffer, string | undefined][]) {
        const res = await post(payload, type)
        if (res.statusCode < 400)
          accepted.push(`${format} ${String(type)} ${String(payload).slice(0, 40)}: ${res.statusCode}`)
      }
      // Routes that are not there, parameters too long or badly encoded, NULs in paths and queries.
      for (const [method, path] of [
        ['GET', `/open311/v2/requests/${'a'.repeat(150)}.${format}`],
        ['POST', `/open311/v2/requests/${'a'.repeat(150)}/x.${format}`],
        ['PUT', `/open311/v2/requests.${format}`],
        ['DELETE', `/open311/v2/requests/MQ000001.${format}`],
        ['GET', `/open311/v2/nothing.${format}`],
        ['GET', `/open311/v2/requests/%E0%A4%A.${format}`],
        ['GET', `/open311/v2/services/%00.${format}`],
        ['GET', `/open311/v2/requests.${format}?jurisdiction_id=%00`],
        ['GET', `/open311/v2/requests.${format}?service_code=%ED%A0%80`],
        ['GET', `/open311/v2/services/${'%F0%9F%98'}.${format}`],
      ] as const) {
        const res = await request(`${method} ${path}`, { method, url: path })
        if (res.statusCode < 400) accepted.push(`${method} ${path}: ${res.statusCode}`)
      }
    }
    expect(accepted).toEqual([])
    expect(unnamed).toEqual([])
    expect(serverErrors).toEqual([])
  }, 300_000)

  it("the framework's own refusals come out in the product's shape, with a Chinese message and x-request-id", async () => {
    const resident = await authHeader(t, { resident: residentA })
    const cases: {
      method: 'GET' | 'POST' | 'DELETE'
      url: string
      status: number
      field?: string
      payload?: string
      type?: string
    }[] = [
      // No identifier is over 100 characters: nothing to find, for every method (not Fastify's 414).
      { method: 'POST', url: `/api/requests/${'a'.repeat(150)}/accept`, status: 404 },
      { method: 'GET', url: `/api/requests/${'a'.repeat(150)}`, status: 404 },
      { method: 'GET', url: '/api/requests/%E0%A4%A', status: 400 },
      { method: 'POST', url: '/api/requests/%zz/accept', status: 400 },
      { method: 'GET', url: '/api/requests/a%00b', status: 400, field: 'params.id' },
      { method: 'GET', url: '/api/requests/mine?cursor=%00', status: 400, field: 'query.cursor' },
      { method: 'GET', url: '/api/requests/mine?cursor=%ED%A0%80', status: 400 },
      { method: 'GET', url: '/q/a%00b', status: 400, field: 'params.token' },
      { method: 'DELETE', url: '/api/no-such-route', status: 404 },
      { method: 'POST', url: '/api/requests', status: 415, payload: '<x/>', type: 'application/xml' },
      { method: 'POST', url: '/api/requests', status: 415, payload: 'x', type: 'application/x-unknown' },
      { method: 'POST', url: '/api/requests', status: 400, payload: '', type: 'application/json' },
      { method: 'POST', url: '/api/requests', status: 400, payload: '{"a":', type: 'application/json' },
      {
        method: 'POST',
        url: '/api/requests',
        status: 413,
        payload: JSON.stringify({ x: 'x'.repeat(1_100_000) }),
        type: 'application/json',
      },
      {
        method: 'POST',
        url: '/api/requests',
        status: 413,
        payload: `x=${'x'.repeat(1_100_000)}`,
        type: FORM['content-type'],
      },
    ]
    const wrong: string[] = []
    for (const c of cases) {
      const res = await request(`${c.method} ${c.url.slice(0, 40)}`, {
        method: c.method,
        url: c.url,
        payload: c.payload,
        headers: { ...resident, ...(c.type ? { 'content-type': c.type } : {}) },
      })
      if (res.statusCode !== c.status)
        wrong.push(`${c.method} ${c.url.slice(0, 60)}: ${res.statusCode}, not ${c.status}`)
      if (c.field && !detailsOf(res).some((d) => d.path === c.field))
        wrong.push(`${c.url}: ${c.field} not named`)
    }
    expect(wrong).toEqual([])
    expect(serverErrors).toEqual([])
  })

  it('requests Node refuses before any route (malformed HTTP, headers too large) get the product shape on the socket', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' })
    const { port } = t.app.getHttpServer().address() as AddressInfo
    const raw = (text: string) =>
      new Promise<string>((resolve) => {
        let data = ''
        const socket = connect(port, '127.0.0.1', () => socket.write(text))
        socket.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')))
        // The server closes the connection after answering; a reset after the answer changes nothing.
        socket.on('close', () => resolve(data))
        socket.on('error', () => resolve(data))
      })
    const answers: string[] = []
    for (const [text, status] of [
      ['NOT HTTP AT ALL\r\n\r\n', 400],
      ['GET /api/health HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n', 400],
      [`GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431],
    ] as const) {
      const answer = await raw(text)
      const [head, ...rest] = answer.split('\r\n\r\n')
      const [statusLine, ...headerLines] = head.split('\r\n')
      const headers = Object.fromEntries(
        headerLines.map((line) => [
          line.slice(0, line.indexOf(':')).toLowerCase(),
          line.slice(line.indexOf(':') + 1).trim(),
        ]),
      )
      const res: Answer = {
        statusCode: Number(statusLine.split(' ')[1]),
        headers,
        body: rest.join('\r\n\r\n'),
      }
      cases++
      checkShape('raw socket', '/api/health', res)
      answers.push(`${res.statusCode}`)
      expect(res.statusCode).toBe(status)
    }
    expect(answers).toHaveLength(3)
  })

  it('property fuzzing (fast-check) across content types: any body as any type, to each kind of route', async () => {
    const kinds: { route: string; target: Target }[] = [
      { route: 'PATCH /api/me', target: await targets['PATCH /api/me']() },
      { route: 'POST /api/requests', target: await targets['POST /api/requests']() },
      { route: 'POST /api/photos', target: { url: '/api/photos', who: { resident: residentA }, body: {} } },
      {
        route: 'POST /api/voice-notes',
        target: { url: '/api/voice-notes', who: { resident: residentA }, body: {} },
      },
      {
        route: 'POST /api/admin/staff/import',
        target: { url: sheets['POST /api/admin/staff/import'](), who: who('admin'), body: {} },
      },
      {
        route: 'POST /api/admin/places/{id}/import',
        target: { url: sheets['POST /api/admin/places/{id}/import'](), who: who('admin'), body: {} },
      },
      {
        route: 'POST /open311/v2/requests.json',
        target: { url: '/open311/v2/requests.json', who: null, body: {} },
      },
      {
        route: 'POST /open311/v2/requests.xml',
        target: { url: '/open311/v2/requests.xml', who: null, body: {} },
      },
    ]
    const contentTypes = [
      'application/json',
      FORM['content-type'],
      'multipart/form-data; boundary=fc',
      'text/csv',
      XLSX_TYPE,
      'application/octet-stream',
      'text/plain',
      'application/xml',
      'application/json; charset=latin1',
      'x/y; boundary=',
    ]
    const text = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.string({ unit: 'binary', maxLength: 30 }),
      fc.constantFrom(...HOSTILE_STRINGS.slice(0, 14)),
    )
    const fields = fc.dictionary(
      fc.oneof(
        fc.constantFrom('name', 'description', 'api_key', 'unitToken', 'category'),
        fc.string({ maxLength: 8 }),
      ),
      text,
      { maxKeys: 5 },
    )
    const payload = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
      fields.map((f) => JSON.stringify(f)),
      // Forms built by hand: a NUL or broken escape may be spliced in anywhere.
      fc.tuple(fields, fc.constantFrom('', '%00', '%ED%A0%80', '%E4', '%%', '&=&')).map(([f, splice]) =>
        Object.entries(f)
          .map(
            ([k, v]) =>
              `${encodeURIComponent(k)}=${encodeURIComponent(v.replace(/[\ud800-\udfff]/g, ''))}${splice}`,
          )
          .join('&'),
      ),
      fields.map((f) => multipart(Object.entries(f), { data: IMAGES.jpeg }, 'fc').payload),
      fields.map((f) => csvOf([Object.keys(f), Object.values(f)])),
    )
    let runs = 0
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...kinds),
        fc.constantFrom(...contentTypes),
        payload,
        async (kind, type, body) => {
          runs++
          const res = await send(kind.route, kind.target, body, { 'content-type': type })
          return res.statusCode < 500
        },
      ),
      { numRuns: 400, seed: 17, endOnFailure: true },
    )
    console.log(`FUZZ content_types=${contentTypes.length} runs=${runs}`)
    expect(runs).toBe(400)
    expect(serverErrors).toEqual([])
  }, 300_000)

  it('every error answer of the suite, whatever the content type, had its shape', () => {
    expect(errorsChecked).toBeGreaterThan(1000)
    expect(badShapes).toEqual([])
  })

  afterAll(() => {
    console.log(
      `HOSTILE cases=${cases} 5xx=${serverErrors.length} accepted_extra=${acceptedExtra} ` +
        `errors_checked=${errorsChecked} bad_shapes=${badShapes.length}`,
    )
  })
})
