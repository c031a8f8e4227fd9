import { Injectable } from '@nestjs/common'
import {
  can,
  covers,
  mayAct,
  personalDataRole,
  ROLE_LABELS,
  ROLES,
  type CategoryCode,
  type Role,
  type TicketCandidates,
  type TicketCommand,
  type TicketView,
} from '@mq/shared'
import { DataSource } from 'typeorm'
import { AccessLogService } from '../../access-log/access-log.service'
import type { Principal, StaffPrincipal } from '../../auth/principal'
import { Clock } from '../../common/clock'
import { DomainError } from '../../common/domain-error'
import type { Photo } from '../../photos/photo.entity'
import type { Place } from '../../places/place.entity'
import { PhotosService } from '../../photos/photos.service'
import { PlacesService } from '../../places/places.service'
import { StaffService } from '../../staff/staff.service'
import { VoiceService } from '../../voice/voice.service'
import {
  accessFor,
  nextChaseAt as chaseAllowedFrom,
  notFound,
  residentCommands,
  staffCommands,
  type TicketAccess,
} from '../ticket-access'
import { TicketRating } from '../ticket-relations.entity'
import { Ticket } from '../ticket.entity'
import type { TicketEvent } from '../ticket-event.entity'
import {
  photoVisible,
  ticketNumber,
  toTicketView,
  voicePlayable,
  type TicketDetailParts,
  type ViewableTicket,
} from '../ticket.view'
import { loadViewable } from './ticket-loader'
import { actorName, staffActors, toEvent } from './ticket-sql'

export interface TicketHandlingFacts {
  id: string
  number: string
  category: CategoryCode
  compoundId: string
  /** The unit's path: district … compound, building, unit. */
  placePath: string[]
  handlerStaffId: string | null
  reportPhotos: number
}

/**
 * A request its filing just wrote, as the detail view needs it: the row (every column, as read back) with
 * its places, handler (id, name, active) and reporter; its co-handlers with names; its timeline entries;
 * the names of the staff acting in them; its photos.
 */
export interface FiledTicket {
  ticket: ViewableTicket
  coHandlers: { staffId: string; role: Role; name: string }[]
  events: TicketEvent[]
  staffNames: ReadonlyMap<string, string>
  photos: Photo[]
}

function commandsFor(principal: Principal, access: TicketAccess, ticket: ViewableTicket): TicketCommand[] {
  return principal.kind === 'staff'
    ? staffCommands(principal.staffId, principal.memberships, ticket, ticket.unit.path)
    : residentCommands(access.relation === 'reporter' ? 'reporter' : 'follower', ticket)
}

/** Roles that handle requests: who the transfer and co-handler pickers offer. */
const HANDLING_ROLES = ROLES.filter((role) => can(role, 'handle_tickets'))

