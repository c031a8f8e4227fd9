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

/** A part as read back: each property and its column's position in a row (rows come as arrays). */
interface ReadPart {
  metadata: EntityMetadata
  /** Position of the primary key: null there means no such row (a LEFT JOIN that found none). */
  primary: number
  columns: { property: string; index: number }[]
}

interface Compiled {
  sql: string
  parts: ReadPart[]
  /** Entity instances (the detail's whole rows) or plain objects of the listed columns (list rows). */
  entities: boolean
}

type Shape = 'viewable' | 'listed'

const cache = new WeakMap<DataSource, Map<string, Compiled>>()

const PLACE_NAME = ['id', 'name'] as const

function compile(
  dataSource: DataSource,
  shape: Shape,
  reporter: 'none' | 'all' | 'followed',
  page: string | null,
): Compiled {
  let compiled = cache.get(dataSource)
  if (!compiled) cache.set(dataSource, (compiled = new Map()))
  const key = `${shape}:${reporter}:${page ?? ''}`
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
    ...(reporter !== 'none'
      ? [
          {
            alias: 'r',
            metadata: dataSource.getMetadata(Resident),
            only: listed ? ['id', 'name', 'phone'] : undefined,
          },
        ]
      : []),
  ]
  // A paged statement leads with the page's relation and total; the parts' columns follow in order.
  let index = page ? 2 : 0
  const read: ReadPart[] = parts.map((part) => {
    const columns = columnsOf(part).map((c) => ({ property: c.propertyName, index: index++ }))
    const primary = part.metadata.primaryColumns[0].propertyName
    return {
      metadata: part.metadata,
      primary: columns.find((c) => c.property === primary)!.index,
      columns,
    }
  })
  const columns = parts.flatMap((part) =>
    columnsOf(part).map((c) => `${part.alias}."${c.databaseName}" AS "${part.alias}__${c.databaseName}"`),
  )
  const joins = `JOIN place u ON u.id = t.unit_id
      JOIN place b ON b.id = t.building_id
      JOIN place c ON c.id = t.compound_id
      LEFT JOIN staff h ON h.id = t.handler_staff_id
      LEFT JOIN ticket m ON m.id = t.merged_into_id
      ${
        reporter === 'all'
          ? 'LEFT JOIN resident r ON r.id = t.reporter_resident_id'
          : reporter === 'followed'
            ? // Read only where the row will mask it: a request the caller follows.
              `LEFT JOIN resident r ON r.id = t.reporter_resident_id AND page.relation = 'follower'`
            : ''
      }`
  const sql = page
    ? `WITH page AS MATERIALIZED (${page})
    SELECT page.relation, page.total, ${columns.join(', ')}
      FROM page
      JOIN ticket t ON t.id = page.id
      ${joins}
     ORDER BY page.ord`
    : `SELECT ${columns.join(', ')}
      FROM ticket t
      ${joins}
     WHERE t.id = ANY($1::uuid[])`
  const result = { sql, parts: read, entities: !listed }
  compiled.set(key, result)
  return result
}

function columnsOf({ metadata, only }: Part) {
  return only ? metadata.columns.filter((c) => only.includes(c.propertyName)) : metadata.columns
}

function hydrate(row: unknown[], part: ReadPart, entities: boolean): unknown {
  if (row[part.primary] === null) return null
  // An entity instance carries every field of its class (ES2022 class fields): for a list row, whose
  // view reads a few of them, a plain object of those is a fifth of the allocation.
  const entity = (entities ? part.metadata.create() : {}) as Record<string, unknown>
  for (const { property, index } of part.columns) entity[property] = row[index]
  return entity
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
  const compiled = compile(dataSource, shape, withReporter ? 'all' : 'none', null)
  const rows = await dataSource.query<unknown[][]>(prepared(compiled.sql, { rowMode: 'array' }), [ids])
  const byId = new Map<string, T>()
  for (const row of rows) {
    const ticket = assemble<T>(row, compiled)
    byId.set(ticket.id, ticket)
  }
  return ids.map((id) => byId.get(id)).filter((t): t is T => t !== undefined)
}

/** A row of the loader's query as the ticket with its places, handler, merged-into and reporter. */
function assemble<T>(row: unknown[], { parts, entities }: Compiled): T {
  const [t, u, b, c, h, m, r] = parts.map((part) => hydrate(row, part, entities))
  return Object.assign(t as object, {
    unit: u,
    building: b,
    compound: c,
    handler: h,
    mergedInto: m,
    ...(parts.length > 6 ? { reporter: r } : {}),
  }) as T
}

/** One row of a list page: the request, how the caller relates to it, and the list's total. */
export interface PagedRow<R extends string> {
  ticket: ListedTicket
  relation: R
  total: number
}

/**
 * A list page and its rows in ONE statement: `page` (a prepared query over `params`) picks the page's
 * rows as `id`, `relation`, `total` (the whole list's count) and `ord` (display order); the listed
 * columns are joined to it. One round trip instead of two (ids, then rows): each round trip wakes a
 * PostgreSQL backend and the server again, and on a small machine shared by both those hand-overs are
 * what a list's slowest answers wait on (docs/performance.md, issue #25's sixth round). The reporter's
 * name and phone are read for the rows the caller follows only (`relation = 'follower'`), where the view
 * masks them. An empty page gives no rows (and so no total).
 */
export async function loadListedPage<R extends string>(
  dataSource: DataSource,
  page: string,
  params: unknown[],
  options: { followed?: boolean } = {},
): Promise<PagedRow<R>[]> {
  const compiled = compile(dataSource, 'listed', options.followed ? 'followed' : 'none', page)
  const rows = await dataSource.query<unknown[][]>(prepared(compiled.sql, { rowMode: 'array' }), params)
  return rows.map((row) => ({
    ticket: assemble<ListedTicket>(row, compiled),
    relation: row[0] as R,
    total: row[1] as number,
  }))
}
