// The benchmark's data set: a seeded generator that writes straight into PostgreSQL with COPY (never
// through the API). Places, staff and residents come first (createBase); requests are then added in
// ranges (addTickets(from, to)) so one run can grow 10k → 100k → 1M and measure at each size.
//
// Every request i is drawn from its own stream (rng.mjs streamFor), so the rows depend only on the seed,
// the reference instant `now` and i. Deadlines come from the shared rules (computeDeadlines, planTimers,
// nextDeadline), so what the server computes for a request and what the generator stored agree.
import { createHash } from 'node:crypto'
import { createRequire } from 'node:module'
import { pipeline } from 'node:stream/promises'
import { Readable } from 'node:stream'
import { pick, streamFor, token, uuid, weighted } from './rng.mjs'

const require = createRequire(import.meta.url)
const { from: copyFrom } = require('pg-copy-streams')
const shared = require('@mq/shared')
const { CATEGORIES, computeDeadlines, nextDeadline, planTimers, autoCloseAt } = shared

export const SHAPE = {
  streets: 10,
  communitiesPerStreet: 10,
  compoundsPerCommunity: 5,
  unitsPerCompound: 80,
  residents: 100_000,
}
export const COMPOUNDS = SHAPE.streets * SHAPE.communitiesPerStreet * SHAPE.compoundsPerCommunity // 500
export const UNITS = COMPOUNDS * SHAPE.unitsPerCompound // 40,000
/** Building layouts: [buildings, units per building], each 80 units. */
const LAYOUTS = [
  [8, 10],
  [10, 8],
  [16, 5],
  [20, 4],
]
/** Staff of every compound; each handles the categories its role leads (shared CATEGORIES). */
export const COMPOUND_ROLES = [
  'grid_lead',
  'property_manager',
  'police',
  'traffic_police',
  'city_management',
  'market_supervision',
  'self_management_lead',
  'compound_secretary',
]
export const STAFF_PASSWORD = 'Bench@2026'
const DAY = 86_400_000
const HOUR = 3_600_000
const SPAN_DAYS = 730

const KIND = { base: 1, ticket: 2 }

/**
 * computeDeadlines without a promise or pauses, memoised by (severity, minute of the day; filings fall on whole minutes): the rules read
 * only the local time of day, and Asia/Shanghai has one UTC offset all year, so a deadline minus its
 * filing instant repeats every 24 h. (Each direct call costs ~0.2 ms in @date-fns/tz; 1M of them would
 * dominate the load.) bench/generate.mjs's self-check compares the memo with direct calls.
 */
const deadlineMemo = new Map()
export function filingDeadlines(filedAt, severity) {
  const key = `${severity}${filedAt % DAY}`
  let delta = deadlineMemo.get(key)
  if (!delta) {
    const d = computeDeadlines({ filedAt: new Date(filedAt), severity })
    delta = [d.acceptBy, d.replyBy, d.resolveBy].map((x) => (x ? x.getTime() - filedAt : null))
    deadlineMemo.set(key, delta)
  }
  const at = (x) => (x === null ? null : new Date(filedAt + x))
  return { acceptBy: at(delta[0]), replyBy: at(delta[1]), resolveBy: at(delta[2]) }
}

/** Residents sign in on H5 with a device secret; the bench knows each one's secret. */
export function residentSecret(seed, r) {
  return `bench${seed}resident${r}`.padEnd(40, 'x')
}

