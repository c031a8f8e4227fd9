import { randomUUID } from 'node:crypto'
import type { Role } from '@mq/shared'
import type { DataSource } from 'typeorm'
import { PlacesService } from '../src/places/places.service'
import type { Place } from '../src/places/place.entity'
import { StaffService } from '../src/staff/staff.service'
import type { Staff } from '../src/staff/staff.entity'
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

/** A staff member with one membership. */
export async function makeStaff(t: TestApp, role: Role, place: Place, name = `测试${role}`): Promise<Staff> {
  const staff = t.app.get(StaffService)
  const phone = `139${String(phoneSeq++ % 1e8).padStart(8, '0')}`
  const person = await staff.create({ name, phone, password: 'Test@12345' })
  await staff.addMembership({ staffId: person.id, placeId: place.id, role })
  return person
}

export async function count(dataSource: DataSource, sql: string, params: unknown[] = []): Promise<number> {
  const rows = await dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM (${sql}) q`, params)
  return rows[0].n
}
