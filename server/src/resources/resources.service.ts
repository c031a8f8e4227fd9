import { Injectable } from '@nestjs/common'
import {
  can,
  localDateString,
  maskName,
  maskPhone,
  mayManageResources,
  mayMatchResources,
  mayReadResources,
  resourceContactRole,
  ROLES,
  type MatchCreateInput,
  type MatchDoneInput,
  type MatchQuery,
  type ResourceCompounds,
  type ResourceCreateInput,
  type ResourceImportResult,
  type ResourceList,
  type ResourceMatch,
  type ResourceMatchList,
  type ResourceOwner,
  type ResourceQuery,
  type ResourceUpdateInput,
  type ResourceView,
  type Role,
  type AccessLogField,
} from '@mq/shared'
import { DataSource, In, type EntityManager } from 'typeorm'
import { AccessLogService } from '../access-log/access-log.service'
import type { StaffPrincipal } from '../auth/principal'
import { Clock } from '../common/clock'
import { DomainError } from '../common/domain-error'
import { readSheet } from '../common/spreadsheet'
import { CalendarOverridesService } from '../deadlines/calendar-overrides.service'
import { NeedsService } from '../needs/needs.service'
import type { Place } from '../places/place.entity'
import { PlacesService } from '../places/places.service'
import { StaffService } from '../staff/staff.service'
import { TicketsService } from '../tickets/tickets.service'
import { ResourceMatchRow } from './resource-match.entity'
import { ResourceRow } from './resource.entity'
import { resourceImportTemplate, validateResourceRows } from './resources-import'

const HANDLING_ROLES = ROLES.filter((role) => can(role, 'handle_tickets'))

/** A resource as demo data gives it. */
export type ResourceSeed = Pick<ResourceRow, 'kind' | 'name' | 'tags'> &
  Partial<Pick<ResourceRow, 'openingHours' | 'address' | 'contactName' | 'contactPhone' | 'availability'>>

const notFound = () => new DomainError('RESOURCE_NOT_FOUND', '找不到这项资源')
const compoundNotFound = () => new DomainError('PLACE_NOT_FOUND', '找不到这个小区')
const matchNotFound = () => new DomainError('RESOURCE_MATCH_NOT_FOUND', '找不到这条资源匹配')

/** What a match is about, once the caller's right to see it is checked. */
interface Subject {
  compoundId: string
  /** Where handling rights are judged: the request's unit, or the need's compound. */
  placePath: readonly string[]
}

interface MatchRowJoined {
  id: string
  subject: ResourceMatch['subject']
  subject_id: string
  compound_id: string
  resource_id: string
  resource_kind: ResourceView['kind']
  resource_name: string
  owner_staff_id: string | null
  owner_name: string | null
  owner_role: Role | null
  target_date: string
  note: string | null
  status: ResourceMatch['status']
  created_by: string
  created_by_name: string
  created_at: Date
  done_at: Date | null
  done_by: string | null
  done_by_name: string | null
  done_note: string | null
}

/**
 * A compound's resources list (资源清单) and the matches of resources to requests and needs. Who keeps,
 * reads and matches is decided in shared/src/resources.ts; contact persons and phones are masked except
 * for the compound's 网格长, 物业 and 自管小组 opening one resource, which is logged first.
 */
