import { Injectable } from '@nestjs/common'
import type {
  DuplicateList,
  DuplicatesQuery,
  EscalationPage,
  EscalationQuery,
  InboxQuery,
  MyTicketsQuery,
  TicketCandidates,
  TicketPage,
  TicketView,
} from '@mq/shared'
import { DataSource, type EntityManager } from 'typeorm'
import type { Principal, ResidentPrincipal, StaffPrincipal } from '../auth/principal'
import { Clock } from '../common/clock'
import { TicketFilingService, type CreateRequest, type FileTicketInput } from './filing/ticket-filing.service'
import { PublicTicketsReader, type PublicTicketQuery } from './read/public-tickets.reader'
import { TicketDetailReader, type TicketHandlingFacts } from './read/ticket-detail.reader'
import { TicketListsReader } from './read/ticket-lists.reader'
import { accessFor, nextChaseAt, notFound, type TicketAccess } from './ticket-access'
import { recordEvent, type Actor, type EventEntry } from './ticket-journal'
import type { Ticket } from './ticket.entity'
import { parseTicketNumber } from './ticket-number'
import type { PublicTicketDetail, ViewableTicket } from './ticket.view'

export type { CreateRequest, FileTicketInput, PublicTicketQuery }

/**
 * The tickets domain as the rest of the server and the controller see it: filing (filing/), the read
 * models (read/: one request's detail, the lists, the public reads) and the access checks
 * (ticket-access.ts). Every change after filing is a command of TicketRunner (lifecycle/).
 */
@Injectable()
export class TicketsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly filing: TicketFilingService,
    private readonly details: TicketDetailReader,
    private readonly lists: TicketListsReader,
    private readonly publicReads: PublicTicketsReader,
  ) {}

  /** Creates a request once per `Idempotency-Key` (filing/ticket-filing.service.ts). */
  create(
    principal: Principal,
    request: CreateRequest,
    key: string,
    requestId: string | null,
  ): Promise<{ view: TicketView; replayed: boolean }> {
    return this.filing.create(principal, request, key, requestId)
  }

  /** Files a request in one transaction (the caller's, when given). */
  file(input: FileTicketInput, manager?: EntityManager): Promise<Ticket> {
    return this.filing.file(input, manager)
  }

  detail(
    id: string,
    principal: Principal,
    requestId: string | null,
    known: { justFiled?: boolean } = {},
  ): Promise<TicketView> {
    return this.details.detail(id, principal, requestId, known)
  }

  /**
   * One request by its id or by its number (MQ000123: a text message's short link carries the number). An
   * unknown number is the same 404 as a request that is not the caller's.
   */
  async detailByRef(ref: string, principal: Principal, requestId: string | null): Promise<TicketView> {
    const serial = parseTicketNumber(ref)
    if (serial === null) return this.detail(ref, principal, requestId)
    const [row] = await this.dataSource.query<{ id: string }[]>('SELECT id FROM ticket WHERE number = $1', [serial])
    if (!row) throw notFound()
    return this.detail(row.id, principal, requestId)
  }

  photo(id: string, photoId: string, principal: Principal): Promise<{ bytes: Buffer; contentType: string }> {
    return this.details.photo(id, photoId, principal)
  }

  voiceNote(
    id: string,
    voiceId: string,
    principal: Principal,
    requestId: string | null,
  ): Promise<{ bytes: Buffer; contentType: string }> {
    return this.details.voiceNote(id, voiceId, principal, requestId)
  }

  candidates(staff: StaffPrincipal, id: string): Promise<TicketCandidates> {
    return this.details.candidates(staff, id)
  }

  handlingFacts(staff: StaffPrincipal, id: string): Promise<TicketHandlingFacts> {
    return this.details.handlingFacts(staff, id)
  }

  accessFor(
    ticket: Parameters<typeof accessFor>[1],
    principal: Principal,
    coHandlerIds: string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<TicketAccess | null> {
    return accessFor(manager, ticket, principal, coHandlerIds)
  }

  nextChaseAt(manager: EntityManager, ticketId: string, principal: Principal): Promise<Date | null> {
    return nextChaseAt(manager, ticketId, principal, this.clock.now())
  }

  mine(resident: ResidentPrincipal, query: MyTicketsQuery): Promise<TicketPage> {
    return this.lists.mine(resident, query)
  }

  inbox(staff: StaffPrincipal, query: InboxQuery): Promise<TicketPage> {
    return this.lists.inbox(staff, query)
  }

  escalations(staff: StaffPrincipal, query: EscalationQuery): Promise<EscalationPage> {
    return this.lists.escalations(staff, query)
  }

  duplicates(principal: Principal, query: DuplicatesQuery): Promise<DuplicateList> {
    return this.publicReads.duplicates(principal, query)
  }

  publicSearch(query: PublicTicketQuery, db?: DataSource): Promise<PublicTicketDetail[]> {
    return this.publicReads.publicSearch(query, db)
  }

  /**
   * Appends a joint meeting's decision on a request, or that decision carried out, to the request's public
   * timeline, in the caller's transaction: an entry only, no change of state or deadlines. The words in it
   * are public (redacted by the caller when written).
   */
  async recordMeetingEntry(
    manager: EntityManager,
    ticketId: string,
    entry: Extract<EventEntry, { type: 'meeting_decision' | 'meeting_decision_done' }>,
    actor: Actor,
    at: Date,
  ): Promise<void> {
    await recordEvent(manager, { ...entry, ticketId, actor, public: true, at })
  }

  /** Tickets with the relations the views read, in the order of `ids`. */
  load(ids: string[]): Promise<ViewableTicket[]> {
    return this.publicReads.load(ids)
  }
}
