import {
  categoryOf,
  ESCALATION_CHAIN,
  type Role,
  type SupervisorRole,
  type TicketEventPayloads,
  type TicketEventType,
} from '@mq/shared'
import type { EntityManager } from 'typeorm'
import type { NotificationType } from '../notifications/notification.entity'
import { enqueue, type Notification } from '../notifications/outbox'
import type { StaffService } from '../staff/staff.service'
import { TicketEvent, type ActorKind } from './ticket-event.entity'
import type { Ticket } from './ticket.entity'
import { ticketNumber } from './ticket.view'

export interface Actor {
  kind: ActorKind
  id: string | null
  /** The role a staff actor acted in. */
  role: Role | null
}

/** Who an escalation tells: the role that was found, and its holders. */
export interface Supervisors {
  role: SupervisorRole
  staffIds: string[]
}

export const SYSTEM: Actor = { kind: 'system', id: null, role: null }

/** A timeline entry to append: its payload is the one its type names (shared timeline.ts). */
export type EventEntry = {
  [T in TicketEventType]: { type: T; data: TicketEventPayloads[T] }
}[TicketEventType]

/** Appends a timeline entry (inside the caller's transaction). `data` must hold no personal data. */
export async function recordEvent(
  manager: EntityManager,
  input: EventEntry & {
    ticketId: string
    actor: Actor
    public: boolean
    at: Date
  },
): Promise<TicketEvent> {
  const repo = manager.getRepository(TicketEvent)
  return repo.save(
    repo.create({
      ticketId: input.ticketId,
      at: input.at,
      actorKind: input.actor.kind,
      actorId: input.actor.id,
      actorRole: input.actor.role,
      type: input.type,
      public: input.public,
      data: input.data,
    }),
  )
}

/** Timeline entries to append (not yet written), in the order given. */
export type NewEvent = EventEntry & { ticketId: string; actor: Actor; public: boolean; at: Date }

/** The entities of timeline entries, unwritten (recordEvents writes them; filing writes them with its row). */
export function newEvents(manager: EntityManager, inputs: readonly NewEvent[]): TicketEvent[] {
  const repo = manager.getRepository(TicketEvent)
  return inputs.map((input) =>
    repo.create({
      ticketId: input.ticketId,
      at: input.at,
      actorKind: input.actor.kind,
      actorId: input.actor.id,
      actorRole: input.actor.role,
      type: input.type,
      public: input.public,
      data: input.data,
    }),
  )
}

/**
 * Appends several timeline entries in one statement, in the order given (their ids ascend in that order,
 * as separate recordEvent calls would give them).
 */
export async function recordEvents(manager: EntityManager, inputs: NewEvent[]): Promise<TicketEvent[]> {
  const events = newEvents(manager, inputs)
  if (events.length > 0) await manager.getRepository(TicketEvent).insert(events)
  return events
}

type Recipient = Notification['recipient']

function message(
  ticket: Ticket,
  event: TicketEvent,
  type: NotificationType,
  recipients: Recipient[],
  extra: Record<string, unknown>,
): Notification[] {
  const payload = {
    number: ticketNumber(ticket.number),
    category: ticket.category,
    categoryLabel: categoryOf(ticket.category).label,
    state: ticket.state,
    ...extra,
  }
  return recipients.map((recipient) => ({
    recipient,
    type,
    ticketId: ticket.id,
    payload,
    // One message per recipient per timeline entry: a retried transaction cannot send it twice.
    dedupeKey: `${type}:${ticket.id}:${event.id}:${recipient.kind}:${recipient.id}`,
    at: event.at,
  }))
}

/**
 * A proxy entry's resident who agreed to text messages, at the number staff recorded (the row's id is the
 * request's; sms/sms-notices.ts reads the number when it sends).
 */
function proxyResident(ticket: Ticket): Recipient[] {
  return ticket.proxySmsConsent && ticket.proxyPhone ? [{ kind: 'proxy', id: ticket.id }] : []
}

