import { Injectable } from '@nestjs/common'
import {
  endOfLocalDay,
  escalationRole,
  scopeOf,
  SUPERVISOR_ROLES,
  type EscalationPage,
  type EscalationQuery,
  type InboxQuery,
  type MyTicketsQuery,
  type Role,
  type TicketListItem,
  type TicketPage,
  type TicketRelation,
} from '@mq/shared'
import { DataSource } from 'typeorm'
import type { ResidentPrincipal, StaffPrincipal } from '../../auth/principal'
import { Clock } from '../../common/clock'
import { prepared } from '../../common/prepared'
import { PlacesService } from '../../places/places.service'
import { toFollowedListView, toPublicTicketView } from '../ticket.view'
import { loadListed, loadListedPage } from './ticket-loader'
import { OPEN_SQL } from './ticket-sql'

/**
 * The lists people work from: a resident's requests (mine), a staff member's inbox and a supervisor's
 * escalations. Each picks a
 * page of ids with one prepared, index-only query, then reads the rows through the view loader
 * (ticket-loader.ts); docs/performance.md measures both.
 */
@Injectable()
export class TicketListsReader {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly places: PlacesService,
  ) {}

  /**
   * A resident's requests, newest first: those they reported and those they follow. Each part gives at
   * most the page's end in order (theirs straight off ticket_reporter_created_idx, newest first; the few
   * they follow sorted), and the two are merged; the total is counted from the same index alone. Nothing
   * sorts or reads a resident's whole history, which grows for a decade.
   */
  async mine(resident: ResidentPrincipal, query: MyTicketsQuery): Promise<TicketPage> {
    const followed = `FROM ticket_follower f JOIN ticket t ON t.id = f.ticket_id
       WHERE f.resident_id = $1 AND t.reporter_resident_id IS DISTINCT FROM $1`
    const count = `(SELECT count(*) FROM ticket WHERE reporter_resident_id = $1)::int
                 + (SELECT count(*) ${followed})::int`
    const newest = 'ORDER BY created_at DESC, number DESC'
    // The page and its rows in one statement (loadListedPage).
    const rows = await loadListedPage<TicketRelation>(
      this.dataSource,
      `SELECT id, relation, ${count} AS total, row_number() OVER (${newest}) AS ord
         FROM ((SELECT t.id, t.created_at, t.number, 'reporter' AS relation FROM ticket t
                 WHERE t.reporter_resident_id = $1 ${newest} LIMIT $2::int + $3::int)
               UNION ALL
               (SELECT t.id, t.created_at, t.number, 'follower' AS relation ${followed}
                 ${newest} LIMIT $2::int + $3::int)) mine
        ${newest} LIMIT $2 OFFSET $3`,
      [resident.residentId, query.pageSize, (query.page - 1) * query.pageSize],
      { followed: true },
    )
    return {
      items: rows.map(({ ticket, relation }) => ({
        ...(relation === 'follower' ? toFollowedListView(ticket) : toPublicTicketView(ticket)),
        relation,
      })),
      page: query.page,
      pageSize: query.pageSize,
      total:
        rows[0]?.total ??
        (await this.dataSource.query<{ n: number }[]>(`SELECT ${count} AS n`, [resident.residentId]))[0].n,
    }
  }

  /**
   * A staff member's open requests: as handler or co-handler, and every request of the compounds under
   * their supervisory memberships; urgent ones first, then nearest deadline first.
   */
  async inbox(staff: StaffPrincipal, query: InboxQuery): Promise<TicketPage> {
    const now = this.clock.now()
    const supervised = staff.memberships.filter((m) => (SUPERVISOR_ROLES as readonly Role[]).includes(m.role))
    // A compound's own supervisors (the common case) need no lookup: their places are the compounds.
    const compounds = supervised.every((m) => m.placeKind === 'compound')
      ? [...new Set(supervised.map((m) => m.placeId))]
      : await this.places.compoundIdsUnder(supervised.map((m) => m.placeId))
    const params: unknown[] = [staff.staffId]
    const param = (value: unknown) => `$${params.push(value)}`
    // One compound (its own supervisors: the common case) as a scalar. A prepared statement's generic plan
    // costs an array as ten compounds, more than one compound's custom plan, so PostgreSQL would plan the
    // array form anew on every call (~1 ms, more than running it); the scalar form is planned once per
    // pooled connection.
    const supervisedScope =
      compounds.length === 0
        ? null
        : compounds.length === 1
          ? `compound_id = ${param(compounds[0])}`
          : `compound_id = ANY(${param(compounds)}::uuid[])`
    const filter = (() => {
      switch (query.filter) {
        case 'all':
          return 'TRUE'
        case 'to_accept':
          return `t.state = 'submitted'`
        case 'waiting':
          return `t.state = 'waiting_resident'`
        case 'overdue':
          return `t.next_due_at < ${param(now)}`
        case 'due_today':
          return `t.next_due_at >= ${param(now)} AND t.next_due_at <= ${param(endOfLocalDay(now))}`
      }
    })()
    // The scope carries what the filter, the order and the relation read, so its two large parts are
    // index-only scans (ticket_inbox_handler_idx, ticket_inbox_compound_idx: migration ListCover); a
    // co-handler's open requests come from ticket_co_handler_open_idx (migration CoHandlerOpen), so their
    // closed history costs nothing, each then looked up by primary key (OFFSET 0 keeps that a per-row lookup:
    // joined, a misestimate could hash every open request of the district instead). The relation's EXISTS
    // is fenced the same way, so it probes the page's rows rather than hashing a co-handler's history.
    const columns = 'id, urgent, next_due_at, number, state, handler_staff_id'
    const scope = `
      WITH scope AS (
        SELECT ${columns} FROM ticket WHERE handler_staff_id = $1 AND state IN ${OPEN_SQL}
        UNION
        SELECT o.* FROM ticket_co_handler c
          CROSS JOIN LATERAL (SELECT ${columns} FROM ticket WHERE id = c.ticket_id AND state IN ${OPEN_SQL} OFFSET 0) o
         WHERE c.staff_id = $1 AND c.ticket_open${
           // Supervisors only: a handler's query is planned without it (planning is most of its cost).
           supervisedScope
             ? `
        UNION
        SELECT ${columns} FROM ticket WHERE ${supervisedScope} AND state IN ${OPEN_SQL}`
             : ''
         }
      )`
    const counted = [...params]
    const limit = param(query.pageSize)
    const offset = param((query.page - 1) * query.pageSize)
    const order = 'urgent DESC, next_due_at ASC NULLS LAST, number ASC'
    // One pass: the page and, beside each row, the total (the scope is read whole anyway); the relation
    // for the page's rows only. The count runs on its own only for a page past the end.
    const rows = await this.dataSource.query<{ id: string; relation: TicketRelation; total: number }[]>(
      prepared(`${scope}
       SELECT id,
              CASE WHEN handler_staff_id = $1 THEN 'handler'
                   WHEN EXISTS (SELECT 1 FROM ticket_co_handler c WHERE c.ticket_id = page.id AND c.staff_id = $1 OFFSET 0)
                     THEN 'co_handler'
                   ELSE 'supervisor' END AS relation,
              total
         FROM (SELECT ${columns}, count(*) OVER ()::int AS total FROM scope t WHERE ${filter}
                ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}) page
        ORDER BY ${order}`),
      params,
    )
    return {
      items: await this.listItems(rows),
      page: query.page,
      pageSize: query.pageSize,
      total:
        rows[0]?.total ??
        (
          await this.dataSource.query<{ n: number }[]>(
            `${scope} SELECT count(*)::int AS n FROM scope t WHERE ${filter}`,
            counted,
          )
        )[0].n,
    }
  }

  /** The inbox's rows: staff see a request's public view (no follower rows reach an inbox). */
  private async listItems(rows: { id: string; relation: TicketRelation }[]): Promise<TicketListItem[]> {
    const tickets = await loadListed(
      this.dataSource,
      rows.map((r) => r.id),
    )
    const relation = new Map(rows.map((r) => [r.id, r.relation]))
    return tickets.map((t) => ({ ...toPublicTicketView(t), relation: relation.get(t.id)! }))
  }

  /** Open requests of a supervisor's places that escalated (督办), highest level first, then most overdue. */
  async escalations(staff: StaffPrincipal, query: EscalationQuery): Promise<EscalationPage> {
    const scope = scopeOf(staff.memberships, 'supervise_tickets')
    const compounds = await this.places.compoundIdsUnder(scope)
    // ticket_inbox_compound_idx: a compound's open requests.
    const where = `t.compound_id = ANY($1::uuid[]) AND t.state IN ${OPEN_SQL} AND t.escalation_level > 0`
    const [rows, total] = await Promise.all([
      this.dataSource.query<{ id: string }[]>(
        `SELECT t.id FROM ticket t WHERE ${where}
          ORDER BY t.escalation_level DESC, t.next_due_at ASC NULLS LAST, t.number ASC LIMIT $2 OFFSET $3`,
        [compounds, query.pageSize, (query.page - 1) * query.pageSize],
      ),
      this.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM ticket t WHERE ${where}`, [
        compounds,
      ]),
    ])
    const tickets = await loadListed(
      this.dataSource,
      rows.map((r) => r.id),
    )
    return {
      items: tickets.map((t) => ({
        ...toPublicTicketView(t),
        escalation: { level: t.escalationLevel, role: escalationRole(t.escalationLevel)! },
      })),
      page: query.page,
      pageSize: query.pageSize,
      total: total[0].n,
    }
  }
}
