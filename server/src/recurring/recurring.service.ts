import { Injectable } from '@nestjs/common'
import { InjectDataSource } from '@nestjs/typeorm'
import {
  detectRecurring,
  localDateString,
  mayAct,
  publicTextOf,
  RECURRING_WINDOW_DAYS,
  ROLE_LABELS,
  scopeOf,
  type AdoptRecurringInput,
  type CategoryCode,
  type DismissRecurringInput,
  type PublicRecurring,
  type RecurringCompounds,
  type RecurringCandidate,
  type RecurringList,
  type RecurringProblem,
  type RecurringProgressInput,
  type RecurringRequest,
  type TicketState,
} from '@mq/shared'
import { DataSource, In, LessThan } from 'typeorm'
import type { StaffPrincipal } from '../auth/principal'
import { Clock } from '../common/clock'
import { DomainError } from '../common/domain-error'
import type { Place } from '../places/place.entity'
import { PlacesService } from '../places/places.service'
import { StaffService } from '../staff/staff.service'
import { ticketNumber } from '../tickets/ticket.view'
import { RecurringProblemRow } from './recurring-problem.entity'
import { RecurringProgressRow } from './recurring-progress.entity'

interface RequestRow {
  id: string
  number: number
  category: CategoryCode
  state: TicketState
  building_id: string
  building_name: string
  created_at: Date
  description: string
  public_text: string | null
  /** Read only to mask them in the public text, never shown. */
  reporter_name: string | null
  reporter_phone: string | null
  proxy_name: string | null
  proxy_phone: string | null
  room: string | null
}

/** A request as recurring problems show it: its public projection's words (staff's 公示 edit, else redacted). */
function toRecurringRequest(r: RequestRow): RecurringRequest {
  return {
    id: r.id,
    number: ticketNumber(r.number),
    category: r.category,
    buildingName: r.building_name,
    state: r.state,
    publicText: publicTextOf({
      description: r.description,
      publicText: r.public_text,
      personal: [r.reporter_name, r.reporter_phone, r.proxy_name, r.proxy_phone, r.room],
    }),
    createdAt: r.created_at.toISOString(),
  }
}

/**
 * Recurring problems (重点问题). Proposals are computed on demand from the last 30 days of a compound's
 * requests (shared detectRecurring over their public text) and not stored; a supervisor's decision on one
 * (adopt with an owner role, a plan and a target date, or dismiss with a reason) is, under the proposal's
 * key, with the requests it covered. A dismissed proposal comes back only with a request it did not cover;
 * an adopted one is not proposed again while it stands. Everything shown is public words: the board shows
 * adopted problems as they are here.
 */
