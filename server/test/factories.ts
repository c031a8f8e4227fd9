import { randomBytes, randomUUID } from 'node:crypto'
import type { CategoryCode, Channel, Role, Severity, TicketState, TokenPair } from '@mq/shared'
import type { DataSource } from 'typeorm'
import type { ResidentPrincipal, StaffPrincipal } from '../src/auth/principal'
import { Clock } from '../src/common/clock'
import { TokenService } from '../src/auth/token.service'
import { PlacesService } from '../src/places/places.service'
import type { Place } from '../src/places/place.entity'
import { Resident } from '../src/residents/resident.entity'
import { StaffService } from '../src/staff/staff.service'
import type { Staff } from '../src/staff/staff.entity'
import { Ticket } from '../src/tickets/ticket.entity'
import { TicketWorkflowService } from '../src/tickets/ticket-workflow.service'
import { TicketsService } from '../src/tickets/tickets.service'
import type { TestApp } from './app'

/** What the factories need: the whole app (`startTestApp`) or some modules (`startTestModule`). */
type TestContext = Pick<TestApp, 'app' | 'dataSource'>

export interface CompoundFixture {
  district: Place
  street: Place
  community: Place
  compound: Place
  buildings: Place[]
  /** units[b][u]: unit u of building b. */
  units: Place[][]
  tokens: string[][]
}

const unique = () => randomUUID().slice(0, 8)

/** A compound with its own district/street/community and `shape[b]` units in building b. */
export async function makeCompound(t: TestContext, shape: number[] = [2, 2]): Promise<CompoundFixture> {
  const places = t.app.get(PlacesService)
  const district = await places.create({ kind: 'district', name: `测试区${unique()}`, parent: null })
  const street = await places.create({ kind: 'street', name: '测试街道', parent: district })
  const community = await places.create({ kind: 'community', name: '测试社区', parent: street })
  const compound = await places.create({ kind: 'compound', name: `测试小区${unique()}`, parent: community })
  const buildings: Place[] = []
  const units: Place[][] = []
  const tokens: string[][] = []
  for (const [b, count] of shape.entries()) {
    const building = await places.create({ kind: 'building', name: `${b + 1}幢`, parent: compound, sortOrder: b })
    buildings.push(building)
    units.push([])
    tokens.push([])
    for (let u = 1; u <= count; u++) {
      const unit = await places.create({ kind: 'unit', name: `${u}单元`, parent: building, sortOrder: u })
      units[b].push(unit)
      tokens[b].push((await places.issueQrToken(unit.id)).token)
    }
  }
  return { district, street, community, compound, buildings, units, tokens }
}

let phoneSeq = Math.floor(Math.random() * 1e6)

/** A fresh, valid mobile number with the given prefix (unique within the run). */
export function newPhone(prefix = '139'): string {
  return `${prefix}${String(phoneSeq++ % 1e8).padStart(8, '0')}`
}

/** The password of every factory-made staff account. */
export const TEST_PASSWORD = 'Test@12345'

/** A staff member with one membership. */
export async function makeStaff(t: TestContext, role: Role, place: Place, name = `测试${role}`): Promise<Staff> {
  const staff = t.app.get(StaffService)
  const phone = newPhone()
  const person = await staff.create({ name, phone, password: TEST_PASSWORD })
  await staff.addMembership({ staffId: person.id, placeId: place.id, role })
  return person
}

/** An openid shaped like WeChat's: 28 characters starting with "o". */
export function newOpenid(): string {
  return `o${randomBytes(21).toString('base64url').slice(0, 27)}`
}

/** A resident as the mini-app creates them (openid), with a name and phone unless told otherwise. */
export async function makeResident(
  t: TestContext,
  fields: Partial<Pick<Resident, 'openid' | 'name' | 'phone'>> = {},
): Promise<Resident> {
  const repo = t.dataSource.getRepository(Resident)
  return repo.save(
    repo.create({ openid: newOpenid(), name: '测试居民', phone: newPhone('137'), deviceSecretHash: null, ...fields }),
  )
}

