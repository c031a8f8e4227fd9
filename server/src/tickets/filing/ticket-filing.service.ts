import { Injectable } from '@nestjs/common'
import {
  mayAct,
  urgentSignal,
  type CategoryCode,
  type Channel,
  type CreateTicketInput,
  type ProxyTicketInput,
  type Role,
  type TicketView,
} from '@mq/shared'
import { createHash, randomUUID } from 'node:crypto'
import { DataSource, type EntityManager } from 'typeorm'
import type { Principal } from '../../auth/principal'
import { Clock } from '../../common/clock'
import { isUniqueViolation } from '../../common/database-errors'
import { DomainError } from '../../common/domain-error'
import { DeadlineSettingsService, filedDeadlineConfig } from '../../deadlines/deadline-settings.service'
import { PhotosService, type Uploader } from '../../photos/photos.service'
import { PlacesService, type UnitContext } from '../../places/places.service'
import type { Resident } from '../../residents/resident.entity'
import { ResidentsService } from '../../residents/residents.service'
import { RoutingService, type RoutingDecision } from '../../routing/routing.service'
import type { Staff } from '../../staff/staff.entity'
import { StaffService } from '../../staff/staff.service'
import { insertTicket, markedEvents, type WrittenWithTicket } from './ticket-insert'
import { recomputeDeadlines } from '../lifecycle/ticket-deadlines'

import { TicketDetailReader } from '../read/ticket-detail.reader'
import { firstOfEach, newEvents, staffMessages, supervisorsOf, SYSTEM, type Actor } from '../ticket-journal'
import type { TicketEvent } from '../ticket-event.entity'
import { IdempotencyKey } from '../ticket-relations.entity'
import { Ticket } from '../ticket.entity'

export interface FileTicketInput {
  unitId: string
  category: CategoryCode
  description: string
  channel: Channel
  reporterResidentId?: string | null
  /**
   * A proxy entry: the resident's name and phone as told to staff, and the staff member who filed it. No
   * staff member when a partner system filed it (Open311): the timeline then names `source` instead.
   * `smsConsent`: the resident agreed to be texted of its progress at that phone.
   */
  proxy?: {
    name: string
    phone: string | null
    staffId: string | null
    smsConsent?: boolean
    /** The filer's role at the unit when the caller knows it (their memberships): saves reading it again. */
    role?: Role | null
  } | null
  /** The partner system that filed it (Open311), shown on the public "filed" entry. No personal data. */
  source?: string | null
  /** The unit with its building and compound, when the caller has just looked it up (saves reading it again). */
  where?: UnitContext
  /** The reporter's row when the caller has just read it: the answer of `create` shows it without a read. */
  reporter?: Resident | null
  room?: string | null
  contactConsent?: boolean
  photoIds?: string[]
}

/**
 * A promise started now and awaited later, after other work: its rejection is not "unhandled" meanwhile
 * (awaiting it still throws it).
 */
function settledLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined)
  return promise
}

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

/** What `fileAll` wrote: the row, where and to whom it went, its first timeline entries (ids set). */
interface Filing {
  ticket: Ticket
  where: UnitContext
  decision: RoutingDecision
  events: TicketEvent[]
}

export type CreateRequest =
  { kind: 'resident'; input: CreateTicketInput } | { kind: 'proxy'; input: ProxyTicketInput }

