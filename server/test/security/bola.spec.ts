/**
 * Broken object-level authorization. Every route that names an object (a path
 * parameter, or an id in the query) is called on objects of compound 1, resident A's in building 1, by
 * callers who must not reach them: a resident of building 2 of the same compound, a resident of another
 * compound, and one staff member of every role in another compound (another district, so its
 * supervisors and admin are foreign too). A 2xx is allowed only on routes that are public by design (the
 * route matrix's anonymous column answers 2xx) or on the few listed below with the reason; no body,
 * error or not, may carry compound 1's personal data. Each request is also sent once by its rightful
 * caller, which must succeed: a probe that fails for every caller proves nothing.
 *
 * Figure: `BOLA probes=N unexpected_2xx=0 foreign_bodies=0 controls_ok=K/K`.
 */
import { addLocalDays, defaultCalendar, localDateString, ROLES, type Role, type TicketState } from '@mq/shared'
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startTestApp, type TestApp } from '../app'
import {
  authHeader,
  makeCompound,
  makeResident,
  makeStaff,
  makeTicket,
  membershipPlace,
  staffPrincipal,
  uploadPhoto,
  type CompoundFixture,
} from '../factories'
import expected from '../route-matrix.json'
import { uploadVoice } from '../voice'
import { Open311KeysService } from '../../src/open311/open311-keys.service'
import { PlacesService } from '../../src/places/places.service'
import { ResourcesService } from '../../src/resources/resources.service'
import type { Resident } from '../../src/residents/resident.entity'
import { NeedsService } from '../../src/needs/needs.service'
import { StaffService } from '../../src/staff/staff.service'
import type { Staff } from '../../src/staff/staff.entity'
import { TicketWorkflowService } from '../../src/tickets/ticket-workflow.service'
import { VisitsService } from '../../src/visits/visits.service'

/** A caller as the factories sign them in (a handler is known by id only). */
type Who = { resident: Resident } | { staff: Staff }
interface Probe {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  url: string
  payload?: string | Record<string, unknown>
  /** The body a foreign caller sends instead of `payload` (e.g. the QR token of their own building). */
  foreignPayload?: (caller: string) => Record<string, unknown>
  headers?: Record<string, string>
  /** The caller this request is meant for: it must succeed for them. */
  owner: Who
}

/**
 * 2xx that is right for a foreign caller, with why. Routes public by design come from the route matrix.
 * (Following, 我也遇到了, is not among them: it needs the QR token of the request's building, and the
 * probe sends each caller's own building's token, which must not do.)
 */
const BY_DESIGN: Record<string, (caller: string) => boolean> = {
  // The unit's QR token is the key to its building's open requests (public fields only).
  'GET /api/requests/duplicates': (caller) => caller.startsWith('resident'),
  // A need is supported with a stairwell code of its compound: a resident of another building there is a
  // neighbour of the same compound, and the +1 is what the route is for (once per household).
  'POST /api/needs/{id}/support': (caller) => caller === 'resident of another building',
}

/** Resident A's room: personal data, and unlike a short number never part of an id. */
const ROOM = '越权楼1302室'

