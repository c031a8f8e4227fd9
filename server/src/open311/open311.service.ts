import { Inject, Injectable } from '@nestjs/common'
import {
  CATEGORIES,
  categoryOf,
  IdempotencyKeySchema,
  InstantSchema,
  isCategoryCode,
  isOpen,
  localInstant,
  promiseNotice,
  typedEvent,
  OPEN_STATES,
  ProxyTicketSchema,
  QR_TOKEN_PATTERN,
  ROLE_LABELS,
  TICKET_STATES,
  type CategoryCode,
  type Severity,
  type TicketEventView,
  type TicketState,
} from '@mq/shared'
import { createHash } from 'node:crypto'
import { DataSource, In } from 'typeorm'
import { Clock } from '../common/clock'
import { DomainError } from '../common/domain-error'
import { APP_CONFIG, type AppConfig } from '../config/config'
import { ReadSource, type ReadCaller } from '../database/read-source'
import type { Place } from '../places/place.entity'
import { PlacesService, type UnitContext } from '../places/places.service'
import { RoutingService } from '../routing/routing.service'
import { ticketNumber, type PublicTicketDetail } from '../tickets/ticket.view'
import { TicketsService } from '../tickets/tickets.service'
import { Open311Error } from './open311.errors'
import {
  open311Instant,
  type CreatedRequestDocument,
  type DiscoveryDocument,
  type ServiceDefinitionDocument,
  type ServiceDocument,
  type ServiceRequestDocument,
} from './open311.format'
import { Open311KeysService } from './open311-keys.service'
import { Open311Request } from './open311-request.entity'

/** When this interface last changed (the discovery document's `changeset`). */
export const OPEN311_CHANGESET = open311Instant(localInstant({ year: 2026, month: 11, day: 21 }))
/** How an instant parameter is written, for error messages: local midnight of 1 November with the offset. */
const INSTANT_EXAMPLE = open311Instant(localInstant({ year: 2026, month: 11, day: 1 }))
export const OPEN311_SPECIFICATION = 'http://wiki.open311.org/GeoReport_v2'
/** GeoReport's default for GET requests: the last 90 days, at most 1000 requests. */
export const DEFAULT_WINDOW_DAYS = 90
export const MAX_REQUESTS = 1000
const MEDIA_URL_MAX = 1000

/** Parameters as they arrive: a query string, a form body or a JSON body. */
export type Open311Params = Record<string, unknown>

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const REQUEST_ID = /^MQ(\d{1,9})$/i
const CLOSED_STATES: readonly TicketState[] = TICKET_STATES.filter((s) => !OPEN_STATES.includes(s))

/** One value of a parameter (trimmed; empty → absent); a parameter given twice is refused. */
function one(params: Open311Params, name: string): string | undefined {
  const value = params[name]
  if (value === undefined || value === null) return undefined
  if (Array.isArray(value)) throw new Open311Error(400, `参数 ${name} 只能出现一次`)
  if (typeof value === 'object') throw new Open311Error(400, `参数 ${name} 格式有误`)
  const text = String(value).trim()
  return text === '' ? undefined : text
}

/** A comma-delimited list parameter (GeoReport: `service_code=a,b`); given twice, both count. */
function list(params: Open311Params, name: string): string[] | undefined {
  const raw = params[name]
  const value = Array.isArray(raw) ? raw.map(String).join(',') : one(params, name)
  if (value === undefined) return undefined
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
  return items.length > 0 ? items : undefined
}

/** `attribute[code]=value` of a form body, or `"attribute": { "code": value }` of a JSON body. */
function attributesOf(params: Open311Params): Open311Params {
  const attributes: Open311Params = {}
  const nested = params.attribute
  if (nested && typeof nested === 'object' && !Array.isArray(nested)) Object.assign(attributes, nested)
  for (const [name, value] of Object.entries(params)) {
    const match = /^attribute\[([A-Za-z0-9_]+)\]$/.exec(name)
    if (match) attributes[match[1]] = value
  }
  return attributes
}

function instantParam(params: Open311Params, name: string): Date | undefined {
  const value = one(params, name)
  if (value === undefined) return undefined
  if (!InstantSchema.safeParse(value).success) {
    throw new Open311Error(400, `${name} 须为带时区的 ISO 8601 时间，例如 ${INSTANT_EXAMPLE}`)
  }
  return new Date(value)
}

