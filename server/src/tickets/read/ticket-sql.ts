import { OPEN_STATES } from '@mq/shared'
import { TicketEvent } from '../ticket-event.entity'

/** Open states as SQL literals, so the planner matches the partial indexes (ticket.entity.ts). */
export const OPEN_SQL = `(${OPEN_STATES.map((s) => `'${s}'`).join(', ')})`

/**
 * A timeline entry `e` of request `t` that handed it off (回退率, shared/src/metrics.ts): a 转办 or 改派 away
 * from someone who held it, i.e. `transferred` with a `fromRole`. Probe it with LIMIT 1, so each request
 * is looked up by the timeline's (ticket_id, at) index; an EXISTS would let the planner hash the timeline.
 */
export const HANDED_OFF_EVENT = `e.ticket_id = t.id AND e.type = 'transferred' AND e.data->>'fromRole' IS NOT NULL`

/** A raw ticket_event row (snake_case, as `SELECT e.*` returns it) as the entity. */
export function toEvent(row: Record<string, unknown>): TicketEvent {
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

/** The staff who acted on these timeline entries (their names come from StaffService). */
export function staffActors(events: readonly TicketEvent[]): string[] {
  return events.filter((e) => e.actorKind === 'staff' && e.actorId).map((e) => e.actorId!)
}

/** A timeline entry's actor's display name: staff only. */
export function actorName(event: TicketEvent, names: ReadonlyMap<string, string>): string | null {
  return event.actorKind === 'staff' && event.actorId ? (names.get(event.actorId) ?? null) : null
}