/**
 * Tells the people who asked (accepted, replied, resolved, rejected): the reporter, every
 * follower, and for a proxy entry the staff member who filed it (they phone the resident) and the resident
 * by text message if they agreed.
 */
export async function notifyReporters(
  manager: EntityManager,
  ticket: Ticket,
  event: TicketEvent,
  type: Extract<NotificationType, 'accepted' | 'replied' | 'resolved' | 'rejected'>,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const recipients: Recipient[] = []
  if (ticket.reporterResidentId) recipients.push({ kind: 'resident', id: ticket.reporterResidentId })
  if (ticket.proxyStaffId) recipients.push({ kind: 'staff', id: ticket.proxyStaffId })
  recipients.push(...proxyResident(ticket))
  const followers = await manager.query<{ resident_id: string }[]>(
    'SELECT resident_id FROM ticket_follower WHERE ticket_id = $1',
    [ticket.id],
  )
  for (const f of followers) {
    if (f.resident_id !== ticket.reporterResidentId) recipients.push({ kind: 'resident', id: f.resident_id })
  }
  await enqueue(manager, message(ticket, event, type, recipients, extra))
}

/**
 * Tells the reporter alone (asked, messaged): the thread is theirs, followers never see it. As with
 * notifyReporters, a proxy entry's go to the staff member who filed it (and by text to the resident if they
 * agreed); nobody is told of their own words.
 */
export async function notifyReporter(
  manager: EntityManager,
  ticket: Ticket,
  event: TicketEvent,
  type: Extract<NotificationType, 'asked' | 'messaged'>,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const recipients: Recipient[] = []
  if (ticket.reporterResidentId) recipients.push({ kind: 'resident', id: ticket.reporterResidentId })
  if (ticket.proxyStaffId && ticket.proxyStaffId !== event.actorId)
    recipients.push({ kind: 'staff', id: ticket.proxyStaffId })
  recipients.push(...proxyResident(ticket))
  await enqueue(manager, message(ticket, event, type, recipients, extra))
}

export async function notifyStaff(
  manager: EntityManager,
  ticket: Ticket,
  event: TicketEvent,
  type: NotificationType,
  staffIds: readonly (string | null)[],
  extra: Record<string, unknown> = {},
): Promise<void> {
  await enqueue(manager, staffMessages(ticket, event, type, staffIds, extra))
}

/** The messages notifyStaff would queue, to queue several groups in one statement (see firstOfEach). */
export function staffMessages(
  ticket: Ticket,
  event: TicketEvent,
  type: NotificationType,
  staffIds: readonly (string | null)[],
  extra: Record<string, unknown> = {},
): Notification[] {
  const ids = [...new Set(staffIds.filter((id): id is string => id !== null))]
  return message(
    ticket,
    event,
    type,
    ids.map((id) => ({ kind: 'staff', id })),
    extra,
  )
}

/**
 * The first message of each dedupe key: what separate enqueue calls in this order would have kept (a later
 * insert of a key already queued is ignored), for one enqueue of several groups.
 */
export function firstOfEach(messages: readonly Notification[]): Notification[] {
  const seen = new Set<string>()
  return messages.filter((m) => !seen.has(m.dedupeKey) && seen.add(m.dedupeKey))
}

/**
 * The supervisors at escalation level `level` or, when nobody holds that role over the compound, the
 * next level up (compound secretary → community → street → district).
 */
export async function supervisorsOf(
  staff: StaffService,
  manager: EntityManager,
  compoundPath: readonly string[],
  level: number,
): Promise<Supervisors | null> {
  for (let i = Math.max(1, level) - 1; i < ESCALATION_CHAIN.length; i++) {
    const role = ESCALATION_CHAIN[i]
    const staffIds = await staff.activeIdsWithRole(role, compoundPath, manager)
    if (staffIds.length > 0) return { role, staffIds }
  }
  return null
}
