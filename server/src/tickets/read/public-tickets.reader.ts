import { Injectable } from '@nestjs/common'
import {
  DUPLICATE_WINDOW_DAYS,
  mayAct,
  type CategoryCode,
  type DuplicateList,
  type DuplicatesQuery,
  type TicketState,
} from '@mq/shared'
import { DataSource } from 'typeorm'
import type { Principal } from '../../auth/principal'
import { Clock } from '../../common/clock'
import { DomainError } from '../../common/domain-error'
import { PlacesService, type UnitContext } from '../../places/places.service'
import { StaffService } from '../../staff/staff.service'
import type { TicketEvent } from '../ticket-event.entity'
import { toPublicRequestView, toPublicTicketDetail, type PublicTicketDetail, type ViewableTicket } from '../ticket.view'
import { loadViewable } from './ticket-loader'
import { actorName, OPEN_SQL, staffActors, toEvent } from './ticket-sql'

/** Open requests of one category in a building, before filing. */
const DUPLICATES_MAX = 20
/** Open requests of every category in a building, for the scan page. */
const BUILDING_OPEN_MAX = 50

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

/**
 * What anyone may know of requests, in the one public projection: a building's open requests (duplicates
 * before filing, the scan page) and the open interfaces' search (Open311).
 */
@Injectable()
export class PublicTicketsReader {
  constructor(
    private readonly dataSource: DataSource,
    private readonly places: PlacesService,
    private readonly clock: Clock,
    private readonly staff: StaffService,
  ) {}

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
   * of one compound, or by number anywhere; narrowed by category, state and filing time. `db`: where
   * to read the requests (a read replica: database/read-source.ts), the primary by default.
   */
  async publicSearch(query: PublicTicketQuery, db: DataSource = this.dataSource): Promise<PublicTicketDetail[]> {
    const params: unknown[] = []
    const param = (value: unknown) => `$${params.push(value)}`
    const where: string[] = []
    if (query.compoundId) where.push(`compound_id = ${param(query.compoundId)}`)
    if (query.numbers) where.push(`number = ANY(${param(query.numbers)}::int[])`)
    if (query.categories) where.push(`category = ANY(${param(query.categories)}::text[])`)
    if (query.states) where.push(`state = ANY(${param(query.states)}::text[])`)
    if (query.from) where.push(`created_at >= ${param(query.from)}`)
    if (query.to) where.push(`created_at <= ${param(query.to)}`)
    const rows = await db.query<{ id: string }[]>(
      `SELECT id FROM ticket WHERE ${where.length > 0 ? where.join(' AND ') : 'TRUE'}
        ORDER BY created_at DESC, number DESC LIMIT ${param(query.limit)}`,
      params,
    )
    const ids = rows.map((r) => r.id)
    const [tickets, events] = await Promise.all([
      // With the reporter: their name and phone are masked wherever the public text repeats them.
      loadViewable(db, ids, { reporter: true }),
      ids.length === 0
        ? []
        : db.query<Record<string, unknown>[]>(
            `SELECT e.* FROM ticket_event e WHERE e.ticket_id = ANY($1::uuid[]) AND e.public ORDER BY e.at, e.id`,
            [ids],
          ),
    ])
    const timeline = events.map(toEvent)
    const names = await this.staff.namesOf(staffActors(timeline))
    const byTicket = new Map<string, { event: TicketEvent; actorName: string | null }[]>()
    for (const event of timeline) {
      byTicket.set(event.ticketId, [
        ...(byTicket.get(event.ticketId) ?? []),
        { event, actorName: actorName(event, names) },
      ])
    }
    return tickets.map((t) => toPublicTicketDetail(t, byTicket.get(t.id) ?? []))
  }

  /** Tickets with the relations the views read, in the order of `ids`. */
  async load(ids: string[]): Promise<ViewableTicket[]> {
    return loadViewable(this.dataSource, ids)
  }
}
