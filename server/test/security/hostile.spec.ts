/**
 * Mass assignment and hostile input (issue 12 part 3). Every route that takes a body (from the OpenAPI
 * document: a new one fails here until it has a target) gets, as its rightful caller:
 *  - its valid body plus fields the caller must never set (state, handler, compound, reporter, rating,
 *    role…), one at a time and all at once: refused, and nothing of them is stored;
 *  - wrong types, huge strings, SQL and script fragments, NUL bytes and lone surrogates in every field;
 *  - raw bodies: invalid UTF-8, deep nesting, prototype pollution, non-objects, wrong content types;
 *  - fast-check property fuzzing of its body schema from the OpenAPI document.
 * None may answer 5xx. Stored script comes back verbatim as data (the H5 app renders text through React,
 * which escapes it; miniapp/e2e/hostile.e2e.ts checks that in Chromium).
 *
 * Figure: `HOSTILE cases=N 5xx=0 accepted_extra=0 fuzz_runs=M`.
 */
import fc from 'fast-check'
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startTestApp, type TestApp } from '../app'
import {
  authHeader,
  count,
  makeCompound,
  makeResident,
  makeStaff,
  makeTicket,
  newPhone,
  signIn,
  TEST_PASSWORD,
  type CompoundFixture,
} from '../factories'
import { startFakeWechat, wechatEnv, type FakeWechat } from '../fake-wechat'
import type { Resident } from '../../src/residents/resident.entity'
import type { Staff } from '../../src/staff/staff.entity'
import type { Role, TicketState } from '@mq/shared'

/** A caller as the factories sign them in (a handler is known by id only); null: anonymous. */
type Who = { resident: Resident } | { staff: Staff } | null
interface Target {
  url: string
  who: Who
  body: Record<string, unknown>
  headers?: Record<string, string>
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
    t = await startTestApp({
      ...wechatEnv(fake, 2000),
      DATA_DIR: dataDir,
      WECHAT_TEMPLATES: 'accepted=tmpl-hostile',
    })
    c1 = await makeCompound(t, [2, 1])
    c2 = await makeCompound(t, [1])
    residentA = await makeResident(t, { name: '恶意测试' })
    otherResident = await makeResident(t)
    foreignStaff = await makeStaff(t, 'grid_lead', c2.compound)
    for (const role of ['grid_lead', 'police', 'property_manager', 'liaison', 'community_supervisor'] as const)
      staff.set(role, await makeStaff(t, role, role === 'community_supervisor' ? c1.community : c1.compound))
    staff.set('admin', await makeStaff(t, 'admin', c1.community))
    doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as typeof doc
  })
  afterAll(async () => {
    await t.close()
    await fake.close()
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
    'POST /api/requests/{id}/notes': async () => {
      const x = await ticket()
      return { url: `/api/requests/${x.id}/notes`, who: x.handler, body: { text: '已电话联系' } }
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
  }
  /** Sheet uploads take a raw CSV/XLSX body. */
  const sheets: Record<string, () => string> = {
    'POST /api/admin/places/{id}/import': () => `/api/admin/places/${c1.compound.id}/import`,
    'POST /api/admin/staff/import': () => `/api/admin/staff/import?placeId=${c1.compound.id}`,
  }

  let cases = 0
  let acceptedExtra = -1
  const serverErrors: string[] = []
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
        (r) => !r.content['application/json'] && !sheets[r.route] && r.route !== 'POST /api/photos',
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
  })

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

  afterAll(() => {
    console.log(`HOSTILE cases=${cases} 5xx=${serverErrors.length} accepted_extra=${acceptedExtra}`)
  })
})