/** The resident's name from GeoReport's parts: 姓 + 名 for Chinese names, "First Last" otherwise. */
export function personName(first: string | undefined, last: string | undefined): string {
  const parts = [last, first].filter((p): p is string => Boolean(p))
  if (parts.every((p) => /^[\p{Script=Han}·]+$/u.test(p))) return parts.join('')
  return [first, last].filter(Boolean).join(' ')
}

/** Where each field of a proxy entry came from in the Open311 request, to name it in errors. */
const PARAM_OF: Record<string, string> = {
  residentName: 'first_name/last_name',
  residentPhone: 'phone',
  room: 'attribute[room]',
  description: 'description',
}

/** The promise the request carries, with the date its deadlines give (a simple one's resolution, a complex one's reply). */
function serviceNotice(ticket: { severity: Severity; replyBy: Date | string | null; resolveBy: Date | string | null }): string {
  const by = ticket.severity === 'simple' ? ticket.resolveBy : ticket.replyBy
  return promiseNotice(ticket.severity, by === null ? null : new Date(by))
}

const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null)
const roleLabel = (value: unknown): string | null =>
  typeof value === 'string' && value in ROLE_LABELS ? ROLE_LABELS[value as keyof typeof ROLE_LABELS] : null

/**
 * What a public timeline entry says about the request's status, for `status_notes`; null for entries
 * that do not change it (chases, ratings, co-handlers).
 */
export function statusNote(event: TicketEventView): string | null {
  const e = typedEvent(event)
  switch (e.type) {
    case 'filed':
      return '已提交'
    case 'routed': {
      const role = roleLabel(e.data.role)
      return role ? `已派单给${role}` : '已登记，等待分派'
    }
    case 'accepted':
      return '已受理'
    case 'replied': {
      const promised = str(e.data.promisedAt)
      return `答复：${str(e.data.plan) ?? ''}${promised ? `；承诺${open311Instant(promised).slice(0, 10)}前办结` : ''}`
    }
    case 'transferred':
      return `转办给${roleLabel(e.data.toRole) ?? '其他岗位'}：${str(e.data.reason) ?? ''}`
    case 'waiting':
      return `请居民补充：${str(e.data.question) ?? ''}`
    case 'resumed':
      return str(e.data.note) ? `继续办理：${str(e.data.note)}` : '继续办理'
    case 'resolved':
      return `办结：${str(e.data.note) ?? ''}`
    case 'rejected':
      return `不予受理：${str(e.data.reason) ?? ''}`
    case 'merged':
      return `与${str(e.data.intoNumber) ?? '另一条诉求'}合并办理`
    case 'reopened':
      return '居民评价不满意，重新办理'
    case 'closed':
      return '已销号'
    case 'meeting_decision':
      return `议事会决定：${str(e.data.summary) ?? ''}（${str(e.data.ownerLabel) ?? ''}负责，${str(e.data.targetDate) ?? ''}前落实）`
    case 'meeting_decision_done':
      return `议事会决定已落实：${str(e.data.note) ?? ''}`
    default:
      return null
  }
}

/** A request as GeoReport's GET requests shows it: the public projection and public fields only. */
export function toServiceRequest(
  detail: PublicTicketDetail,
  mediaUrl: string | null,
): ServiceRequestDocument {
  const { view, request, timeline } = detail
  // The timeline's words (plans, reasons, questions) come redacted from the public detail.
  const notes = timeline
    .map((e) => ({ at: e.at, note: statusNote(e) }))
    .filter((n): n is { at: string; note: string } => n.note !== null)
  const last = notes[notes.length - 1]
  return {
    service_request_id: view.number,
    status: isOpen(view.state) ? 'open' : 'closed',
    status_notes: last?.note ?? null,
    service_name: categoryOf(view.category).label,
    service_code: view.category,
    // The public text (staff's 公示 edit, else the description redacted), never the raw description.
    description: request.publicText,
    agency_responsible: view.handlerRole ? ROLE_LABELS[view.handlerRole] : null,
    service_notice: serviceNotice(view),
    requested_datetime: open311Instant(view.createdAt),
    updated_datetime: open311Instant(last?.at ?? view.createdAt),
    expected_datetime: open311Instant(view.nextDueAt),
    address: `${view.compoundName} ${view.buildingName} ${view.unitName}`,
    address_id: detail.unitId,
    zipcode: null,
    lat: null,
    long: null,
    media_url: mediaUrl,
  }
}

