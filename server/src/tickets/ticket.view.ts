import {
  maskName,
  maskOpenid,
  maskPhone,
  maskRoom,
  PERSONAL_FIELDS,
  personalDataRole,
  type PersonalField,
  publicSummaryOf as sharedPublicSummaryOf,
  redactPublicText,
  REPORTER_EVENT_TYPES,
  ticketPhotoPath,
  toPublicRequest,
  type PublicRequest,
  type PublicSummary,
  type ReporterView,
  type Role,
  type ScopedMembership,
  type TicketCommand,
  type TicketEventView,
  type TicketPublicView,
  type TicketRelation,
  type TicketView,
  type VoiceRef,
} from '@mq/shared'
import type { Place } from '../places/place.entity'
import type { Photo } from '../photos/photo.entity'
import type { Resident } from '../residents/resident.entity'
import type { Staff } from '../staff/staff.entity'
import type { TicketEvent } from './ticket-event.entity'
import type { TicketRating } from './ticket-relations.entity'
import type { Ticket } from './ticket.entity'

/** Who is looking. Residents reach only requests they reported or follow; the service checks that first. */
export type TicketViewer =
  | { kind: 'public' }
  | { kind: 'resident'; residentId: string }
  | { kind: 'staff'; staffId: string; memberships: readonly ScopedMembership[] }

/** A ticket with the relations the views read. */
export type ViewableTicket = Ticket & {
  unit: Place
  building: Place
  compound: Place
  reporter?: Resident | null
  handler?: Staff | null
  mergedInto?: Ticket | null
}

/**
 * The ticket columns a list row shows (toPublicTicketView; toFollowedListView's public text from
 * publicSummaryOf): a list page loads these alone (read/ticket-loader.ts loadListed), not the whole row.
 */
export const LISTED_COLUMNS = [
  'id',
  'number',
  'category',
  'severity',
  'state',
  'channel',
  'description',
  'handlerRole',
  'acceptBy',
  'replyBy',
  'resolveBy',
  'nextDueAt',
  'replyPlan',
  'promisedAt',
  'repliedAt',
  'resolutionNote',
  'resolvedAt',
  'rejectionReason',
  'followerCount',
  'chaseCount',
  'reopenCount',
  'urgent',
  'createdAt',
  'escalationLevel',
  'publicText',
  'publicCommitment',
  'publicResolution',
  'proxyName',
  'proxyPhone',
  'room',
] as const satisfies readonly (keyof Ticket)[]

/** The facts publicSummaryOf reads: the texts, and the personal data to mask in them. */
type SummarySource = Pick<
  Ticket,
  | 'description'
  | 'publicText'
  | 'replyPlan'
  | 'promisedAt'
  | 'repliedAt'
  | 'publicCommitment'
  | 'resolutionNote'
  | 'resolvedAt'
  | 'publicResolution'
  | 'proxyName'
  | 'proxyPhone'
  | 'room'
> & { reporter?: Pick<Resident, 'name' | 'phone'> | null }

/** A request as a list row reads it: the listed columns, the places' names, the handler's name. */
export type ListedTicket = Pick<Ticket, (typeof LISTED_COLUMNS)[number]> & {
  unit: Pick<Place, 'name'>
  building: Pick<Place, 'name'>
  compound: Pick<Place, 'name'>
  reporter?: Pick<Resident, 'name' | 'phone'> | null
  handler?: Pick<Staff, 'name'> | null
  mergedInto?: Pick<Ticket, 'id' | 'number'> | null
}

/** What a detail view shows beside the ticket row, loaded by the service. */
export interface TicketDetailParts {
  /** Oldest first, with the display name of staff actors. */
  events: { event: TicketEvent; actorName: string | null }[]
  photos: Photo[]
  coHandlers: { staffId: string; role: Role; name: string }[]
  /** The latest rating. */
  rating: TicketRating | null
  /** What the caller is to the request and may do now (decided by the service, shown as is). */
  viewer: { relation: TicketRelation; commands: TicketCommand[]; nextChaseAt: Date | null }
}

export interface TicketViewResult {
  view: TicketView
  /**
   * Personal data this view shows unmasked, and the role that allowed it. Non-null means the caller
   * must write it to the access log before the view leaves the server.
   */
  disclosed: { role: Role; fields: PersonalField[] } | null
}

export function ticketNumber(n: number): string {
  return `MQ${String(n).padStart(6, '0')}`
}

type PersonalData = Record<PersonalField, string | null>

