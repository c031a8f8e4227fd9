import { Injectable } from '@nestjs/common'
import { InjectDataSource } from '@nestjs/typeorm'
import type { Board, BoardCounts, BoardItem, BoardQuery, CategoryCode, TicketState } from '@mq/shared'
import { DataSource } from 'typeorm'
import { Clock } from '../common/clock'
import { PlacesService } from '../places/places.service'
import { publicSummaryOf, ticketNumber } from '../tickets/ticket.view'

const SHANGHAI_OFFSET_MS = 8 * 3_600_000

/** The first instant of the calendar month of `now` in Asia/Shanghai (UTC+8 all year, no DST). */
export function shanghaiMonthStart(now: Date): { start: Date; month: string } {
  const local = new Date(now.getTime() + SHANGHAI_OFFSET_MS)
  const y = local.getUTCFullYear()
  const m = local.getUTCMonth()
  return {
    start: new Date(Date.UTC(y, m, 1) - SHANGHAI_OFFSET_MS),
    month: `${y}-${String(m + 1).padStart(2, '0')}`,
  }
}

interface CountsRow {
  received: string
  accepted: string
  committed: string
  resolved: string
  closed: string
  on_time: string
  rated: string
  average_rating: string | null
}

interface ItemRow {
  number: number
  category: CategoryCode
  building_name: string
  state: TicketState
  created_at: Date
  reply_plan: string | null
  promised_at: Date | null
  replied_at: Date | null
  resolution_note: string | null
  resolved_at: Date | null
  public_commitment: string | null
  public_resolution: string | null
}

/**
 * The public board of a compound (SPEC §6). A read model over the request table: it selects only the
 * columns the board shows, so no personal data (reporter, proxy name/phone, room, description, staff)
 * can reach it. Counts are of requests filed in the period.
 */
@Injectable()
export class BoardService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly places: PlacesService,
    private readonly clock: Clock,
  ) {}

  async board(compoundId: string, query: BoardQuery): Promise<Board> {
    const compound = await this.places.get(compoundId, 'compound')
    const { start, month } = shanghaiMonthStart(this.clock.now())
    const [thisMonth, allTime, total, items] = await Promise.all([
      this.counts(compoundId, start),
      this.counts(compoundId, null),
      this.dataSource
        .query<{ n: string }[]>('SELECT count(*) AS n FROM ticket WHERE compound_id = $1', [compoundId])
        .then((rows) => Number(rows[0].n)),
      this.items(compoundId, query),
    ])
    return {
      compoundName: compound.name,
      month,
      thisMonth,
      allTime,
      items,
      page: query.page,
      pageSize: query.pageSize,
      total,
    }
  }

  private async counts(compoundId: string, from: Date | null): Promise<BoardCounts> {
    const [row] = await this.dataSource.query<CountsRow[]>(
      `SELECT
         count(*) AS received,
         count(*) FILTER (WHERE t.accepted_at IS NOT NULL) AS accepted,
         count(*) FILTER (WHERE t.replied_at IS NOT NULL AND t.promised_at IS NOT NULL) AS committed,
         count(*) FILTER (WHERE t.resolved_at IS NOT NULL) AS resolved,
         count(*) FILTER (WHERE t.state = 'closed') AS closed,
         count(*) FILTER (WHERE t.resolved_at IS NOT NULL AND t.resolve_by IS NOT NULL AND t.resolved_at <= t.resolve_by)
           AS on_time,
         count(t.latest_stars) AS rated,
         avg(t.latest_stars) AS average_rating
       FROM ticket t
       WHERE t.compound_id = $1 AND ($2::timestamptz IS NULL OR t.created_at >= $2)`,
      [compoundId, from],
    )
    return {
      received: Number(row.received),
      accepted: Number(row.accepted),
      committed: Number(row.committed),
      resolved: Number(row.resolved),
      closed: Number(row.closed),
      onTime: Number(row.on_time),
      rated: Number(row.rated),
      averageRating: row.average_rating === null ? null : Math.round(Number(row.average_rating) * 100) / 100,
    }
  }

  private async items(compoundId: string, query: BoardQuery): Promise<BoardItem[]> {
    const rows = await this.dataSource.query<ItemRow[]>(
      `SELECT t.number, t.category, b.name AS building_name, t.state, t.created_at,
              t.reply_plan, t.promised_at, t.replied_at, t.resolution_note, t.resolved_at,
              t.public_commitment, t.public_resolution
         FROM ticket t JOIN place b ON b.id = t.building_id
        WHERE t.compound_id = $1
        ORDER BY t.created_at DESC, t.number DESC
        LIMIT $2 OFFSET $3`,
      [compoundId, query.pageSize, (query.page - 1) * query.pageSize],
    )
    return rows.map((r) => {
      // Staff's edited public summary where set, else the original (tickets/ticket.view.ts).
      const summary = publicSummaryOf({
        replyPlan: r.reply_plan,
        promisedAt: r.promised_at,
        repliedAt: r.replied_at,
        resolutionNote: r.resolution_note,
        resolvedAt: r.resolved_at,
        publicCommitment: r.public_commitment,
        publicResolution: r.public_resolution,
      })
      return {
        number: ticketNumber(r.number),
        category: r.category,
        buildingName: r.building_name,
        state: r.state,
        createdAt: r.created_at.toISOString(),
        promise:
          summary.commitment !== null && r.promised_at
            ? { plan: summary.commitment, promisedAt: r.promised_at.toISOString() }
            : null,
        resolution:
          summary.resolution !== null && r.resolved_at
            ? { note: summary.resolution, resolvedAt: r.resolved_at.toISOString() }
            : null,
      }
    })
  }
}
