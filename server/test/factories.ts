import { randomBytes, randomUUID } from 'node:crypto'
import type { CategoryCode, Channel, Role, TokenPair } from '@mq/shared'
import type { DataSource } from 'typeorm'
import { TokenService } from '../src/auth/token.service'
import { PlacesService } from '../src/places/places.service'
import type { Place } from '../src/places/place.entity'
import { Resident } from '../src/residents/resident.entity'
import { StaffService } from '../src/staff/staff.service'
import type { Staff } from '../src/staff/staff.entity'
import type { Ticket } from '../src/tickets/ticket.entity'
import { TicketsService } from '../src/tickets/tickets.service'
import type { TestApp } from './app'

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
export async function makeCompound(t: TestApp, shape: number[] = [2, 2]): Promise<CompoundFixture> {
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
export async function makeStaff(t: TestApp, role: Role, place: Place, name = `测试${role}`): Promise<Staff> {
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
  t: TestApp,
  fields: Partial<Pick<Resident, 'openid' | 'name' | 'phone'>> = {},
): Promise<Resident> {
  const repo = t.dataSource.getRepository(Resident)
  return repo.save(
    repo.create({ openid: newOpenid(), name: '测试居民', phone: newPhone('137'), deviceSecretHash: null, ...fields }),
  )
}

/** A request filed in `unit` by a resident, or as a proxy entry by a staff member. */
export async function makeTicket(
  t: TestApp,
  input: {
    unit: Place
    resident?: Resident
    proxy?: { name: string; phone: string | null; staff: Staff }
    category?: CategoryCode
    room?: string | null
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
  })
  if (input.room !== undefined) {
    await t.dataSource.query('UPDATE ticket SET room = $2 WHERE id = $1', [ticket.id, input.room])
    ticket.room = input.room
  }
  return ticket
}

/** A signed-in session for a staff member or resident, without going through a login route. */
export function signIn(t: TestApp, who: { staff: Staff } | { resident: Resident }): Promise<TokenPair> {
  return t.app
    .get(TokenService)
    .startSession('staff' in who ? { kind: 'staff', staffId: who.staff.id } : { kind: 'resident', residentId: who.resident.id })
}

/** The Authorization header of a fresh session. */
export async function authHeader(
  t: TestApp,
  who: { staff: Staff } | { resident: Resident },
): Promise<{ authorization: string }> {
  return { authorization: `Bearer ${(await signIn(t, who)).accessToken}` }
}

export async function count(dataSource: DataSource, sql: string, params: unknown[] = []): Promise<number> {
  const rows = await dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM (${sql}) q`, params)
  return rows[0].n
}