@Injectable()
export class ResourcesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly places: PlacesService,
    private readonly staff: StaffService,
    private readonly tickets: TicketsService,
    private readonly needs: NeedsService,
    private readonly calendars: CalendarOverridesService,
    private readonly accessLog: AccessLogService,
  ) {}

  /** The compounds whose resources the caller may read, by name. */
  async compounds(staff: StaffPrincipal): Promise<ResourceCompounds> {
    const inner = staff.memberships.flatMap((m) => {
      const depth = { compound: 1, building: 2, unit: 3 }[m.placeKind as string]
      return depth ? [m.placePath[m.placePath.length - depth]] : []
    })
    const found = await this.places.compoundsUnder([...staff.memberships.map((m) => m.placeId), ...inner])
    const readable = found.filter((c) => mayReadResources(staff.memberships, c))
    return {
      compounds: readable.map((c) => ({ id: c.id, name: c.name, canManage: mayManageResources(staff.memberships, c) })),
    }
  }

  /** A compound's resources, contacts masked for everyone (opening one shows it in full to those allowed). */
  async list(staff: StaffPrincipal, query: ResourceQuery): Promise<ResourceList> {
    const compound = await this.readableCompound(staff, query.compoundId)
    const qb = this.dataSource
      .getRepository(ResourceRow)
      .createQueryBuilder('r')
      .where('r.compound_id = :id', { id: compound.id })
    if (query.kind) qb.andWhere('r.kind = :kind', { kind: query.kind })
    if (query.inactive !== 'true') qb.andWhere('r.active')
    if (query.q) {
      const like = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
      qb.andWhere(`(r.name ILIKE :like OR array_to_string(r.tags, ' ') ILIKE :like)`, { like })
    }
    const rows = await qb.orderBy('r.active', 'DESC').addOrderBy('r.kind').addOrderBy('r.name').addOrderBy('r.id').getMany()
    const open = await this.openCounts(rows.map((r) => r.id))
    return {
      compound: { id: compound.id, name: compound.name },
      items: rows.map((r) => this.view(r, false, open.get(r.id) ?? 0)),
      canManage: mayManageResources(staff.memberships, compound),
      canMatch: mayMatchResources(staff.memberships, compound.path),
      contactsInFull: resourceContactRole(staff.memberships, compound) !== null,
      owners: await this.owners(compound),
    }
  }

  /** One resource: its contact in full for the compound's 网格长, 物业 and 自管小组 (logged before it leaves). */
  async get(staff: StaffPrincipal, id: string, requestId: string | null): Promise<ResourceView> {
    const row = await this.dataSource.getRepository(ResourceRow).findOneBy({ id })
    if (!row) throw notFound()
    const compound = await this.places.get(row.compoundId)
    if (!mayReadResources(staff.memberships, compound)) throw notFound()
    const role = resourceContactRole(staff.memberships, compound)
    const fields: AccessLogField[] = []
    if (row.contactName) fields.push('name')
    if (row.contactPhone) fields.push('phone')
    if (role && fields.length > 0) {
      await this.accessLog.record({
        staffId: staff.staffId,
        role,
        resourceId: row.id,
        compoundId: row.compoundId,
        fields,
        requestId,
      })
    }
    return this.view(row, role !== null, (await this.openCounts([row.id])).get(row.id) ?? 0)
  }

  async create(staff: StaffPrincipal, input: ResourceCreateInput): Promise<ResourceView> {
    const compound = await this.managedCompound(staff, input.compoundId)
    const now = this.clock.now()
    const { compoundId: _compoundId, ...fields } = input
    const row = await this.dataSource.getRepository(ResourceRow).save({
      ...fields,
      compoundId: compound.id,
      active: true,
      createdAt: now,
      updatedAt: now,
      updatedBy: staff.staffId,
    })
    return this.view(row, resourceContactRole(staff.memberships, compound) !== null, 0)
  }

  /** Only the fields sent change. Taking a resource off the list (active: false) clears its contact. */
  async update(staff: StaffPrincipal, id: string, input: ResourceUpdateInput): Promise<ResourceView> {
    const repo = this.dataSource.getRepository(ResourceRow)
    const row = await repo.findOneBy({ id })
    if (!row) throw notFound()
    const compound = await this.places.get(row.compoundId)
    if (!mayManageResources(staff.memberships, compound)) {
      if (mayReadResources(staff.memberships, compound)) throw new DomainError('FORBIDDEN', '只有本小区的网格长和管理员可以修改资源清单')
      throw notFound()
    }
    Object.assign(row, Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)))
    if (row.active === false) {
      row.contactName = null
      row.contactPhone = null
    }
    row.updatedAt = this.clock.now()
    row.updatedBy = staff.staffId
    await repo.save(row)
    return this.view(row, resourceContactRole(staff.memberships, compound) !== null, (await this.openCounts([row.id])).get(row.id) ?? 0)
  }

  /**
   * Resources from a CSV or XLSX sheet, all or nothing: any bad row is a 400 listing every error by row.
   * A row whose kind and name match a resource of the compound updates it (and puts it back on the list).
   */
  async importSheet(staff: StaffPrincipal, compoundId: string, file: Buffer): Promise<ResourceImportResult> {
    const compound = await this.managedCompound(staff, compoundId)
    const { resources, errors } = validateResourceRows(await readSheet(file))
    if (errors.length > 0) throw new DomainError('VALIDATION_FAILED', `导入文件有 ${errors.length} 处问题，未导入任何数据`, errors)
    return this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(ResourceRow)
      const existing = await repo.find({ where: { compoundId: compound.id } })
      const byKey = new Map(existing.map((r) => [`${r.kind}\u0000${r.name}`, r]))
      const now = this.clock.now()
      let created = 0
      let updated = 0
      for (const { row: _row, ...fields } of resources) {
        const found = byKey.get(`${fields.kind}\u0000${fields.name}`)
        if (found) {
          Object.assign(found, fields, { active: true, updatedAt: now, updatedBy: staff.staffId })
          await repo.save(found)
          updated++
        } else {
          await repo.insert({ ...fields, compoundId: compound.id, active: true, createdAt: now, updatedAt: now, updatedBy: staff.staffId })
          created++
        }
      }
      return { created, updated }
    })
  }

  /** The XLSX template of the import (any staff member who keeps a compound's list). */
  async importTemplate(staff: StaffPrincipal): Promise<Buffer> {
    const { compounds } = await this.compounds(staff)
    if (!compounds.some((c) => c.canManage)) throw new DomainError('FORBIDDEN', '只有网格长和管理员可以导入资源清单')
    return resourceImportTemplate()
  }

  /** The matches of a request or a need, for staff who may see it. */
  async matches(staff: StaffPrincipal, query: MatchQuery): Promise<ResourceMatchList> {
    const subject = await this.subject(staff, query.subject, query.subjectId)
    const rows = await this.matchRows('m.subject = $1 AND m.subject_id = $2', [query.subject, query.subjectId])
    return {
      items: rows.map((r) => this.matchView(staff, r, subject)),
      canMatch: mayMatchResources(staff.memberships, subject.placePath),
    }
  }

  /** Sets one or more resources of the compound to work on a request or need, with an owner and a working-day date. */
  async match(staff: StaffPrincipal, input: MatchCreateInput): Promise<ResourceMatchList> {
    const subject = await this.subject(staff, input.subject, input.subjectId)
    if (!mayMatchResources(staff.memberships, subject.placePath)) {
      throw new DomainError('FORBIDDEN', '只有办理人员可以为它匹配资源')
    }
    const compound = await this.places.get(subject.compoundId)
    const resources = await this.dataSource
      .getRepository(ResourceRow)
      .findBy({ id: In(input.resourceIds), compoundId: compound.id, active: true })
    if (resources.length !== input.resourceIds.length) throw notFound()
    const owner = input.owner
    if ('staffId' in owner) {
      if (!(await this.owners(compound)).some((o) => o.staffId === owner.staffId)) {
        throw new DomainError('VALIDATION_FAILED', '负责人须是本小区的办理人员', [{ path: 'owner.staffId', message: '负责人须是本小区的办理人员' }])
      }
    } else if (!can(owner.role, 'handle_tickets')) {
      throw new DomainError('VALIDATION_FAILED', '负责方须是办理问题的岗位', [{ path: 'owner.role', message: '负责方须是办理问题的岗位' }])
    }
    await this.calendars.checkTargetDate(compound.path, input.targetDate)
    const now = this.clock.now()
    await this.dataSource.getRepository(ResourceMatchRow).insert(
      resources.map((r) => ({
        compoundId: compound.id,
        resourceId: r.id,
        subject: input.subject,
        subjectId: input.subjectId,
        ownerStaffId: 'staffId' in owner ? owner.staffId : null,
        ownerRole: 'role' in owner ? owner.role : null,
        targetDate: input.targetDate,
        note: input.note,
        status: 'open' as const,
        createdBy: staff.staffId,
        createdAt: now,
      })),
    )
    return this.matches(staff, { subject: input.subject, subjectId: input.subjectId })
  }

  /** 销号: the owner, a holder of the owning role, whoever made the match or the compound's 网格长 ticks it off. */
  async done(staff: StaffPrincipal, id: string, input: MatchDoneInput): Promise<ResourceMatch> {
    return this.dataSource.transaction(async (manager) => {
      const row = await manager
        .getRepository(ResourceMatchRow)
        .createQueryBuilder('m')
        .setLock('pessimistic_write')
        .where('m.id = :id', { id })
        .getOne()
      if (!row) throw matchNotFound()
      const subject = await this.subject(staff, row.subject, row.subjectId).catch((error: unknown) => {
        if (error instanceof DomainError) throw matchNotFound()
        throw error
      })
      if (!this.mayTick(staff, row, subject)) {
        throw new DomainError('FORBIDDEN', '只有负责人、匹配人或本小区网格长可以销号')
      }
      if (row.status !== 'open') throw new DomainError('ILLEGAL_TRANSITION', '这条匹配已经销号')
      row.status = 'done'
      row.doneAt = this.clock.now()
      row.doneBy = staff.staffId
      row.doneNote = input.note
      await manager.getRepository(ResourceMatchRow).save(row)
      const [joined] = await this.matchRows('m.id = $1', [row.id], manager)
      return this.matchView(staff, joined, subject)
    })
  }

  /** The demo compound's resources, in the demo seeder's transaction. */
  async seedDemo(manager: EntityManager, compoundId: string, seeds: readonly ResourceSeed[], staffId: string, at: Date): Promise<void> {
    await manager.getRepository(ResourceRow).insert(
      seeds.map((seed) => ({
        openingHours: null,
        address: null,
        contactName: null,
        contactPhone: null,
        availability: null,
        ...seed,
        compoundId,
        active: true,
        createdAt: at,
        updatedAt: at,
        updatedBy: staffId,
      })),
    )
  }

  // -------------------------------------------------------------------------------------------------

  private async readableCompound(staff: StaffPrincipal, compoundId: string): Promise<Place> {
    const compound = await this.places.get(compoundId, 'compound').catch((error: unknown) => {
      if (error instanceof DomainError) throw compoundNotFound()
      throw error
    })
    if (!mayReadResources(staff.memberships, compound)) throw compoundNotFound()
    return compound
  }

  private async managedCompound(staff: StaffPrincipal, compoundId: string): Promise<Place> {
    const compound = await this.readableCompound(staff, compoundId)
    if (compound.retiredAt) throw compoundNotFound()
    if (!mayManageResources(staff.memberships, compound)) {
      throw new DomainError('FORBIDDEN', '只有本小区的网格长和管理员可以维护资源清单')
    }
    return compound
  }

  /** The request or need, if the caller may see it (404 otherwise, as their own routes answer). */
  private async subject(staff: StaffPrincipal, kind: ResourceMatch['subject'], id: string): Promise<Subject> {
    if (kind === 'ticket') {
      const facts = await this.tickets.handlingFacts(staff, id)
      return { compoundId: facts.compoundId, placePath: facts.placePath }
    }
    const need = await this.needs.get(staff, id)
    const compound = await this.places.get(need.compoundId)
    return { compoundId: compound.id, placePath: compound.path }
  }

  private mayTick(staff: StaffPrincipal, row: Pick<ResourceMatchRow, 'ownerStaffId' | 'ownerRole' | 'createdBy'>, subject: Subject): boolean {
    if (!mayMatchResources(staff.memberships, subject.placePath)) return false
    if (row.ownerStaffId === staff.staffId || row.createdBy === staff.staffId) return true
    return staff.memberships.some(
      (m) =>
        (m.role === row.ownerRole || m.role === 'grid_lead') &&
        subject.placePath.includes(m.placeId) &&
        m.placePath.includes(subject.compoundId),
    )
  }

  private async owners(compound: Place): Promise<ResourceOwner[]> {
    const holders = await this.staff.holdersAt(compound.path, HANDLING_ROLES)
    return holders.map((h) => ({ staffId: h.staffId, name: h.name, role: h.role }))
  }

  private async openCounts(ids: readonly string[]): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map()
    const rows = await this.dataSource.query<{ resource_id: string; n: number }[]>(
      `SELECT resource_id, count(*)::int AS n FROM resource_match WHERE resource_id = ANY($1::uuid[]) AND status = 'open' GROUP BY resource_id`,
      [[...ids]],
    )
    return new Map(rows.map((r) => [r.resource_id, r.n]))
  }

  private view(row: ResourceRow, full: boolean, openMatches: number): ResourceView {
    return {
      id: row.id,
      compoundId: row.compoundId,
      kind: row.kind,
      name: row.name,
      tags: row.tags,
      openingHours: row.openingHours,
      address: row.address,
      contactName: full ? row.contactName : maskName(row.contactName),
      contactPhone: full ? row.contactPhone : maskPhone(row.contactPhone),
      contactMasked: !full,
      availability: row.availability,
      active: row.active,
      openMatches,
      updatedAt: row.updatedAt.toISOString(),
    }
  }

  /** Matches with their resource, and the names of the staff in them (StaffService owns the staff table). */
  private async matchRows(where: string, params: unknown[], manager: EntityManager = this.dataSource.manager): Promise<MatchRowJoined[]> {
    const rows = await manager.query<Omit<MatchRowJoined, 'owner_name' | 'created_by_name' | 'done_by_name'>[]>(
      `SELECT m.id, m.subject, m.subject_id, m.compound_id, m.resource_id, r.kind AS resource_kind, r.name AS resource_name,
              m.owner_staff_id, m.owner_role, to_char(m.target_date, 'YYYY-MM-DD') AS target_date,
              m.note, m.status, m.created_by, m.created_at, m.done_at, m.done_by, m.done_note
         FROM resource_match m
         JOIN resource r ON r.id = m.resource_id
        WHERE ${where}
        ORDER BY m.status = 'open' DESC, m.target_date, m.created_at, r.name, m.id`,
      params,
    )
    const ids = rows.flatMap((r) => [r.owner_staff_id, r.created_by, r.done_by]).filter((id): id is string => id !== null)
    const names = await this.staff.namesOf([...new Set(ids)])
    return rows.map((r) => ({
      ...r,
      owner_name: r.owner_staff_id ? (names.get(r.owner_staff_id) ?? null) : null,
      created_by_name: names.get(r.created_by) ?? '',
      done_by_name: r.done_by ? (names.get(r.done_by) ?? null) : null,
    }))
  }

  private matchView(staff: StaffPrincipal, r: MatchRowJoined, subject: Subject): ResourceMatch {
    const today = localDateString(this.clock.now())
    return {
      id: r.id,
      subject: r.subject,
      subjectId: r.subject_id,
      resource: { id: r.resource_id, kind: r.resource_kind, name: r.resource_name },
      owner: { staffId: r.owner_staff_id, name: r.owner_name, role: r.owner_role },
      targetDate: r.target_date,
      note: r.note,
      status: r.status,
      overdue: r.status === 'open' && r.target_date < today,
      createdBy: { id: r.created_by, name: r.created_by_name },
      createdAt: r.created_at.toISOString(),
      doneAt: r.done_at ? r.done_at.toISOString() : null,
      doneNote: r.done_note,
      doneBy: r.done_by && r.done_by_name ? { id: r.done_by, name: r.done_by_name } : null,
      canTick:
        r.status === 'open' &&
        this.mayTick(staff, { ownerStaffId: r.owner_staff_id, ownerRole: r.owner_role, createdBy: r.created_by }, subject),
    }
  }
}
