import { Injectable } from '@nestjs/common'
import { InjectRepository } from '@nestjs/typeorm'
import { hash, verify } from '@node-rs/argon2'
import {
  ACTIONS,
  can,
  covers,
  localClock,
  LOCKOUT_MINUTES,
  LOGIN_MAX_FAILURES,
  ROLE_LABELS,
  type Me,
  type MembershipView,
  type PlaceKind,
  type Role,
} from '@mq/shared'
import { DataSource, Repository, type EntityManager } from 'typeorm'
import { Clock } from '../common/clock'
import { DomainError } from '../common/domain-error'
import { prepared } from '../common/prepared'
import type { StaffMembershipScope } from '../auth/principal'
import { Membership } from './membership.entity'
import { Staff } from './staff.entity'

/** A staff member as the request principal needs them. */
export interface StaffScope {
  staff: Staff
  memberships: StaffMembershipScope[]
}

interface MembershipRow {
  id: string
  staff_id: string
  role: Role
  place_id: string
  path: string[]
  kind: PlaceKind
  name: string
}

function membershipScope(row: MembershipRow): StaffMembershipScope {
  return {
    id: row.id,
    role: row.role,
    placeId: row.place_id,
    placePath: row.path,
    placeKind: row.kind,
    placeName: row.name,
  }
}

export function toMembershipView(m: StaffMembershipScope): MembershipView {
  return {
    id: m.id,
    role: m.role,
    roleLabel: ROLE_LABELS[m.role],
    place: { id: m.placeId, kind: m.placeKind, name: m.placeName },
  }
}