/** Filing a request: by a resident, by staff for a resident (代录), or by a partner system (Open311). */
@Injectable()
export class TicketFilingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly places: PlacesService,
    private readonly routing: RoutingService,
    private readonly clock: Clock,
    private readonly photos: PhotosService,
    private readonly deadlineSettings: DeadlineSettingsService,
    private readonly details: TicketDetailReader,
    private readonly staff: StaffService,
    private readonly residents: ResidentsService,
  ) {}

  /**
   * Creates a request once per `Idempotency-Key`: the same key and body again → the original
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
    const replay = async (row: Pick<IdempotencyKey, 'bodyHash' | 'ticketId'>) => {
      if (row.bodyHash !== bodyHash) {
        throw new DomainError('IDEMPOTENCY_MISMATCH', '这个 Idempotency-Key 已用于另一条内容不同的诉求')
      }
      return { view: await this.details.detail(row.ticketId, principal, requestId), replayed: true }
    }
    const keys = this.dataSource.getRepository(IdempotencyKey)
    // A key already used is found by the filing's own insert (which then writes nothing): no look-up
    // before it. Only when what it files cannot be read (a code since replaced, say) is the key looked up
    // here: a known key still replays.
    let input: FileTicketInput
    try {
      input = await this.fileInputFor(principal, request)
    } catch (error) {
      const known = await keys.findOneBy({ principal: owner, key })
      if (known) return replay(known)
      throw error
    }
    const written = { principal: owner, key, bodyHash, lock: `idempotency:${owner}:${key}` }
    let outcome: { replay: Pick<IdempotencyKey, 'bodyHash' | 'ticketId'> } | { filed: Filing }
    try {
      // Without photos to attach, the filing writes in ONE statement that takes the key's lock itself:
      // no transaction around it (ticket-insert.ts).
      outcome = input.photoIds?.length
        ? await this.dataSource.transaction((manager) => this.fileAll(input, manager, written))
        : await this.fileAll(input, this.dataSource.manager, written)
    } catch (error) {
      // Lost a race past the lock (a hash collision of the lock key, say): the winner's row decides.
      if (!isUniqueViolation(error)) throw error
      const winner = await keys.findOneBy({ principal: owner, key })
      if (!winner) throw new DomainError('CONFLICT', '同一条诉求正在提交，请稍后再试')
      outcome = { replay: winner }
    }
    if ('replay' in outcome) return replay(outcome.replay)
    return { view: await this.answer(outcome.filed, input, principal, requestId), replayed: false }
  }

  /**
   * The answer to a filing, from what it wrote (nothing read back but the photos it attached): the row as
   * stored (insertTicket set every column from the insert).
   */
  private async answer(
    { ticket, where, decision, events }: Filing,
    input: FileTicketInput,
    principal: Principal,
    requestId: string | null,
  ): Promise<TicketView> {
    // The handler's display name, as the view loader reads it (id, name, active: routing picks active staff).
    const handler = decision.handler
      ? ({ id: decision.handler.staffId, name: decision.handler.name, active: true } as Staff)
      : null
    const staffNames = new Map<string, string>(
      [decision.handler, ...decision.coHandlers].flatMap((a) => (a ? [[a.staffId, a.name] as const] : [])),
    )
    if (principal.kind === 'staff') staffNames.set(principal.staffId, principal.name)
    return this.details.justFiled(
      {
        ticket: Object.assign(ticket, {
          unit: where.unit,
          building: where.building,
          compound: where.compound,
          handler,
          mergedInto: null,
          reporter: input.reporterResidentId ? (input.reporter ?? null) : null,
        }),
        coHandlers: decision.coHandlers.map((c) => ({ staffId: c.staffId, role: c.role, name: c.name })),
        events,
        staffNames,
        photos: input.photoIds?.length ? await this.photos.forTickets([ticket.id]) : [],
      },
      principal,
      requestId,
    )
  }

  private async fileInputFor(principal: Principal, request: CreateRequest): Promise<FileTicketInput> {
    if (request.kind === 'resident') {
      if (principal.kind !== 'resident') throw new DomainError('FORBIDDEN', '请以居民身份提交')
      const { input } = request
      // Both reads at once; the place's error first, as when read one after the other.
      const reading = settledLater(this.residents.get(principal.residentId))
      const where = input.unitToken
        ? await this.places.unitByToken(input.unitToken)
        : await this.places.unitContext(input.unitId!)
      const resident = await reading
      return {
        unitId: where.unit.id,
        where: { unit: where.unit, building: where.building, compound: where.compound },
        category: input.category,
        description: input.description,
        channel: resident.openid ? 'miniapp' : 'h5',
        reporterResidentId: resident.id,
        reporter: resident,
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
    // The role they file in: their first membership (the order staff.roleAt reads) on the unit's path.
    const role = principal.memberships.find((m) => where.unit.path.includes(m.placeId))?.role ?? null
    return {
      unitId: where.unit.id,
      where,
      category: input.category,
      description: input.description,
      channel: input.channel,
      proxy: {
        name: input.residentName,
        phone: input.residentPhone ?? null,
        staffId: principal.staffId,
        smsConsent: input.smsConsent === true,
        role,
      },
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
    const filed = await this.fileAll(input, manager)
    if ('replay' in filed) throw new Error('filed without a key, yet replayed')
    return filed.filed.ticket
  }

  /** `file`, with what it wrote beside the row (the answer of `create` is built from it). */
  private async fileAll(
    input: FileTicketInput,
    manager: EntityManager,
    idempotencyKey: WrittenWithTicket['idempotencyKey'] = null,
  ): Promise<{ filed: Filing } | { replay: Pick<IdempotencyKey, 'bodyHash' | 'ticketId'> }> {
    const where =
      input.where?.unit.id === input.unitId
        ? input.where
        : await this.places.unitContext(input.unitId, manager)
    const now = this.clock.now()
    // The urgent lane by the same shared rule and the compound's danger list the report page shows its
    // emergency sheet by: the server decides, whatever the client believed. Read with the compound's
    // deadline settings and the days off and on its places set from today on, in one statement, while
    // routing reads.
    const reading = settledLater(this.deadlineSettings.filingRules(where.compound, manager, now))
    const decision = await this.routing.route(manager, where, input.category)
    const rules = await reading
    const { urgent } = urgentSignal(
      { category: input.category, description: input.description },
      rules.dangers,
    )
    const repo = manager.getRepository(Ticket)
    const ticket = repo.create({
      unitId: where.unit.id,
      buildingId: where.building.id,
      compoundId: where.compound.id,
      category: input.category,
      severity: decision.rule.severity,
      urgent,
      state: 'submitted',
      stateBeforeWait: null,
      channel: input.channel,
      description: input.description,
      reporterResidentId: input.reporterResidentId ?? null,
      proxyName: input.proxy?.name ?? null,
      proxyPhone: input.proxy?.phone ?? null,
      proxyStaffId: input.proxy?.staffId ?? null,
      // Only with a number to text: the agreement means nothing without one.
      proxySmsConsent: Boolean(input.proxy?.smsConsent && input.proxy.phone),
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
      // The compound's deadline settings now, with the days off and on its places set from today on: the
      // request keeps them whatever changes later. An urgent request's own rules say so (the urgent
      // lane's acceptance and escalation).
      deadlineConfig: filedDeadlineConfig(rules.deadlineConfig, urgent),
    })
    recomputeDeadlines(ticket)
    Object.assign(ticket, { id: randomUUID(), updatedAt: now })

    const actor: Actor = input.proxy?.staffId
      ? { kind: 'staff', id: input.proxy.staffId, role: null }
      : input.proxy
        ? { ...SYSTEM }
        : { kind: 'resident', id: input.reporterResidentId ?? null, role: null }
    if (input.proxy?.staffId) {
      actor.role =
        input.proxy.role !== undefined
          ? input.proxy.role
          : await this.staff.roleAt(input.proxy.staffId, where.unit.path, manager)
    }
    // Both timeline entries, "filed" first.
    const events = newEvents(manager, [
      {
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
      },
      {
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
      },
    ])
    // The messages name the "routed" entry, whose id the insert below gives it.
    const [, routed] = markedEvents(events)
    // The handler, (urgent) the secretaries and the co-handlers told, in that order; a person in two groups
    // gets the first group's message.
    const messages = staffMessages(ticket, routed, 'assigned', [decision.handler?.staffId ?? null], {
      as: 'handler',
      ...(urgent ? { urgent: true } : {}),
    })
    if (urgent) {
      // The compound secretary hears of an urgent request at once too (the next level up when the
      // compound has none), not only when it goes overdue.
      const secretaries = await supervisorsOf(this.staff, manager, where.compound.path, 1)
      const others = (secretaries?.staffIds ?? []).filter((id) => id !== decision.handler?.staffId)
      messages.push(
        ...staffMessages(ticket, routed, 'assigned', others, {
          as: 'supervisor',
          role: secretaries?.role,
          urgent: true,
        }),
      )
    }
    messages.push(
      ...staffMessages(
        ticket,
        routed,
        'assigned',
        decision.coHandlers.map((c) => c.staffId),
        { as: 'co_handler' },
      ),
    )
    // The row, its co-handlers, its key, its warning and overdue timers, its timeline entries and their
    // messages, in one statement (ticket-insert.ts).
    const { known } = await insertTicket(manager, ticket, {
      coHandlers: decision.coHandlers,
      idempotencyKey,
      events,
      messages: firstOfEach(messages),
    })
    if (known) return { replay: known }

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
    return { filed: { ticket, where, decision, events } }
  }
}
