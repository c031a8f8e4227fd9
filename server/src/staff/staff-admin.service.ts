import { Injectable } from '@nestjs/common'
import { hash } from '@node-rs/argon2'
import {
  passwordProblem,
  ROLE_LABELS,
  ROLE_PLACE_KINDS,
  PLACE_KIND_LABELS,
  rolePlaceAllowed,
  scopeOf,
  type CreateStaffInput,
  type MembershipInput,
  type StaffImportResult,
  type StaffList,
  type StaffView,
  type UpdateStaffInput,
} from '@mq/shared'
import { randomInt } from 'node:crypto'
import { DataSource, In, type EntityManager } from 'typeorm'
import type { StaffMembershipScope, StaffPrincipal } from '../auth/principal'
import { TokenService } from '../auth/token.service'
import { Clock } from '../common/clock'
import { isUniqueViolation } from '../common/database-errors'
import { DomainError } from '../common/domain-error'
import { readSheet } from '../common/spreadsheet'
import type { Place } from '../places/place.entity'
import { PlacesService } from '../places/places.service'
import { Membership } from './membership.entity'
import { sheetPhones, validateStaffRows, type ImportPlaces } from './staff-import'
import { Staff } from './staff.entity'
import { StaffService, toMembershipView } from './staff.service'

/** Letters and digits people can read aloud without confusing 0/O or 1/l/I. */
const PASSWORD_ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789'

function generatePassword(): string {
  for (;;) {
    const password = Array.from(
      { length: 10 },
      () => PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)],
    ).join('')
    if (!passwordProblem(password)) return password
  }
}

const STAFF_NOT_FOUND = '找不到这个人员'

/**
 * What admins do to staff under their place: an admin's scope is every place under their
 * admin memberships. Staff outside it do not exist for them (404). An account that also serves somewhere
 * else can be given or relieved of memberships here, but only an admin over all of them may change the
 * account itself (password, deactivation).
 */
