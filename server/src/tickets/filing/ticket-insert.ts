import { planTimers, type Role } from '@mq/shared'
import type { EntityManager } from 'typeorm'
import { DomainError } from '../../common/domain-error'
import { prepared } from '../../common/prepared'
import type { Notification } from '../../notifications/outbox'
import { deadlineConfigOf } from '../lifecycle/ticket-deadlines'
import { timerTicket } from '../lifecycle/timer-plan'
import type { TicketEvent } from '../ticket-event.entity'
import { Ticket } from '../ticket.entity'

/** Rows written with a new request's own row, in the same statement. */
export interface WrittenWithTicket {
  /** Its co-handlers (ticket_co_handler), created at the request's `createdAt`. */
  coHandlers: readonly { staffId: string; role: Role }[]
  /**
   * The Idempotency-Key it was filed under (idempotency_key), if any. `lock`: the statement is the filing's
   * whole transaction, so it takes the key's advisory lock itself (not waiting: a twin in flight → 409)
   * and writes nothing if the key is already known (then returned, to replay).
   */
  idempotencyKey: { principal: string; key: string; bodyHash: string; lock?: string } | null
  /** Its first timeline entries (newEvents), in order: their ids are set once written. */
  events: readonly TicketEvent[]
  /**
   * Outbox messages of those entries (ticket-journal staffMessages, firstOfEach), built with the entries
   * before their ids and the request's number exist: `eventMark(i)` stands for entry i's id in their dedupe
   * key (use `markedEvents`), and the payload's `number` is the request's as written.
   */
  messages: readonly Notification[]
}

/** The stand-in for timeline entry i's id in a dedupe key, until the entry is written. */
const eventMark = (i: number) => `#event${i}#`

/** The entries with stand-in ids, to build their messages (dedupe keys name the entry) before the insert. */
export function markedEvents(events: readonly TicketEvent[]): TicketEvent[] {
  return events.map((event, i) => Object.assign(Object.create(event) as TicketEvent, { id: eventMark(i) }))
}

/** The request's number as ticket.view ticketNumber shows it: MQ and at least six digits. */
const NUMBER_SQL = `'MQ' || lpad(t.number::text, greatest(6, length(t.number::text)), '0')`

/**
 * Writes a new request in ONE statement: its row, co-handler rows, idempotency key, warning and overdue
 * timers (as lifecycle rescheduleTimers plans them for a request filed in this transaction), timeline
 * entries and outbox messages — what TypeORM's `save` and six inserts did in seven. Sets on `ticket`
 * every column as stored (its number, the columns PostgreSQL filled in) and on the entries their ids.
 * The request's columns are the entity's (a column added to it is written too); a property left
 * undefined takes the column's default.
 */
