import { Injectable } from '@nestjs/common'
import {
  CHASE_COOLDOWN_MINUTES,
  DUPLICATE_WINDOW_DAYS,
  endOfLocalDay,
  can,
  mayAct,
  ROLE_LABELS,
  ROLES,
  OPEN_STATES,
  SUPERVISOR_ROLES,
  type CategoryCode,
  type Channel,
  type CreateTicketInput,
  type DuplicateList,
  type DuplicatesQuery,
  type InboxQuery,
  type MyTicketsQuery,
  type ProxyTicketInput,
  type Role,
  type TicketCandidates,
  type TicketListItem,
  type TicketPage,
  type TicketRelation,
  type TicketState,
  type TicketView,
} from '@mq/shared'
import { createHash } from 'node:crypto'
import { DataSource, type EntityManager } from 'typeorm'
import { AccessLogService } from '../access-log/access-log.service'
import type { Principal, ResidentPrincipal, StaffPrincipal } from '../auth/principal'
import { Clock } from '../common/clock'
import { isUniqueViolation } from '../common/database-errors'
import { DomainError } from '../common/domain-error'
import type { Place } from '../places/place.entity'
import { PlacesService, type UnitContext } from '../places/places.service'
import { rescheduleTimers } from './lifecycle/timer-plan'
import { PhotosService, type Uploader } from '../photos/photos.service'
import { Resident } from '../residents/resident.entity'
import { RoutingService } from '../routing/routing.service'
import { notFound, residentCommands, staffCommands, staffRelation } from './ticket-access'
import { DeadlineSettingsService } from '../deadlines/deadline-settings.service'
import { recomputeDeadlines } from './lifecycle/ticket-deadlines'
import { loadViewable } from './read/ticket-loader'
import { prepared } from './read/prepared'
import { TicketEvent } from './ticket-event.entity'
import { notifyStaff, recordEvent, SYSTEM, type Actor } from './ticket-journal'
import { IdempotencyKey, TicketCoHandler, TicketFollower, TicketRating } from './ticket-relations.entity'
import { Ticket } from './ticket.entity'
import {
  photoVisible,
  toFollowedListView,
  toPublicRequestView,
  toPublicTicketDetail,
  toPublicTicketView,
  toTicketView,
  type PublicTicketDetail,
  type TicketViewer,
  type ViewableTicket,
} from './ticket.view'

/** Open requests of one category in a building, before filing. */
const DUPLICATES_MAX = 20
/** Open requests of every category in a building, for the scan page. */
const BUILDING_OPEN_MAX = 50

export interface FileTicketInput {
  unitId: string
  category: CategoryCode
  description: string
  channel: Channel
  reporterResidentId?: string | null
  /**
   * A proxy entry: the resident's name and phone as told to staff, and the staff member who filed it. No
   * staff member when a partner system filed it (Open311): the timeline then names `source` instead.
   */
  proxy?: { name: string; phone: string | null; staffId: string | null } | null
  /** The partner system that filed it (Open311), shown on the public "filed" entry. No personal data. */
  source?: string | null
  /** The unit with its building and compound, when the caller has just looked it up (saves reading it again). */
  where?: UnitContext
  room?: string | null
  contactConsent?: boolean
  photoIds?: string[]
}

/** The relations every view reads. */
export const VIEW_RELATIONS = {
  unit: true,
  building: true,
  compound: true,
  handler: true,
  mergedInto: true,
} as const

/** Open states as SQL literals, so the planner matches the partial indexes (ticket.entity.ts). */
export const OPEN_SQL = `(${OPEN_STATES.map((s) => `'${s}'`).join(', ')})`

/** JSON with sorted keys: the same body always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}

export type CreateRequest =
  { kind: 'resident'; input: CreateTicketInput } | { kind: 'proxy'; input: ProxyTicketInput }

/** What the public may ask for (publicSearch): at most `limit` requests, newest first. */
export interface PublicTicketQuery {
  compoundId?: string
  /** Ticket numbers (MQ000123 → 123). */
  numbers?: number[]
  categories?: CategoryCode[]
  states?: TicketState[]
  /** Filed at or after. */
  from?: Date
  /** Filed at or before. */
  to?: Date
  limit: number
}

/** Who may see a request and as what; null: it does not exist for them. */
interface Access {
  viewer: TicketViewer
  relation: TicketRelation
}

