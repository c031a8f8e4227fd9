import { Injectable } from '@nestjs/common'
import { InjectDataSource } from '@nestjs/typeorm'
import {
  localMonthString,
  startOfLocalMonth,
  toPublicRequest,
  type Board,
  type BoardCounts,
  type BoardItem,
  type BoardQuery,
  type CategoryCode,
  type Severity,
  type TicketState,
} from '@mq/shared'
import { DataSource } from 'typeorm'
import { Clock } from '../common/clock'
import { PlacesService } from '../places/places.service'
import { ticketNumber } from '../tickets/ticket.view'

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
  id: string
  number: number
  category: CategoryCode
  severity: Severity
  state: TicketState
  building_name: string
  unit_name: string
  created_at: Date
  reply_by: Date | null
  next_due_at: Date | null
  follower_count: number
  reopen_count: number
  description: string
  public_text: string | null
  reply_plan: string | null
  promised_at: Date | null
  replied_at: Date | null
  resolution_note: string | null
  resolved_at: Date | null
  public_commitment: string | null
  public_resolution: string | null
  /** Read only to mask them in the public text, never shown. */
  reporter_name: string | null
  reporter_phone: string | null
  proxy_name: string | null
  proxy_phone: string | null
  room: string | null
}

/**
 * The public board of a compound. A read model over the request table: it selects only the
 * columns the public projection reads, and the description only through that projection's redaction;
 * the reporter's name and phone, the proxy's and the room are read only to be masked in that text. Counts are of requests filed in the period.
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
    const now = this.clock.now()
    const start = startOfLocalMonth(now)
    const month = localMonthString(now)
    const [thisMonth, allTime, total, items] = await Promise.all([
      this.counts(compoundId, start),
      this.counts(compoundId, null),
      this.dataSource
        .query<{ n: string }[]>(`SELECT count(*) AS n FROM ticket WHERE compound_id = $1 AND state <> 'withdrawn'`, [compoundId])
        .then((rows) => Number(rows[0].n)),
      this.items(compoundId, compound.name, query),
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
       WHERE t.compound_id = $1 AND t.state <> 'withdrawn' AND ($2::timestamptz IS NULL OR t.created_at >= $2)`,
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

  private async items(compoundId: string, compoundName: string, query: BoardQuery): Promise<BoardItem[]> {
    const rows = await this.dataSource.query<ItemRow[]>(
      `SELECT t.id, t.number, t.category, t.severity, t.state, b.name AS building_name, u.name AS unit_name,
              t.created_at, t.reply_by, t.next_due_at, t.follower_count, t.reopen_count,
              t.description, t.public_text, t.reply_plan, t.promised_at, t.replied_at,
              t.resolution_note, t.resolved_at, t.public_commitment, t.public_resolution,
              r.name AS reporter_name, r.phone AS reporter_phone, t.proxy_name, t.proxy_phone, t.room
         FROM ticket t JOIN place b ON b.id = t.building_id JOIN place u ON u.id = t.unit_id
         LEFT JOIN resident r ON r.id = t.reporter_resident_id
        WHERE t.compound_id = $1 AND t.state <> 'withdrawn'
        ORDER BY t.created_at DESC, t.number DESC
        LIMIT $2 OFFSET $3`,
      [compoundId, query.pageSize, (query.page - 1) * query.pageSize],
    )
    // The one public projection: staff's 公示 edits where set, else the originals redacted.
    return rows.map((r) =>
      toPublicRequest({
        id: r.id,
        number: ticketNumber(r.number),
        category: r.category,
        severity: r.severity,
        state: r.state,
        compoundName,
        buildingName: r.building_name,
        unitName: r.unit_name,
        createdAt: r.created_at,
        replyBy: r.reply_by,
        nextDueAt: r.next_due_at,
        followerCount: r.follower_count,
        reopenCount: r.reopen_count,
        description: r.description,
        publicText: r.public_text,
        replyPlan: r.reply_plan,
        promisedAt: r.promised_at,
        repliedAt: r.replied_at,
        resolutionNote: r.resolution_note,
        resolvedAt: r.resolved_at,
        publicCommitment: r.public_commitment,
        publicResolution: r.public_resolution,
        personal: [r.reporter_name, r.reporter_phone, r.proxy_name, r.proxy_phone, r.room],
      }),
    )
  }
}