export async function insertTicket(
  manager: EntityManager,
  ticket: Ticket,
  written: WrittenWithTicket,
): Promise<{ known: { bodyHash: string; ticketId: string } | null }> {
  const metadata = manager.connection.getMetadata(Ticket)
  const row = ticket as unknown as Record<string, unknown>
  const columns = metadata.columns.filter(
    (c) => c.isInsert && !c.isGenerated && row[c.propertyName] !== undefined,
  )
  const json = (value: unknown) => (value === null ? null : JSON.stringify(value))
  // pg would write a JS array as a PostgreSQL array: jsonb takes its JSON text.
  const params: unknown[] = columns.map((c) =>
    c.type === 'jsonb' || c.type === 'json' ? json(row[c.propertyName]) : row[c.propertyName],
  )
  const param = (value: unknown, type: string) => `$${params.push(value)}::${type}`
  const { coHandlers, idempotencyKey: key, events, messages } = written
  // Read back only what PostgreSQL filled in (the number, the defaults): the rest is what was sent.
  const filled = metadata.columns.filter((c) => !columns.includes(c))
  const returning = ['id', ...filled.map((c) => c.databaseName).filter((name) => name !== 'id')]
    .map((name) => `"${name}"`)
    .join(', ')
  const into = `INSERT INTO ticket (${columns.map((c) => `"${c.databaseName}"`).join(', ')})`
  const parts: string[] = []
  if (key?.lock) {
    // The key looked up once locked (its snapshot is from just before the lock: a twin committing in
    // between is not seen, and its key's unique violation fails this statement, as for a lost race).
    const type = (c: (typeof columns)[number]) =>
      `${manager.connection.driver.normalizeType(c)}${c.isArray ? '[]' : ''}`
    parts.push(
      `l AS (SELECT pg_try_advisory_xact_lock(hashtextextended(${param(key.lock, 'text')}, 0)) AS locked)`,
      `known AS (
        SELECT k.body_hash, k.ticket_id FROM l JOIN idempotency_key k
            ON l.locked AND k.principal = ${param(key.principal, 'text')} AND k.key = ${param(key.key, 'text')}
      )`,
      `t AS (
        ${into}
        SELECT ${columns.map((c, i) => `$${i + 1}::${type(c)}`).join(', ')}
          FROM l WHERE l.locked AND NOT EXISTS (SELECT 1 FROM known)
        RETURNING ${returning}
      )`,
    )
  } else {
    parts.push(
      `t AS (${into} VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING ${returning})`,
    )
  }
  const at = param(ticket.createdAt, 'timestamptz')
  /** Rows as parallel arrays, one parameter per column: `unnest(…) WITH ORDINALITY AS alias(…, n)`. */
  const rowsOf = <R>(
    alias: string,
    rows: readonly R[],
    columns: [name: string, type: string, of: (row: R) => unknown][],
  ) =>
    `unnest(${columns.map(([, type, of]) => param(rows.map(of), `${type}[]`)).join(', ')}) WITH ORDINALITY AS ${alias}(${columns
      .map(([name]) => name)
      .join(', ')}, n)`
  if (coHandlers.length > 0) {
    parts.push(`co AS (
      INSERT INTO ticket_co_handler (ticket_id, staff_id, role, created_at)
      SELECT t.id, c.staff_id, c.role, ${at}
        FROM t, ${rowsOf('c', coHandlers, [
          ['staff_id', 'uuid', (c) => c.staffId],
          ['role', 'text', (c) => c.role],
        ])}
       ORDER BY c.n
    )`)
  }
  if (key) {
    parts.push(`k AS (
      INSERT INTO idempotency_key (principal, key, body_hash, ticket_id, created_at)
      SELECT ${param(key.principal, 'text')}, ${param(key.key, 'text')}, ${param(key.bodyHash, 'text')}, t.id, ${at}
        FROM t
    )`)
  }
  // A new request has no timers to cancel or revive: a plain insert is what insertTimers' upsert does.
  const timers = planTimers(timerTicket(ticket), deadlineConfigOf(ticket))
  if (timers.length > 0) {
    parts.push(`tm AS (
      INSERT INTO deadline_timer (ticket_id, kind, deadline_type, deadline_at, step, fire_at, created_at, status)
      SELECT t.id, x.kind, x.deadline_type, x.deadline_at, x.step, x.fire_at, ${at}, 'pending'
        FROM t, ${rowsOf('x', timers, [
          ['kind', 'text', (x) => x.kind],
          ['deadline_type', 'text', (x) => x.window],
          ['deadline_at', 'timestamptz', (x) => x.deadline],
          ['step', 'int', (x) => x.step],
          ['fire_at', 'timestamptz', (x) => x.fireAt],
        ])}
       ORDER BY x.n
    )`)
  }
  // The entries in order (their ids ascend in it), then numbered by id from 0 for the messages.
  parts.push(`e AS (
      INSERT INTO ticket_event (ticket_id, at, actor_kind, actor_id, actor_role, type, public, data)
      SELECT t.id, x.at, x.actor_kind, x.actor_id, x.actor_role, x.type, x.public, x.data
        FROM t, ${rowsOf('x', events, [
          ['at', 'timestamptz', (e) => e.at],
          ['actor_kind', 'text', (e) => e.actorKind],
          ['actor_id', 'uuid', (e) => e.actorId],
          ['actor_role', 'text', (e) => e.actorRole],
          ['type', 'text', (e) => e.type],
          ['public', 'boolean', (e) => e.public],
          ['data', 'jsonb', (e) => json(e.data)],
        ])}
       ORDER BY x.n
      RETURNING id
    )`)
  parts.push(`en AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM e)`)
  if (messages.length > 0) {
    // Each message names its entry by the stand-in in its dedupe key; duplicates by key are skipped
    // (outbox enqueue).
    const entryOf = (m: Notification) => events.findIndex((_, i) => m.dedupeKey.includes(eventMark(i)))
    parts.push(`o AS (
      INSERT INTO notification_outbox (dedupe_key, recipient_kind, recipient_id, type, ticket_id, payload, status,
                                       attempts, next_attempt_at, last_error, sent_at, created_at)
      SELECT replace(x.dedupe_key, '#event' || en.n || '#', en.id::text), x.recipient_kind, x.recipient_id, x.type,
             t.id, CASE WHEN x.payload ? 'number' THEN x.payload || jsonb_build_object('number', ${NUMBER_SQL})
                        ELSE x.payload END,
             'pending', 0, x.at, NULL, NULL, x.at
        FROM t, ${rowsOf('x', messages, [
          ['dedupe_key', 'text', (m) => m.dedupeKey],
          ['entry', 'int', entryOf],
          ['recipient_kind', 'text', (m) => m.recipient.kind],
          ['recipient_id', 'uuid', (m) => m.recipient.id],
          ['type', 'text', (m) => m.type],
          ['payload', 'jsonb', (m) => json(m.payload)],
          ['at', 'timestamptz', (m) => m.at],
        ])}
        JOIN en ON en.n = x.entry
       ORDER BY x.n
      ON CONFLICT (dedupe_key) DO NOTHING
    )`)
  }
  const [stored] = await manager.query<Record<string, unknown>[]>(
    prepared(
      `WITH ${parts.join(', ')}
       SELECT ${filled.map((c) => `t."${c.databaseName}"`).join(', ')}, (SELECT array_agg(en.id::text ORDER BY en.n) FROM en) AS "written event ids"${
         key?.lock
           ? `, l.locked AS "key locked", known.body_hash AS "known body hash", known.ticket_id AS "known ticket id"
         FROM l LEFT JOIN known ON true LEFT JOIN t ON true`
           : ' FROM t'
       }`,
    ),
    params,
  )
  if (key?.lock) {
    if (!stored['key locked']) throw new DomainError('CONFLICT', '同一条诉求正在提交，请稍后再试')
    if (stored['known ticket id'] !== null) {
      return {
        known: {
          bodyHash: stored['known body hash'] as string,
          ticketId: stored['known ticket id'] as string,
        },
      }
    }
  }
  for (const column of filled) row[column.propertyName] = stored[column.databaseName]
  const ids = stored['written event ids'] as string[]
  events.forEach((event, i) => (event.id = ids[i]))
  return { known: null }
}