/** Places, staff and residents, rebuilt in memory from the seed (the same every run). */
export function buildBase(seed) {
  const rand = streamFor(seed, KIND.base, 0)
  const places = []
  const add = (kind, name, parent, sortOrder) => {
    const id = uuid(rand)
    const place = {
      id,
      kind,
      name,
      parentId: parent?.id ?? null,
      sortOrder,
      path: [...(parent?.path ?? []), id],
    }
    places.push(place)
    return place
  }
  const district = add('district', '基准区', null, 0)
  const streets = []
  const communities = []
  const compounds = []
  const units = []
  for (let s = 0; s < SHAPE.streets; s++) {
    const street = add('street', `第${s + 1}街道`, district, s)
    streets.push(street)
    for (let c = 0; c < SHAPE.communitiesPerStreet; c++) {
      const community = add('community', `${s + 1}-${c + 1}社区`, street, c)
      communities.push(community)
      for (let k = 0; k < SHAPE.compoundsPerCommunity; k++) {
        const compound = add('compound', `${s + 1}-${c + 1}-${k + 1}新村`, community, k)
        compound.index = compounds.length
        compound.street = street
        compound.units = []
        const [buildings, perBuilding] = pick(rand, LAYOUTS)
        for (let b = 0; b < buildings; b++) {
          const building = add('building', `${b + 1}幢`, compound, b)
          for (let u = 0; u < perBuilding; u++) {
            const unit = add('unit', `${u + 1}单元`, building, u)
            unit.building = building
            unit.compound = compound
            unit.token = token(rand, 16)
            compound.units.push(unit)
            units.push(unit)
          }
        }
        compounds.push(compound)
      }
    }
  }
  const staff = []
  const memberships = []
  let phone = 0
  const hire = (name, role, place) => {
    const person = { id: uuid(rand), name, phone: `139${String(phone++).padStart(8, '0')}`, role, place }
    staff.push(person)
    memberships.push({ id: uuid(rand), staffId: person.id, placeId: place.id, role })
    return person
  }
  for (const compound of compounds) {
    compound.staff = {}
    for (const role of COMPOUND_ROLES)
      compound.staff[role] = hire(`${role}-${compound.index}`, role, compound)
  }
  for (const community of communities)
    community.supervisor = hire(`社区-${community.name}`, 'community_supervisor', community)
  for (const street of streets) street.supervisor = hire(`街道-${street.name}`, 'street_supervisor', street)
  district.supervisor = hire('区督办', 'district_supervisor', district)
  hire('管理员', 'admin', district)
  return { district, streets, communities, compounds, units, places, staff, memberships }
}

// ── COPY text format ──────────────────────────────────────────────────────────────────────────────────

function cell(value) {
  if (value === null || value === undefined) return '\\N'
  if (value instanceof Date) return value.toISOString()
  if (typeof value === 'number') return new Date(value).toISOString()
  if (typeof value === 'boolean') return value ? 't' : 'f'
  if (Array.isArray(value)) return `{${value.join(',')}}`
  if (typeof value === 'object') return escape(JSON.stringify(value))
  return escape(String(value))
}
function escape(s) {
  if (!/[\\\t\n\r]/.test(s)) return s
  return s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
}
/** Integers that must not be read as instants. */
class Int {
  constructor(n) {
    this.n = n
  }
}
/** A JSON value (jsonb), arrays included. */
class Json {
  constructor(v) {
    this.v = v
  }
}
function cellOf(v) {
  if (v instanceof Int) return String(v.n)
  if (v instanceof Json) return escape(JSON.stringify(v.v))
  return cell(v)
}

class Table {
  constructor(name, columns) {
    this.name = name
    this.columns = columns
    this.lines = []
    this.rows = 0
  }
  add(...values) {
    this.lines.push(values.map(cellOf).join('\t'))
    this.rows++
  }
  async copy(client) {
    if (this.lines.length === 0) return
    const stream = client.query(copyFrom(`COPY ${this.name} (${this.columns.join(', ')}) FROM STDIN`))
    const lines = this.lines
    this.lines = []
    async function* chunks() {
      for (let i = 0; i < lines.length; i += 2000) yield lines.slice(i, i + 2000).join('\n') + '\n'
    }
    await pipeline(Readable.from(chunks()), stream)
  }
}

/** Writes the places, QR codes, staff, memberships and residents. */
export async function createBase(client, base, seed, passwordHash, now) {
  const t = (name, cols) => new Table(name, cols)
  const place = t('place', ['id', 'kind', 'parent_id', 'name', 'sort_order', 'path', 'created_at'])
  const created = now - (SPAN_DAYS + 30) * DAY
  for (const p of base.places)
    place.add(p.id, p.kind, p.parentId, p.name, new Int(p.sortOrder), p.path, created)
  const qr = t('qr_code', ['token', 'unit_id', 'created_at'])
  for (const u of base.units) qr.add(u.token, u.id, created)
  const staff = t('staff', ['id', 'name', 'phone', 'password_hash', 'active', 'created_at'])
  for (const s of base.staff) staff.add(s.id, s.name, s.phone, passwordHash, true, created)
  const membership = t('membership', ['id', 'staff_id', 'place_id', 'role', 'created_at'])
  for (const m of base.memberships) membership.add(m.id, m.staffId, m.placeId, m.role, created)
  const resident = t('resident', ['id', 'device_secret_hash', 'created_at'])
  for (let r = 0; r < SHAPE.residents; r++) {
    resident.add(
      residentId(seed, r),
      createHash('sha256').update(residentSecret(seed, r)).digest('hex'),
      created + (r % 1000) * DAY * 0.7,
    )
  }
  for (const table of [place, qr, staff, membership, resident]) await table.copy(client)
}