@Injectable()
export class RecurringService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly places: PlacesService,
    private readonly staff: StaffService,
    private readonly clock: Clock,
  ) {}

  /** The compounds under any place the caller supervises, by community then name (the staff page's picker). */
  async compounds(staff: StaffPrincipal): Promise<RecurringCompounds> {
    const compounds = await this.places.compoundsUnder(scopeOf(staff.memberships, 'supervise_tickets'))
    const parents = await Promise.all(
      [...new Set(compounds.map((c) => c.parentId!))].map((id) => this.places.get(id).then((p) => [id, p.name] as const)),
    )
    const names = new Map(parents)
    return {
      compounds: compounds
        .map((c) => ({ id: c.id, name: c.name, communityName: names.get(c.parentId!) ?? '' }))
        .sort((a, b) => a.communityName.localeCompare(b.communityName, 'zh-CN') || a.name.localeCompare(b.name, 'zh-CN', { numeric: true })),
    }
  }

  /** Proposed and adopted problems of a compound the caller supervises. */
  async list(staff: StaffPrincipal, compoundId: string): Promise<RecurringList> {
    const compound = await this.supervised(staff, compoundId)
    const [proposed, adopted, dismissed] = await Promise.all([
      this.proposed(compoundId),
      this.decided(compoundId),
      this.decided(compoundId, undefined, 'dismissed'),
    ])
    return {
      compoundName: compound.name,
      proposed: proposed.map(({ candidate, requests }) => ({
        key: candidate.key,
        kind: candidate.kind,
        title: candidate.title,
        category: candidate.category,
        buildingName: candidate.buildingName,
        requests,
      })),
      adopted,
      dismissed,
    }
  }

  async adopt(staff: StaffPrincipal, input: AdoptRecurringInput): Promise<RecurringProblem> {
    await this.supervised(staff, input.compoundId)
    if (input.targetDate < localDateString(this.clock.now())) {
      throw new DomainError('VALIDATION_FAILED', '目标日期不能早于今天', [{ path: 'targetDate', message: '目标日期不能早于今天' }])
    }
    const candidate = await this.candidate(input.compoundId, input.key)
    const row = await this.dataSource.getRepository(RecurringProblemRow).save({
      compoundId: input.compoundId,
      key: candidate.key,
      kind: candidate.kind,
      category: candidate.category,
      title: candidate.title,
      status: 'adopted',
      ownerRole: input.ownerRole,
      plan: input.plan,
      targetDate: input.targetDate,
      dismissReason: null,
      ticketIds: candidate.ticketIds,
      decidedBy: staff.staffId,
    })
    return this.problem(row.id)
  }

  async dismiss(staff: StaffPrincipal, input: DismissRecurringInput): Promise<RecurringProblem> {
    await this.supervised(staff, input.compoundId)
    const candidate = await this.candidate(input.compoundId, input.key)
    const row = await this.dataSource.getRepository(RecurringProblemRow).save({
      compoundId: input.compoundId,
      key: candidate.key,
      kind: candidate.kind,
      category: candidate.category,
      title: candidate.title,
      status: 'dismissed',
      ownerRole: null,
      plan: null,
      targetDate: null,
      dismissReason: input.reason,
      ticketIds: candidate.ticketIds,
      decidedBy: staff.staffId,
    })
    return this.problem(row.id)
  }

  /** A progress entry of an adopted problem in the caller's places: public words, shown on the board. */
  async addProgress(staff: StaffPrincipal, id: string, input: RecurringProgressInput): Promise<RecurringProblem> {
    const row = await this.dataSource.getRepository(RecurringProblemRow).findOneBy({ id, status: 'adopted' })
    if (!row) throw new DomainError('RECURRING_NOT_FOUND', '找不到这个重点问题')
    await this.supervised(staff, row.compoundId, 'RECURRING_NOT_FOUND')
    await this.dataSource.getRepository(RecurringProgressRow).save({ problemId: id, note: input.note, createdBy: staff.staffId })
    return this.problem(id)
  }

  /**
   * The adopted problems of a compound as the public sees them, newest first: with `before`, those adopted
   * before it, with progress entries written before it (a quarter's report).
   */
  async publicProblems(compoundId: string, before?: Date): Promise<PublicRecurring[]> {
    const views = await this.decided(compoundId, before)
    return views.map((v): PublicRecurring => ({
      id: v.id,
      kind: v.kind,
      title: v.title,
      ownerLabel: v.ownerLabel,
      plan: v.plan,
      targetDate: v.targetDate,
      adoptedAt: v.adoptedAt,
      progress: v.progress,
      requests: v.requests,
    }))
  }

  /** The compound, when one of the caller's memberships supervises it; else as if it were not there. */
  private async supervised(
    staff: StaffPrincipal,
    compoundId: string,
    missing: 'PLACE_NOT_FOUND' | 'RECURRING_NOT_FOUND' = 'PLACE_NOT_FOUND',
  ): Promise<Place> {
    const compound = await this.places.get(compoundId, 'compound').catch((error: unknown) => {
      if (error instanceof DomainError && error.code === 'PLACE_NOT_FOUND') throw new DomainError(missing, '找不到这个小区')
      throw error
    })
    if (!mayAct(staff.memberships, 'supervise_tickets', compound.path)) {
      throw new DomainError(missing, missing === 'PLACE_NOT_FOUND' ? '找不到这个小区' : '找不到这个重点问题')
    }
    return compound
  }

  /** A proposal open for a decision now, by its key. */
  private async candidate(compoundId: string, key: string): Promise<RecurringCandidate> {
    const found = (await this.proposed(compoundId)).find((p) => p.candidate.key === key)
    if (!found) throw new DomainError('RECURRING_NOT_FOUND', '这个重点问题已处理或已不再符合条件，请刷新')
    return found.candidate
  }

  /** What the rule proposes now, less what supervisors already decided. */
  private async proposed(compoundId: string): Promise<{ candidate: RecurringCandidate; requests: RecurringRequest[] }[]> {
    const now = this.clock.now()
    const since = new Date(now.getTime() - RECURRING_WINDOW_DAYS * 24 * 3600_000)
    const rows = await this.requests(
      `t.compound_id = $1 AND t.created_at > $2 AND t.created_at <= $3 AND t.state NOT IN ('withdrawn', 'merged')`,
      [compoundId, since, now],
    )
    const views = rows.map(toRecurringRequest)
    const candidates = detectRecurring(
      rows.map((r, i) => ({
        id: r.id,
        buildingId: r.building_id,
        buildingName: r.building_name,
        category: r.category,
        createdAt: r.created_at,
        publicText: views[i].publicText,
      })),
      now,
    )
    if (candidates.length === 0) return []
    const decisions = await this.dataSource
      .getRepository(RecurringProblemRow)
      .findBy({ compoundId, key: In(candidates.map((c) => c.key)) })
    const byId = new Map(views.map((v) => [v.id, v]))
    return candidates
      .filter(
        (c) =>
          !decisions.some(
            (d) => d.key === c.key && (d.status === 'adopted' || c.ticketIds.every((id) => d.ticketIds.includes(id))),
          ),
      )
      .map((candidate) => ({ candidate, requests: candidate.ticketIds.map((id) => byId.get(id)!) }))
  }

  private async problem(id: string): Promise<RecurringProblem> {
    const row = await this.dataSource.getRepository(RecurringProblemRow).findOneByOrFail({ id })
    const [view] = await this.views([row])
    return view
  }

  private async decided(
    compoundId: string,
    before?: Date,
    status: RecurringProblemRow['status'] = 'adopted',
  ): Promise<RecurringProblem[]> {
    const rows = await this.dataSource.getRepository(RecurringProblemRow).find({
      where: { compoundId, status, ...(before ? { decidedAt: LessThan(before) } : {}) },
      order: { decidedAt: 'DESC' },
    })
    return this.views(rows, before)
  }

  private async views(rows: RecurringProblemRow[], before?: Date): Promise<RecurringProblem[]> {
    if (rows.length === 0) return []
    const ids = [...new Set(rows.flatMap((r) => r.ticketIds))]
    const [requests, progress, deciders] = await Promise.all([
      this.requests('t.id = ANY($1::uuid[])', [ids]).then((found) => new Map(found.map((r) => [r.id, toRecurringRequest(r)]))),
      this.dataSource.getRepository(RecurringProgressRow).find({
        where: { problemId: In(rows.map((r) => r.id)), ...(before ? { createdAt: LessThan(before) } : {}) },
        order: { createdAt: 'ASC' },
      }),
      this.deciders(rows),
    ])
    return rows.map((r) => ({
      id: r.id,
      key: r.key,
      kind: r.kind,
      status: r.status,
      title: r.title,
      ownerRole: r.ownerRole,
      ownerLabel: r.ownerRole ? ROLE_LABELS[r.ownerRole] : '',
      plan: r.plan ?? '',
      targetDate: r.targetDate ?? '',
      dismissReason: r.dismissReason,
      decidedByLabel: deciders.get(`${r.decidedBy}|${r.compoundId}`) ?? '',
      adoptedAt: r.decidedAt.toISOString(),
      progress: progress.filter((p) => p.problemId === r.id).map((p) => ({ id: p.id, note: p.note, at: p.createdAt.toISOString() })),
      requests: r.ticketIds.flatMap((id) => requests.get(id) ?? []),
    }))
  }

  /** The role each decision's supervisor holds in its compound's places, as a label, by "staff|compound". */
  private async deciders(rows: RecurringProblemRow[]): Promise<Map<string, string>> {
    const pairs = [...new Map(rows.map((r) => [`${r.decidedBy}|${r.compoundId}`, r])).values()]
    const paths = new Map<string, readonly string[]>()
    for (const id of new Set(pairs.map((r) => r.compoundId))) paths.set(id, (await this.places.get(id)).path)
    const labels = await Promise.all(
      pairs.map(async (r) => {
        const role = await this.staff.roleAt(r.decidedBy, paths.get(r.compoundId)!)
        return [`${r.decidedBy}|${r.compoundId}`, role ? ROLE_LABELS[role] : ''] as const
      }),
    )
    return new Map(labels)
  }

  /** Requests with what their public text needs; the personal columns are read only to mask them. */
  private requests(where: string, params: unknown[]): Promise<RequestRow[]> {
    return this.dataSource.query<RequestRow[]>(
      `SELECT t.id, t.number, t.category, t.state, t.building_id, b.name AS building_name, t.created_at,
              t.description, t.public_text,
              r.name AS reporter_name, r.phone AS reporter_phone, t.proxy_name, t.proxy_phone, t.room
         FROM ticket t JOIN place b ON b.id = t.building_id
         LEFT JOIN resident r ON r.id = t.reporter_resident_id
        WHERE ${where}
        ORDER BY t.created_at, t.number`,
      params,
    )
  }
}