const MASKS: Record<PersonalField, (value: string | null) => string | null> = {
  name: maskName,
  phone: maskPhone,
  openid: maskOpenid,
  room: maskRoom,
}

const iso = (d: Date | null | undefined) => d?.toISOString() ?? null

/**
 * What the public reads of a request now (its text, commitment and resolution): staff's 公示 edits where
 * set, else the originals with personal data redacted (shared public-text.ts decides).
 */
export function publicSummaryOf(t: SummarySource): PublicSummary {
  return sharedPublicSummaryOf({ ...t, personal: personalOf(t) })
}

/** The personal data of a request the server knows: masked wherever it occurs in public text. */
function personalOf(
  t: Pick<SummarySource, 'reporter' | 'proxyName' | 'proxyPhone' | 'room'>,
): (string | null)[] {
  return [t.reporter?.name ?? null, t.reporter?.phone ?? null, t.proxyName, t.proxyPhone, t.room]
}

/**
 * The one public projection of a request (shared toPublicRequest): what the scan page's open requests,
 * the board and Open311 show. `t` is a ticket with its places, or a read model's row mapped to the same
 * facts.
 */
export function toPublicRequestView(ticket: ViewableTicket): PublicRequest {
  return toPublicRequest({
    ...ticket,
    personal: personalOf(ticket),
    number: ticketNumber(ticket.number),
    compoundName: ticket.compound.name,
    buildingName: ticket.building.name,
    unitName: ticket.unit.name,
  })
}

/**
 * What anyone who may know of a request sees: no personal data and no photos. Lists (my requests, the
 * inbox, duplicates) are made of this.
 */
export function toPublicTicketView(ticket: ListedTicket): TicketPublicView {
  return {
    id: ticket.id,
    number: ticketNumber(ticket.number),
    category: ticket.category,
    severity: ticket.severity,
    state: ticket.state,
    channel: ticket.channel,
    description: ticket.description,
    compoundName: ticket.compound.name,
    buildingName: ticket.building.name,
    unitName: ticket.unit.name,
    handlerRole: ticket.handlerRole,
    handlerName: ticket.handler?.name ?? null,
    acceptBy: iso(ticket.acceptBy),
    replyBy: iso(ticket.replyBy),
    resolveBy: iso(ticket.resolveBy),
    nextDueAt: iso(ticket.nextDueAt),
    promise:
      ticket.replyPlan && ticket.promisedAt && ticket.repliedAt
        ? {
            plan: ticket.replyPlan,
            promisedAt: ticket.promisedAt.toISOString(),
            repliedAt: ticket.repliedAt.toISOString(),
          }
        : null,
    resolution:
      ticket.resolutionNote && ticket.resolvedAt
        ? { note: ticket.resolutionNote, resolvedAt: ticket.resolvedAt.toISOString() }
        : null,
    rejectionReason: ticket.rejectionReason,
    mergedInto: ticket.mergedInto
      ? { id: ticket.mergedInto.id, number: ticketNumber(ticket.mergedInto.number) }
      : null,
    followerCount: ticket.followerCount,
    chaseCount: ticket.chaseCount,
    reopened: ticket.reopenCount > 0,
    urgent: ticket.urgent,
    createdAt: ticket.createdAt.toISOString(),
  }
}

/**
 * Photos of the problem may show the inside of a home: staff and the reporter only. Photos of the fix
 * go to everyone who sees the request in full (followers too).
 */
export function photoVisible(kind: Photo['kind'], viewer: TicketViewer, relation: TicketRelation): boolean {
  if (viewer.kind === 'public' || kind === null) return false
  if (kind === 'resolution' || viewer.kind === 'staff') return true
  return relation === 'reporter'
}

/** Who recorded a voice note: the message's author, or the note's uploader. */
export interface Recorder {
  kind: 'resident' | 'staff' | string
  id: string | null
}

/**
 * A voice is the speaker's personal data. It plays for the reporter (for a proxy entry, the staff member
 * who filed it), for staff whose role sees the reporter's personal data in full (shared
 * personalDataRole: 网格长, 物业, 居民自管小组 of the compound), and for the one who recorded it. Others
 * (民警 and every other masked role) learn that there is one and how long, not its id.
 */