/** One request: its detail view (and the access log of what it disclosed), its photos, its staff pickers. */
@Injectable()
export class TicketDetailReader {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly accessLog: AccessLogService,
    private readonly photos: PhotosService,
    private readonly places: PlacesService,
    private readonly staff: StaffService,
    private readonly voice: VoiceService,
  ) {}

  /**
   * Active staff who may handle requests at the ticket's unit, for transfer and co-handler pickers.
   * Display names and roles only: staff phone numbers are not for other staff to browse.
   */
  async candidates(staff: StaffPrincipal, id: string): Promise<TicketCandidates> {
    const [ticket] = await this.dataSource.query<{ unit_id: string }[]>(
      'SELECT unit_id FROM ticket WHERE id = $1',
      [id],
    )
    const unit = ticket ? await this.places.get(ticket.unit_id) : null
    if (!unit || !mayAct(staff.memberships, 'view_tickets', unit.path)) throw notFound()
    const holders = await this.staff.holdersAt(unit.path, HANDLING_ROLES)
    return { candidates: holders.map((h) => ({ ...h, roleLabel: ROLE_LABELS[h.role] })) }
  }

  /**
   * What a handler's tools (reply templates) need of a request in the caller's scope, no personal data:
   * its number, category, handler, the places above its unit and how many photos the resident sent.
   */
  async handlingFacts(staff: StaffPrincipal, id: string): Promise<TicketHandlingFacts> {
    const ticket = await this.dataSource.getRepository(Ticket).findOneBy({ id })
    const unit = ticket ? await this.places.get(ticket.unitId) : null
    if (!ticket || !unit || !mayAct(staff.memberships, 'view_tickets', unit.path)) throw notFound()
    const photos = await this.photos.forTickets([id])
    return {
      id,
      number: ticketNumber(ticket.number),
      category: ticket.category,
      compoundId: ticket.compoundId,
      placePath: unit.path,
      handlerStaffId: ticket.handlerStaffId,
      reportPhotos: photos.filter((p) => p.kind === 'report').length,
    }
  }

  /**
   * One request as the caller may see it: staff within their scope, a resident only what they reported
   * or follow. Anything else is 404, so callers learn nothing about requests outside their reach.
   * Unmasked personal data is logged before it is returned.
   */
  async detail(
    id: string,
    principal: Principal,
    requestId: string | null,
    /** `justFiled`: this call filed it a moment ago, so it has no rating and no chase yet (two reads saved). */
    known: { justFiled?: boolean } = {},
  ): Promise<TicketView> {
    const [ticket] = await loadViewable(this.dataSource, [id], { reporter: true })
    if (!ticket) throw notFound()
    const coHandlers = await this.dataSource.query<{ staff_id: string; role: Role }[]>(
      'SELECT c.staff_id, c.role FROM ticket_co_handler c WHERE c.ticket_id = $1 ORDER BY c.created_at, c.staff_id',
      [id],
    )
    const access = await accessFor(
      this.dataSource.manager,
      ticket,
      principal,
      coHandlers.map((c) => c.staff_id),
    )
    if (!access) throw notFound()
    const commands = commandsFor(principal, access, ticket)
    const nextChaseAt =
      commands.includes('chase') && !known.justFiled
        ? await chaseAllowedFrom(this.dataSource.manager, ticket.id, principal, this.clock.now())
        : null
    const [events, photos, rating] = await Promise.all([
      this.dataSource.query<Record<string, unknown>[]>(
        'SELECT e.* FROM ticket_event e WHERE e.ticket_id = $1 ORDER BY e.at, e.id',
        [id],
      ),
      this.photos.forTickets([id]),
      known.justFiled
        ? null
        : this.dataSource
            .getRepository(TicketRating)
            .findOne({ where: { ticketId: id }, order: { at: 'DESC', id: 'DESC' } }),
    ])
    const timeline = events.map(toEvent)
    // Staff's names from StaffService: the co-handlers' and the timeline's actors', in one read.
    const names = await this.staff.namesOf([...coHandlers.map((c) => c.staff_id), ...staffActors(timeline)])
    return this.present(ticket, principal, requestId, access, {
      events: timeline.map((event) => ({ event, actorName: actorName(event, names) })),
      photos,
      coHandlers: coHandlers.map((c) => ({
        staffId: c.staff_id,
        role: c.role,
        name: names.get(c.staff_id)!,
      })),
      rating,
      viewer: { relation: access.relation, commands, nextChaseAt },
    })
  }

  /**
   * The detail view of a request the caller filed a moment ago, from what the filing wrote (no read):
   * what `detail` would read back — the row with its places, handler and reporter, its co-handlers, its
   * first timeline entries with their actors' names, its photos — with no rating and no chase yet.
   * `filing-round-trips.spec.ts` checks it equals the view read back.
   */
  async justFiled(filed: FiledTicket, principal: Principal, requestId: string | null): Promise<TicketView> {
    const { ticket } = filed
    const coHandlers = [...filed.coHandlers].sort((a, b) =>
      a.staffId < b.staffId ? -1 : a.staffId > b.staffId ? 1 : 0,
    )
    const access = await accessFor(
      this.dataSource.manager,
      ticket,
      principal,
      coHandlers.map((c) => c.staffId),
    )
    if (!access) throw notFound()
    const commands = commandsFor(principal, access, ticket)
    return this.present(ticket, principal, requestId, access, {
      events: filed.events.map((event) => ({ event, actorName: actorName(event, filed.staffNames) })),
      photos: filed.photos,
      coHandlers,
      rating: null,
      viewer: { relation: access.relation, commands, nextChaseAt: null },
    })
  }

  /** The view, and the access log of the personal data it shows unmasked (before it leaves the server). */
  private async present(
    ticket: ViewableTicket,
    principal: Principal,
    requestId: string | null,
    access: TicketAccess,
    parts: TicketDetailParts,
  ): Promise<TicketView> {
    const { view, disclosed } = toTicketView(ticket, access.viewer, parts)
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
    const access = await accessFor(this.dataSource.manager, ticket as Ticket & { unit: Place }, principal, [])
    if (!access) throw notFound()
    const photo = await this.photos.attached(id, photoId)
    if (!photo || !photoVisible(photo.kind, access.viewer, access.relation)) {
      throw new DomainError('PHOTO_NOT_FOUND', '找不到这张照片')
    }
    return { bytes: await this.photos.bytes(photo), contentType: photo.contentType }
  }

  /**
   * A voice note of the request's thread, to a caller who may play it (ticket.view.ts voicePlayable). Any
   * other caller, the masked staff roles among them, gets the same 404 as for a clip that does not exist:
   * they learn nothing about it beyond what the view already says. Every play by staff is in the access log.
   */
  async voiceNote(
    id: string,
    voiceId: string,
    principal: Principal,
    requestId: string | null,
  ): Promise<{ bytes: Buffer; contentType: string }> {
    const ticket = await this.dataSource
      .getRepository(Ticket)
      .findOne({ where: { id }, relations: { unit: true } })
    if (!ticket) throw notFound()
    const placed = ticket as Ticket & { unit: Place }
    const access = await accessFor(this.dataSource.manager, placed, principal, [])
    if (!access) throw notFound()
    const note = await this.voice.attached(id, voiceId)
    const recorder = note ? { kind: note.uploaderKind, id: note.uploaderId } : null
    if (!note || !voicePlayable(placed, access.viewer, access.relation, recorder)) {
      throw new DomainError('VOICE_NOT_FOUND', '找不到这段语音')
    }
    const bytes = await this.voice.bytes(note)
    if (principal.kind === 'staff') {
      // The role that let them hear it: the full-data role, else (the proxy filer, the one who recorded
      // it) their role at the request's place.
      const role =
        personalDataRole(principal.memberships, { path: placed.unit.path, compoundId: placed.compoundId }) ??
        principal.memberships.find((m) => covers(m, placed.unit.path))?.role
      if (!role) throw new DomainError('VOICE_NOT_FOUND', '找不到这段语音')
      await this.accessLog.record({
        staffId: principal.staffId,
        role,
        ticketId: ticket.id,
        compoundId: ticket.compoundId,
        fields: ['voice'],
        requestId,
      })
    }
    return { bytes, contentType: note.contentType }
  }
}
