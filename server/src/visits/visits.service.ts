import { Injectable } from '@nestjs/common'
import { InjectDataSource } from '@nestjs/typeorm'
import {
  compareVisitDue,
  localDateString,
  mayAct,
  maskName,
  maskPhone,
  registerAccess,
  registerFullRole,
  visitDue,
  type AccessLogField,
  type CreateHouseholdInput,
  type HouseholdDetail,
  type HouseholdList,
  type HouseholdView,
  type LogVisitInput,
  type RegisterAccess,
  type UpdateHouseholdInput,
  type VisitDueCount,
  type VisitFigures,
  type VisitNeedInput,
  type VisitReason,
  type VisitRequestInput,
  type VisitSchedule,
  type VisitView,
} from '@mq/shared'
import { DataSource, In, IsNull, type EntityManager } from 'typeorm'
import { AccessLogService } from '../access-log/access-log.service'
import type { StaffPrincipal } from '../auth/principal'
import { Clock } from '../common/clock'
import { DomainError } from '../common/domain-error'
import type { Place } from '../places/place.entity'
import { PlacesService } from '../places/places.service'
import { NeedsService } from '../needs/needs.service'
import { StaffService } from '../staff/staff.service'
import { TicketsService } from '../tickets/tickets.service'
import { HouseholdRow } from './household.entity'
import { VisitRow } from './visit.entity'

/** A demo household as the seeder hands it in (demo data only). */
export interface DemoHousehold {
  compoundId: string
  unitId: string
  room: string
  people: readonly { name: string; phone?: string }[]
  reasons: readonly VisitReason[]
  intervalDays: number
  assigneeStaffId: string
  notes?: string
  registeredDaysAgo: number
  lastVisit?: { daysAgo: number; kind: VisitView['kind']; wellbeing: VisitView['wellbeing']; needsFound?: string }
}

/** Where a household sits, as the views and the access rule need it. */
interface Location {
  unit: Pick<Place, 'id' | 'name' | 'path'>
  buildingName: string
}

const NOT_FOUND = () => new DomainError('VISIT_NOT_FOUND', '找不到这户走访对象')
const COMPOUND_NOT_FOUND = () => new DomainError('PLACE_NOT_FOUND', '找不到这个小区')
/** How many past visits a household's page shows. */
const RECENT_VISITS = 20

/**
 * The visit register (走访与电话问候). Households live at a unit of a compound; what a caller sees of one is
 * shared registerAccess(): 网格长/物业/自管小组 of the compound in full (each such read is written to
 * the access log before the answer leaves), the compound's other handlers masked (names and phones masked,
 * no room, notes or visit words), supervisors and admins the counts only (figures()), others nothing (404).
 * Only full-access staff write to the register, log visits and file from them.
 */
