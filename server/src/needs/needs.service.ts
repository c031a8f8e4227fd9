import { createHash } from 'node:crypto'
import { Injectable } from '@nestjs/common'
import { InjectDataSource } from '@nestjs/typeorm'
import {
  can,
  categoryOf,
  householdKey,
  NEED_CONVERTIBLE_CATEGORIES,
  needTransitionProblem,
  NEED_STATUS_LABELS,
  redactPublicText,
  type MyNeeds,
  type NeedFromRequestInput,
  type NeedSource,
  type NeedStatus,
  type NeedStatusInput,
  type ProposeNeedInput,
  type PublicNeed,
  type PublicNeedList,
  type StaffNeed,
  type StaffNeedInput,
  type StaffNeedList,
  type SupportNeedInput,
  type SupportNeedResult,
} from '@mq/shared'
import { DataSource, In, type EntityManager } from 'typeorm'
import type { ResidentPrincipal, StaffPrincipal } from '../auth/principal'
import { Clock } from '../common/clock'
import { DomainError } from '../common/domain-error'
import type { Place } from '../places/place.entity'
import { PlacesService } from '../places/places.service'
import { ResidentsService } from '../residents/residents.service'
import { asStaff, TicketRunner } from '../tickets/lifecycle/ticket-runner'
import { NeedSupportRow } from './need-support.entity'
import { NeedRow } from './need.entity'

/** Who entered a need: a resident account, or a staff member (for a resident, from a visit, from a request). */
export type NeedAuthor = { kind: 'resident'; residentId: string } | { kind: 'staff'; staffId: string }

/** A new need, as the other domains (visits, meetings, requests) and the routes hand it in. */
export interface CreateNeedInput {
  source: NeedSource
  compoundId: string
  title: string
  description: string
  unitId?: string | null
  /** Counts the proposer's household (with the unit); never shown. */
  room?: string | null
  /** The request it was turned from, or filed with. */
  ticketId?: string | null
  createdBy: NeedAuthor
  /** Names, phones, rooms known to belong to the proposer: redacted from the public text too. */
  personal?: readonly (string | null | undefined)[]
}

/** A demo need: its words, the status it has reached, how many households support it. */
export interface DemoNeedSeed {
  compoundId: string
  unitId: string
  title: string
  description: string
  status: NeedStatus
  reason: string | null
  supporters: number
  createdByStaffId: string
}

export interface ListNeedsOptions {
  statuses?: readonly NeedStatus[]
}

interface CountRow {
  need_id: string
  count: string
}

/**
 * Residents' needs (居民需求清单). Proposed by residents (scan page) or entered by staff; supported once
 * per household (the proposer's household counts as the first, when known); given a public status by the
 * compound's staff who handle requests (any role with handle_tickets whose membership sits at the compound
 * or inside it, the compound secretary included). The public sees title, public text, status, reason and
 * the count; never who proposed or supported, never a room.
 */
