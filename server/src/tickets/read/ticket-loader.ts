import type { DataSource, EntityMetadata } from 'typeorm'
import { Place } from '../../places/place.entity'
import { Resident } from '../../residents/resident.entity'
import { Staff } from '../../staff/staff.entity'
import { Ticket } from '../ticket.entity'
import type { ViewableTicket } from '../ticket.view'
import { prepared } from '../../common/prepared'

/**
 * Tickets with the relations the views read (unit, building, compound, handler, merged-into and, for the
 * detail view, the reporter) in ONE plain query, hydrated from the entity metadata.
 *
 * Why not `find({ relations })`: TypeORM builds that six-entity join anew per call and turns every row
 * into entities through its generic transformer; on a list of 20 that cost more CPU than the query
 * itself (docs/performance.md: inbox and mine). The columns come from the same metadata, so a column added
 * to an entity is read here too; pg already parses timestamps, numbers, arrays and jsonb as TypeORM would.
 */
interface Part {
  alias: string
  metadata: EntityMetadata
  /** Only these properties (the views read no more of them); all columns when absent. */
  only?: readonly string[]
}

const cache = new WeakMap<DataSource, Map<boolean, { sql: string; parts: Part[] }>>()

function compile(dataSource: DataSource, withReporter: boolean): { sql: string; parts: Part[] } {
  let byReporter = cache.get(dataSource)
  if (!byReporter) cache.set(dataSource, (byReporter = new Map()))
  const known = byReporter.get(withReporter)
  if (known) return known
  const parts: Part[] = [
    { alias: 't', metadata: dataSource.getMetadata(Ticket) },
    { alias: 'u', metadata: dataSource.getMetadata(Place) },
    { alias: 'b', metadata: dataSource.getMetadata(Place) },
    { alias: 'c', metadata: dataSource.getMetadata(Place) },
    // The handler's display name (never the password hash); the merged-into request's number.
    { alias: 'h', metadata: dataSource.getMetadata(Staff), only: ['id', 'name', 'active'] },
    { alias: 'm', metadata: dataSource.getMetadata(Ticket), only: ['id', 'number'] },
    ...(withReporter ? [{ alias: 'r', metadata: dataSource.getMetadata(Resident) }] : []),
  ]
  const columns = parts.flatMap((part) =>
    columnsOf(part).map((c) => `${part.alias}."${c.databaseName}" AS "${part.alias}__${c.databaseName}"`),
  )
  const sql = `SELECT ${columns.join(', ')}
      FROM ticket t
      JOIN place u ON u.id = t.unit_id
      JOIN place b ON b.id = t.building_id
      JOIN place c ON c.id = t.compound_id
      LEFT JOIN staff h ON h.id = t.handler_staff_id
      LEFT JOIN ticket m ON m.id = t.merged_into_id
      ${withReporter ? 'LEFT JOIN resident r ON r.id = t.reporter_resident_id' : ''}
     WHERE t.id = ANY($1::uuid[])`
  const compiled = { sql, parts }
  byReporter.set(withReporter, compiled)
  return compiled
}

function columnsOf({ metadata, only }: Part) {
  return only ? metadata.columns.filter((c) => only.includes(c.propertyName)) : metadata.columns
}

function hydrate<T>(row: Record<string, unknown>, part: Part): T | null {
  const { alias, metadata } = part
  const primary = metadata.primaryColumns[0]
  if (row[`${alias}__${primary.databaseName}`] === null) return null
  const entity = metadata.create() as Record<string, unknown>
  for (const column of columnsOf(part)) entity[column.propertyName] = row[`${alias}__${column.databaseName}`]
  return entity as T
}

/** The tickets with these ids that exist, in the order of `ids`. */
export async function loadViewable(
  dataSource: DataSource,
  ids: readonly string[],
  options: { reporter?: boolean } = {},
): Promise<ViewableTicket[]> {
  if (ids.length === 0) return []
  const { sql, parts } = compile(dataSource, options.reporter === true)
  const rows = await dataSource.query<Record<string, unknown>[]>(prepared(sql), [ids])
  const byId = new Map<string, ViewableTicket>()
  for (const row of rows) {
    const [t, u, b, c, h, m, r] = parts.map((part) => hydrate<unknown>(row, part))
    const ticket = Object.assign(t as Ticket, {
      unit: u as Place,
      building: b as Place,
      compound: c as Place,
      handler: h as Staff | null,
      mergedInto: m as Ticket | null,
      ...(options.reporter ? { reporter: r as Resident | null } : {}),
    })
    byId.set(ticket.id, ticket)
  }
  return ids.map((id) => byId.get(id)).filter((t): t is ViewableTicket => t !== undefined)
}