@Injectable()
export class TicketsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly places: PlacesService,
    private readonly routing: RoutingService,
    private readonly clock: Clock,
    private readonly accessLog: AccessLogService,
    private readonly photos: PhotosService,
    private readonly deadlineSettings: DeadlineSettingsService,
  ) {}

  /**
   * Creates a request once per `Idempotency-Key` (SPEC §4): the same key and body again → the original
   * (replayed), another body → 422, the same key still being created → 409. The key row is written in
   * the request's own transaction, so a request exists if and only if its key does.
   */
  async create(
    principal: Principal,
    request: CreateRequest,
    key: string,
    requestId: string | null,
  ): Promise<{ view: TicketView; replayed: boolean }> {
    const owner =
      principal.kind === 'staff' ? `staff:${principal.staffId}` : `resident:${principal.residentId}`
    const bodyHash = createHash('sha256').update(canonical(request)).digest('hex')
    const replay = async (row: IdempotencyKey) => {
      if (row.bodyHash !== bodyHash) {
        throw new DomainError('IDEMPOTENCY_MISMATCH', '这个 Idempotency-Key 已用于另一条内容不同的诉求')
      }
      return { view: await this.detail(row.ticketId, principal, requestId), replayed: true }
    }
    const keys = this.dataSource.getRepository(IdempotencyKey)
    const known = await keys.findOneBy({ principal: owner, key })
    if (known) return replay(known)

    const input = await this.fileInputFor(principal, request)
    let outcome: { replay: IdempotencyKey } | { ticketId: string }
    try {
      outcome = await this.dataSource.transaction(async (manager) => {
        // Not waiting: a twin still in flight answers 409 at once, and the client retries for the result.
        const [{ locked }] = await manager.query<{ locked: boolean }[]>(
          'SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS locked',
          [`idempotency:${owner}:${key}`],
        )
        if (!locked) throw new DomainError('CONFLICT', '同一条诉求正在提交，请稍后再试')
        const existing = await manager.getRepository(IdempotencyKey).findOneBy({ principal: owner, key })
        if (existing) return { replay: existing }
        const ticket = await this.file(input, manager)
        await manager
          .getRepository(IdempotencyKey)
          .insert({ principal: owner, key, bodyHash, ticketId: ticket.id, createdAt: this.clock.now() })
        return { ticketId: ticket.id }
      })
    } catch (error) {
      // Lost a race past the lock (a hash collision of the lock key, say): the winner's row decides.
      if (!isUniqueViolation(error)) throw error
      const winner = await keys.findOneBy({ principal: owner, key })
      if (!winner) throw new DomainError('CONFLICT', '同一条诉求正在提交，请稍后再试')
      outcome = { replay: winner }
    }
    if ('replay' in outcome) return replay(outcome.replay)
    return {
      view: await this.detail(outcome.ticketId, principal, requestId, { justFiled: true }),
      replayed: false,
    }
  }

  private async fileInputFor(principal: Principal, request: CreateRequest): Promise<FileTicketInput> {
    if (request.kind === 'resident') {
      if (principal.kind !== 'resident') throw new DomainError('FORBIDDEN', '请以居民身份提交')
      const { input } = request
      const where = input.unitToken
        ? await this.places.unitByToken(input.unitToken)
        : await this.places.unitContext(input.unitId!)
      const resident = await this.dataSource.getRepository(Resident).findOneBy({ id: principal.residentId })
      if (!resident) throw new DomainError('UNAUTHENTICATED', '登录已失效，请重新登录')
      return {
        unitId: where.unit.id,
        where: { unit: where.unit, building: where.building, compound: where.compound },
        category: input.category,
        description: input.description,
        channel: resident.openid ? 'miniapp' : 'h5',
        reporterResidentId: resident.id,
        room: input.room ?? null,
        contactConsent: input.contactConsent,
        photoIds: input.photoIds,
      }
    }
    if (principal.kind !== 'staff') throw new DomainError('FORBIDDEN', '只有工作人员可以代录')
    const { input } = request
    const where = await this.places.unitContext(input.unitId)
    if (!mayAct(principal.memberships, 'file_proxy_tickets', where.unit.path)) {
      throw new DomainError('PLACE_NOT_FOUND', '找不到这个单元')
    }
    return {
      unitId: where.unit.id,
      category: input.category,
      description: input.description,
      channel: input.channel,
      proxy: { name: input.residentName, phone: input.residentPhone ?? null, staffId: principal.staffId },
      room: input.room ?? null,
      contactConsent: true,
      photoIds: input.photoIds,
    }
  }

  /**
   * Files a request: the row, its routing, deadlines, photos, co-handlers, first timeline events and the
   * outbox rows of the assignment, in one transaction.
   */
  async file(input: FileTicketInput, manager?: EntityManager): Promise<Ticket> {
    if (!manager) return this.dataSource.transaction((m) => this.file(input, m))
    const where =
      input.where?.unit.id === input.unitId
        ? input.where
        : await this.places.unitContext(input.unitId, manager)
    const decision = await this.routing.route(manager, where, input.category)
    const now = this.clock.now()
    const repo = manager.getRepository(Ticket)
    const ticket = repo.create({
      unitId: where.unit.id,
      buildingId: where.building.id,
      compoundId: where.compound.id,
      category: input.category,
      severity: decision.rule.severity,
      state: 'submitted',
      stateBeforeWait: null,
      channel: input.channel,
      description: input.description,
      reporterResidentId: input.reporterResidentId ?? null,
      proxyName: input.proxy?.name ?? null,
      proxyPhone: input.proxy?.phone ?? null,
      proxyStaffId: input.proxy?.staffId ?? null,
      room: input.room ?? null,
      contactConsent: input.contactConsent ?? false,
      handlerStaffId: decision.handler?.staffId ?? null,
      handlerRole: decision.handler?.role ?? null,
      coRoles: decision.rule.coRoles,
      promisedAt: null,
      clockStartedAt: now,
      pauses: [],
      acceptedAt: null,
      repliedAt: null,
      resolvedAt: null,
      createdAt: now,
      // The compound's deadline settings now: the request keeps them whatever changes later.
      deadlineConfig: await this.deadlineSettings.forFiling(where.compound.id, manager),
    })
    recomputeDeadlines(ticket)
    await repo.save(ticket)
    // Its warning and overdue timers, in this transaction (lifecycle/timer-plan.ts).
    await rescheduleTimers(manager, ticket, now)

    const uploader: Uploader | null = input.proxy?.staffId
      ? { kind: 'staff', id: input.proxy.staffId }
      : input.reporterResidentId
        ? { kind: 'resident', id: input.reporterResidentId }
        : null
    if (input.photoIds?.length) {
      if (!uploader) throw new DomainError('VALIDATION_FAILED', '照片无效')
      await this.photos.attach(manager, {
        photoIds: input.photoIds,
        uploader,
        ticketId: ticket.id,
        kind: 'report',
      })
    }
    if (decision.coHandlers.length > 0) {
      await manager
        .getRepository(TicketCoHandler)
        .insert(
          decision.coHandlers.map((c) => ({
            ticketId: ticket.id,
            staffId: c.staffId,
            role: c.role,
            createdAt: now,
          })),
        )
    }

    const actor: Actor = input.proxy?.staffId
      ? { kind: 'staff', id: input.proxy.staffId, role: null }
      : input.proxy
        ? { ...SYSTEM }
        : { kind: 'resident', id: input.reporterResidentId ?? null, role: null }
    if (input.proxy?.staffId) {
      const scope = await manager.query<{ role: Role }[]>(
        `SELECT m.role FROM membership m WHERE m.staff_id = $1 AND m.place_id = ANY($2::uuid[]) ORDER BY m.created_at LIMIT 1`,
        [input.proxy.staffId, where.unit.path],
      )
      actor.role = scope[0]?.role ?? null
    }
    await recordEvent(manager, {
      ticketId: ticket.id,
      actor,
      type: 'filed',
      public: true,
      data: {
        channel: input.channel,
        photos: input.photoIds?.length ?? 0,
        ...(input.source ? { source: input.source } : {}),
      },
      at: now,
    })
    const routed = await recordEvent(manager, {
      ticketId: ticket.id,
      actor: SYSTEM,
      type: 'routed',
      public: true,
      data: {
        role: decision.handler?.role ?? null,
        reason: decision.reason,
        coHandlerRoles: decision.coHandlers.map((c) => c.role),
      },
      at: now,
    })
    await notifyStaff(manager, ticket, routed, 'assigned', [decision.handler?.staffId ?? null], {
      as: 'handler',
    })
    await notifyStaff(
      manager,
      ticket,
      routed,
      'assigned',
      decision.coHandlers.map((c) => c.staffId),
      { as: 'co_handler' },
    )
    return ticket
  }

  /**
   * One request as the caller may see it: staff within their scope, a resident only what they reported
   * or follow. Anything else is 404, so callers learn nothing about requests outside their reach.
   * Unmasked personal data is logged before it is returned.
   */
  /**
   * Active staff who may handle requests at the ticket's unit, for transfer and co-handler pickers.
   * Display names and roles only: staff phone numbers are not for other staff to browse.
   */
  async candidates(staff: StaffPrincipal, id: string): Promise<TicketCandidates> {
    const [ticket] = await this.dataSource.query<{ path: string[] }[]>(
      `SELECT p.path FROM ticket t JOIN place p ON p.id = t.unit_id WHERE t.id = $1`,
      [id],
    )
    if (!ticket || !mayAct(staff.memberships, 'view_tickets', ticket.path)) throw notFound()
    const rows = await this.dataSource.query<{ staff_id: string; name: string; role: Role }[]>(
      `SELECT DISTINCT s.id AS staff_id, s.name, m.role
         FROM membership m JOIN staff s ON s.id = m.staff_id AND s.active
        WHERE m.place_id = ANY($1::uuid[]) AND m.role = ANY($2)
        ORDER BY m.role, s.name`,
      [ticket.path, ROLES.filter((role) => can(role, 'handle_tickets'))],
    )
    return {
      candidates: rows.map((r) => ({ staffId: r.staff_id, name: r.name, role: r.role, roleLabel: ROLE_LABELS[r.role] })),
    }
  }

  async detail(
    id: string,
    principal: Principal,
    requestId: string | null,
    /** `justFiled`: this call filed it a moment ago, so it has no rating and no chase yet (two reads saved). */
    known: { justFiled?: boolean } = {},
  ): Promise<TicketView> {
    const [ticket] = await loadViewable(this.dataSource, [id], { reporter: true })
    if (!ticket) throw notFound()
    const coHandlers = await this.dataSource.query<{ staff_id: string; role: Role; name: string }[]>(
      `SELECT c.staff_id, c.role, s.name FROM ticket_co_handler c JOIN staff s ON s.id = c.staff_id
        WHERE c.ticket_id = $1 ORDER BY c.created_at, c.staff_id`,
      [id],
    )
    const access = await this.accessFor(
      ticket,
      principal,
      coHandlers.map((c) => c.staff_id),
    )
    if (!access) throw notFound()
    const commands =
      principal.kind === 'staff'
        ? staffCommands(principal.staffId, principal.memberships, ticket, ticket.unit.path)
        : residentCommands(access.relation === 'reporter' ? 'reporter' : 'follower', ticket)
    const nextChaseAt =
      commands.includes('chase') && !known.justFiled
        ? await this.nextChaseAt(this.dataSource.manager, ticket.id, principal)
        : null
    const [events, photos, rating] = await Promise.all([
      this.dataSource.query<(Record<string, unknown> & { actor_name: string | null })[]>(
        `SELECT e.*, s.name AS actor_name FROM ticket_event e
           LEFT JOIN staff s ON e.actor_kind = 'staff' AND s.id = e.actor_id
          WHERE e.ticket_id = $1 ORDER BY e.at, e.id`,
        [id],
      ),
      this.photos.forTickets([id]),
      known.justFiled
        ? null
        : this.dataSource
            .getRepository(TicketRating)
            .findOne({ where: { ticketId: id }, order: { at: 'DESC', id: 'DESC' } }),
    ])
    const { view, disclosed } = toTicketView(ticket, access.viewer, {
      events: events.map((row) => ({ event: toEvent(row), actorName: row.actor_name })),
      photos,
      coHandlers: coHandlers.map((c) => ({ staffId: c.staff_id, role: c.role, name: c.name })),
      rating,
      viewer: { relation: access.relation, commands, nextChaseAt },
    })
    if (disclosed && principal.kind === 'staff') {
      await this.accessLog.record({
        staffId: principal.staffId,
        role: disclosed.role,
        ticketId: ticket.id,
        compoundId: ticket.compoundId,
        fields: disclosed.fields,
        requestId,
      })
    }
    return view
  }

  /** A photo of a request, to a caller who may see the request and that photo (ticket.view.ts photoVisible). */
  async photo(
    id: string,
    photoId: string,
    principal: Principal,
  ): Promise<{ bytes: Buffer; contentType: string }> {
    const ticket = await this.dataSource
      .getRepository(Ticket)
      .findOne({ where: { id }, relations: { unit: true } })
    if (!ticket) throw notFound()
    // Co-handlers only refine the staff relation, which does not change what staff may see.
    const access = await this.accessFor(ticket as Ticket & { unit: Place }, principal, [])
    if (!access) throw notFound()
    const photo = await this.photos.attached(id, photoId)
    if (!photo || !photoVisible(photo.kind, access.viewer, access.relation)) {
      throw new DomainError('PHOTO_NOT_FOUND', '找不到这张照片')
    }
    return { bytes: await this.photos.bytes(photo), contentType: photo.contentType }
  }

  /** Whether the caller may see this request, and as what. */
  async accessFor(
    ticket: Pick<
      Ticket,
      | 'id'
      | 'reporterResidentId'
      | 'state'
      | 'severity'
      | 'stateBeforeWait'
      | 'handlerStaffId'
      | 'proxyStaffId'
    > & {
      unit: Place
    },
    principal: Principal,
    coHandlerIds: string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Access | null> {
    if (principal.kind === 'staff') {
      if (!mayAct(principal.memberships, 'view_tickets', ticket.unit.path)) return null
      return {
        viewer: { kind: 'staff', staffId: principal.staffId, memberships: principal.memberships },
        relation: staffRelation(
          principal.staffId,
          principal.memberships,
          ticket,
          ticket.unit.path,
          coHandlerIds,
        ),
      }
    }
    const viewer: TicketViewer = { kind: 'resident', residentId: principal.residentId }
    if (ticket.reporterResidentId === principal.residentId) return { viewer, relation: 'reporter' }
    const follows = await manager
      .getRepository(TicketFollower)
      .existsBy({ ticketId: ticket.id, residentId: principal.residentId })
    return follows ? { viewer, relation: 'follower' } : null
  }

  /** When this caller may chase again, or null if they may now. */
  async nextChaseAt(manager: EntityManager, ticketId: string, principal: Principal): Promise<Date | null> {
    const actor = principal.kind === 'staff' ? principal.staffId : principal.residentId
    const rows = await manager.query<{ at: Date | null }[]>(
      `SELECT max(at) AS at FROM ticket_event
        WHERE ticket_id = $1 AND type = 'chased' AND actor_kind = $2 AND actor_id = $3`,
      [ticketId, principal.kind, actor],
    )
    const last = rows[0]?.at
    if (!last) return null
    const next = new Date(last.getTime() + CHASE_COOLDOWN_MINUTES * 60_000)
    return next > this.clock.now() ? next : null
  }

  /** A resident's requests, newest first: those they reported and those they follow. */
  async mine(resident: ResidentPrincipal, query: MyTicketsQuery): Promise<TicketPage> {
    const params = [resident.residentId]
    const union = `
      SELECT t.id, t.created_at, t.number, 'reporter' AS relation FROM ticket t WHERE t.reporter_resident_id = $1
      UNION ALL
      SELECT t.id, t.created_at, t.number, 'follower' AS relation
        FROM ticket_follower f JOIN ticket t ON t.id = f.ticket_id
       WHERE f.resident_id = $1 AND t.reporter_resident_id IS DISTINCT FROM $1`
    // One pass: the page and, beside each row, the total (the sort reads every row anyway).
    const rows = await this.dataSource.query<{ id: string; relation: TicketRelation; total: number }[]>(
      prepared(`SELECT id, relation, count(*) OVER ()::int AS total FROM (${union}) mine
        ORDER BY created_at DESC, number DESC LIMIT $2 OFFSET $3`),
      [...params, query.pageSize, (query.page - 1) * query.pageSize],
    )
    const total =
      rows.length > 0
        ? rows[0].total
        : (
            await this.dataSource.query<{ n: number }[]>(
              `SELECT count(*)::int AS n FROM (${union}) mine`,
              params,
            )
          )[0].n
    return {
      items: await this.listItems(rows),
      page: query.page,
      pageSize: query.pageSize,
      total,
    }
  }

  /**
   * A staff member's open requests: as handler or co-handler, and every request of the compounds under
   * their supervisory memberships; nearest deadline first.
   */
  async inbox(staff: StaffPrincipal, query: InboxQuery): Promise<TicketPage> {
    const now = this.clock.now()
    const supervised = staff.memberships
      .filter((m) => (SUPERVISOR_ROLES as readonly Role[]).includes(m.role))
      .map((m) => m.placeId)
    const compounds =
      supervised.length === 0
        ? []
        : (
            await this.dataSource.query<{ id: string }[]>(
              prepared(`SELECT id FROM place WHERE kind = 'compound' AND path && $1::uuid[]`),
              [supervised],
            )
          ).map((r) => r.id)
    const params: unknown[] = [staff.staffId]
    const param = (value: unknown) => `$${params.push(value)}`
    const supervisedParam = compounds.length > 0 ? param(compounds) : null
    const filter = (() => {
      switch (query.filter) {
        case 'all':
          return 'TRUE'
        case 'to_accept':
          return `t.state = 'submitted'`
        case 'waiting':
          return `t.state = 'waiting_resident'`
        case 'overdue':
          return `t.next_due_at < ${param(now)}`
        case 'due_today':
          return `t.next_due_at >= ${param(now)} AND t.next_due_at <= ${param(endOfLocalDay(now))}`
      }
    })()
    // Index scans only (ticket_inbox_handler_idx; ticket_co_handler_staff_idx joined to ticket_open_id_idx,
    // so a co-handler's closed history costs index entries, never rows; ticket_inbox_compound_idx).
    const scope = `
      WITH scope AS (
        SELECT id FROM ticket WHERE handler_staff_id = $1 AND state IN ${OPEN_SQL}
        UNION
        SELECT c.ticket_id FROM ticket_co_handler c
          JOIN ticket o ON o.id = c.ticket_id AND o.state IN ${OPEN_SQL}
         WHERE c.staff_id = $1${
           // Supervisors only: a handler's query is planned without it (planning is most of its cost).
           supervisedParam
             ? `
        UNION
        SELECT id FROM ticket WHERE compound_id = ANY(${supervisedParam}::uuid[]) AND state IN ${OPEN_SQL}`
             : ''
         }
      )`
    const where = `t.state IN ${OPEN_SQL} AND ${filter}`
    const counted = [...params]
    const limit = param(query.pageSize)
    const offset = param((query.page - 1) * query.pageSize)
    // One pass: the page and, beside each row, the total (the sort reads every row in scope anyway); the
    // count runs on its own only for a page past the end.
    const rows = await this.dataSource.query<{ id: string; relation: TicketRelation; total: number }[]>(
      prepared(`${scope}
       SELECT t.id,
              CASE WHEN t.handler_staff_id = $1 THEN 'handler'
                   WHEN EXISTS (SELECT 1 FROM ticket_co_handler c WHERE c.ticket_id = t.id AND c.staff_id = $1)
                     THEN 'co_handler'
                   ELSE 'supervisor' END AS relation,
              count(*) OVER ()::int AS total
         FROM ticket t JOIN scope USING (id)
        WHERE ${where}
        ORDER BY t.next_due_at ASC NULLS LAST, t.number ASC
        LIMIT ${limit} OFFSET ${offset}`),
      params,
    )
    const total =
      rows.length > 0
        ? rows[0].total
        : (
            await this.dataSource.query<{ n: number }[]>(
              `${scope} SELECT count(*)::int AS n FROM ticket t JOIN scope USING (id) WHERE ${where}`,
              counted,
            )
          )[0].n
    return {
      items: await this.listItems(rows),
      page: query.page,
      pageSize: query.pageSize,
      total,
    }
  }

  /**
   * Open requests in the unit's building from the last 14 days, as the public sees them (the one public
   * projection): of one category before filing (duplicates, 我也遇到了), or of every category for the scan
   * page in one call. Residents reach any unit they scanned; staff only units they serve.
   */
  async duplicates(principal: Principal, query: DuplicatesQuery): Promise<DuplicateList> {
    const where: UnitContext = query.unitToken
      ? await this.places.unitByToken(query.unitToken)
      : await this.places.unitContext(query.unitId!)
    if (principal.kind === 'staff' && !mayAct(principal.memberships, 'file_proxy_tickets', where.unit.path)) {
      throw new DomainError('PLACE_NOT_FOUND', '找不到这个单元')
    }
    const since = new Date(this.clock.now().getTime() - DUPLICATE_WINDOW_DAYS * 86_400_000)
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM ticket
        WHERE building_id = $1 AND ($2::text IS NULL OR category = $2) AND created_at >= $3 AND state IN ${OPEN_SQL}
        ORDER BY created_at DESC LIMIT $4`,
      [where.building.id, query.category ?? null, since, query.category ? DUPLICATES_MAX : BUILDING_OPEN_MAX],
    )
    // With the reporter: their name and phone are masked wherever the text repeats them.
    const tickets = await loadViewable(this.dataSource, rows.map((r) => r.id), { reporter: true })
    return { items: tickets.map(toPublicRequestView) }
  }

  /**
   * Requests as the public sees them (open interfaces such as Open311; no personal data), newest first:
   * of one compound, or by number anywhere; narrowed by category, state and filing time.
   */
  async publicSearch(query: PublicTicketQuery): Promise<PublicTicketDetail[]> {
    const params: unknown[] = []
    const param = (value: unknown) => `$${params.push(value)}`
    const where: string[] = []
    if (query.compoundId) where.push(`compound_id = ${param(query.compoundId)}`)
    if (query.numbers) where.push(`number = ANY(${param(query.numbers)}::int[])`)
    if (query.categories) where.push(`category = ANY(${param(query.categories)}::text[])`)
    if (query.states) where.push(`state = ANY(${param(query.states)}::text[])`)
    if (query.from) where.push(`created_at >= ${param(query.from)}`)
    if (query.to) where.push(`created_at <= ${param(query.to)}`)
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM ticket WHERE ${where.length > 0 ? where.join(' AND ') : 'TRUE'}
        ORDER BY created_at DESC, number DESC LIMIT ${param(query.limit)}`,
      params,
    )
    const ids = rows.map((r) => r.id)
    const [tickets, events] = await Promise.all([
      // With the reporter: their name and phone are masked wherever the public text repeats them.
      loadViewable(this.dataSource, ids, { reporter: true }),
      ids.length === 0
        ? []
        : this.dataSource.query<(Record<string, unknown> & { actor_name: string | null })[]>(
            `SELECT e.*, s.name AS actor_name FROM ticket_event e
               LEFT JOIN staff s ON e.actor_kind = 'staff' AND s.id = e.actor_id
              WHERE e.ticket_id = ANY($1::uuid[]) AND e.public ORDER BY e.at, e.id`,
            [ids],
          ),
    ])
    const byTicket = new Map<string, { event: TicketEvent; actorName: string | null }[]>()
    for (const row of events) {
      const event = toEvent(row)
      byTicket.set(event.ticketId, [
        ...(byTicket.get(event.ticketId) ?? []),
        { event, actorName: row.actor_name },
      ])
    }
    return tickets.map((t) => toPublicTicketDetail(t, byTicket.get(t.id) ?? []))
  }

  /** Tickets with the relations the views read, in the order of `ids`. */
  async load(ids: string[]): Promise<ViewableTicket[]> {
    return loadViewable(this.dataSource, ids)
  }

  private async listItems(rows: { id: string; relation: TicketRelation }[]): Promise<TicketListItem[]> {
    // A followed request shows its public text; the reporter is loaded only then, to mask their name and phone.
    const followed = rows.some((r) => r.relation === 'follower')
    const tickets = await loadViewable(this.dataSource, rows.map((r) => r.id), { reporter: followed })
    const relation = new Map(rows.map((r) => [r.id, r.relation]))
    return tickets.map((t) => {
      const as = relation.get(t.id)!
      return { ...(as === 'follower' ? toFollowedListView(t) : toPublicTicketView(t)), relation: as }
    })
  }
}

/** A raw ticket_event row (snake_case, as `SELECT e.*` returns it) as the entity. */
function toEvent(row: Record<string, unknown>): TicketEvent {
  return Object.assign(new TicketEvent(), {
    id: String(row.id),
    ticketId: row.ticket_id as string,
    at: row.at as Date,
    actorKind: row.actor_kind as TicketEvent['actorKind'],
    actorId: row.actor_id as string | null,
    actorRole: row.actor_role as TicketEvent['actorRole'],
    type: row.type as TicketEvent['type'],
    public: row.public as boolean,
    data: row.data as TicketEvent['data'],
  })
}
