import { createHash } from 'node:crypto'

/**
 * A query the server sends on every list view (inbox, my requests, the view loader) as a NAMED prepared
 * statement: each pooled connection has PostgreSQL plan it once and then reuses the plan. Their plans are
 * simple index scans, but planning them (a union over a table with many partial indexes, each one's
 * predicate checked against the query) cost more than running them: ~1.5–3 ms against ~0.5 ms at 1M
 * requests (docs/performance.md).
 *
 * Pass the result to `dataSource.query` in place of the SQL text: TypeORM hands it to `pg` untouched, and
 * `pg` sends a query object with a name as a prepared statement. `toString()` is the SQL, for logs and
 * for tests that read the SQL a call sent. Named statements need a session per connection: the server
 * talks to PostgreSQL directly (a transaction-pooling PgBouncer in front would break them).
 */
interface PreparedQuery {
  name: string
  text: string
  rowMode?: 'array'
  toString(): string
}

const known = new Map<string, PreparedQuery>()

/**
 * `rowMode: 'array'`: each row comes back as an array of its columns in the statement's order, not an
 * object keyed by column name (for a reader that knows its columns' positions: no object of forty keys
 * built per row only to be read once).
 */
export function prepared(text: string, options: { rowMode?: 'array' } = {}): string {
  const key = options.rowMode ? `${options.rowMode}:${text}` : text
  let query = known.get(key)
  if (!query) {
    query = {
      name: `mq_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`,
      text,
      ...(options.rowMode ? { rowMode: options.rowMode } : {}),
      toString: () => text,
    }
    known.set(key, query)
  }
  // A string as far as TypeORM's signature goes; pg reads the object (name + text).
  return query as unknown as string
}