@Injectable()
export class VisitsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly places: PlacesService,
    private readonly staff: StaffService,
    private readonly tickets: TicketsService,
    private readonly needs: NeedsService,
    private readonly clock: Clock,
    private readonly accessLog: AccessLogService,
  ) {}

  /** The register of a compound as the caller may see it, by building, unit and room. */
  async list(staff: StaffPrincipal, compoundId: string, requestId: string | null): Promise<HouseholdList> {
    const compound = await this.compound(compoundId)
    const inside = staff.memberships.some((m) => m.placePath.includes(compound.id) || compound.path.includes(m.placeId))
    if (!inside) throw COMPOUND_NOT_FOUND()
    const insideCompound = staff.memberships.some((m) => m.placePath.includes(compound.id))
    if (!insideCompound) {
      throw new DomainError('FORBIDDEN', '走访名册只对本小区的工作人员开放，上级单位可查看逾期统计')
    }
    const locations = await this.locationsOf(compound.id)
    const rows = await this.households().find({ where: { compoundId: compound.id, leftAt: IsNull() } })
    const views = await this.viewsFor(staff, rows, locations, requestId)
    views.sort(
      (a, b) =>
        a.buildingName.localeCompare(b.buildingName, 'zh-CN', { numeric: true }) ||
        a.unitName.localeCompare(b.unitName, 'zh-CN', { numeric: true }) ||
        (a.room ?? '').localeCompare(b.room ?? '', 'zh-CN', { numeric: true }),
    )
    return { compoundName: compound.name, households: views }
  }

  /** One household with its recent visits. */
  async detail(staff: StaffPrincipal, id: string, requestId: string | null): Promise<HouseholdDetail> {
    const row = await this.activeHousehold(id)
    const location = await this.locationOf(row)
    const [view] = await this.viewsFor(staff, [row], new Map([[row.unitId, location]]), requestId)
    if (!view) throw NOT_FOUND()
    const visits = await this.visits().find({ where: { householdId: row.id }, order: { at: 'DESC' }, take: RECENT_VISITS })
    return { ...view, visits: await this.visitViews(visits, view.access === 'full') }
  }

  /** The caller's own schedule: the households assigned to them, overdue first, then by due date. */
  async schedule(staff: StaffPrincipal, requestId: string | null): Promise<VisitSchedule> {
    const rows = await this.households().find({ where: { assigneeStaffId: staff.staffId, leftAt: IsNull() } })
    const locations = new Map<string, Location>()
    for (const compoundId of new Set(rows.map((r) => r.compoundId))) {
      for (const [unitId, location] of await this.locationsOf(compoundId)) locations.set(unitId, location)
    }
    const views = await this.viewsFor(staff, rows, locations, requestId)
    views.sort((a, b) => compareVisitDue(a.due, b.due) || a.buildingName.localeCompare(b.buildingName, 'zh-CN', { numeric: true }))
    return { today: localDateString(this.clock.now()), households: views }
  }

  /** The inbox card's numbers: the caller's households overdue and due today. No one's data, not logged. */
  async dueCount(staff: StaffPrincipal): Promise<VisitDueCount> {
    const rows = await this.households().find({ where: { assigneeStaffId: staff.staffId, leftAt: IsNull() } })
    const now = this.clock.now()
    const states = rows.map((r) => visitDue(r.lastContactAt, r.createdAt, r.intervalDays, now).state)
    return {
      overdue: states.filter((s) => s === 'overdue').length,
      dueToday: states.filter((s) => s === 'due_today').length,
    }
  }

  /** Supervisors' figures: per compound under the place, households on the register and how many are overdue. */
  async figures(staff: StaffPrincipal, placeId: string): Promise<VisitFigures> {
    const place = await this.places.get(placeId).catch(() => {
      throw new DomainError('PLACE_NOT_FOUND', '找不到这个地点')
    })
    if (!mayAct(staff.memberships, 'view_metrics', place.path)) throw new DomainError('PLACE_NOT_FOUND', '找不到这个地点')
    // A place path runs district, street, community, compound, building, unit.
    const compounds =
      place.kind === 'compound'
        ? [place]
        : place.kind === 'building' || place.kind === 'unit'
          ? [await this.places.get(place.path[3], 'compound')]
          : await this.places.compoundsUnder([place.id])
    const rows = await this.households().find({
      where: { compoundId: In(compounds.map((c) => c.id)), leftAt: IsNull() },
      select: { compoundId: true, lastContactAt: true, createdAt: true, intervalDays: true },
    })
    const now = this.clock.now()
    return {
      compounds: compounds.map((c) => {
        const mine = rows.filter((r) => r.compoundId === c.id)
        return {
          id: c.id,
          name: c.name,
          households: mine.length,
          overdue: mine.filter((r) => visitDue(r.lastContactAt, r.createdAt, r.intervalDays, now).state === 'overdue').length,
        }
      }),
    }
  }

  /** Puts a household on the register. */
  async create(staff: StaffPrincipal, input: CreateHouseholdInput, requestId: string | null): Promise<HouseholdDetail> {
    const where = await this.places.unitContext(input.unitId)
    this.requireFull(staff, { unitPath: where.unit.path, compoundId: where.compound.id }, 'PLACE_NOT_FOUND')
    await this.requireAssignee(input.assigneeStaffId, where.unit.path, where.compound.id)
    const row = await this.households().save(
      this.households().create({
        compoundId: where.compound.id,
        unitId: where.unit.id,
        room: input.room,
        people: input.people.map((p) => ({ name: p.name, phone: p.phone ?? null })),
        reasons: input.reasons,
        intervalDays: input.intervalDays,
        assigneeStaffId: input.assigneeStaffId,
        notes: input.notes || null,
        lastContactAt: null,
        createdBy: staff.staffId,
        createdAt: this.clock.now(),
        leftAt: null,
      }),
    )
    return this.detail(staff, row.id, requestId)
  }

  async update(staff: StaffPrincipal, id: string, input: UpdateHouseholdInput, requestId: string | null): Promise<HouseholdDetail> {
    const row = await this.activeHousehold(id)
    const location = await this.locationOf(row)
    this.requireFull(staff, { unitPath: location.unit.path, compoundId: row.compoundId })
    if (input.assigneeStaffId) await this.requireAssignee(input.assigneeStaffId, location.unit.path, row.compoundId)
    await this.households().update(row.id, {
      ...(input.room !== undefined && { room: input.room }),
      ...(input.people !== undefined && { people: input.people.map((p) => ({ name: p.name, phone: p.phone ?? null })) }),
      ...(input.reasons !== undefined && { reasons: input.reasons }),
      ...(input.intervalDays !== undefined && { intervalDays: input.intervalDays }),
      ...(input.assigneeStaffId !== undefined && { assigneeStaffId: input.assigneeStaffId }),
      ...(input.notes !== undefined && { notes: input.notes || null }),
    })
    return this.detail(staff, row.id, requestId)
  }

  /**
   * Takes a household off the register (moved, passed away, no longer needs visits). Retention: its personal
   * data goes at once (people, room, notes, and the words of its visits); the anonymous row and its visits'
   * dates, kinds and wellbeing stay for the figures; the access-log entries stay (they hold no resident data).
   */
  async leave(staff: StaffPrincipal, id: string): Promise<void> {
    const row = await this.activeHousehold(id)
    const location = await this.locationOf(row)
    this.requireFull(staff, { unitPath: location.unit.path, compoundId: row.compoundId })
    await this.dataSource.transaction(async (m) => {
      await m.getRepository(HouseholdRow).update(row.id, { people: [], room: null, notes: null, leftAt: this.clock.now() })
      await m.getRepository(VisitRow).update({ householdId: row.id }, { needsFound: null })
    })
  }

  /** A visit or call, logged in one small form: the household's next due date moves on from now. */
  async logVisit(staff: StaffPrincipal, input: LogVisitInput): Promise<VisitView> {
    const row = await this.activeHousehold(input.householdId)
    const location = await this.locationOf(row)
    this.requireFull(staff, { unitPath: location.unit.path, compoundId: row.compoundId })
    const now = this.clock.now()
    const visit = await this.dataSource.transaction(async (m) => {
      const saved = await m.getRepository(VisitRow).save(
        m.getRepository(VisitRow).create({
          householdId: row.id,
          staffId: staff.staffId,
          at: now,
          kind: input.kind,
          wellbeing: input.wellbeing,
          needsFound: input.needsFound || null,
          ticketId: null,
          ticketNumber: null,
          needId: null,
        }),
      )
      // Never backwards: a visit logged late does not undo a later one.
      await m.query(
        `UPDATE visit_household SET last_contact_at = GREATEST(COALESCE(last_contact_at, $2), $2) WHERE id = $1`,
        [row.id, now],
      )
      return saved
    })
    return (await this.visitViews([visit], true))[0]
  }

  /**
   * Files a request from a visit, as a proxy entry for the household (its first person's name and phone,
   * its unit and room; channel 上门 or 电话 as the visit was), through the tickets domain's one filing path.
   * One request per visit: a visit that has one answers with it, and the visit's id is the Idempotency-Key, so
   * two taps at once by one person file one request.
   */
  async fileRequest(staff: StaffPrincipal, visitId: string, input: VisitRequestInput, requestId: string | null): Promise<VisitView> {
    const visit = await this.visits().findOneBy({ id: visitId })
    if (!visit) throw NOT_FOUND()
    const row = await this.activeHousehold(visit.householdId)
    const location = await this.locationOf(row)
    this.requireFull(staff, { unitPath: location.unit.path, compoundId: row.compoundId })
    // Filed already (by this caller or another grid worker of the compound): that request stands.
    if (visit.ticketId) return (await this.visitViews([visit], true))[0]
    const description = input.description ?? visit.needsFound
    if (!description) {
      throw new DomainError('VALIDATION_FAILED', '请描述问题', [{ path: 'description', message: '请描述问题' }])
    }
    const person = row.people[0]
    const { view } = await this.tickets.create(
      staff,
      {
        kind: 'proxy',
        input: {
          unitId: row.unitId,
          category: input.category,
          description,
          photoIds: [],
          channel: visit.kind === 'visit' ? 'visit' : 'phone',
          residentName: person.name,
          ...(person.phone && { residentPhone: person.phone }),
          ...(row.room && { room: row.room }),
        },
      },
      `visit:${visit.id}`,
      requestId,
    )
    await this.visits().update(visit.id, { ticketId: view.id, ticketNumber: view.number })
    return (await this.visitViews([{ ...visit, ticketId: view.id, ticketNumber: view.number }], true))[0]
  }

  /**
   * Enters a need (居民需求) from a visit, for the household's compound, unit and room (its household counts as
   * the first supporter); the household's names and phones are redacted from its public text. One per visit.
   */
  async fileNeed(staff: StaffPrincipal, visitId: string, input: VisitNeedInput): Promise<VisitView> {
    const visit = await this.visits().findOneBy({ id: visitId })
    if (!visit) throw NOT_FOUND()
    const row = await this.activeHousehold(visit.householdId)
    const location = await this.locationOf(row)
    this.requireFull(staff, { unitPath: location.unit.path, compoundId: row.compoundId })
    if (visit.needId) return (await this.visitViews([visit], true))[0]
    const description = input.description ?? visit.needsFound ?? ''
    const need = await this.dataSource.transaction(async (m) => {
      // Locks the visit row: two taps file one need.
      const [locked] = await m.query<{ need_id: string | null }[]>(`SELECT need_id FROM visit WHERE id = $1 FOR UPDATE`, [visit.id])
      if (locked.need_id) return { id: locked.need_id }
      const created = await this.needs.create(
        {
          source: 'visit',
          compoundId: row.compoundId,
          unitId: row.unitId,
          room: row.room,
          title: input.title,
          description,
          createdBy: { kind: 'staff', staffId: staff.staffId },
          personal: row.people.flatMap((p) => [p.name, p.phone]),
        },
        m,
      )
      await m.getRepository(VisitRow).update(visit.id, { needId: created.id })
      return created
    })
    return (await this.visitViews([{ ...visit, needId: need.id }], true))[0]
  }

  /**
   * Demo households (the demo seeder): put on the register `registeredDaysAgo` days ago and last visited
   * `lastVisitDaysAgo` days ago (or never), so the schedule shows overdue, due and upcoming ones.
   */
  async seedDemo(manager: EntityManager, households: readonly DemoHousehold[]): Promise<void> {
    const now = this.clock.now().getTime()
    const daysAgo = (days: number) => new Date(now - days * 86_400_000)
    for (const h of households) {
      const row = await manager.getRepository(HouseholdRow).save(
        manager.getRepository(HouseholdRow).create({
          compoundId: h.compoundId,
          unitId: h.unitId,
          room: h.room,
          people: h.people.map((p) => ({ name: p.name, phone: p.phone ?? null })),
          reasons: [...h.reasons],
          intervalDays: h.intervalDays,
          assigneeStaffId: h.assigneeStaffId,
          notes: h.notes ?? null,
          lastContactAt: h.lastVisit ? daysAgo(h.lastVisit.daysAgo) : null,
          createdBy: h.assigneeStaffId,
          createdAt: daysAgo(h.registeredDaysAgo),
          leftAt: null,
        }),
      )
      if (h.lastVisit) {
        await manager.getRepository(VisitRow).insert({
          householdId: row.id,
          staffId: h.assigneeStaffId,
          at: daysAgo(h.lastVisit.daysAgo),
          kind: h.lastVisit.kind,
          wellbeing: h.lastVisit.wellbeing,
          needsFound: h.lastVisit.needsFound ?? null,
          ticketId: null,
          ticketNumber: null,
          needId: null,
        })
      }
    }
  }

  // ── helpers ────────────────────────────────────────────────────────────────────────────────────────

  private households() {
    return this.dataSource.getRepository(HouseholdRow)
  }

  private visits() {
    return this.dataSource.getRepository(VisitRow)
  }

  private async compound(id: string): Promise<Place> {
    const compound = await this.places.get(id, 'compound').catch(() => {
      throw COMPOUND_NOT_FOUND()
    })
    return compound
  }

  private async activeHousehold(id: string): Promise<HouseholdRow> {
    const row = await this.households().findOneBy({ id, leftAt: IsNull() })
    if (!row) throw NOT_FOUND()
    return row
  }

  /** A compound's units (retired ones too, for households still registered there) with their buildings' names. */
  private async locationsOf(compoundId: string): Promise<Map<string, Location>> {
    const map = new Map<string, Location>()
    for (const { unit, building } of await this.places.unitsOfCompound(compoundId)) {
      map.set(unit.id, { unit, buildingName: building.name })
    }
    return map
  }

  private async locationOf(row: HouseholdRow): Promise<Location> {
    const unit = await this.places.get(row.unitId, 'unit')
    const building = await this.places.get(unit.parentId!)
    return { unit, buildingName: building.name }
  }

  /**
   * Full access or an error: `masked` callers (and supervisors) may not write the register (403); callers
   * with no access at all learn nothing of it (404).
   */
  private requireFull(
    staff: StaffPrincipal,
    target: { unitPath: readonly string[]; compoundId: string },
    missing: 'VISIT_NOT_FOUND' | 'PLACE_NOT_FOUND' = 'VISIT_NOT_FOUND',
  ): void {
    const access = registerAccess(staff.memberships, target)
    if (access === 'full') return
    if (access === 'masked') throw new DomainError('FORBIDDEN', '只有本小区的网格长、物业和自管小组可以登记走访')
    throw missing === 'PLACE_NOT_FOUND' ? new DomainError('PLACE_NOT_FOUND', '找不到这个单元') : NOT_FOUND()
  }

  /** The grid worker must be an active 网格长, 物业 or 自管小组 member of the household's compound (they see it in full). */
  private async requireAssignee(staffId: string, unitPath: readonly string[], compoundId: string): Promise<void> {
    const scope = await this.staff.scope(staffId)
    if (!scope || registerAccess(scope.memberships, { unitPath, compoundId }) !== 'full') {
      const message = '走访人须是本小区的网格长、物业或自管小组成员'
      throw new DomainError('VALIDATION_FAILED', message, [{ path: 'assigneeStaffId', message }])
    }
  }

  /**
   * Households as the caller may see them (those it may not see are left out); the full ones are written to
   * the access log first, in one insert, so nothing unmasked leaves unlogged.
   */
  private async viewsFor(
    staff: StaffPrincipal,
    rows: HouseholdRow[],
    locations: Map<string, Location>,
    requestId: string | null,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<HouseholdView[]> {
    const now = this.clock.now()
    const seen: { row: HouseholdRow; location: Location; access: Exclude<RegisterAccess, 'counts' | 'none'> }[] = []
    for (const row of rows) {
      const location = locations.get(row.unitId) ?? (await this.locationOf(row))
      const access = registerAccess(staff.memberships, { unitPath: location.unit.path, compoundId: row.compoundId })
      if (access === 'full' || access === 'masked') seen.push({ row, location, access })
    }
    const logged = seen
      .filter((s) => s.access === 'full')
      .map(({ row, location }) => ({
        staffId: staff.staffId,
        role: registerFullRole(staff.memberships, { unitPath: location.unit.path, compoundId: row.compoundId })!,
        householdId: row.id,
        compoundId: row.compoundId,
        fields: fieldsOf(row),
        requestId,
      }))
    await this.accessLog.record(logged, manager)

    const ids = seen.map((s) => s.row.id)
    const last = ids.length
      ? await manager.query<{ household_id: string; wellbeing: VisitView['wellbeing'] }[]>(
          `SELECT DISTINCT ON (household_id) household_id, wellbeing FROM visit
            WHERE household_id = ANY($1::uuid[]) ORDER BY household_id, at DESC`,
          [ids],
        )
      : []
    const wellbeing = new Map(last.map((l) => [l.household_id, l.wellbeing]))
    const names = await this.staff.namesOf(seen.map((s) => s.row.assigneeStaffId))
    return seen.map(({ row, location, access }) => {
      const full = access === 'full'
      return {
        id: row.id,
        access,
        compoundId: row.compoundId,
        unitId: row.unitId,
        buildingName: location.buildingName,
        unitName: location.unit.name,
        room: full ? row.room : null,
        people: row.people.map((p) =>
          full ? { name: p.name, phone: p.phone } : { name: maskName(p.name) ?? '', phone: maskPhone(p.phone) },
        ),
        reasons: row.reasons,
        intervalDays: row.intervalDays,
        assignee: { id: row.assigneeStaffId, name: names.get(row.assigneeStaffId) ?? '' },
        notes: full ? row.notes : null,
        lastContactAt: row.lastContactAt?.toISOString() ?? null,
        lastWellbeing: wellbeing.get(row.id) ?? null,
        due: visitDue(row.lastContactAt, row.createdAt, row.intervalDays, now),
      }
    })
  }

  private async visitViews(rows: VisitRow[], full: boolean): Promise<VisitView[]> {
    const names = await this.staff.namesOf(rows.map((r) => r.staffId))
    return rows.map((r) => ({
      id: r.id,
      householdId: r.householdId,
      at: r.at.toISOString(),
      kind: r.kind,
      wellbeing: r.wellbeing,
      staffName: names.get(r.staffId) ?? '',
      needsFound: full ? r.needsFound : null,
      ticket: r.ticketId && r.ticketNumber ? { id: r.ticketId, number: r.ticketNumber } : null,
      needId: r.needId,
    }))
  }
}

/** What a full read of the household shows: the access log names these. */
function fieldsOf(row: HouseholdRow): AccessLogField[] {
  const fields: AccessLogField[] = ['name']
  if (row.people.some((p) => p.phone)) fields.push('phone')
  if (row.room) fields.push('room')
  if (row.notes) fields.push('notes')
  return fields
}