/** A request filed in `unit` by a resident, or as a proxy entry by a staff member. */
export async function makeTicket(
  t: TestContext,
  input: {
    unit: Place
    resident?: Resident
    proxy?: { name: string; phone: string | null; staff: Staff }
    category?: CategoryCode
    room?: string | null
    photoIds?: string[]
    /** Moved there by its handler (and its reporter, for closed), see moveTicket. */
    state?: TicketState
    /** Set at acceptance (states past submitted only). */
    severity?: Severity
  },
): Promise<Ticket> {
  const channel: Channel = input.proxy ? 'visit' : 'miniapp'
  const ticket = await t.app.get(TicketsService).file({
    unitId: input.unit.id,
    category: input.category ?? 'facilities',
    description: '测试：楼道灯坏了',
    channel,
    reporterResidentId: input.resident?.id ?? null,
    proxy: input.proxy ? { name: input.proxy.name, phone: input.proxy.phone, staffId: input.proxy.staff.id } : null,
    photoIds: input.photoIds,
  })
  if (input.room !== undefined) {
    await t.dataSource.query('UPDATE ticket SET room = $2 WHERE id = $1', [ticket.id, input.room])
    ticket.room = input.room
  }
  if (input.state && input.state !== 'submitted') {
    await moveTicket(t, ticket.id, input.state, { severity: input.severity })
    return t.dataSource.getRepository(Ticket).findOneByOrFail({ id: ticket.id })
  }
  return ticket
}

/** A staff member as the services see a signed-in caller. */
export async function staffPrincipal(t: TestContext, staff: Staff | string): Promise<StaffPrincipal> {
  const scope = await t.app.get(StaffService).scope(typeof staff === 'string' ? staff : staff.id)
  if (!scope) throw new Error('staffPrincipal: no such active staff member')
  return {
    kind: 'staff',
    sessionId: 'factory',
    staffId: scope.staff.id,
    name: scope.staff.name,
    phone: scope.staff.phone,
    memberships: scope.memberships,
  }
}

export function residentPrincipal(resident: Resident | string): ResidentPrincipal {
  return { kind: 'resident', sessionId: 'factory', residentId: typeof resident === 'string' ? resident : resident.id }
}

/**
 * Moves a submitted request to `to` the way people would, through the services: its handler accepts
 * (with `severity` if given), replies, waits, resolves or rejects; its reporter (or proxy filer) rates
 * 5 stars to close; merged goes into a fresh request of the same unit.
 */
export async function moveTicket(
  t: TestContext,
  ticketId: string,
  to: TicketState,
  options: { severity?: Severity } = {},
): Promise<void> {
  const workflow = t.app.get(TicketWorkflowService)
  const ticket = await t.dataSource.getRepository(Ticket).findOneByOrFail({ id: ticketId })
  if (!ticket.handlerStaffId) throw new Error('moveTicket: the request has no handler')
  const handler = await staffPrincipal(t, ticket.handlerStaffId)
  const accept = () =>
    workflow.accept(handler, ticketId, { severity: to === 'replied' ? 'complex' : options.severity }, null)
  const resolve = () => workflow.resolve(handler, ticketId, { note: '已处理', photoIds: [] }, null)
  switch (to) {
    case 'submitted':
      return
    case 'accepted':
      await accept()
      return
    case 'replied':
      await accept()
      await workflow.reply(
        handler,
        ticketId,
        { plan: '先排查再维修', promisedAt: new Date(t.app.get(Clock).now().getTime() + 7 * 86_400_000).toISOString() },
        null,
      )
      return
    case 'waiting_resident':
      await accept()
      await workflow.wait(handler, ticketId, { question: '请补充具体位置' }, null)
      return
    case 'resolved':
      await accept()
      await resolve()
      return
    case 'closed': {
      await accept()
      await resolve()
      const rater = ticket.reporterResidentId
        ? residentPrincipal(ticket.reporterResidentId)
        : await staffPrincipal(t, ticket.proxyStaffId!)
      await workflow.rate(rater, ticketId, { stars: 5, tags: [] }, null)
      return
    }
    case 'rejected':
      await workflow.reject(handler, ticketId, { reason: '不属于本系统受理范围' }, null)
      return
    case 'withdrawn': {
      // Taken back by whoever filed it, before anyone accepted it.
      const reporter = ticket.reporterResidentId
        ? residentPrincipal(ticket.reporterResidentId)
        : await staffPrincipal(t, ticket.proxyStaffId!)
      await workflow.withdraw(reporter, ticketId, {}, null)
      return
    }
    case 'merged': {
      const into = await t.app.get(TicketsService).file({
        unitId: ticket.unitId,
        category: ticket.category,
        description: '测试：同一问题',
        channel: 'miniapp',
      })
      await workflow.merge(handler, ticketId, { intoId: into.id }, null)
      return
    }
    default: {
      // A state added to TICKET_STATES must get a case here, not be silently left where it was.
      const unhandled: never = to
      throw new Error(`moveTicket: no way to ${String(unhandled)}`)
    }
  }
}