@Injectable()
export class StaffAdminService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly staff: StaffService,
    private readonly places: PlacesService,
    private readonly tokens: TokenService,
    private readonly clock: Clock,
  ) {}

  async list(admin: StaffPrincipal): Promise<StaffList> {
    const rows = await this.dataSource.query<{ staff_id: string }[]>(
      `SELECT DISTINCT m.staff_id FROM membership m JOIN place p ON p.id = m.place_id WHERE p.path && $1::uuid[]`,
      [this.scope(admin)],
    )
    const ids = rows.map((r) => r.staff_id)
    const people = await this.dataSource
      .getRepository(Staff)
      .find({ where: { id: In(ids) }, order: { name: 'ASC' } })
    const memberships = await this.staff.memberships(ids)
    return { items: people.map((p) => this.toView(admin, p, memberships.get(p.id) ?? [])) }
  }

  async get(admin: StaffPrincipal, id: string): Promise<StaffView> {
    const { staff, memberships } = await this.visible(admin, id)
    return this.toView(admin, staff, memberships)
  }

  async create(admin: StaffPrincipal, input: CreateStaffInput): Promise<StaffView> {
    const places = await Promise.all(input.memberships.map((m) => this.placeFor(admin, m)))
    const passwordHash = await hash(input.password)
    const id = await this.dataSource
      .transaction(async (manager) => {
        const staff = await manager
          .getRepository(Staff)
          .save(
            manager
              .getRepository(Staff)
              .create({ name: input.name, phone: input.phone, passwordHash, active: true }),
          )
        const unique = new Map(
          input.memberships.map((m, i) => [
            `${m.role}:${places[i].id}`,
            { role: m.role, placeId: places[i].id },
          ]),
        )
        for (const m of unique.values()) await this.staff.addMembership({ staffId: staff.id, ...m }, manager)
        return staff.id
      })
      .catch((error: unknown) => {
        if (isUniqueViolation(error)) throw new DomainError('PHONE_TAKEN', '该手机号已有账号')
        throw error
      })
    return this.get(admin, id)
  }

  async update(admin: StaffPrincipal, id: string, input: UpdateStaffInput): Promise<StaffView> {
    await this.manageable(admin, id)
    if (input.active === false && id === admin.staffId)
      throw new DomainError('CONFLICT', '不能停用自己的账号')
    await this.dataSource.transaction(async (manager) => {
      const changes: Partial<Staff> = {}
      if (input.name !== undefined) changes.name = input.name
      if (input.active !== undefined) changes.active = input.active
      await manager.getRepository(Staff).update(id, changes)
      // A deactivated account is refused on its next request anyway; ending its sessions also stops refreshes.
      if (input.active === false) await this.tokens.revokeStaffSessions(id, 'deactivated', { manager })
    })
    return this.get(admin, id)
  }

  /** Sets a new password (the admin hands it over), unlocks the account and ends its sessions. */
  async resetPassword(admin: StaffPrincipal, id: string, password: string): Promise<void> {
    await this.manageable(admin, id)
    const passwordHash = await hash(password)
    await this.dataSource.transaction(async (manager) => {
      await manager.getRepository(Staff).update(id, { passwordHash, failedLogins: 0, lockedUntil: null })
      await this.tokens.revokeStaffSessions(id, 'password_reset', { manager })
    })
  }

  async addMembership(admin: StaffPrincipal, id: string, input: MembershipInput): Promise<StaffView> {
    await this.visible(admin, id)
    const place = await this.placeFor(admin, input)
    await this.staff
      .addMembership({ staffId: id, placeId: place.id, role: input.role })
      .catch((error: unknown) => {
        if (isUniqueViolation(error))
          throw new DomainError('CONFLICT', `已是${place.name}的${ROLE_LABELS[input.role]}`)
        throw error
      })
    return this.get(admin, id)
  }

  async removeMembership(admin: StaffPrincipal, id: string, membershipId: string): Promise<void> {
    const { memberships } = await this.visible(admin, id)
    const target = memberships.find((m) => m.id === membershipId && this.inScope(admin, m))
    if (!target) throw new DomainError('MEMBERSHIP_NOT_FOUND', '找不到这个岗位')
    // An account without memberships would be invisible to every admin: deactivate it instead.
    if (memberships.length === 1)
      throw new DomainError('CONFLICT', '这是该账号唯一的岗位，如不再任职请停用账号')
    await this.dataSource.getRepository(Membership).delete({ id: target.id, staffId: id })
  }

  /** Bulk import (CSV or XLSX): every row is checked first; any bad row and nothing is written. */
  async import(admin: StaffPrincipal, placeId: string, file: Buffer): Promise<StaffImportResult> {
    const root = await this.placeInScope(admin, placeId)
    const sheet = await readSheet(file)
    const registered = await this.dataSource
      .getRepository(Staff)
      .find({ where: { phone: In(sheetPhones(sheet)) }, select: { phone: true } })
    const { rows, errors } = validateStaffRows(
      sheet,
      await this.importPlaces(root),
      new Set(registered.map((s) => s.phone)),
    )
    if (errors.length > 0) {
      throw new DomainError('VALIDATION_FAILED', `导入文件有${errors.length}处错误，未导入任何数据`, errors)
    }
    const people = new Map<
      string,
      { row: number; name: string; password: string; generated: boolean; rows: typeof rows }
    >()
    for (const row of rows) {
      const person = people.get(row.phone)
      if (person) person.rows.push(row)
      else {
        const generated = row.password === null
        people.set(row.phone, {
          row: row.row,
          name: row.name,
          password: row.password ?? generatePassword(),
          generated,
          rows: [row],
        })
      }
    }
    // Hash before the transaction: argon2 is slow on purpose, and locks should not wait on it.
    const hashes = new Map(
      await Promise.all([...people].map(async ([phone, p]) => [phone, await hash(p.password)] as const)),
    )
    const accounts = await this.dataSource
      .transaction(async (manager) => {
        const created: StaffImportResult['accounts'] = []
        for (const [phone, person] of people) {
          const repo = manager.getRepository(Staff)
          const staff = await repo.save(
            repo.create({ name: person.name, phone, passwordHash: hashes.get(phone)!, active: true }),
          )
          for (const row of person.rows) {
            await this.staff.addMembership(
              { staffId: staff.id, placeId: row.place.id, role: row.role },
              manager,
            )
          }
          created.push({
            row: person.row,
            id: staff.id,
            name: person.name,
            phone,
            memberships: person.rows.length,
            initialPassword: person.generated ? person.password : null,
          })
        }
        return created
      })
      .catch((error: unknown) => {
        if (isUniqueViolation(error))
          throw new DomainError('PHONE_TAKEN', '导入期间有手机号被注册，请重新导入')
        throw error
      })
    return { accounts }
  }

  private scope(admin: StaffPrincipal): string[] {
    return scopeOf(admin.memberships, 'manage_staff')
  }

  private inScope(admin: StaffPrincipal, membership: Pick<StaffMembershipScope, 'placePath'>): boolean {
    const scope = this.scope(admin)
    return membership.placePath.some((id) => scope.includes(id))
  }

  /** The staff member if any of their memberships is in the admin's scope; otherwise 404, never 403. */
  private async visible(
    admin: StaffPrincipal,
    id: string,
  ): Promise<{ staff: Staff; memberships: StaffMembershipScope[] }> {
    const staff = await this.dataSource.getRepository(Staff).findOneBy({ id })
    const memberships = staff ? ((await this.staff.memberships([id])).get(id) ?? []) : []
    if (!staff || !memberships.some((m) => this.inScope(admin, m))) {
      throw new DomainError('STAFF_NOT_FOUND', STAFF_NOT_FOUND)
    }
    return { staff, memberships }
  }

  /** Visible, and every membership in scope: only then may this admin change the account itself. */
  private async manageable(admin: StaffPrincipal, id: string): Promise<Staff> {
    const { staff, memberships } = await this.visible(admin, id)
    if (!memberships.every((m) => this.inScope(admin, m))) {
      throw new DomainError('FORBIDDEN', '该账号还在其他辖区任职，请联系上级管理员处理')
    }
    return staff
  }

  private async placeInScope(
    admin: StaffPrincipal,
    placeId: string,
    manager?: EntityManager,
  ): Promise<Place> {
    const place = await this.places.get(placeId, undefined, manager)
    if (place.retiredAt || !this.inScope(admin, { placePath: place.path })) {
      throw new DomainError('PLACE_NOT_FOUND', '找不到这个地点')
    }
    return place
  }

  private async placeFor(admin: StaffPrincipal, input: MembershipInput): Promise<Place> {
    const place = await this.placeInScope(admin, input.placeId)
    if (!rolePlaceAllowed(input.role, place.kind)) {
      const kinds = ROLE_PLACE_KINDS[input.role].map((k) => PLACE_KIND_LABELS[k]).join('、')
      throw new DomainError('VALIDATION_FAILED', `${ROLE_LABELS[input.role]}只能设在${kinds}`, [
        { path: 'placeId', message: `${ROLE_LABELS[input.role]}只能设在${kinds}` },
      ])
    }
    return place
  }

  /** The import's place and, for a compound, its buildings and units by name. */
  private async importPlaces(root: Place): Promise<ImportPlaces> {
    if (root.kind !== 'compound') return { root, buildings: new Map(), units: new Map() }
    return { root, ...(await this.places.namedBuildingsAndUnits(root.id)) }
  }

  private toView(admin: StaffPrincipal, staff: Staff, memberships: StaffMembershipScope[]): StaffView {
    const inScope = memberships.filter((m) => this.inScope(admin, m))
    return {
      id: staff.id,
      name: staff.name,
      phone: staff.phone,
      active: staff.active,
      lockedUntil:
        staff.lockedUntil && staff.lockedUntil > this.clock.now() ? staff.lockedUntil.toISOString() : null,
      memberships: inScope.map(toMembershipView),
      managedElsewhere: inScope.length < memberships.length,
      createdAt: staff.createdAt.toISOString(),
    }
  }
}