/**
 * Open311 GeoReport v2 over the product's own vocabulary: services are the categories of a
 * compound (`jurisdiction_id` = the compound's id), requests are tickets. Reading is public and shows
 * what the public board would (no personal data); filing takes a partner's `api_key` and becomes a proxy
 * entry (channel `hotline`) routed and timed like any other request.
 *
 * Its public reads (services' groups, requests) go through ReadSource: to the read replica when there is
 * one. Anyone's read is as current as the replica (behind the primary by its lag); a caller that names
 * itself (a partner's `api_key`, a signed-in resident's bearer token: Open311Controller) reads at least
 * what the primary had, so a partner finds the request it has just filed.
 */
@Injectable()
export class Open311Service {
  constructor(
    private readonly dataSource: DataSource,
    private readonly places: PlacesService,
    private readonly routing: RoutingService,
    private readonly tickets: TicketsService,
    private readonly keys: Open311KeysService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly reads: ReadSource,
  ) {}

  discovery(): DiscoveryDocument {
    return {
      changeset: OPEN311_CHANGESET,
      contact: `民情二维码服务热线 ${this.config.hotline}`,
      key_service: '向所辖社区管理员申请 api_key（管理端：开放接口密钥，POST /api/admin/open311/keys）',
      endpoints: [
        {
          specification: OPEN311_SPECIFICATION,
          url: `${this.config.publicUrl}/open311/v2`,
          changeset: OPEN311_CHANGESET,
          type: this.config.env === 'production' ? 'production' : 'test',
          formats: ['text/xml', 'application/json'],
        },
      ],
    }
  }

  /** The categories of a compound, grouped by the role that leads them there (its routing rules). */
  async services(params: Open311Params, caller: ReadCaller = null): Promise<ServiceDocument[]> {
    const compound = await this.jurisdiction(params, true)
    const rules = await this.reads.read(caller, (db) =>
      Promise.all(CATEGORIES.map((c) => this.routing.ruleFor(db, compound.id, c.code))),
    )
    return CATEGORIES.map((c, i) => ({
      service_code: c.code,
      service_name: c.label,
      description: c.hint,
      metadata: true,
      type: 'realtime' as const,
      keywords: c.hint.split('、').join(', '),
      group: ROLE_LABELS[rules[i].leadRole],
    }))
  }

  /** Where the problem is (a building's unit of the compound) and, optionally, the room. */
  async definition(code: string, params: Open311Params): Promise<ServiceDefinitionDocument> {
    const compound = await this.jurisdiction(params, true)
    if (!isCategoryCode(code)) throw new Open311Error(404, `没有这个 service_code：${code}`)
    const units = await this.places.unitsOfCompound(compound.id)
    return {
      service_code: code,
      attributes: [
        {
          variable: true,
          code: 'unit',
          datatype: 'singlevaluelist',
          required: false,
          datatype_description: '没有 address_id（楼道二维码）时必填：选择一个楼栋单元',
          order: 1,
          description: '问题所在的楼栋单元',
          values: units.map(({ unit, building }) => ({
            key: unit.id,
            name: `${building.name} ${unit.name}`,
          })),
        },
        {
          variable: true,
          code: 'room',
          datatype: 'string',
          required: false,
          datatype_description: '不超过20字，例如 302',
          order: 2,
          description: '房号（选填；只有本小区的网格长、物业、居民自管小组能看到）',
          values: [],
        },
      ],
    }
  }

  /**
   * POST requests: a proxy entry (channel hotline) in the name the partner gives, routed and timed like
   * any request. An optional `Idempotency-Key` header makes a retry return the request it created.
   */
  async file(
    params: Open311Params,
    idempotencyHeader: string | undefined,
  ): Promise<CreatedRequestDocument[]> {
    const key = await this.keys.authenticate(one(params, 'api_key'))
    const code = one(params, 'service_code')
    if (!code) throw new Open311Error(400, '缺少 service_code')
    if (!isCategoryCode(code)) throw new Open311Error(404, `没有这个 service_code：${code}`)
    const compound = await this.jurisdiction(params, false)
    const where = await this.location(params)
    if (compound && where.compound.id !== compound.id) {
      throw new Open311Error(400, '这个地址不在 jurisdiction_id 所指的小区')
    }
    if (!where.unit.path.includes(key.placeId)) {
      throw new Open311Error(403, '这个 api_key 不能向该小区提交诉求')
    }
    const idempotencyKey = this.idempotencyKey(idempotencyHeader)
    const attributes = attributesOf(params)
    const room = attributes.room === undefined ? undefined : String(attributes.room).trim() || undefined
    const parsed = ProxyTicketSchema.safeParse({
      unitId: where.unit.id,
      category: code,
      description: one(params, 'description') ?? '',
      photoIds: [],
      channel: 'hotline',
      residentName: personName(one(params, 'first_name'), one(params, 'last_name')),
      ...(one(params, 'phone') !== undefined && { residentPhone: one(params, 'phone') }),
      ...(room !== undefined && { room }),
    })
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      const field = String(issue.path[0] ?? '')
      throw new Open311Error(400, `${PARAM_OF[field] ?? field}：${issue.message}`)
    }
    const input = parsed.data
    const mediaUrl = this.mediaUrl(one(params, 'media_url'))
    const bodyHash = createHash('sha256')
      .update(
        JSON.stringify([
          code,
          input.unitId,
          input.description,
          input.residentName,
          input.residentPhone ?? null,
          input.room ?? null,
          mediaUrl,
        ]),
      )
      .digest('hex')