@Injectable()
export class NeedsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly places: PlacesService,
    private readonly residents: ResidentsService,
    private readonly runner: TicketRunner,
    private readonly clock: Clock,
  ) {}

  /** Creates a need in `collecting`, counting the proposer's household when it is known. */
  async create(input: CreateNeedInput, manager: EntityManager = this.dataSource.manager): Promise<StaffNeed> {
    const compound = await this.activeCompound(input.compoundId)
    if (input.unitId) await this.unitOf(compound.id, input.unitId)
    const room = input.room?.trim() || null
    const known = [room, ...(input.personal ?? [])]
    const now = this.clock.now()
    const row = await manager.getRepository(NeedRow).save({
      compoundId: compound.id,
      unitId: input.unitId ?? null,
      title: redactPublicText(input.title.trim(), known),
      publicText: redactPublicText(input.description.trim(), known),
      source: input.source,
      status: 'collecting',
      reason: null,
      ticketId: input.ticketId ?? null,
      proposerResidentId: input.createdBy.kind === 'resident' ? input.createdBy.residentId : null,
      createdByStaffId: input.createdBy.kind === 'staff' ? input.createdBy.staffId : null,
      statusChangedBy: null,
      statusChangedAt: now,
    })
    const residentId = input.createdBy.kind === 'resident' ? input.createdBy.residentId : null
    const key = householdKey({ unitId: input.unitId, room, residentId })
    if (key) await this.addSupport(manager, row.id, key, residentId)
    return (await this.staffViews([row], manager))[0]
  }

  /** A compound's needs as the public sees them: open ones first by support, then finished ones. */
  async listForCompound(compoundId: string, options: ListNeedsOptions = {}): Promise<PublicNeed[]> {
    const rows = await this.dataSource.getRepository(NeedRow).find({
      where: { compoundId, ...(options.statuses ? { status: In([...options.statuses]) } : {}) },
      order: { createdAt: 'DESC' },
    })
    const counts = await this.counts(rows.map((r) => r.id))
    return sortForPublic(rows.map((r) => toPublicNeed(r, counts.get(r.id) ?? 0)))
  }

  /** The public list of an active compound (the needs page, without login). */
  async publicList(compoundId: string): Promise<PublicNeedList> {
    const compound = await this.activeCompound(compoundId)
    return { compoundName: compound.name, needs: await this.listForCompound(compound.id) }
  }

  /** A resident proposes a need with the stairwell code they scanned (its unit and compound). */
  async propose(resident: ResidentPrincipal, input: ProposeNeedInput): Promise<PublicNeed> {
    const { compound, unit } = await this.places.unitByToken(input.unitToken)
    const view = await this.create({
      source: 'resident',
      compoundId: compound.id,
      unitId: unit.id,
      room: input.room,
      title: input.title,
      description: input.description,
      createdBy: { kind: 'resident', residentId: resident.residentId },
    })
    return publicOf(view)
  }

  /** Staff enter a need for a compound they handle (for a resident, e.g. by phone). */
  async proposeByStaff(staff: StaffPrincipal, input: StaffNeedInput): Promise<StaffNeed> {
    this.assertHandles(staff, input.compoundId, 'PLACE_NOT_FOUND')
    return this.create({
      source: 'staff',
      compoundId: input.compoundId,
      unitId: input.unitId,
      room: input.room,
      title: input.title,
      description: input.description,
      createdBy: { kind: 'staff', staffId: staff.staffId },
    })
  }

  /**
   * +1 from a resident, with a stairwell code of the need's compound (only its residents support it; a
   * code elsewhere: 404). Counted once per household ((unit, room) when a room is given, else the account);
   * a second tap by the same account or household changes nothing and is not an error.
   */
  async support(resident: ResidentPrincipal, needId: string, input: SupportNeedInput): Promise<SupportNeedResult> {
    const need = await this.dataSource.getRepository(NeedRow).findOneBy({ id: needId })
    if (!need) throw new DomainError('NEED_NOT_FOUND', '找不到这个需求')
    const { compound, unit } = await this.places.unitByToken(input.unitToken)
    if (compound.id !== need.compoundId) throw new DomainError('NEED_NOT_FOUND', '找不到这个需求')
    let counted = false
    await this.dataSource.transaction(async (manager) => {
      const already = await manager
        .getRepository(NeedSupportRow)
        .existsBy({ needId, residentId: resident.residentId })
      if (already) return
      const key = householdKey({ unitId: unit.id, room: input.room, residentId: resident.residentId })!
      counted = await this.addSupport(manager, needId, key, resident.residentId)
    })
    const count = (await this.counts([needId])).get(needId) ?? 0
    return { supportCount: count, supported: true, counted }
  }

  /** The needs of a compound the resident supported or proposed. */
  async mine(resident: ResidentPrincipal, compoundId: string): Promise<MyNeeds> {
    const [supports, proposed] = await Promise.all([
      this.dataSource
        .getRepository(NeedSupportRow)
        .createQueryBuilder('s')
        .innerJoin(NeedRow, 'n', 'n.id = s.need_id')
        .where('s.resident_id = :rid AND n.compound_id = :cid', { rid: resident.residentId, cid: compoundId })
        .select('s.need_id', 'need_id')
        .getRawMany<{ need_id: string }>(),
      this.dataSource.getRepository(NeedRow).find({
        where: { compoundId, proposerResidentId: resident.residentId },
        select: { id: true },
      }),
    ])
    return { supported: supports.map((s) => s.need_id), proposed: proposed.map((p) => p.id) }
  }

  /** The needs of every compound the caller handles, with the compounds (the staff page). */
  async staffList(staff: StaffPrincipal): Promise<StaffNeedList> {
    const ids = this.handledCompoundIds(staff)
    const compounds = ids.length ? await this.places.compoundsUnder(ids) : []
    const mine = compounds.filter((c) => ids.includes(c.id))
    const rows = mine.length
      ? await this.dataSource.getRepository(NeedRow).find({
          where: { compoundId: In(mine.map((c) => c.id)) },
          order: { createdAt: 'DESC' },
        })
      : []
    const views = await this.staffViews(rows)
    return {
      compounds: mine.map((c) => ({ id: c.id, name: c.name })),
      needs: sortForPublic(views),
    }
  }

  /** Staff of the need's compound set its status; not feasible needs a public reason. */
  async setStatus(staff: StaffPrincipal, needId: string, input: NeedStatusInput): Promise<StaffNeed> {
    return this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(NeedRow)
      const need = await repo.findOne({ where: { id: needId }, lock: { mode: 'pessimistic_write' } })
      if (!need) throw new DomainError('NEED_NOT_FOUND', '找不到这个需求')
      this.assertHandles(staff, need.compoundId, 'NEED_NOT_FOUND')
      const reason = input.reason?.trim() || null
      const problem = needTransitionProblem(need.status, input.status, reason)
      if (problem === 'reason_required') {
        throw new DomainError('VALIDATION_FAILED', '请填写暂不可行的原因（会公示）', [
          { path: 'reason', message: '请填写暂不可行的原因（会公示）' },
        ])
      }
      if (problem) {
        throw new DomainError(
          'ILLEGAL_TRANSITION',
          `需求「${NEED_STATUS_LABELS[need.status]}」不能改为「${NEED_STATUS_LABELS[input.status]}」`,
        )
      }
      need.status = input.status
      need.reason = input.status === 'not_feasible' ? redactPublicText(reason!) : null
      need.statusChangedBy = staff.staffId
      need.statusChangedAt = this.clock.now()
      await repo.save(need)
      return (await this.staffViews([need], manager))[0]
    })
  }

  /**
   * Turns a request of 意见建议 or 生活需求与助老 into a need, in the request's own command (its lock, its
   * manager: handler, 网格长 or 小区书记; 404 outside the caller's places): the need takes the title staff
   * give and the request's public text, links back to it, counts the reporter's household as its first
   * support; a public 「转为居民需求」 entry joins the request's timeline. The request keeps its state: staff
   * still answer and resolve it as usual (closing it here would ask the resident to rate a need that may take
   * months). Once per request.
   */
  async fromRequest(staff: StaffPrincipal, ticketId: string, input: NeedFromRequestInput): Promise<StaffNeed> {
    return this.runner.run(ticketId, { authorise: asStaff(staff, 'manage') }, async (ctx) => {
      const { ticket, manager } = ctx
      if (!NEED_CONVERTIBLE_CATEGORIES.includes(ticket.category)) {
        const allowed = NEED_CONVERTIBLE_CATEGORIES.map((c) => `「${categoryOf(c).label}」`).join('或')
        throw new DomainError('NEED_NOT_CONVERTIBLE', `只有${allowed}类的诉求可以转为居民需求`)
      }
      if (await manager.getRepository(NeedRow).existsBy({ ticketId, source: 'request' })) {
        throw new DomainError('NEED_NOT_CONVERTIBLE', '这条诉求已经转为居民需求')
      }
      const reporter = ticket.reporterResidentId ? await this.residents.get(ticket.reporterResidentId) : null
      const personal = [reporter?.name, reporter?.phone, ticket.proxyName, ticket.proxyPhone, ticket.room]
      const view = await this.create(
        {
          source: 'request',
          compoundId: ticket.compoundId,
          unitId: ticket.unitId,
          room: ticket.room,
          title: input.title,
          // Staff's 公示 edit when there is one: the words already chosen for the public.
          description: ticket.publicText ?? ticket.description,
          ticketId,
          createdBy: reporter
            ? { kind: 'resident', residentId: reporter.id }
            : { kind: 'staff', staffId: staff.staffId },
          personal,
        },
        manager,
      )
      // The proposer is the reporter, entered by staff: who turned it is kept.
      await manager.getRepository(NeedRow).update(view.id, { createdByStaffId: staff.staffId })
      await ctx.record({ type: 'converted_to_need', public: true, data: { needId: view.id, title: view.title } })
      return view
    })
  }

  /**
   * Demo data (the demo compound only): needs entered by staff at the status they have reached, each with
   * `supporters` households (demo keys, no account or room behind them).
   */
  async seedDemo(manager: EntityManager, needs: readonly DemoNeedSeed[]): Promise<void> {
    const now = this.clock.now()
    for (const [i, seed] of needs.entries()) {
      const row = await manager.getRepository(NeedRow).save({
        compoundId: seed.compoundId,
        unitId: seed.unitId,
        title: seed.title,
        publicText: redactPublicText(seed.description),
        source: 'staff' as const,
        status: seed.status,
        reason: seed.reason,
        ticketId: null,
        proposerResidentId: null,
        createdByStaffId: seed.createdByStaffId,
        statusChangedBy: seed.status === 'collecting' ? null : seed.createdByStaffId,
        statusChangedAt: now,
      })
      for (let h = 0; h < seed.supporters; h++) await this.addSupport(manager, row.id, `demo:${i}:${h}`, null)
    }
  }

  /** One need as staff of its compound see it (for the request page's link, the meetings' agenda). */
  async get(staff: StaffPrincipal, needId: string): Promise<StaffNeed> {
    const need = await this.dataSource.getRepository(NeedRow).findOneBy({ id: needId })
    if (!need) throw new DomainError('NEED_NOT_FOUND', '找不到这个需求')
    this.assertHandles(staff, need.compoundId, 'NEED_NOT_FOUND')
    return (await this.staffViews([need]))[0]
  }

  /** The need turned from a request, or null (the request page shows the link). */
  async forTicket(ticketId: string): Promise<PublicNeed | null> {
    const need = await this.dataSource.getRepository(NeedRow).findOneBy({ ticketId, source: 'request' })
    if (!need) return null
    return toPublicNeed(need, (await this.counts([need.id])).get(need.id) ?? 0)
  }

  /** Ids of the compounds the caller handles requests in (membership at the compound, a building or a unit). */
  handledCompoundIds(staff: StaffPrincipal): string[] {
    const ids = staff.memberships.flatMap((m) => {
      if (!can(m.role, 'handle_tickets')) return []
      const depth = { compound: 1, building: 2, unit: 3 }[m.placeKind as string]
      return depth ? [m.placePath[m.placePath.length - depth]] : []
    })
    return [...new Set(ids)]
  }

  private assertHandles(staff: StaffPrincipal, compoundId: string, missing: 'PLACE_NOT_FOUND' | 'NEED_NOT_FOUND'): void {
    if (!this.handledCompoundIds(staff).includes(compoundId)) {
      throw new DomainError(missing, missing === 'NEED_NOT_FOUND' ? '找不到这个需求' : '找不到这个小区')
    }
  }

  private async activeCompound(compoundId: string): Promise<Place> {
    const compound = await this.places.get(compoundId, 'compound').catch((error: unknown) => {
      if (error instanceof DomainError) throw new DomainError('PLACE_NOT_FOUND', '找不到这个小区')
      throw error
    })
    if (compound.retiredAt) throw new DomainError('PLACE_NOT_FOUND', '找不到这个小区')
    return compound
  }

  /** The unit, when it is an active unit of the compound; else PLACE_NOT_FOUND. */
  private async unitOf(compoundId: string, unitId: string): Promise<Place> {
    const context = await this.places.unitContext(unitId)
    if (context.compound.id !== compoundId) throw new DomainError('PLACE_NOT_FOUND', '找不到这个单元')
    return context.unit
  }

  /** Inserts one household's support; false when that household had supported already. */
  private async addSupport(manager: EntityManager, needId: string, key: string, residentId: string | null): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(NeedSupportRow)
      .values({ needId, householdKey: createHash('sha256').update(key).digest('hex'), residentId })
      .orIgnore()
      .execute()
    return (result.raw as unknown[]).length > 0
  }

  private async counts(needIds: readonly string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, number>> {
    if (needIds.length === 0) return new Map()
    const rows = await manager
      .getRepository(NeedSupportRow)
      .createQueryBuilder('s')
      .select('s.need_id', 'need_id')
      .addSelect('count(*)', 'count')
      .where('s.need_id IN (:...ids)', { ids: [...needIds] })
      .groupBy('s.need_id')
      .getRawMany<CountRow>()
    return new Map(rows.map((r) => [r.need_id, Number(r.count)]))
  }

  private async staffViews(rows: NeedRow[], manager: EntityManager = this.dataSource.manager): Promise<StaffNeed[]> {
    if (rows.length === 0) return []
    const counts = await this.counts(rows.map((r) => r.id), manager)
    const compoundIds = [...new Set(rows.map((r) => r.compoundId))]
    const unitIds = [...new Set(rows.flatMap((r) => (r.unitId ? [r.unitId] : [])))]
    const [compounds, units] = await Promise.all([
      Promise.all(compoundIds.map((id) => this.places.get(id, undefined, manager))),
      Promise.all(unitIds.map((id) => this.places.unitContext(id, manager).catch(() => null))),
    ])
    const compoundName = new Map(compounds.map((c) => [c.id, c.name]))
    const unitLabel = new Map(units.flatMap((u) => (u ? [[u.unit.id, `${u.building.name}${u.unit.name}`] as const] : [])))
    return rows.map((r) => ({
      ...toPublicNeed(r, counts.get(r.id) ?? 0),
      compoundName: compoundName.get(r.compoundId) ?? '',
      unitLabel: r.unitId ? (unitLabel.get(r.unitId) ?? null) : null,
      ticketId: r.ticketId,
    }))
  }
}

