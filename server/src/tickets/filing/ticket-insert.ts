import type { Role } from '@mq/shared'
import type { EntityManager } from 'typeorm'
import { prepared } from '../../common/prepared'
import { Ticket } from '../ticket.entity'

/** Rows written with a new request's own row, in the same statement. */
export interface WrittenWithTicket {
  /** Its co-handlers (ticket_co_handler), created at the request's `createdAt`. */
  coHandlers: readonly { staffId: string; role: Role }[]
  /** The Idempotency-Key it was filed under (idempotency_key), if any. */
  idempotencyKey: { principal: string; key: string; bodyHash: string } | null
}

/**
 * Inserts a new request's row, its co-handler rows and its idempotency key in ONE statement, and sets on
 * `ticket` every column as stored (its number, the columns PostgreSQL filled in): what TypeORM's `save`
 * and two `insert`s did in three. The columns are the entity's (a column added to it is written too); a
 * property left undefined takes the column's default.
 */
export async function insertTicket(
  manager: EntityManager,
  ticket: Ticket,
  written: WrittenWithTicket,
): Promise<void> {
  const metadata = manager.connection.getMetadata(Ticket)
  const row = ticket as unknown as Record<string, unknown>
  const columns = metadata.columns.filter(
    (c) => c.isInsert && !c.isGenerated && row[c.propertyName] !== undefined,
  )
  const values = columns.map((c) => {
    const value = row[c.propertyName]
    // pg would write a JS array as a PostgreSQL array: jsonb takes its JSON text.
    return (c.type === 'jsonb' || c.type === 'json') && value !== null ? JSON.stringify(value) : value
  })
  const params: unknown[] = [...values]
  const param = (value: unknown, type: string) => `$${params.push(value)}::${type}`
  const parts = [
    `WITH t AS (
      INSERT INTO ticket (${columns.map((c) => `"${c.databaseName}"`).join(', ')})
      VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})
      RETURNING *
    )`,
  ]
  const at =
    written.coHandlers.length > 0 || written.idempotencyKey ? param(ticket.createdAt, 'timestamptz') : ''
  if (written.coHandlers.length > 0) {
    parts.push(`co AS (
      INSERT INTO ticket_co_handler (ticket_id, staff_id, role, created_at)
      SELECT t.id, c.staff_id, c.role, ${at}
        FROM t, unnest(${param(
          written.coHandlers.map((c) => c.staffId),
          'uuid[]',
        )}, ${param(
          written.coHandlers.map((c) => c.role),
          'text[]',
        )}) WITH ORDINALITY AS c(staff_id, role, n)
       ORDER BY c.n
    )`)
  }
  const key = written.idempotencyKey
  if (key) {
    parts.push(`k AS (
      INSERT INTO idempotency_key (principal, key, body_hash, ticket_id, created_at)
      SELECT ${param(key.principal, 'text')}, ${param(key.key, 'text')}, ${param(key.bodyHash, 'text')}, t.id, ${at}
        FROM t
    )`)
  }
  const [stored] = await manager.query<Record<string, unknown>[]>(
    prepared(`${parts.join(', ')} SELECT * FROM t`),
    params,
  )
  for (const column of metadata.columns) row[column.propertyName] = stored[column.databaseName]
}