const residentIds = new Map()
export function residentId(seed, r) {
  let id = residentIds.get(r)
  if (!id) {
    id = uuid(streamFor(seed, 3, r))
    residentIds.set(r, id)
  }
  return id
}
/** Resident r lives in unit r mod UNITS (2–3 households per unit). */
export function homeUnit(base, r) {
  return base.units[r % UNITS]
}

const CATEGORY_MIX = [
  ['sanitation', 18],
  ['facilities', 22],
  ['leak', 8],
  ['parking', 10],
  ['public_security', 3],
  ['group_rental', 2],
  ['fire_safety', 7],
  ['illegal_construction', 4],
  ['shops', 5],
  ['neighbor_dispute', 6],
  ['elderly_care', 5],
  ['suggestion', 5],
  ['other', 5],
]
const BY_CODE = new Map(CATEGORIES.map((c) => [c.code, c]))
const DESCRIPTIONS = {
  sanitation: ['楼道里垃圾堆了好几天没人清理', '垃圾桶满了，气味很大', '楼下草坪有狗屎'],
  facilities: ['楼道灯坏了，晚上很黑', '单元门禁打不开', '电梯经常停在半路'],
  leak: ['顶楼屋顶漏水，下雨天滴到客厅', '外墙渗水，墙皮脱落', '楼上管道漏水到我家卫生间'],
  parking: ['小区门口乱停车，救护车进不来', '消防通道被私家车堵住', '出入口早上堵得厉害'],
  public_security: ['最近有陌生人在楼道里转悠', '电瓶车被偷了'],
  group_rental: ['隔壁房子住了十几个人，疑似群租', '楼上被隔成好几间出租'],
  fire_safety: ['楼道里有人给电瓶车充电', '消防通道堆满杂物'],
  illegal_construction: ['一楼住户在绿地上搭棚子', '有人毁绿种菜'],
  shops: ['楼下饭店油烟很大', '商铺晚上噪音太吵'],
  neighbor_dispute: ['楼上晚上噪音很大，沟通无果', '邻居占用公共楼道'],
  elderly_care: ['独居老人需要助餐服务', '想请人帮忙代办医保'],
  suggestion: ['建议小区增加几张休息椅', '建议增加快递柜'],
  other: ['小区广播声音太大', '希望修一下健身器材'],
}
const TAGS = ['态度好', '速度快', '解决彻底', '沟通及时']
const ROLE_NAMES = {
  property_manager: '物业',
  traffic_police: '交警',
  police: '辖区民警',
  city_management: '城管',
  market_supervision: '市场监管',
  grid_lead: '网格长',
  self_management_lead: '居民自管小组组长',
}

export function createTables() {
  return {
    ticket: new Table('ticket', [
      'id',
      'number',
      'unit_id',
      'building_id',
      'compound_id',
      'category',
      'severity',
      'state',
      'state_before_wait',
      'channel',
      'description',
      'reporter_resident_id',
      'proxy_name',
      'proxy_phone',
      'proxy_staff_id',
      'room',
      'contact_consent',
      'handler_staff_id',
      'handler_role',
      'co_roles',
      'accept_by',
      'reply_by',
      'resolve_by',
      'promised_at',
      'next_due_at',
      'clock_started_at',
      'pauses',
      'accepted_at',
      'replied_at',
      'reply_plan',
      'resolved_at',
      'resolution_note',
      'closed_at',
      'rejection_reason',
      'escalation_level',
      'chase_count',
      'last_chased_at',
      'follower_count',
      'reopen_count',
      'created_at',
      'updated_at',
      'latest_stars',
    ]),
    event: new Table('ticket_event', [
      'ticket_id',
      'at',
      'actor_kind',
      'actor_id',
      'actor_role',
      'type',
      'public',
      'data',
    ]),
    timer: new Table('deadline_timer', [
      'ticket_id',
      'kind',
      'deadline_type',
      'deadline_at',
      'step',
      'fire_at',
      'status',
      'settled_at',
      'settled_by',
      'outcome',
      'created_at',
    ]),
    rating: new Table('ticket_rating', [
      'ticket_id',
      'stars',
      'tags',
      'comment',
      'via',
      'resident_id',
      'staff_id',
      'at',
    ]),
    coHandler: new Table('ticket_co_handler', ['ticket_id', 'staff_id', 'role', 'created_at']),
    follower: new Table('ticket_follower', ['ticket_id', 'resident_id', 'created_at']),
  }
}