@Injectable()
export class StaffService {
  /** Verified against when the phone is unknown, so a miss takes as long as a wrong password. */
  private readonly decoyHash = hash('decoy password for unknown phone numbers')

  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(Staff) private readonly staffRepo: Repository<Staff>,
    private readonly clock: Clock,
  ) {}

  async create(
    input: { name: string; phone: string; password: string },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Staff> {
    const repo = manager.getRepository(Staff)
    const passwordHash = await hash(input.password)
    return repo.save(repo.create({ name: input.name, phone: input.phone, passwordHash, active: true }))
  }

  async addMembership(
    input: { staffId: string; placeId: string; role: Role },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Membership> {
    const repo = manager.getRepository(Membership)
    return repo.save(repo.create(input))
  }

  /**
   * Phone + password, with lockout: the LOGIN_MAX_FAILURES-th failure in a row locks the
   * account for LOCKOUT_MINUTES; while locked even the right password is refused. Unknown phone and
   * wrong password answer alike; a deactivated account says so only to someone who knows its password.
   */
  async verifyLogin(phone: string, password: string): Promise<Staff> {
    const now = this.clock.now()
    const staff = await this.staffRepo.findOneBy({ phone })
    if (!staff) {
      await verify(await this.decoyHash, password)
      throw this.invalidCredentials()
    }
    if (staff.lockedUntil && staff.lockedUntil > now) throw this.locked(staff.lockedUntil, now)
    if (!(await verify(staff.passwordHash, password))) {
      // One atomic UPDATE, so parallel guesses cannot slip past the count.
      const lockUntil = new Date(now.getTime() + LOCKOUT_MINUTES * 60_000)
      const [rows] = await this.dataSource.query<[{ locked_until: Date | null }[], number]>(
        `UPDATE staff
            SET failed_logins = CASE WHEN failed_logins + 1 >= $2 THEN 0 ELSE failed_logins + 1 END,
                locked_until  = CASE WHEN failed_logins + 1 >= $2 THEN $3::timestamptz ELSE locked_until END
          WHERE id = $1
      RETURNING locked_until`,
        [staff.id, LOGIN_MAX_FAILURES, lockUntil],
      )
      const lockedUntil = rows[0]?.locked_until
      if (lockedUntil && lockedUntil > now) throw this.locked(lockedUntil, now)
      throw this.invalidCredentials()
    }
    if (!staff.active) throw new DomainError('ACCOUNT_DISABLED', '该账号已停用，请联系社区管理员')
    if (staff.failedLogins > 0 || staff.lockedUntil) {
      await this.staffRepo.update(staff.id, { failedLogins: 0, lockedUntil: null })
    }
    return staff
  }

  /** The staff member as someone who may handle requests at `unitPath` (transfer, co-handlers), or 404. */
  async handlerAt(
    staffId: string,
    unitPath: readonly string[],
  ): Promise<{ staffId: string; role: Role; name: string }> {
    const scope = await this.scope(staffId)
    const membership = scope?.memberships.find((m) => can(m.role, 'handle_tickets') && covers(m, unitPath))
    if (!scope || !membership) throw new DomainError('STAFF_NOT_FOUND', '找不到能办理本单元诉求的这个人')
    return { staffId, role: membership.role, name: scope.staff.name }
  }

  /** The role of `staffId`'s earliest membership at any of `placeIds` (the role a proxy filer acted in), or null. */
  async roleAt(
    staffId: string,
    placeIds: readonly string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Role | null> {
    const rows = await manager.query<{ role: Role }[]>(
      `SELECT m.role FROM membership m WHERE m.staff_id = $1 AND m.place_id = ANY($2::uuid[])
        ORDER BY m.created_at LIMIT 1`,
      [staffId, placeIds],
    )
    return rows[0]?.role ?? null
  }

  /**
   * Active members holding any of `roles` at any of `placeIds`, by role then name: display names and
   * roles only (the transfer and co-handler pickers; staff phones are not for other staff to browse).
   */
  async holdersAt(
    placeIds: readonly string[],
    roles: readonly Role[],
  ): Promise<{ staffId: string; name: string; role: Role }[]> {
    const rows = await this.dataSource.query<{ staff_id: string; name: string; role: Role }[]>(
      `SELECT DISTINCT s.id AS staff_id, s.name, m.role
         FROM membership m JOIN staff s ON s.id = m.staff_id AND s.active
        WHERE m.place_id = ANY($1::uuid[]) AND m.role = ANY($2)
        ORDER BY m.role, s.name`,
      [placeIds, [...roles]],
    )
    return rows.map((r) => ({ staffId: r.staff_id, name: r.name, role: r.role }))
  }

  /** Active members holding `role` at any of `placeIds` (who an escalation at that level tells). */
  async activeIdsWithRole(
    role: Role,
    placeIds: readonly string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<string[]> {
    const rows = await manager.query<{ staff_id: string }[]>(
      `SELECT DISTINCT m.staff_id FROM membership m JOIN staff s ON s.id = m.staff_id AND s.active
        WHERE m.role = $1 AND m.place_id = ANY($2::uuid[])`,
      [role, placeIds],
    )
    return rows.map((r) => r.staff_id)
  }

  /** Display names by id, active or not (the names on a request's timeline and its co-handlers). */
  async namesOf(ids: readonly string[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids)]
    if (unique.length === 0) return new Map()
    const rows = await this.dataSource.query<{ id: string; name: string }[]>(
      'SELECT id, name FROM staff WHERE id = ANY($1::uuid[])',
      [unique],
    )
    return new Map(rows.map((r) => [r.id, r.name]))
  }

  /**
   * For each of `roles`, the name of the active member holding it at the most specific of `placeIds`
   * (given most specific first), the longest-serving there. Names only: what residents see on the scan page.
   */
  async namesOnDuty<R extends Role>(
    placeIds: string[],
    roles: readonly R[],
  ): Promise<{ role: R; name: string }[]> {
    return this.dataSource.query<{ role: R; name: string }[]>(
      `SELECT DISTINCT ON (m.role) m.role, s.name
         FROM membership m JOIN staff s ON s.id = m.staff_id AND s.active
        WHERE m.place_id = ANY($1::uuid[]) AND m.role = ANY($2)
        ORDER BY m.role, array_position($1::uuid[], m.place_id), m.created_at`,
      [placeIds, [...roles]],
    )
  }

  /** An active staff member with every membership and its place, or null. */
  async scope(staffId: string): Promise<StaffScope | null> {
    const staff = await this.staffRepo.findOneBy({ id: staffId, active: true })
    if (!staff) return null
    return { staff, memberships: (await this.memberships([staffId])).get(staffId) ?? [] }
  }

  /**
   * The caller behind a staff access token, in ONE prepared statement (it runs on every staff request):
   * the staff member if active, their session `sessionId` if still theirs and not revoked, and every
   * membership with its place, oldest first. Null when any of that fails.
   */
  async signedIn(
    staffId: string,
    sessionId: string,
  ): Promise<{ staff: Pick<Staff, 'id' | 'name' | 'phone'>; memberships: StaffMembershipScope[] } | null> {
    const rows = await this.dataSource.query<
      ({ staff_name: string; staff_phone: string } & Omit<MembershipRow, 'id'> & { id: string | null })[]
    >(
      prepared(`SELECT s.name AS staff_name, s.phone AS staff_phone, s.id AS staff_id,
              m.id, m.role, m.place_id, p.path, p.kind, p.name
         FROM auth_session a
         JOIN staff s ON s.id = a.staff_id AND s.active
         LEFT JOIN membership m ON m.staff_id = s.id
         LEFT JOIN place p ON p.id = m.place_id
        WHERE a.id = $1 AND a.staff_id = $2 AND a.revoked_at IS NULL
        ORDER BY m.created_at, array_length(p.path, 1), m.role, m.id`),
      [sessionId, staffId],
    )
    if (rows.length === 0) return null
    return {
      staff: { id: staffId, name: rows[0].staff_name, phone: rows[0].staff_phone },
      memberships: rows
        .filter((row): row is typeof row & { id: string } => row.id !== null)
        .map((row) => membershipScope(row)),
    }
  }

  /** Memberships with their places, per staff id, oldest first. */
  async memberships(
    staffIds: string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Map<string, StaffMembershipScope[]>> {
    const rows = await manager.query<MembershipRow[]>(
      `SELECT m.id, m.staff_id, m.role, m.place_id, p.path, p.kind, p.name
         FROM membership m JOIN place p ON p.id = m.place_id
        WHERE m.staff_id = ANY($1::uuid[])
        ORDER BY m.created_at, array_length(p.path, 1), m.role, m.id`,
      [staffIds],
    )
    const byStaff = new Map<string, StaffMembershipScope[]>()
    for (const row of rows) {
      const list = byStaff.get(row.staff_id) ?? []
      list.push(membershipScope(row))
      byStaff.set(row.staff_id, list)
    }
    return byStaff
  }

  /** Changing one's own password needs the current one; every other session of the account ends. */
  async changePassword(staffId: string, current: string, next: string): Promise<void> {
    const staff = await this.staffRepo.findOneByOrFail({ id: staffId })
    if (!(await verify(staff.passwordHash, current))) {
      throw new DomainError('VALIDATION_FAILED', '当前密码不正确', [
        { path: 'currentPassword', message: '当前密码不正确' },
      ])
    }
    await this.staffRepo.update(staffId, { passwordHash: await hash(next) })
  }

  /** Their own data, so never masked. */
  toMe(staff: Pick<Staff, 'id' | 'name' | 'phone'>, memberships: StaffMembershipScope[]): Me {
    return {
      kind: 'staff',
      id: staff.id,
      name: staff.name,
      phone: staff.phone,
      memberships: memberships.map(toMembershipView),
      actions: ACTIONS.filter((action) => memberships.some((m) => can(m.role, action))),
    }
  }

  private invalidCredentials(): DomainError {
    return new DomainError('INVALID_CREDENTIALS', '手机号或密码不正确')
  }

  private locked(until: Date, now: Date): DomainError {
    const seconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000))
    return new DomainError(
      'ACCOUNT_LOCKED',
      `密码错误次数过多，账号已锁定，请在 ${localClock(until)} 后再试（约${Math.ceil(seconds / 60)}分钟）`,
      undefined,
      { 'retry-after': String(seconds) },
    )
  }
}