/** A tiny valid image of each kind, by its magic bytes. */
export const IMAGES = {
  jpeg: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0xff, 0xd9]),
  png: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(16)]),
  webp: Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x10, 0, 0, 0]), Buffer.from('WEBPVP8 '), Buffer.alloc(8)]),
}

/** A multipart/form-data body with one file, as wx.uploadFile sends it. */
export function multipartBody(
  file: Buffer,
  options: { filename?: string; contentType?: string; field?: string } = {},
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----mq${randomBytes(8).toString('hex')}`
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${options.field ?? 'file'}"; filename="${options.filename ?? 'photo.jpg'}"\r\n` +
      `Content-Type: ${options.contentType ?? 'image/jpeg'}\r\n\r\n`,
  )
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`)
  return {
    payload: Buffer.concat([head, file, tail]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  }
}

/** Uploads a photo through the API as `who`; returns its id. */
export async function uploadPhoto(
  t: TestContext,
  who: { staff: Staff } | { resident: Resident },
  image: Buffer = IMAGES.jpeg,
): Promise<string> {
  const body = multipartBody(image)
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/photos',
    payload: body.payload,
    headers: { ...(await authHeader(t, who)), ...body.headers },
  })
  if (res.statusCode !== 201) throw new Error(`uploadPhoto: ${res.statusCode} ${res.body}`)
  return (res.json() as { id: string }).id
}

/** A signed-in session for a staff member or resident, without going through a login route. */
export function signIn(t: TestContext, who: { staff: Staff } | { resident: Resident }): Promise<TokenPair> {
  return t.app
    .get(TokenService)
    .startSession('staff' in who ? { kind: 'staff', staffId: who.staff.id } : { kind: 'resident', residentId: who.resident.id })
}

/** The Authorization header of a fresh session. */
export async function authHeader(
  t: TestContext,
  who: { staff: Staff } | { resident: Resident },
): Promise<{ authorization: string }> {
  return { authorization: `Bearer ${(await signIn(t, who)).accessToken}` }
}

export async function count(dataSource: DataSource, sql: string, params: unknown[] = []): Promise<number> {
  const rows = await dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM (${sql}) q`, params)
  return rows[0].n
}

/** Where a staff member of each role sits in a compound fixture, as in a real compound. */
export function membershipPlace(c: CompoundFixture, role: Role): Place {
  switch (role) {
    case 'building_lead':
      return c.buildings[0]
    case 'community_supervisor':
    case 'admin':
      return c.community
    case 'street_supervisor':
      return c.street
    case 'district_supervisor':
      return c.district
    default:
      return c.compound
  }
}