/**
 * Request i: filed at a uniformly random instant of the last two years by a resident (skewed: a few file
 * often) or by staff for them (代录), routed to its category's lead role, then taken through its life as
 * far as `now`: accepted (15% late), replied with a promise (complex), resolved (15% late), rated by 70%
 * (10% of them 1–2 stars, reopened and resolved again), closed by the rating or 7 days later; 3% rejected,
 * 2% of the last 60 days stuck (never accepted or never resolved), 8% of open ones waiting for the resident.
 * Timers: for each deadline the request owed, the warning and overdue steps as they fired or were
 * cancelled; for the deadline it owes now, those still pending (shared planTimers).
 */
export function generateTicket(base, seed, now, i, out, numberOffset = 0) {
  const rand = streamFor(seed, KIND.ticket, i)
  const id = uuid(rand)
  const number = i + 1 + numberOffset
  const age = 60_000 + rand() * (SPAN_DAYS * DAY - 60_000)
  const created = Math.round((now - age) / 60_000) * 60_000
  const r = Math.floor(SHAPE.residents * Math.pow(rand(), 1.4))
  const proxy = rand() < 0.08
  const home = homeUnit(base, r)
  const compound = home.compound
  const unit = rand() < 0.85 ? home : pick(rand, compound.units)
  const code = weighted(rand, CATEGORY_MIX)
  const category = BY_CODE.get(code)
  const severity = category.severity
  const handler = compound.staff[category.leadRole]
  const gridLead = compound.staff.grid_lead
  const reporterId = proxy ? null : residentId(seed, r)
  const channel = proxy ? pick(rand, ['visit', 'phone', 'hotline', 'paper']) : rand() < 0.7 ? 'miniapp' : 'h5'
  const description = pick(rand, DESCRIPTIONS[code])
  const resident = { kind: 'resident', id: reporterId, role: null }
  const proxyActor = { kind: 'staff', id: gridLead.id, role: 'grid_lead' }
  const filer = proxy ? proxyActor : resident
  const staffActor = { kind: 'staff', id: handler.id, role: category.leadRole }
  const system = { kind: 'system', id: null, role: null }
  const events = []
  const event = (at, actor, type, isPublic, data) => events.push([at, actor, type, isPublic, data])
  event(created, filer, 'filed', true, { channel, photos: 0 })
  event(created, system, 'routed', true, {
    role: category.leadRole,
    reason: `责任清单：${category.label}由${ROLE_NAMES[category.leadRole]}牵头`,
    coHandlerRoles: category.coRoles,
  })
  for (const role of category.coRoles) out.coHandler.add(id, compound.staff[role].id, role, created)

  const first = filingDeadlines(created, severity)
  const acceptBy = first.acceptBy.getTime()
  const stuck = age < 60 * DAY && rand() < 0.02 ? (rand() < 0.5 ? 'accept' : 'resolve') : null
  const rejected = rand() < 0.03
  const late = () => rand() < 0.15
  let acceptedAt = late()
    ? acceptBy + rand() * 36 * HOUR
    : created + 60_000 + rand() * Math.max(0, acceptBy - created - 120_000)
  if (stuck === 'accept') acceptedAt = Infinity
  let replyAt = Infinity
  let promisedAt = null
  let resolvedAt = Infinity
  let replyBy = first.replyBy ? first.replyBy.getTime() : null
  if (!rejected && acceptedAt !== Infinity) {
    if (severity === 'complex') {
      replyAt = late()
        ? replyBy + rand() * 48 * HOUR
        : acceptedAt + rand() * Math.max(600_000, replyBy - acceptedAt)
      replyAt = Math.max(replyAt, acceptedAt + 600_000)
      promisedAt = Math.round(replyAt + (1 + rand() * 19) * DAY)
      resolvedAt = late() ? promisedAt + rand() * 5 * DAY : replyAt + rand() * (promisedAt - replyAt)
    } else {
      const due = first.resolveBy.getTime()
      resolvedAt = late()
        ? due + rand() * 48 * HOUR
        : acceptedAt + rand() * Math.max(1_800_000, due - acceptedAt)
    }
    resolvedAt = Math.max(resolvedAt, acceptedAt + 600_000)
    if (stuck === 'resolve') resolvedAt = Infinity
  }
  let rated = false
  let stars = 0
  let ratedAt = Infinity
  let reopened = false
  let resolved2At = Infinity
  let closedAt = Infinity
  if (resolvedAt !== Infinity) {
    rated = rand() < 0.7
    if (rated) {
      ratedAt = resolvedAt + rand() * 72 * HOUR
      stars = weighted(rand, [
        [5, 55],
        [4, 25],
        [3, 10],
        [2, 6],
        [1, 4],
      ])
      if (stars <= 2 && ratedAt > now - 10 * DAY) stars = 3
      if (stars <= 2) {
        reopened = true
        resolved2At = ratedAt + rand() * 48 * HOUR
        closedAt = autoCloseAt(new Date(resolved2At)).getTime()
      } else closedAt = ratedAt
    } else closedAt = autoCloseAt(new Date(resolvedAt)).getTime()
  }
  const at = (t) => t <= now

  // The state at `now`.
  let state
  if (!at(acceptedAt)) state = 'submitted'
  else if (rejected) state = 'rejected'
  else if (severity === 'complex' && !at(replyAt)) state = 'accepted'
  else if (!at(resolvedAt)) state = severity === 'complex' ? 'replied' : 'accepted'
  else if (!at(closedAt)) state = 'resolved'
  else state = 'closed'

  // Timeline as far as now.
  let last = created
  const happen = (t, actor, type, isPublic, data) => {
    if (!at(t)) return false
    event(t, actor, type, isPublic, data)
    last = Math.max(last, t)
    return true
  }
  let rejection = null
  if (rejected) {
    rejection = '不属于本小区受理范围，已告知居民联系相关部门'
    happen(acceptedAt, staffActor, 'rejected', true, { reason: rejection })
  } else {
    happen(acceptedAt, staffActor, 'accepted', true, {})
    if (severity === 'complex' && at(replyAt)) {
      happen(replyAt, staffActor, 'replied', true, {
        plan: '已安排人员现场查看，将按承诺时间处理完毕',
        promisedAt: new Date(promisedAt).toISOString(),
      })
    }
    happen(resolvedAt, staffActor, 'resolved', true, { note: '已处理完毕', photos: 0 })
    if (rated && at(ratedAt)) {
      const via = proxy ? 'callback' : 'resident'
      const rater = proxy ? proxyActor : resident
      out.rating.add(
        id,
        new Int(stars),
        stars >= 4 ? [pick(rand, TAGS)] : [],
        null,
        via,
        proxy ? null : reporterId,
        proxy ? gridLead.id : null,
        ratedAt,
      )
      happen(ratedAt, rater, 'rated', true, { stars, tags: [], via })
      if (reopened) {
        happen(ratedAt, rater, 'reopened', true, { stars })
        happen(resolved2At, staffActor, 'resolved', true, { note: '已再次处理', photos: 0 })
        happen(closedAt, system, 'closed', true, { auto: true, days: 7 })
      } else happen(ratedAt, rater, 'closed', true, { stars })
    } else if (!rated) happen(closedAt, system, 'closed', true, { auto: true, days: 7 })
  }
  let chaseCount = 0
  let lastChasedAt = null
  if (!proxy && rand() < 0.06) {
    const until = Math.min(resolvedAt, now)
    const t = created + rand() * (until - created)
    if (t > created + 2 * HOUR) {
      chaseCount = 1
      lastChasedAt = t
      event(t, resident, 'chased', true, { count: 1, overdue: false })
      last = Math.max(last, t)
    }
  }
  let followers = 0
  if (rand() < 0.03) {
    const neighbour =
      unit.compound.index * SHAPE.unitsPerCompound +
      Math.floor(rand() * SHAPE.unitsPerCompound) +
      UNITS * Math.floor(rand() * 2)
    if (neighbour !== r) {
      const t = created + rand() * Math.min(3 * DAY, now - created)
      out.follower.add(id, residentId(seed, neighbour), t)
      event(t, { kind: 'resident', id: residentId(seed, neighbour), role: null }, 'followed', false, {
        followers: 1,
      })
      followers = 1
    }
  }

  // Waiting for the resident (open, handled requests only): the clock stops.
  let stateBeforeWait = null
  let pauses = []
  if ((state === 'accepted' || state === 'replied') && stuck === null && rand() < 0.08) {
    const start = last + rand() * (now - last)
    stateBeforeWait = state
    state = 'waiting_resident'
    pauses = [{ start: new Date(start).toISOString(), end: null }]
    event(start, staffActor, 'waiting', true, { question: '请补充具体位置和照片' })
    last = start
  }
  const repliedNow = at(replyAt) ? new Date(promisedAt) : null
  const d =
    repliedNow || pauses.length > 0
      ? computeDeadlines({
          filedAt: new Date(created),
          severity,
          promisedAt: repliedNow,
          pauses: pauses.map((p) => ({ start: new Date(p.start), end: null })),
        })
      : first
  const row = {
    state,
    severity,
    acceptBy: d.acceptBy,
    replyBy: d.replyBy,
    resolveBy: d.resolveBy,
  }
  const nextDue = nextDeadline(row)
  let escalation = 0
  if (nextDue && nextDue.getTime() < now)
    escalation = Math.min(4, 1 + Math.floor((now - nextDue.getTime()) / DAY))

  // Timers.
  const settledBy = 'bench:0'
  const timer = (kind, window, deadline, step, fireAt, status, settledAt) =>
    out.timer.add(
      id,
      kind,
      window,
      deadline,
      new Int(step),
      fireAt,
      status,
      settledAt,
      status === 'pending' ? null : settledBy,
      status === 'cancelled' ? { reason: 'rescheduled' } : status === 'fired' ? { level: step } : null,
      Math.min(fireAt, created),
    )
  const finished = (window, start, deadline, metAt) => {
    const warnAt = start + 0.75 * (deadline - start)
    if (warnAt < metAt) timer('warning', window, deadline, 0, warnAt, 'fired', warnAt + 1000)
    else timer('warning', window, deadline, 0, warnAt, 'cancelled', metAt)
    if (metAt < deadline) timer('overdue', window, deadline, 1, deadline, 'cancelled', metAt)
    else {
      const steps = Math.min(6, 1 + Math.floor((metAt - deadline) / DAY))
      for (let s = 1; s <= steps; s++)
        timer(
          'overdue',
          window,
          deadline,
          s,
          deadline + (s - 1) * DAY,
          'fired',
          deadline + (s - 1) * DAY + 1000,
        )
      timer('overdue', window, deadline, steps + 1, deadline + steps * DAY, 'cancelled', metAt)
    }
  }
  if (at(acceptedAt)) finished('accept', created, acceptBy, acceptedAt)
  if (!rejected && severity === 'complex' && at(replyAt)) finished('reply', created, replyBy, replyAt)
  if (!rejected && at(resolvedAt)) {
    const deadline = severity === 'complex' ? promisedAt : first.resolveBy.getTime()
    finished('resolve', severity === 'complex' ? replyAt : created, deadline, resolvedAt)
    const closeAt = autoCloseAt(new Date(reopened ? resolved2At : resolvedAt)).getTime()
    if (state === 'resolved') timer('auto_close', null, closeAt, 0, closeAt, 'pending', null)
    else if (at(closedAt))
      timer(
        'auto_close',
        null,
        closeAt,
        0,
        closeAt,
        rated && !reopened ? 'cancelled' : 'fired',
        rated && !reopened ? ratedAt : closeAt + 1000,
      )
  }
  if (state !== 'resolved') {
    const plan = planTimers({
      state,
      severity,
      createdAt: new Date(created),
      clockStartedAt: new Date(created),
      repliedAt: at(replyAt) ? new Date(replyAt) : null,
      resolvedAt: null,
      promisedAt: repliedNow,
      acceptBy: d.acceptBy,
      replyBy: d.replyBy,
      resolveBy: d.resolveBy,
      pauses: pauses.map((p) => ({ start: new Date(p.start), end: null })),
    })
    for (const p of plan) {
      const fireAt = p.fireAt.getTime()
      const deadline = p.deadline.getTime()
      if (p.kind === 'warning')
        timer(
          'warning',
          p.window,
          deadline,
          0,
          fireAt,
          fireAt <= now ? 'fired' : 'pending',
          fireAt <= now ? fireAt + 1000 : null,
        )
      else if (fireAt > now) timer('overdue', p.window, deadline, 1, fireAt, 'pending', null)
      else {
        const steps = Math.min(10, 1 + Math.floor((now - deadline) / DAY))
        for (let s = 1; s <= steps; s++)
          timer(
            'overdue',
            p.window,
            deadline,
            s,
            deadline + (s - 1) * DAY,
            'fired',
            deadline + (s - 1) * DAY + 1000,
          )
        timer('overdue', p.window, deadline, steps + 1, deadline + steps * DAY, 'pending', null)
      }
    }
  }

  for (const [t, actor, type, isPublic, data] of events) {
    out.event.add(id, t, actor.kind, actor.id, actor.role, type, isPublic, data)
  }
  out.ticket.add(
    id,
    new Int(number),
    unit.id,
    unit.building.id,
    compound.id,
    code,
    severity,
    state,
    stateBeforeWait,
    channel,
    description,
    reporterId,
    proxy ? '王阿姨' : null,
    proxy ? '13900000000' : null,
    proxy ? gridLead.id : null,
    rand() < 0.6 ? `${1 + Math.floor(rand() * 6)}0${1 + Math.floor(rand() * 4)}` : null,
    rand() < 0.5,
    handler.id,
    category.leadRole,
    category.coRoles,
    d.acceptBy,
    d.replyBy,
    d.resolveBy,
    repliedNow,
    nextDue,
    created,
    new Json(pauses),
    at(acceptedAt) && !rejected ? acceptedAt : null,
    at(replyAt) ? replyAt : null,
    at(replyAt) ? '已安排人员现场查看，将按承诺时间处理完毕' : null,
    at(resolvedAt) ? (reopened && at(resolved2At) ? resolved2At : resolvedAt) : null,
    at(resolvedAt) ? '已处理完毕' : null,
    state === 'closed' ? closedAt : null,
    rejection,
    new Int(escalation),
    new Int(chaseCount),
    lastChasedAt,
    new Int(followers),
    new Int(reopened && at(ratedAt) ? 1 : 0),
    created,
    last,
    // Written with the request, as the rating trigger would set it; the trigger then finds nothing to do.
    rated && at(ratedAt) ? new Int(stars) : null,
  )
  return { state, reporter: r }
}