function toPublicNeed(r: NeedRow, supportCount: number): PublicNeed {
  return {
    id: r.id,
    compoundId: r.compoundId,
    title: r.title,
    publicText: r.publicText,
    status: r.status,
    reason: r.status === 'not_feasible' ? r.reason : null,
    supportCount,
    source: r.source,
    createdAt: r.createdAt.toISOString(),
    statusChangedAt: r.statusChangedAt.toISOString(),
  }
}

function publicOf(view: StaffNeed): PublicNeed {
  return {
    id: view.id,
    compoundId: view.compoundId,
    title: view.title,
    publicText: view.publicText,
    status: view.status,
    reason: view.reason,
    supportCount: view.supportCount,
    source: view.source,
    createdAt: view.createdAt,
    statusChangedAt: view.statusChangedAt,
  }
}

const STATUS_ORDER: Record<NeedStatus, number> = { in_progress: 0, planned: 1, collecting: 2, done: 3, not_feasible: 4 }

/** Open needs before finished ones; within a status, most supported first, then newest. */
function sortForPublic<T extends PublicNeed>(needs: T[]): T[] {
  return [...needs].sort(
    (a, b) =>
      STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
      b.supportCount - a.supportCount ||
      b.createdAt.localeCompare(a.createdAt),
  )
}
