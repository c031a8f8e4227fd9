import {
  maskName,
  maskOpenid,
  maskPhone,
  maskRoom,
  PERSONAL_FIELDS,
  personalDataRole,
  type PersonalField,
  type ReporterView,
  type Role,
  type ScopedMembership,
  type TicketView,
} from '@mq/shared'
import type { Place } from '../places/place.entity'
import type { Resident } from '../residents/resident.entity'
import type { Staff } from '../staff/staff.entity'
import type { Ticket } from './ticket.entity'

/** Who is looking. Residents reach only their own requests; the service checks that before mapping. */
export type TicketViewer =
  | { kind: 'public' }
  | { kind: 'resident'; residentId: string }
  | { kind: 'staff'; staffId: string; memberships: readonly ScopedMembership[] }

/** A ticket with the relations the view reads. */
export type ViewableTicket = Ticket & {
  unit: Place
  building: Place
  compound: Place
  reporter?: Resident | null
  handler?: Staff | null
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

/**
 * The one place a ticket becomes what a caller sees (SPEC §3). Reporter name, phone, openid and room go
 * out in full only to 网格长, 物业 and 居民自管小组 of the ticket's compound (shared personalDataRole),
 * masked to every other staff role, and not at all to residents or the public.
 */
export function toTicketView(ticket: ViewableTicket, viewer: TicketViewer): TicketViewResult {
  const base: Omit<TicketView, 'reporter'> = {
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
    acceptBy: ticket.acceptBy?.toISOString() ?? null,
    replyBy: ticket.replyBy?.toISOString() ?? null,
    resolveBy: ticket.resolveBy?.toISOString() ?? null,
    createdAt: ticket.createdAt.toISOString(),
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
  const role = personalDataRole(viewer.memberships, { path: ticket.unit.path, compoundId: ticket.compoundId })
  if (!role) {
    const masked = Object.fromEntries(PERSONAL_FIELDS.map((f) => [f, MASKS[f](data[f])])) as PersonalData
    return { view: { ...base, reporter: { kind, masked: true, ...masked } }, disclosed: null }
  }
  const fields = PERSONAL_FIELDS.filter((f) => data[f] !== null)
  return {
    view: { ...base, reporter: { kind, masked: false, ...data } },
    disclosed: fields.length > 0 ? { role, fields } : null,
  }
}