describe('BOLA: objects of one compound probed from outside it', () => {
  let t: TestApp
  let dataDir: string
  let c1: CompoundFixture
  let c2: CompoundFixture
  let residentA: Resident
  const c1Staff = new Map<Role, Staff>()
  const callers: { name: string; who: Who }[] = []
  /** The stairwell QR token each caller could have scanned: one of their own building (staff: compound 2's). */
  const ownToken = new Map<string, string>()
  /** A neighbour of resident A in building 1, who may follow A's request with the building's code. */
  let neighbour: Resident
  /** Compound 1's personal data: none of it may reach a foreign caller. */
  const secrets: string[] = []

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mq-bola-'))
    t = await startTestApp({ DATA_DIR: dataDir })
    c1 = await makeCompound(t, [2, 1])
    c2 = await makeCompound(t, [1])
    residentA = await makeResident(t, { name: '越权甲' })
    for (const role of ROLES)
      c1Staff.set(role, await makeStaff(t, role, membershipPlace(c1, role), `本区${role}`))
    secrets.push(
      residentA.phone!,
      residentA.openid!,
      residentA.name!,
      ...[...c1Staff.values()].map((s) => s.phone),
    )

    const otherBuilding = await makeResident(t, { name: '邻楼住户' })
    await makeTicket(t, { unit: c1.units[1][0], resident: otherBuilding })
    const otherCompound = await makeResident(t, { name: '外小区住户' })
    await makeTicket(t, { unit: c2.units[0][0], resident: otherCompound })
    neighbour = await makeResident(t, { name: '同楼邻居' })
    callers.push({ name: 'resident of another building', who: { resident: otherBuilding } })
    callers.push({ name: 'resident of another compound', who: { resident: otherCompound } })
    ownToken.set('resident of another building', c1.tokens[1][0])
    ownToken.set('resident of another compound', c2.tokens[0][0])
    for (const role of ROLES) {
      callers.push({
        name: `other compound ${role}`,
        who: { staff: await makeStaff(t, role, membershipPlace(c2, role), `外区${role}`) },
      })
      ownToken.set(`other compound ${role}`, c2.tokens[0][0])
    }
  })
  afterAll(async () => {
    await t.close()
    await rm(dataDir, { recursive: true, force: true })
  })

  const staff = (role: Role): Who => ({ staff: c1Staff.get(role)! })
  const admin = () => staff('admin')
  const resident = (): Who => ({ resident: residentA })
  const monthAgo = () => new Date(Date.now() - 30 * 86_400_000).toISOString()
  const idempotent = () => ({ 'idempotency-key': randomUUID() })

  /** A joint meeting of compound 1 planned by its 网格长 (and marked held). */
  async function meeting(held = false): Promise<string> {
    const { id } = (await made(staff('grid_lead'), 'POST', '/api/meetings', {
      compoundId: c1.compound.id,
      kind: 'nine_heads',
      title: '越权测试议事会',
      startsAt: new Date().toISOString(),
      place: '议事厅',
      attendeeRoles: ['grid_lead', 'property_manager'],
    })) as { id: string }
    if (held) await made(staff('grid_lead'), 'POST', `/api/meetings/${id}/held`)
    return id
  }
  const workday = () => defaultCalendar().nextWorkingDay(localDateString(new Date()))

  /** A request of resident A in building 1 (room 1302), and who handles it. */
  async function ticket(state: TicketState = 'submitted', category: 'facilities' | 'leak' = 'facilities') {
    const made = await makeTicket(t, {
      unit: c1.units[0][0],
      resident: residentA,
      category,
      state,
      room: ROOM,
    })
    const [row] = await t.dataSource.query<{ handler_staff_id: string }[]>(
      'SELECT handler_staff_id FROM ticket WHERE id = $1',
      [made.id],
    )
    return { id: made.id, handler: { staff: { id: row.handler_staff_id } as Staff } as Who }
  }

  /** A volunteer on compound 1's resources list, added by its 网格长; the contact is compound 1's personal data. */
  const VOLUNTEER = { name: '越权志愿者', phone: '13600004321' }
  async function volunteer(): Promise<string> {
    if (!secrets.includes(VOLUNTEER.name)) secrets.push(VOLUNTEER.name, VOLUNTEER.phone)
    const input = { compoundId: c1.compound.id, kind: 'volunteer' as const, name: `志愿者${randomUUID().slice(0, 4)}`, tags: ['陪诊'], openingHours: null, address: null, contactName: VOLUNTEER.name, contactPhone: VOLUNTEER.phone, availability: null }
    return (await t.app.get(ResourcesService).create(await staffPrincipal(t, c1Staff.get('grid_lead')!), input)).id
  }
  /** A volunteer set by compound 1's 网格长 to work on a request of resident A, owned by the role 物业. */
  async function resourceMatch(): Promise<string> {
    const input = { subject: 'ticket' as const, subjectId: (await ticket()).id, resourceIds: [await volunteer()], owner: { role: 'property_manager' as const }, targetDate: '2100-01-04', note: null }
    return (await t.app.get(ResourcesService).match(await staffPrincipal(t, c1Staff.get('grid_lead')!), input)).items[0].id
  }

  /** A household on compound 1's visit register; its people's name and phone are compound 1's personal data. */
  const VISIT_PERSON = { name: '越权走访户', phone: '13700009876' }
  async function visitHousehold(): Promise<string> {
    if (!secrets.includes(VISIT_PERSON.name)) secrets.push(VISIT_PERSON.name, VISIT_PERSON.phone)
    const gridLead = c1Staff.get('grid_lead')!
    const input = { unitId: c1.units[0][0].id, room: ROOM, people: [VISIT_PERSON], reasons: ['living_alone' as const], intervalDays: 7, assigneeStaffId: gridLead.id }
    return (await t.app.get(VisitsService).create(await staffPrincipal(t, gridLead), input, null)).id
  }
  async function visitOf(): Promise<string> {
    const input = { householdId: await visitHousehold(), kind: 'visit' as const, wellbeing: 'attention' as const, needsFound: '楼道扶手松了' }
    return (await t.app.get(VisitsService).logVisit(await staffPrincipal(t, c1Staff.get('grid_lead')!), input)).id
  }

  /** A call its rightful caller makes to set up a probe; its JSON answer (throws unless 2xx). */
  async function made(
    who: Who,
    method: 'GET' | 'POST',
    url: string,
    payload?: Record<string, unknown>,
  ): Promise<unknown> {
    const res = await t.app.inject({ method, url, payload, headers: await authHeader(t, who) })
    if (res.statusCode >= 300)
      throw new Error(`${method} ${url}: ${res.statusCode} ${res.body.slice(0, 160)}`)
    return res.body ? (res.json() as unknown) : null
  }
  /** A reply template kept at compound 1. */
  const template = async () =>
    (await made(admin(), 'POST', '/api/admin/reply-templates', {
      placeId: c1.compound.id,
      action: 'resolve',
      title: `模板${randomUUID().slice(0, 4)}`,
      text: '已处理完毕。',
    })) as { id: string }

  /** One request per route naming an object of compound 1. */
  const probes: Record<string, () => Promise<Probe>> = {
    'GET /api/places/by-token/{token}': async () => ({
      method: 'GET',
      url: `/api/places/by-token/${c1.tokens[0][0]}`,
      owner: resident(),
    }),
    'GET /api/board/{compoundId}': async () => ({
      method: 'GET',
      url: `/api/board/${c1.compound.id}`,
      owner: resident(),
    }),
    'GET /api/requests/duplicates': async () => ({
      method: 'GET',
      url: `/api/requests/duplicates?unitToken=${c1.tokens[0][0]}&category=facilities`,
      owner: resident(),
    }),
    'GET /api/metrics': async () => ({
      method: 'GET',
      url: `/api/metrics?compoundId=${c1.compound.id}&from=${monthAgo()}&to=${new Date().toISOString()}`,
      owner: staff('community_supervisor'),
    }),
    'GET /api/ledger.xlsx': async () => ({
      method: 'GET',
      url: `/api/ledger.xlsx?placeId=${c1.compound.id}&from=2020-01-01T00:00:00Z&to=2100-01-01T00:00:00Z`,
      owner: staff('community_supervisor'),
    }),
    'GET /api/requests/{id}': async () => {
      const x = await ticket()
      return { method: 'GET', url: `/api/requests/${x.id}`, owner: x.handler }
    },
    'GET /api/requests/{id}/candidates': async () => {
      const x = await ticket()
      return { method: 'GET', url: `/api/requests/${x.id}/candidates`, owner: x.handler }
    },
    'GET /api/requests/{id}/photos/{photoId}': async () => {
      const photoId = await uploadPhoto(t, { resident: residentA })
      const made = await makeTicket(t, { unit: c1.units[0][0], resident: residentA, photoIds: [photoId] })
      return { method: 'GET', url: `/api/requests/${made.id}/photos/${photoId}`, owner: resident() }
    },
    'GET /api/requests/{id}/voice/{voiceId}': async () => {
      const made = await makeTicket(t, { unit: c1.units[0][0], resident: residentA })
      const voiceId = await uploadVoice(t, resident())
      const sent = await t.app.inject({
        method: 'POST',
        url: `/api/requests/${made.id}/messages`,
        payload: { voiceNoteId: voiceId },
        headers: await authHeader(t, resident()),
      })
      if (sent.statusCode !== 200) throw new Error(`voice message: ${sent.statusCode} ${sent.body}`)
      return { method: 'GET', url: `/api/requests/${made.id}/voice/${voiceId}`, owner: staff('grid_lead') }
    },
    'POST /api/requests/{id}/chase': async () => ({
      method: 'POST',
      url: `/api/requests/${(await ticket()).id}/chase`,
      owner: resident(),
    }),
    'POST /api/requests/{id}/rating': async () => ({
      method: 'POST',
      url: `/api/requests/${(await ticket('resolved')).id}/rating`,
      payload: { stars: 5 },
      owner: resident(),
    }),
    'POST /api/requests/{id}/follow': async () => ({
      method: 'POST',
      url: `/api/requests/${(await ticket()).id}/follow`,
      payload: { token: c1.tokens[0][0] },
      foreignPayload: (caller) => ({ token: ownToken.get(caller)! }),
      owner: { resident: neighbour },
    }),
    'POST /api/requests/{id}/accept': async () => {
      const x = await ticket()
      return { method: 'POST', url: `/api/requests/${x.id}/accept`, payload: {}, owner: x.handler }
    },
    'POST /api/requests/{id}/reply': async () => {
      const x = await ticket('accepted', 'leak')
      const promisedAt = new Date(Date.now() + 7 * 86_400_000).toISOString()
      return {
        method: 'POST',
        url: `/api/requests/${x.id}/reply`,
        payload: { plan: '更换水管', promisedAt },
        owner: x.handler,
      }
    },
    'POST /api/requests/{id}/resolve': async () => {
      const x = await ticket('accepted')
      return {
        method: 'POST',
        url: `/api/requests/${x.id}/resolve`,
        payload: { note: '已修好' },
        owner: x.handler,
      }
    },
    'POST /api/requests/{id}/reject': async () => {
      const x = await ticket()
      return {
        method: 'POST',
        url: `/api/requests/${x.id}/reject`,
        payload: { reason: '不属于本系统' },
        owner: x.handler,
      }
    },
    'POST /api/requests/{id}/transfer': async () => {
      const x = await ticket()
      return {
        method: 'POST',
        url: `/api/requests/${x.id}/transfer`,
        payload: { toRole: 'police', reason: '涉及治安' },
        owner: x.handler,
      }
    },
    'POST /api/requests/{id}/co-handlers': async () => {
      const x = await ticket()
      return {
        method: 'POST',
        url: `/api/requests/${x.id}/co-handlers`,
        payload: { staffId: c1Staff.get('liaison')!.id },
        owner: x.handler,
      }
    },
    'DELETE /api/requests/{id}/co-handlers/{staffId}': async () => {
      const x = await ticket()
      const liaison = c1Staff.get('liaison')!.id
      const handler = await staffPrincipal(t, (x.handler as { staff: { id: string } }).staff.id)
      await t.app.get(TicketWorkflowService).addCoHandler(handler, x.id, liaison, null)
      return { method: 'DELETE', url: `/api/requests/${x.id}/co-handlers/${liaison}`, owner: x.handler }
    },
    'POST /api/requests/{id}/wait': async () => {
      const x = await ticket('accepted')
      return {
        method: 'POST',
        url: `/api/requests/${x.id}/wait`,
        payload: { question: '请补充照片' },
        owner: x.handler,
      }
    },
    'POST /api/requests/{id}/resume': async () => {
      const x = await ticket('waiting_resident')
      return { method: 'POST', url: `/api/requests/${x.id}/resume`, payload: {}, owner: x.handler }
    },
    'POST /api/requests/{id}/merge': async () => {
      const x = await ticket()
      return {
        method: 'POST',
        url: `/api/requests/${x.id}/merge`,
        payload: { intoId: (await ticket()).id },
        owner: x.handler,
      }
    },
    'POST /api/requests/{id}/messages': async () => ({
      method: 'POST',
      url: `/api/requests/${(await ticket()).id}/messages`,
      payload: { text: '灯在三楼' },
      owner: resident(),
    }),
    'POST /api/requests/{id}/withdraw': async () => ({
      method: 'POST',
      url: `/api/requests/${(await ticket()).id}/withdraw`,
      payload: {},
      owner: resident(),
    }),
    'POST /api/requests/{id}/staff-messages': async () => {
      const x = await ticket()
      return {
        method: 'POST',
        url: `/api/requests/${x.id}/staff-messages`,
        payload: { text: '师傅下午到' },
        owner: x.handler,
      }
    },
    'POST /api/requests/{id}/notes': async () => {
      const x = await ticket()
      return {
        method: 'POST',
        url: `/api/requests/${x.id}/notes`,
        payload: { text: '已电话联系' },
        owner: x.handler,
      }
    },
    'POST /api/requests/{id}/extend': async () => ({
      method: 'POST',
      url: `/api/requests/${(await ticket('replied', 'leak')).id}/extend`,
      payload: {
        promisedAt: new Date(Date.now() + 40 * 86_400_000).toISOString(),
        reason: '需要业委会表决维修基金',
      },
      owner: staff('community_supervisor'),
    }),
    'POST /api/requests/{id}/reassign': async () => ({
      method: 'POST',
      url: `/api/requests/${(await ticket()).id}/reassign`,
      payload: { toRole: 'grid_lead', reason: '请网格长协调' },
      owner: staff('community_supervisor'),
    }),
    'PATCH /api/requests/{id}/public-summary': async () => ({
      method: 'PATCH',
      url: `/api/requests/${(await ticket('resolved')).id}/public-summary`,
      payload: { resolution: '已更换楼道灯' },
      owner: staff('community_supervisor'),
    }),
    'GET /api/admin/compounds/{compoundId}/routing/rules': async () => ({
      method: 'GET',
      url: `/api/admin/compounds/${c1.compound.id}/routing/rules`,
      owner: admin(),
    }),
    'PUT /api/admin/compounds/{compoundId}/routing/rules/{category}': async () => ({
      method: 'PUT',
      url: `/api/admin/compounds/${c1.compound.id}/routing/rules/sanitation`,
      payload: { leadRole: 'property_manager', coRoles: [], severity: 'simple' },
      owner: admin(),
    }),
    'DELETE /api/admin/compounds/{compoundId}/routing/rules/{category}': async () => ({
      method: 'DELETE',
      url: `/api/admin/compounds/${c1.compound.id}/routing/rules/sanitation`,
      owner: admin(),
    }),
    'GET /api/admin/compounds/{compoundId}/routing/dry-run': async () => ({
      method: 'GET',
      url: `/api/admin/compounds/${c1.compound.id}/routing/dry-run?unitId=${c1.units[0][0].id}&category=facilities`,
      owner: admin(),
    }),
    'GET /api/admin/compounds/{compoundId}/deadline-settings': async () => ({
      method: 'GET',
      url: `/api/admin/compounds/${c1.compound.id}/deadline-settings`,
      owner: admin(),
    }),
    'PUT /api/admin/compounds/{compoundId}/deadline-settings': async () => ({
      method: 'PUT',
      url: `/api/admin/compounds/${c1.compound.id}/deadline-settings`,
      payload: { acceptWithinMinutes: 30 },
      owner: admin(),
    }),
    'GET /api/admin/staff/{id}': async () => ({
      method: 'GET',
      url: `/api/admin/staff/${c1Staff.get('liaison')!.id}`,
      owner: admin(),
    }),
    'PATCH /api/admin/staff/{id}': async () => {
      const target = await makeStaff(t, 'liaison', c1.compound, '越权目标')
      secrets.push(target.phone)
      return {
        method: 'PATCH',
        url: `/api/admin/staff/${target.id}`,
        payload: { name: '越权目标' },
        owner: admin(),
      }
    },
    'POST /api/admin/staff/{id}/password': async () => {
      const target = await makeStaff(t, 'liaison', c1.compound, '改密目标')
      secrets.push(target.phone)
      return {
        method: 'POST',
        url: `/api/admin/staff/${target.id}/password`,
        payload: { password: 'Bola@20260' },
        owner: admin(),
      }
    },
    'POST /api/admin/staff/{id}/memberships': async () => {
      const target = await makeStaff(t, 'liaison', c1.compound, '加岗目标')
      secrets.push(target.phone)
      return {
        method: 'POST',
        url: `/api/admin/staff/${target.id}/memberships`,
        payload: { placeId: c1.buildings[1].id, role: 'building_lead' },
        owner: admin(),
      }
    },
    'DELETE /api/admin/staff/{id}/memberships/{membershipId}': async () => {
      const target = await makeStaff(t, 'liaison', c1.compound, '减岗目标')
      secrets.push(target.phone)
      const membership = await t.app
        .get(StaffService)
        .addMembership({ staffId: target.id, placeId: c1.buildings[1].id, role: 'property_manager' })
      return {
        method: 'DELETE',
        url: `/api/admin/staff/${target.id}/memberships/${membership.id}`,
        owner: admin(),
      }
    },
    'GET /api/posters/units/{unitId}.svg': async () => ({
      method: 'GET',
      url: `/api/posters/units/${c1.units[0][0].id}.svg`,
      owner: admin(),
    }),
    'GET /api/posters/units/{unitId}.png': async () => ({
      method: 'GET',
      url: `/api/posters/units/${c1.units[0][0].id}.png`,
      owner: admin(),
    }),
    'GET /api/posters/compounds/{compoundId}.pdf': async () => ({
      method: 'GET',
      url: `/api/posters/compounds/${c1.compound.id}.pdf`,
      owner: admin(),
    }),
    'PATCH /api/admin/places/{id}': async () => ({
      method: 'PATCH',
      url: `/api/admin/places/${c1.buildings[1].id}`,
      payload: { sortOrder: 7 },
      owner: admin(),
    }),
    'POST /api/admin/places/{id}/retire': async () => {
      const spare = await t.app
        .get(PlacesService)
        .create({ kind: 'building', name: '待停用', parent: c1.compound })
      return { method: 'POST', url: `/api/admin/places/${spare.id}/retire`, owner: admin() }
    },
    'POST /api/admin/places/{id}/import': async () => ({
      method: 'POST',
      url: `/api/admin/places/${c1.compound.id}/import`,
      headers: { 'content-type': 'text/csv' },
      payload: '楼栋,单元\n9幢,1单元\n',
      owner: admin(),
    }),
    'POST /api/admin/places/{id}/qr': async () => {
      const unit = await t.app
        .get(PlacesService)
        .create({ kind: 'unit', name: '换码', parent: c1.buildings[1] })
      return { method: 'POST', url: `/api/admin/places/${unit.id}/qr`, owner: admin() }
    },
    'POST /api/notifications/{id}/read': async () => {
      const x = await ticket()
      const [row] = await t.dataSource.query<{ id: string }[]>(
        `INSERT INTO notification_outbox (dedupe_key, recipient_kind, recipient_id, type, ticket_id, status, next_attempt_at)
         VALUES ($1, 'staff', $2, 'assigned', $3, 'skipped', now()) RETURNING id`,
        [`bola:${randomUUID()}`, c1Staff.get('grid_lead')!.id, x.id],
      )
      return { method: 'POST', url: `/api/notifications/${row.id}/read`, owner: staff('grid_lead') }
    },
    'POST /api/admin/notifications/{id}/retry': async () => {
      const x = await ticket()
      const [row] = await t.dataSource.query<{ id: string }[]>(
        `INSERT INTO notification_outbox (dedupe_key, recipient_kind, recipient_id, type, ticket_id, status, attempts, next_attempt_at, last_error)
         VALUES ($1, 'resident', $2, 'accepted', $3, 'failed', 8, now(), 'errcode -1 system error') RETURNING id`,
        [`bola:${randomUUID()}`, residentA.id, x.id],
      )
      return { method: 'POST', url: `/api/admin/notifications/${row.id}/retry`, owner: admin() }
    },
    'GET /api/board/{compoundId}/report': async () => ({
      method: 'GET',
      url: `/api/board/${c1.compound.id}/report`,
      owner: resident(),
    }),
    'GET /api/board/{compoundId}/report.pdf': async () => ({
      method: 'GET',
      url: `/api/board/${c1.compound.id}/report.pdf`,
      owner: resident(),
    }),
    'PUT /api/metrics/ranking-weights/{districtId}': async () => ({
      method: 'PUT',
      url: `/api/metrics/ranking-weights/${c1.district.id}`,
      payload: { response: 30, resolution: 40, satisfaction: 30 },
      owner: staff('district_supervisor'),
    }),
    'GET /api/admin/places/{placeId}/calendar': async () => ({
      method: 'GET',
      url: `/api/admin/places/${c1.compound.id}/calendar`,
      owner: admin(),
    }),
    'POST /api/admin/places/{placeId}/calendar/overrides': async () => ({
      method: 'POST',
      url: `/api/admin/places/${c1.compound.id}/calendar/overrides`,
      payload: { date: localDateString(addLocalDays(Date.now(), 40)), working: false, reason: '台风停工' },
      owner: admin(),
    }),
    'DELETE /api/admin/places/{placeId}/calendar/overrides/{date}': async () => {
      const date = localDateString(addLocalDays(Date.now(), 41))
      await made(admin(), 'POST', `/api/admin/places/${c1.compound.id}/calendar/overrides`, {
        date,
        working: false,
        reason: '台风停工',
      })
      return {
        method: 'DELETE',
        url: `/api/admin/places/${c1.compound.id}/calendar/overrides/${date}`,
        owner: admin(),
      }
    },
    'GET /api/admin/compounds/{compoundId}/reply-templates': async () => ({
      method: 'GET',
      url: `/api/admin/compounds/${c1.compound.id}/reply-templates`,
      owner: admin(),
    }),
    'PUT /api/admin/reply-templates/{id}': async () => {
      const { id } = await template()
      return {
        method: 'PUT',
        url: `/api/admin/reply-templates/${id}`,
        payload: { action: 'accept', title: '已受理', text: '您反映的{编号}已受理。' },
        owner: admin(),
      }
    },
    'DELETE /api/admin/reply-templates/{id}': async () => {
      const { id } = await template()
      return { method: 'DELETE', url: `/api/admin/reply-templates/${id}`, owner: admin() }
    },
    'GET /api/requests/{id}/reply-templates': async () => {
      const x = await ticket()
      return { method: 'GET', url: `/api/requests/${x.id}/reply-templates?action=accept`, owner: x.handler }
    },
    'GET /api/admin/places/{placeId}/urgent-list': async () => ({
      method: 'GET',
      url: `/api/admin/places/${c1.compound.id}/urgent-list`,
      owner: admin(),
    }),
    'PUT /api/admin/places/{placeId}/urgent-list': async () => ({
      method: 'PUT',
      url: `/api/admin/places/${c1.compound.id}/urgent-list`,
      payload: { addWords: ['井盖'], propertyPhone: '0571-88886666' },
      owner: admin(),
    }),
    'GET /api/admin/compounds/{compoundId}/after-photo-settings': async () => ({
      method: 'GET',
      url: `/api/admin/compounds/${c1.compound.id}/after-photo-settings`,
      owner: admin(),
    }),
    'PUT /api/admin/compounds/{compoundId}/after-photo-settings': async () => ({
      method: 'PUT',
      url: `/api/admin/compounds/${c1.compound.id}/after-photo-settings`,
      payload: { categories: ['facilities'] },
      owner: admin(),
    }),
    // Compound 1's resources list (资源清单): a volunteer's contact is its personal data.
    'GET /api/resources': async () => ({ method: 'GET', url: `/api/resources?compoundId=${c1.compound.id}`, owner: staff('police') }),
    'GET /api/resources/{id}': async () => ({ method: 'GET', url: `/api/resources/${await volunteer()}`, owner: staff('grid_lead') }),
    'PATCH /api/resources/{id}': async () => ({
      method: 'PATCH',
      url: `/api/resources/${await volunteer()}`,
      payload: { availability: '周末全天' },
      owner: staff('grid_lead'),
    }),
    'POST /api/resources/compounds/{compoundId}/import': async () => ({
      method: 'POST',
      url: `/api/resources/compounds/${c1.compound.id}/import`,
      headers: { 'content-type': 'text/csv' },
      payload: '类型,名称,开放时间\n场地,越权活动室,每天 8:00-20:00\n',
      owner: admin(),
    }),
    'GET /api/resources/matches': async () => ({
      method: 'GET',
      url: `/api/resources/matches?subject=ticket&subjectId=${(await ticket()).id}`,
      owner: staff('police'),
    }),
    'POST /api/resources/matches': async () => ({
      method: 'POST',
      url: '/api/resources/matches',
      payload: { subject: 'ticket', subjectId: (await ticket()).id, resourceIds: [await volunteer()], owner: { role: 'property_manager' }, targetDate: '2100-01-04' },
      owner: staff('grid_lead'),
    }),
    'POST /api/resources/matches/{id}/done': async () => ({
      method: 'POST',
      url: `/api/resources/matches/${await resourceMatch()}/done`,
      payload: { note: '已上门陪诊' },
      owner: staff('property_manager'),
    }),
    // A 重点问题 of compound 1 (three requests of one category in one building), adopted by its supervisor.
    'POST /api/recurring/{id}/progress': async () => {
      for (let i = 0; i < 3; i++)
        await makeTicket(t, { unit: c1.units[1][0], resident: residentA, category: 'parking' })
      const list = await made(
        staff('community_supervisor'),
        'GET',
        `/api/recurring?compoundId=${c1.compound.id}`,
      )
      const { key } = (list as { proposed: { key: string; category: string | null }[] }).proposed.find(
        (p) => p.category === 'parking',
      )!
      const adopted = await made(staff('community_supervisor'), 'POST', '/api/recurring/adopt', {
        compoundId: c1.compound.id,
        key,
        ownerRole: 'property_manager',
        plan: '划定临时停车位',
        targetDate: '2027-03-31',
      })
      return {
        method: 'POST',
        url: `/api/recurring/${(adopted as { id: string }).id}/progress`,
        payload: { note: '已划线二十个车位' },
        owner: staff('community_supervisor'),
      }
    },
    // Joint meetings of compound 1, planned (and held) by its 网格长; a decision owned by the role 物业.
    'GET /api/meetings/{id}': async () => ({ method: 'GET', url: `/api/meetings/${await meeting()}`, owner: staff('police') }),
    'GET /api/meetings/{id}/candidates': async () => ({
      method: 'GET',
      url: `/api/meetings/${await meeting()}/candidates`,
      owner: staff('grid_lead'),
    }),
    'POST /api/meetings/{id}/agenda': async () => ({
      method: 'POST',
      url: `/api/meetings/${await meeting()}/agenda`,
      payload: { source: 'request', id: (await ticket('submitted', 'leak')).id },
      owner: staff('grid_lead'),
    }),
    'POST /api/meetings/{id}/held': async () => ({ method: 'POST', url: `/api/meetings/${await meeting()}/held`, owner: staff('compound_secretary') }),
    'POST /api/meetings/{id}/decisions': async () => ({
      method: 'POST',
      url: `/api/meetings/${await meeting(true)}/decisions`,
      payload: { agendaItemId: null, ownerRole: 'property_manager', targetDate: workday(), publicSummary: '物业两周内修好车棚顶' },
      owner: staff('grid_lead'),
    }),
    'POST /api/meetings/decisions/{decisionId}/done': async () => {
      const detail = (await made(staff('grid_lead'), 'POST', `/api/meetings/${await meeting(true)}/decisions`, {
        agendaItemId: null,
        ownerRole: 'property_manager',
        targetDate: workday(),
        publicSummary: '物业两周内修好车棚顶',
      })) as { decisions: { id: string }[] }
      return {
        method: 'POST',
        url: `/api/meetings/decisions/${detail.decisions[0].id}/done`,
        payload: { note: '车棚顶已修好' },
        owner: staff('property_manager'),
      }
    },
    'GET /api/meetings/{id}/minutes.pdf': async () => ({
      method: 'GET',
      url: `/api/meetings/${await meeting()}/minutes.pdf`,
      owner: staff('building_lead'),
    }),
    // The visit register of compound 1: a household (unit 1-1) whose grid worker is c1's 网格长, and a visit.
    'GET /api/visits/households': async () => {
      await visitHousehold()
      return { method: 'GET', url: `/api/visits/households?compoundId=${c1.compound.id}`, owner: staff('grid_lead') }
    },
    'GET /api/visits/households/{id}': async () => ({
      method: 'GET',
      url: `/api/visits/households/${await visitHousehold()}`,
      owner: staff('grid_lead'),
    }),
    'PATCH /api/visits/households/{id}': async () => ({
      method: 'PATCH',
      url: `/api/visits/households/${await visitHousehold()}`,
      payload: { intervalDays: 5 },
      owner: staff('property_manager'),
    }),
    'DELETE /api/visits/households/{id}': async () => ({
      method: 'DELETE',
      url: `/api/visits/households/${await visitHousehold()}`,
      owner: staff('self_management_lead'),
    }),
    'POST /api/visits/{id}/request': async () => ({
      method: 'POST',
      url: `/api/visits/${await visitOf()}/request`,
      payload: { category: 'facilities' },
      owner: staff('grid_lead'),
    }),
    'POST /api/visits/{id}/need': async () => ({
      method: 'POST',
      url: `/api/visits/${await visitOf()}/need`,
      payload: { title: '楼道扶手' },
      owner: staff('grid_lead'),
    }),
    'GET /api/compounds/{compoundId}/needs': async () => ({
      method: 'GET',
      url: `/api/compounds/${c1.compound.id}/needs`,
      owner: resident(),
    }),
    // A need of compound 1 entered by its 网格长: +1 takes the caller's own stairwell code.
    'POST /api/needs/{id}/support': async () => {
      const need = await t.app.get(NeedsService).create({
        source: 'staff',
        compoundId: c1.compound.id,
        title: '越权需求',
        description: '',
        createdBy: { kind: 'staff', staffId: c1Staff.get('grid_lead')!.id },
      })
      return {
        method: 'POST',
        url: `/api/needs/${need.id}/support`,
        payload: { unitToken: c1.tokens[0][0] },
        foreignPayload: (caller) => ({ unitToken: ownToken.get(caller)! }),
        owner: resident(),
      }
    },
    'POST /api/needs/{id}/status': async () => {
      const need = await t.app.get(NeedsService).create({
        source: 'staff',
        compoundId: c1.compound.id,
        title: '越权需求',
        description: '',
        createdBy: { kind: 'staff', staffId: c1Staff.get('grid_lead')!.id },
      })
      return { method: 'POST', url: `/api/needs/${need.id}/status`, payload: { status: 'planned' }, owner: staff('grid_lead') }
    },
    // Resident A's 意见建议 (room 1302): its 网格长 turns it into a need; the need's text carries no room.
    'POST /api/needs/from-request/{ticketId}': async () => {
      const made = await makeTicket(t, { unit: c1.units[0][0], resident: residentA, category: 'suggestion', room: ROOM })
      return { method: 'POST', url: `/api/needs/from-request/${made.id}`, payload: { title: '越权转需求' }, owner: staff('grid_lead') }
    },
    'POST /api/admin/open311/keys/{id}/revoke': async () => {
      const key = await t.app.get(Open311KeysService).issue(await staffPrincipal(t, c1Staff.get('admin')!), {
        name: '越权合作方',
        placeId: c1.compound.id,
      })
      return { method: 'POST', url: `/api/admin/open311/keys/${key.id}/revoke`, owner: admin() }
    },
  }

  it('no foreign caller reaches an object of compound 1, and no body carries its personal data', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<string, Record<string, unknown>>
    }
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
    )
    // Every route with a path parameter has a probe (a new one fails here until it gets one).
    expect(routes.filter((r) => r.includes('{') && !probes[r])).toEqual([])
    expect(Object.keys(probes).filter((r) => !routes.includes(r))).toEqual([])

    const table = expected.routes as Record<string, Record<string, number>>
    const isPublic = (route: string) => (table[route]?.anonymous ?? 0) < 300
    let sent = 0
    let controlsOk = 0
    let byDesign = 0
    let ownerSawSecrets = 0
    const unexpected: string[] = []
    const foreign: string[] = []
    const failedControls: string[] = []
    secrets.push(ROOM)

    for (const route of Object.keys(probes)) {
      const probe = await probes[route]()
      for (const caller of callers) {
        const res = await t.app.inject({
          method: probe.method,
          url: probe.url,
          payload: probe.foreignPayload?.(caller.name) ?? probe.payload,
          headers: { ...(await authHeader(t, caller.who)), ...idempotent(), ...(probe.headers ?? {}) },
        })
        sent++
        const ok = res.statusCode >= 200 && res.statusCode < 300
        if (ok && !isPublic(route)) {
          if (BY_DESIGN[route]?.(caller.name)) byDesign++
          else unexpected.push(`${route} as ${caller.name}: ${res.statusCode} ${res.body.slice(0, 120)}`)
        }
        const type = String(res.headers['content-type'] ?? '')
        if (/json|text|svg|csv/.test(type)) {
          const hits = secrets.filter((s) => res.body.includes(s))
          if (hits.length) foreign.push(`${route} as ${caller.name}: ${hits.join(', ')}`)
        }
      }
      // The rightful caller: the same request succeeds, so the refusals above were about who asked.
      const control = await t.app.inject({
        method: probe.method,
        url: probe.url,
        payload: probe.payload,
        headers: { ...(await authHeader(t, probe.owner)), ...idempotent(), ...(probe.headers ?? {}) },
      })
      if (secrets.some((secret) => control.body.includes(secret))) ownerSawSecrets++
      if (control.statusCode >= 200 && control.statusCode < 300) controlsOk++
      else failedControls.push(`${route}: ${control.statusCode} ${control.body.slice(0, 160)}`)
    }

    const controls = Object.keys(probes).length
    console.log(
      `BOLA probes=${sent} unexpected_2xx=${unexpected.length} foreign_bodies=${foreign.length} ` +
        `controls_ok=${controlsOk}/${controls} by_design_2xx=${byDesign} (callers=${callers.length}, routes=${controls})`,
    )
    expect({ unexpected, foreign, failedControls }).toEqual({
      unexpected: [],
      foreign: [],
      failedControls: [],
    })
    expect(sent).toBe(callers.length * controls)
    // The body check is live: the rightful callers (a 物业 handler reading the request…) did get them.
    expect(ownerSawSecrets).toBeGreaterThan(0)
  }, 300_000)
})