export function voicePlayable(
  ticket: Pick<Ticket, 'proxyStaffId' | 'compoundId'> & { unit: Pick<Place, 'path'> },
  viewer: TicketViewer,
  relation: TicketRelation,
  recorder: Recorder | null,
): boolean {
  if (viewer.kind === 'public') return false
  if (viewer.kind === 'resident') return relation === 'reporter'
  if (ticket.proxyStaffId === viewer.staffId) return true
  if (recorder?.kind === 'staff' && recorder.id === viewer.staffId) return true
  return (
    personalDataRole(viewer.memberships, { path: ticket.unit.path, compoundId: ticket.compoundId }) !== null
  )
}

/** A message's stored voice (`{ id, durationMs }`) as this viewer sees it: a VoiceRef, id only if playable. */
function withVoiceRef(data: Record<string, unknown>, playable: boolean): Record<string, unknown> {
  const voice = data.voice as { id?: unknown; durationMs?: unknown } | undefined
  if (!voice || typeof voice !== 'object') return data
  const durationMs = typeof voice.durationMs === 'number' ? voice.durationMs : 0
  const ref: VoiceRef =
    playable && typeof voice.id === 'string'
      ? { id: voice.id, durationMs, playable: true }
      : { durationMs, playable: false }
  return { ...data, voice: ref }
}

function messagePhotoIds(data: object): string[] {
  const ids = (data as { photoIds?: unknown }).photoIds
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : []
}

export function photoUrl(ticketId: string, photoId: string): string {
  return ticketPhotoPath(ticketId, photoId)
}

const NO_PARTS: TicketDetailParts = {
  events: [],
  photos: [],
  coHandlers: [],
  rating: null,
  viewer: { relation: 'staff', commands: [], nextChaseAt: null },
}

/**
 * The one place a ticket becomes what a caller sees. Reporter name, phone, openid and room go
 * out in full only to 网格长, 物业 and 居民自管小组 of the ticket's compound (shared personalDataRole),
 * masked to every other staff role, and not at all to residents or the public. Residents see the public
 * timeline only, staff by role and display name, never another resident's identity.
 */
export function toTicketView(
  ticket: ViewableTicket,
  viewer: TicketViewer,
  parts: TicketDetailParts = NO_PARTS,
): TicketViewResult {
  const isStaff = viewer.kind === 'staff'
  const relation = parts.viewer.relation
  const visible = (p: Photo) => photoVisible(p.kind, viewer, relation)
  const ref = (p: Photo) => ({ id: p.id, url: photoUrl(ticket.id, p.id) })
  // The thread and a withdrawal's reason are between staff and the reporter: never a follower's.
  const reads = (event: TicketEvent) =>
    isStaff ||
    event.public ||
    (REPORTER_EVENT_TYPES.includes(event.type) && viewer.kind === 'resident' && relation === 'reporter')
  // A message's photos show in the thread, not among the problem's photos.
  const inThread = new Set(
    parts.events.flatMap(({ event }) => (event.type === 'message' ? messagePhotoIds(event.data) : [])),
  )
  const timeline: TicketEventView[] = parts.events
    .filter(({ event }) => reads(event))
    .map(({ event, actorName }) => ({
      id: String(event.id),
      at: event.at.toISOString(),
      type: event.type,
      public: event.public,
      actor:
        event.actorKind === 'staff'
          ? { kind: 'staff', role: event.actorRole, name: actorName }
          : { kind: event.actorKind, role: null, name: null },
      data:
        event.type === 'message'
          ? withVoiceRef(
              event.data as Record<string, unknown>,
              voicePlayable(ticket, viewer, relation, { kind: event.actorKind, id: event.actorId }),
            )
          : event.data,
    }))
  const base: Omit<TicketView, 'reporter'> = {
    ...toPublicTicketView(ticket),
    coHandlers: parts.coHandlers.map((c) => ({
      staffId: isStaff ? c.staffId : null,
      role: c.role,
      name: c.name,
    })),
    photos: {
      report: parts.photos.filter((p) => p.kind === 'report' && visible(p) && !inThread.has(p.id)).map(ref),
      resolution: parts.photos.filter((p) => p.kind === 'resolution' && visible(p)).map(ref),
    },
    rating: parts.rating
      ? {
          stars: parts.rating.stars,
          tags: parts.rating.tags,
          // The reporter's own words: not for other residents who follow the request.
          comment: isStaff || relation === 'reporter' ? parts.rating.comment : null,
          at: parts.rating.at.toISOString(),
          via: parts.rating.via,
        }
      : null,
    timeline,
    publicSummary: publicSummaryOf(ticket),
    viewer: {
      relation,
      commands: parts.viewer.commands,
      nextChaseAt: iso(parts.viewer.nextChaseAt),
    },
  }
  if (viewer.kind === 'resident' && relation !== 'reporter') {
    return { view: { ...forOtherResidents(base, ticket), reporter: null }, disclosed: null }
  }
  const kind: ReporterView['kind'] | null =
    ticket.proxyStaffId || ticket.proxyName ? 'proxy' : ticket.reporterResidentId ? 'resident' : null
  if (viewer.kind !== 'staff' || kind === null) return { view: { ...base, reporter: null }, disclosed: null }

  const data: PersonalData =
    kind === 'proxy'
      ? { name: ticket.proxyName, phone: ticket.proxyPhone, openid: null, room: ticket.room }
      : {
          name: ticket.reporter?.name ?? null,
          phone: ticket.reporter?.phone ?? null,
          openid: ticket.reporter?.openid ?? null,
          room: ticket.room,
        }
  const contactConsent = kind === 'proxy' || ticket.contactConsent
  const role = personalDataRole(viewer.memberships, { path: ticket.unit.path, compoundId: ticket.compoundId })
  if (!role) {
    const masked = Object.fromEntries(PERSONAL_FIELDS.map((f) => [f, MASKS[f](data[f])])) as PersonalData
    return { view: { ...base, reporter: { kind, masked: true, ...masked, contactConsent } }, disclosed: null }
  }
  const fields = PERSONAL_FIELDS.filter((f) => data[f] !== null)
  return {
    view: { ...base, reporter: { kind, masked: false, ...data, contactConsent } },
    disclosed: fields.length > 0 ? { role, fields } : null,
  }
}

