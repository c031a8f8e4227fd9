import type { CategoryCode } from './categories'
import type { Role } from './roles'
import type { Channel, Severity, TicketEventType } from './tickets'
import type { DeadlineWindow } from './timers'
import type { VoiceRef } from './schemas/voice'

/** A value before and after a change. */
interface Change<T> {
  from: T
  to: T
}

/** A public text before and after a staff edit (null: nothing shown). */
interface TextEdit {
  before: string | null
  after: string | null
}

/**
 * What each timeline entry records besides its type, actor and time: the server writes exactly these
 * (tickets/ticket-journal.ts), the views and Open311's status notes read them. Never personal data in a
 * public entry: public entries reach followers too. A `message` (and a `withdrawn` reason) is never
 * public: only staff and the reporter read it. Staff's words (plans, reasons, questions, notes) are redacted for
 * other residents and the public where shown.
 */
export interface TicketEventPayloads {
  /** `source`: the partner system that filed it (Open311). */
  filed: { channel: Channel; photos: number; source?: string }
  /** `role`: null when nobody holds the rule's role here (it waits for a coordinator). */
  routed: { role: Role | null; reason: string; coHandlerRoles: Role[] }
  /** Only what the accepting staff member changed. */
  accepted: { category?: Change<CategoryCode>; severity?: Change<Severity> }
  replied: { plan: string; promisedAt: string }
  resolved: { note: string; photos: number }
  rejected: { reason: string }
  /** `by: 'supervisor'`: a supervisor's 改派, not the handler's 转办. */
  transferred: { fromRole: Role | null; toRole: Role; toName: string; reason: string; by?: 'supervisor' }
  co_handler_added: { role: Role; name: string }
  co_handler_removed: { role: Role; name: string | null }
  waiting: { question: string }
  resumed: { note: string | null; pausedMinutes: number }
  merged: { intoId: string; intoNumber: string }
  merged_from: { fromId: string; fromNumber: string; followers: number }
  noted: { text: string }
  chased: { count: number; overdue: boolean }
  escalated:
    | { level: number; role: Role; cause: 'chase' }
    | {
        level: number
        role: Role
        cause: 'overdue'
        deadline: DeadlineWindow
        dueAt: string
        step: number
      }
  promise_extended: { from: string; to: string; reason: string }
  followed: { followers: number }
  rated: { stars: number; tags: string[]; via: 'resident' | 'callback' }
  reopened: { stars: number }
  /** By the rating's stars, or by itself `days` after resolution (`auto`). */
  closed: { stars: number } | { auto: true; days: number }
  public_summary_edited: {
    text?: TextEdit
    commitment?: TextEdit
    resolution?: TextEdit
    /** Whether any staff edit stands after this one. */
    edited: boolean
  }
  /**
   * The thread between the reporter (for a proxy entry, the staff member who filed it) and the handlers:
   * `answer` to a 请居民补充 question (it resumed the request), `addition` on any open request, `staff` a
   * handler's message to the reporter. `photoIds`: photos uploaded first and attached with it; `voice`:
   * a voice note attached with it (stored as `{ id, durationMs }`; the view turns it into a VoiceRef, with
   * the id only for those who may play it).
   */
  message: {
    kind: MessageKind
    text: string
    photoIds: string[]
    voice?: { id: string; durationMs: number } | VoiceRef
  }
  /** 撤回 by the reporter before acceptance; not public (the reason is their words: REPORTER_EVENT_TYPES). */
  withdrawn: { reason: string | null }
  /** Staff turned the request into a resident need: its id and title (public words, redacted when written). */
  converted_to_need: { needId: string; title: string }
  /**
   * A joint meeting (联席会议) decided on the request: its public summary (redacted when written), the
   * owning role as a label, the target working day. `done`: the decision carried out, with its public note.
   */
  meeting_decision: { meetingId: string; decisionId: string; meetingTitle: string; summary: string; ownerLabel: string; targetDate: string }
  meeting_decision_done: { meetingId: string; decisionId: string; summary: string; note: string }
}

export const MESSAGE_KINDS = ['answer', 'addition', 'staff'] as const
export type MessageKind = (typeof MESSAGE_KINDS)[number]

export type TicketEventData<T extends TicketEventType = TicketEventType> = TicketEventPayloads[T]

/** A timeline entry's type with its payload: a union discriminated by `type`. */
export type TypedTicketEvent = {
  [T in TicketEventType]: { type: T; data: TicketEventPayloads[T] }
}[TicketEventType]

/**
 * An entry as read back (the stored jsonb, or the API's `data` record) seen through its type. The server
 * is the only writer, through the typed journal, so the payload is the one its type names.
 */
export function typedEvent<E extends { type: TicketEventType; data: object }>(
  event: E,
): E & TypedTicketEvent {
  return event as E & TypedTicketEvent
}