    const ticketId = await this.dataSource.transaction(async (manager) => {
      if (idempotencyKey) {
        // A twin in flight waits here, then finds the row its twin wrote and answers the same.
        await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
          `open311:${key.id}:${idempotencyKey}`,
        ])
        const earlier = await manager
          .getRepository(Open311Request)
          .findOneBy({ apiKeyId: key.id, idempotencyKey })
        if (earlier) {
          if (earlier.bodyHash !== bodyHash) {
            throw new Open311Error(400, '这个 Idempotency-Key 已用于另一条内容不同的诉求')
          }
          return earlier.ticketId
        }
      }
      const now = this.clock.now()
      const ticket = await this.tickets.file(
        {
          unitId: input.unitId,
          category: input.category,
          description: input.description,
          channel: input.channel,
          proxy: { name: input.residentName, phone: input.residentPhone ?? null, staffId: null },
          source: `Open311：${key.name}`,
          room: input.room ?? null,
          contactConsent: true,
        },
        manager,
      )
      await manager.getRepository(Open311Request).insert({
        ticketId: ticket.id,
        apiKeyId: key.id,
        mediaUrl,
        idempotencyKey: idempotencyKey ?? null,
        bodyHash: idempotencyKey ? bodyHash : null,
        createdAt: now,
      })
      await this.keys.touch(manager, key.id, now)
      return ticket.id
    })
    const [ticket] = await this.tickets.load([ticketId])
    return [
      {
        service_request_id: ticketNumber(ticket.number),
        service_notice: serviceNotice(ticket),
        account_id: null,
      },
    ]
  }

  /**
   * GET requests of a compound, newest first: by `service_request_id` (a comma-delimited list; the other
   * filters then do not apply), or by `service_code`, `status`, `start_date`, `end_date`. Without dates,
   * the last 90 days; never more than 1000.
   */
  async requests(params: Open311Params, caller: ReadCaller = null): Promise<ServiceRequestDocument[]> {
    const compound = await this.jurisdiction(params, true)
    const ids = list(params, 'service_request_id')
    if (ids) {
      const numbers = ids.map((id) => REQUEST_ID.exec(id)?.[1]).filter((n): n is string => n !== undefined)
      if (numbers.length === 0) return []
      return this.documents({ compoundId: compound.id, numbers: numbers.map(Number), limit: MAX_REQUESTS }, caller)
    }
    const codes = list(params, 'service_code')
    const unknown = codes?.find((c) => !isCategoryCode(c))
    if (unknown) throw new Open311Error(400, `没有这个 service_code：${unknown}`)
    const statuses = list(params, 'status')
    const badStatus = statuses?.find((s) => s !== 'open' && s !== 'closed')
    if (badStatus) throw new Open311Error(400, `status 只能是 open 或 closed（收到 ${badStatus}）`)
    const window = DEFAULT_WINDOW_DAYS * 86_400_000
    let from = instantParam(params, 'start_date')
    let to = instantParam(params, 'end_date')
    if (!from && !to) to = this.clock.now()
    if (!from) from = new Date(to!.getTime() - window)
    if (!to) to = new Date(from.getTime() + window)
    if (from > to) throw new Open311Error(400, 'start_date 晚于 end_date')
    const states = statuses
      ? [...new Set(statuses.flatMap((s) => (s === 'open' ? OPEN_STATES : CLOSED_STATES)))]
      : undefined
    return this.documents({
      compoundId: compound.id,
      categories: codes as CategoryCode[] | undefined,
      states,
      from,
      to,
      limit: MAX_REQUESTS,
    }, caller)
  }

  /** GET requests/{id}: one request, as a list of one (GeoReport's shape). */
  async request(id: string, params: Open311Params, caller: ReadCaller = null): Promise<ServiceRequestDocument[]> {
    const compound = await this.jurisdiction(params, false)
    const number = REQUEST_ID.exec(id)?.[1]
    const found = number
      ? await this.documents({ compoundId: compound?.id, numbers: [Number(number)], limit: 1 }, caller)
      : []
    if (found.length === 0) throw new Open311Error(404, `没有这个 service_request_id：${id}`)
    return found
  }

  private async documents(
    query: Parameters<TicketsService['publicSearch']>[0],
    caller: ReadCaller,
  ): Promise<ServiceRequestDocument[]> {
    const { details, media } = await this.reads.read(caller, async (db) => {
      const details = await this.tickets.publicSearch(query, db.connection)
      const media =
        details.length === 0
          ? []
          : await db.getRepository(Open311Request).find({
              where: { ticketId: In(details.map((d) => d.view.id)) },
              select: { ticketId: true, mediaUrl: true },
            })
      return { details, media }
    })
    if (details.length === 0) return []
    const mediaOf = new Map(media.map((m) => [m.ticketId, m.mediaUrl]))
    return details.map((d) => toServiceRequest(d, mediaOf.get(d.view.id) ?? null))
  }

  /** The compound named by `jurisdiction_id`: missing → 400 (when required), unknown → 404. */
  private async jurisdiction(params: Open311Params, required: true): Promise<Place>
  private async jurisdiction(params: Open311Params, required: false): Promise<Place | null>
  private async jurisdiction(params: Open311Params, required: boolean): Promise<Place | null> {
    const id = one(params, 'jurisdiction_id')
    if (!id) {
      if (required) throw new Open311Error(400, '缺少 jurisdiction_id（小区编号）')
      return null
    }
    const compound = UUID.test(id) ? await this.places.get(id, 'compound').catch(notFoundAs(null)) : null
    if (!compound || compound.retiredAt) throw new Open311Error(404, `没有这个 jurisdiction_id：${id}`)
    return compound
  }

  /** The unit: `address_id` (a stairwell QR token, or a unit id) or `attribute[unit]` (a unit id). */
  private async location(params: Open311Params): Promise<UnitContext> {
    const addressId = one(params, 'address_id')
    const unitAttribute = attributesOf(params).unit
    const unitId = unitAttribute === undefined ? undefined : String(unitAttribute).trim() || undefined
    if (addressId) {
      const byId = UUID.test(addressId)
        ? await this.places.unitContext(addressId).catch(notFoundAs(null))
        : null
      if (byId) return byId
      if (!QR_TOKEN_PATTERN.test(addressId)) throw new Open311Error(400, 'address_id 不是有效的楼道二维码')
      return this.places.unitByToken(addressId).catch((error: unknown) => {
        if (error instanceof DomainError && ['QR_NOT_FOUND', 'PLACE_NOT_FOUND'].includes(error.code)) {
          throw new Open311Error(400, 'address_id 不是有效的楼道二维码')
        }
        throw error
      })
    }
    if (unitId) {
      const unit = UUID.test(unitId) ? await this.places.unitContext(unitId).catch(notFoundAs(null)) : null
      if (!unit) throw new Open311Error(400, 'attribute[unit] 不是这个小区的楼栋单元')
      return unit
    }
    if (one(params, 'lat') || one(params, 'long') || one(params, 'address_string')) {
      throw new Open311Error(
        400,
        '暂不支持按坐标或地址文字定位：请用 address_id（楼道二维码）或 attribute[unit]',
      )
    }
    throw new Open311Error(400, '缺少地点：请提供 address_id（楼道二维码）或 attribute[unit]')
  }

  private idempotencyKey(header: string | undefined): string | undefined {
    if (header === undefined) return undefined
    const parsed = IdempotencyKeySchema.safeParse(header)
    if (!parsed.success)
      throw new Open311Error(400, parsed.error.issues[0]?.message ?? 'Idempotency-Key 无效')
    return parsed.data
  }

  private mediaUrl(value: string | undefined): string | null {
    if (value === undefined) return null
    const url = URL.canParse(value) ? new URL(value) : null
    if (!url || !['http:', 'https:'].includes(url.protocol) || value.length > MEDIA_URL_MAX) {
      throw new Open311Error(400, `media_url 须为不超过${MEDIA_URL_MAX}字符的 http(s) 地址`)
    }
    return value
  }
}

/** For lookups where "not found" is an answer, not an error: PLACE_NOT_FOUND becomes `value`. */
function notFoundAs<T>(value: T): (error: unknown) => T {
  return (error: unknown) => {
    if (error instanceof DomainError && error.code === 'PLACE_NOT_FOUND') return value
    throw error
  }
}