/**
 * What another resident (a follower) reads of a request: the public text instead of the reporter's
 * words, the public commitment and resolution, and the timeline's words redacted (a question to the
 * reporter, their answer). Places, state and dates as for the reporter.
 */
/** Timeline entries with the words in them redacted (staff's questions and plans, residents' answers). */
function redactTimeline(timeline: TicketEventView[], known: (string | null)[]): TicketEventView[] {
  return timeline.map((e) => ({
    ...e,
    data: Object.fromEntries(
      Object.entries(e.data).map(([k, v]) => [k, typeof v === 'string' ? redactPublicText(v, known) : v]),
    ),
  }))
}

function forOtherResidents<T extends Omit<TicketView, 'reporter'>>(
  view: T,
  ticket: Ticket & { reporter?: Resident | null },
): T {
  const summary = view.publicSummary
  const known = personalOf(ticket)
  return {
    ...view,
    description: summary.text,
    promise: view.promise && {
      ...view.promise,
      plan: summary.commitment ?? redactPublicText(view.promise.plan, known),
    },
    resolution: view.resolution && {
      ...view.resolution,
      note: summary.resolution ?? redactPublicText(view.resolution.note, known),
    },
    rejectionReason: view.rejectionReason && redactPublicText(view.rejectionReason, known),
    timeline: redactTimeline(view.timeline, known),
  }
}

/** A row of another resident's list (a request they follow): its public text, not the reporter's words. */
export function toFollowedListView(ticket: ListedTicket): TicketPublicView {
  return { ...toPublicTicketView(ticket), description: publicSummaryOf(ticket).text }
}

/**
 * A request as the public sees it through an open interface (Open311): the public view, the public
 * timeline with its words redacted, and the ids of its unit and compound (places, not people). No personal data, no photos.
 */
export interface PublicTicketDetail {
  /** The public view's places, role and dates; its raw description is left out (read `request`). */
  view: Omit<TicketPublicView, 'description'>
  /** What the public may read of it (the one public projection). */
  request: PublicRequest
  unitId: string
  compoundId: string
  timeline: TicketEventView[]
}

export function toPublicTicketDetail(
  ticket: ViewableTicket,
  events: TicketDetailParts['events'],
): PublicTicketDetail {
  const { view } = toTicketView(ticket, { kind: 'public' }, { ...NO_PARTS, events })
  return {
    view: withoutDescription(toPublicTicketView(ticket)),
    request: toPublicRequestView(ticket),
    unitId: ticket.unitId,
    compoundId: ticket.compoundId,
    timeline: redactTimeline(view.timeline, personalOf(ticket)),
  }
}

function withoutDescription(view: TicketPublicView): Omit<TicketPublicView, 'description'> {
  const { description: _raw, ...rest } = view
  return rest
}
