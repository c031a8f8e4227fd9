import { Inject, Injectable } from '@nestjs/common'
import {
  PAGES,
  PARTIES,
  PARTY_LABELS,
  pageUrl,
  partyOf,
  quarterLabel,
  quarterOf,
  quarterRange,
  type QuarterlyReport,
  type ReportFigures,
  type Role,
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
import type { EntityManager } from 'typeorm'
import { Clock } from '../common/clock'
import { prepared } from '../common/prepared'
import { DomainError } from '../common/domain-error'
import { APP_CONFIG, type AppConfig } from '../config/config'
import { ReadSource, type ReadCaller } from '../database/read-source'
import { MeetingsService } from '../meetings/meetings.service'
import { PlacesService } from '../places/places.service'
import { posterFonts } from '../posters/poster-fonts'
import { postersPdf } from '../posters/poster-render'
import { RecurringService } from '../recurring/recurring.service'
import { ticketNumber } from '../tickets/ticket.view'
import { monthKey } from '../tallies/tally-period'
import { reportLayout } from './report-layout'

interface CountsRow {
  received: string
  accepted: string
  committed: string
  resolved: string
  closed: string
  on_time: string
  rated: string
  /** The sum of the latest ratings' stars. */
  stars: string
}

function boardCounts(row: CountsRow): BoardCounts {
  const rated = Number(row.rated)
  return {
    received: Number(row.received),
    accepted: Number(row.accepted),
    committed: Number(row.committed),
    resolved: Number(row.resolved),
    closed: Number(row.closed),
    onTime: Number(row.on_time),
    rated,
    averageRating: rated === 0 ? null : Math.round((Number(row.stars) / rated) * 100) / 100,
  }
}

interface ReportRow {
  handler_role: Role | null
  collected: string
  committed: string
  resolved: string
  on_time: string
  rated: string
  satisfied: string
}

const NO_FIGURES: ReportFigures = {
  collected: 0,
  committed: 0,
  resolved: 0,
  onTime: 0,
  rated: 0,
  satisfied: 0,
}

function addFigures(a: ReportFigures, b: ReportFigures): ReportFigures {
  return {
    collected: a.collected + b.collected,
    committed: a.committed + b.committed,
    resolved: a.resolved + b.resolved,
    onTime: a.onTime + b.onTime,
    rated: a.rated + b.rated,
    satisfied: a.satisfied + b.satisfied,
  }
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
    private readonly reads: ReadSource,
    private readonly places: PlacesService,
    private readonly clock: Clock,
    private readonly recurring: RecurringService,
    private readonly meetings: MeetingsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The quarterly 公开承诺 report (default: this quarter): requests filed in the quarter, counted as the
   * board counts them, by the party of the role leading each (shared ROLE_PARTY), and the recurring
   * problems adopted by the quarter's end with their progress until then.
   */
  async report(compoundId: string, quarter?: string, caller: ReadCaller = null): Promise<QuarterlyReport> {
    const compound = await this.places.get(compoundId, 'compound')
    const q = quarter ?? quarterOf(this.clock.now())
    const range = quarterRange(q)
    if (!range) throw new DomainError('VALIDATION_FAILED', '季度须为 YYYY-QN（如 2026-Q3）')
    const [rows, problems] = await Promise.all([
      // Quarters are whole local months: the compound's counters (tallies/) answer it.
      this.reads.query<ReportRow[]>(
        `SELECT NULLIF(tl.handler_role, '') AS handler_role,
                sum(tl.received) AS collected, sum(tl.committed) AS committed, sum(tl.resolved) AS resolved,
                sum(tl.on_time) AS on_time, sum(tl.rated) AS rated, sum(tl.satisfied) AS satisfied
           FROM compound_tally tl
          WHERE tl.compound_id = $1 AND tl.month >= $2::date AND tl.month < $3::date
          GROUP BY 1`,
        [compoundId, monthKey(range.start), monthKey(range.end)],
        caller,
      ),
      this.recurring.publicProblems(compoundId, range.end),
    ])
    const byParty = new Map(PARTIES.map((p) => [p, NO_FIGURES]))
    for (const r of rows) {
      const party = partyOf(r.handler_role)
      byParty.set(
        party,
        addFigures(byParty.get(party)!, {
          collected: Number(r.collected),
          committed: Number(r.committed),
          resolved: Number(r.resolved),
          onTime: Number(r.on_time),
          rated: Number(r.rated),
          satisfied: Number(r.satisfied),
        }),
      )
    }
    const parties = PARTIES.map((party) => ({ party, label: PARTY_LABELS[party], ...byParty.get(party)! }))
    return {
      compoundName: compound.name,
      quarter: q,
      label: quarterLabel(q),
      total: parties.reduce<ReportFigures>((sum, p) => addFigures(sum, p), NO_FIGURES),
      parties,
      problems,
    }
  }

  /** The report as one A4 PDF page for the notice board, with a QR code back to the board. */
  async reportPdf(
    compoundId: string,
    quarter?: string,
    caller: ReadCaller = null,
  ): Promise<{ filename: string; asciiFilename: string; body: Buffer }> {
    const report = await this.report(compoundId, quarter, caller)
    const fonts = await posterFonts()
    const url = `${this.config.publicUrl.replace(/\/+$/, '')}${pageUrl(PAGES.resident.board, { compoundId })}`
    const drawing = reportLayout(report, url, fonts.measure)
    return {
      filename: `${report.compoundName.replace(/[\\/:*?"<>|\s]+/g, '_')}-${report.quarter}-公开承诺报告.pdf`,
      asciiFilename: `report-${report.quarter}-${compoundId.slice(0, 8)}.pdf`,
      body: await postersPdf([drawing], fonts, drawing.title),
    }
  }

  async board(compoundId: string, query: BoardQuery, caller: ReadCaller = null): Promise<Board> {
    const now = this.clock.now()
    const start = startOfLocalMonth(now)
    const month = localMonthString(now)
    // All at once (one round trip's wait, not two): an unknown compound has no counters, items or decisions,
    // and answers PLACE_NOT_FOUND from the first.
    const [compound, [{ thisMonth, allTime }, rows], decisions] = await Promise.all([
      this.places.get(compoundId, 'compound'),
      // Counts and items from one server: the read replica when there is one (database/read-source.ts).
      this.reads.read(caller, (db) =>
        Promise.all([this.counts(db, compoundId, monthKey(start)), this.items(db, compoundId, query)]),
      ),
      this.meetings.publicDecisions(compoundId),
    ])
    const items = rows.map((row) => boardItem(row, compound.name))
    const total = allTime.received
    return {
      compoundName: compound.name,
      month,
      thisMonth,
      allTime,
      items,
      page: query.page,
      pageSize: query.pageSize,
      total,
      decisions,
    }
  }

  /**
   * This month's and all time's counts, from the compound's counters (tallies/: one row per local month
   * and handler role, kept in the transaction of every change of a request), not from its requests.
   */
  private async counts(
    db: EntityManager,
    compoundId: string,
    thisMonth: string,
  ): Promise<{ thisMonth: BoardCounts; allTime: BoardCounts }> {
    const rows = await db.query<(CountsRow & { this_month: boolean })[]>(
      prepared(`SELECT tl.month >= $2::date AS this_month,
              sum(tl.received) AS received, sum(tl.accepted) AS accepted, sum(tl.committed) AS committed,
              sum(tl.resolved) AS resolved, sum(tl.closed) AS closed, sum(tl.on_time) AS on_time,
              sum(tl.rated) AS rated, sum(tl.stars) AS stars
         FROM compound_tally tl
        WHERE tl.compound_id = $1
        GROUP BY 1`),
      [compoundId, thisMonth],
    )
    const none: CountsRow = {
      received: '0',
      accepted: '0',
      committed: '0',
      resolved: '0',
      closed: '0',
      on_time: '0',
      rated: '0',
      stars: '0',
    }
    const recent = rows.find((r) => r.this_month) ?? none
    const before = rows.find((r) => !r.this_month) ?? none
    const sum = (k: keyof CountsRow) => String(Number(recent[k]) + Number(before[k]))
    const all = Object.fromEntries(
      Object.keys(none).map((k) => [k, sum(k as keyof CountsRow)]),
    ) as unknown as CountsRow
    return { thisMonth: boardCounts(recent), allTime: boardCounts(all) }
  }

  /**
   * A page of the compound's requests, newest first. The first page (nearly every view) is a prepared
   * statement with its size written in: PostgreSQL costs a LIMIT parameter as a tenth of the compound's
   * requests, so it would plan a parameterised form anew on every call (~1 ms, more than running it);
   * later pages pass their bounds as parameters and are planned per call. The page is picked before the
   * joins: joined first, PostgreSQL sized each join's Memoize cache for the compound's every request
   * (20,000 at 10M), ~2 ms of set-up per join and call for a page of 20 (docs/performance.md).
   */
  private items(db: EntityManager, compoundId: string, query: BoardQuery): Promise<ItemRow[]> {
    const first = query.page === 1 && Number.isInteger(query.pageSize)
    const newest = 'ORDER BY created_at DESC, number DESC'
    const sql = `SELECT t.id, t.number, t.category, t.severity, t.state, b.name AS building_name, u.name AS unit_name,
              t.created_at, t.reply_by, t.next_due_at, t.follower_count, t.reopen_count,
              t.description, t.public_text, t.reply_plan, t.promised_at, t.replied_at,
              t.resolution_note, t.resolved_at, t.public_commitment, t.public_resolution,
              r.name AS reporter_name, r.phone AS reporter_phone, t.proxy_name, t.proxy_phone, t.room
         FROM (SELECT * FROM ticket WHERE compound_id = $1 AND state <> 'withdrawn'
                ${newest} ${first ? `LIMIT ${query.pageSize}` : 'LIMIT $2 OFFSET $3'}) t
         JOIN place b ON b.id = t.building_id JOIN place u ON u.id = t.unit_id
         LEFT JOIN resident r ON r.id = t.reporter_resident_id
        ${newest}`
    return first
      ? db.query<ItemRow[]>(prepared(sql), [compoundId])
      : db.query<ItemRow[]>(sql, [compoundId, query.pageSize, (query.page - 1) * query.pageSize])
  }
}

/** A board item: the one public projection — staff's 公示 edits where set, else the originals redacted. */
function boardItem(r: ItemRow, compoundName: string): BoardItem {
  return toPublicRequest({
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
  })
}
