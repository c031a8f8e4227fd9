import type { DataSource, EntityMetadata } from 'typeorm'
import { Place } from '../../places/place.entity'
import { Resident } from '../../residents/resident.entity'
import { Staff } from '../../staff/staff.entity'
import { Ticket } from '../ticket.entity'
import { LISTED_COLUMNS, type ListedTicket, type ViewableTicket } from '../ticket.view'
import { prepared } from '../../common/prepared'

/**
 * Tickets with the relations the views read (unit, building, compound, handler, merged-into and, for the
 * detail view, the reporter) in ONE plain query, hydrated from the entity metadata.
 *
 * Why not `find({ relations })`: TypeORM builds that six-entity join anew per call and turns every row
 * into entities through its generic transformer; on a list of 20 that cost more CPU than the query
 * itself (docs/performance.md: inbox and mine). The columns come from the same metadata, so a column added
 * to an entity is read here too; pg already parses timestamps, numbers, arrays and jsonb as TypeORM would.
 *
 * A list page (loadListed) reads only the columns its rows show (ticket.view.ts LISTED_COLUMNS, the places'
 * names): parsing and hydrating the whole rows of twenty requests and their three places cost the server
 * about three times the CPU of the listed columns (docs/performance.md, issue #25's fifth round).
 */
interface Part {
  alias: string
  metadata: EntityMetadata
  /** Only these properties (the views read no more of them); all columns when absent. */
  only?: readonly string[]
}

type Shape = 'viewable' | 'listed'

const cache = new WeakMap<DataSource, Map<string, { sql: string; parts: Part[] }>>()

const PLACE_NAME = ['id', 'name'] as const

function compile(
  dataSource: DataSource,
  shape: Shape,
  withReporter: boolean,
): { sql: string; parts: Part[] } {
  let compiled = cache.get(dataSource)
  if (!compiled) cache.set(dataSource, (compiled = new Map()))
  const key = `${shape}:${withReporter}`
  const known = compiled.get(key)
  if (known) return known
  const listed = shape === 'listed'
  const parts: Part[] = [
    { alias: 't', metadata: dataSource.getMetadata(Ticket), only: listed ? LISTED_COLUMNS : undefined },
    { alias: 'u', metadata: dataSource.getMetadata(Place), only: listed ? PLACE_NAME : undefined },
    { alias: 'b', metadata: dataSource.getMetadata(Place), only: listed ? PLACE_NAME : undefined },
    { alias: 'c', metadata: dataSource.getMetadata(Place), only: listed ? PLACE_NAME : undefined },
    // The handler's display name (never the password hash); the merged-into request's number.
    { alias: 'h', metadata: dataSource.getMetadata(Staff), only: ['id', 'name', 'active'] },
    { alias: 'm', metadata: dataSource.getMetadata(Ticket), only: ['id', 'number'] },
    ...(withReporter
      ? [
          {
            alias: 'r',
            metadata: dataSource.getMetadata(Resident),
            only: listed ? ['id', 'name', 'phone'] : undefined,
          },
        ]
      : []),
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
  const result = { sql, parts }
  compiled.set(key, result)
  return result
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

/** The tickets with these ids that exist, in the order of `ids`, with everything the views read. */
export function loadViewable(
  dataSource: DataSource,
  ids: readonly string[],
  options: { reporter?: boolean } = {},
): Promise<ViewableTicket[]> {
  return load<ViewableTicket>(dataSource, 'viewable', ids, options.reporter === true)
}

/** The same for a list page: only what its rows show (LISTED_COLUMNS, the places' names). */
export function loadListed(
  dataSource: DataSource,
  ids: readonly string[],
  options: { reporter?: boolean } = {},
): Promise<ListedTicket[]> {
  return load<ListedTicket>(dataSource, 'listed', ids, options.reporter === true)
}

async function load<T extends { id: string }>(
  dataSource: DataSource,
  shape: Shape,
  ids: readonly string[],
  withReporter: boolean,
): Promise<T[]> {
  if (ids.length === 0) return []
  const { sql, parts } = compile(dataSource, shape, withReporter)
  const rows = await dataSource.query<Record<string, unknown>[]>(prepared(sql), [ids])
  const byId = new Map<string, T>()
  for (const row of rows) {
    const [t, u, b, c, h, m, r] = parts.map((part) => hydrate<unknown>(row, part))
    const ticket = Object.assign(t as T, {
      unit: u,
      building: b,
      compound: c,
      handler: h,
      mergedInto: m,
      ...(withReporter ? { reporter: r } : {}),
    })
    byId.set(ticket.id, ticket)
  }
  return ids.map((id) => byId.get(id)).filter((t): t is T => t !== undefined)
}