/** Loads requests [from, to) in chunks; returns rows written per table. */
export async function addTickets(clients, base, seed, now, from, to, log = () => {}) {
  const counts = { ticket: 0, event: 0, timer: 0, rating: 0, coHandler: 0, follower: 0 }
  const CHUNK = 25_000
  // Filings made while measuring took numbers from the sequence: generated numbers continue after them.
  const { max } = (await clients[0].query('SELECT coalesce(max(number), 0)::int AS max FROM ticket')).rows[0]
  const numberOffset = Math.max(0, max - from)
  let pending = null
  for (let start = from; start < to; start += CHUNK) {
    const out = createTables()
    const end = Math.min(to, start + CHUNK)
    for (let i = start; i < end; i++) generateTicket(base, seed, now, i, out, numberOffset)
    for (const key of Object.keys(counts)) counts[key] += out[key].rows
    // The previous chunk's other tables may still be streaming; tickets first (foreign keys), then the rest.
    await pending
    await out.ticket.copy(clients[0])
    pending = Promise.all([
      out.event.copy(clients[1]),
      out.timer.copy(clients[2]),
      (async () => {
        for (const t of [out.rating, out.coHandler, out.follower]) await t.copy(clients[3])
      })(),
    ])
    log(end)
  }
  await pending
  await clients[0].query(
    `SELECT setval(pg_get_serial_sequence('ticket', 'number'), (SELECT max(number) FROM ticket))`,
  )
  return counts
}
