import { PassThrough, type Readable } from 'node:stream'
import { Injectable, Logger } from '@nestjs/common'
import { InjectDataSource } from '@nestjs/typeorm'
import {
  categoryOf,
  CHANNEL_LABELS,
  LEDGER_COLUMNS,
  localDateTime,
  mayExportLedger,
  ROLE_LABELS,
  TICKET_STATE_LABELS,
  type LedgerColumnKey,
  type LedgerQuery,
} from '@mq/shared'
import { DataSource, type EntityManager } from 'typeorm'
import { AccessLogService, type AccessRecord } from '../access-log/access-log.service'
import { exceljs } from '../common/spreadsheet'
import { ReadSource } from '../database/read-source'
import type { StaffPrincipal } from '../auth/principal'
import { DomainError } from '../common/domain-error'
import { PlacesService } from '../places/places.service'
import { TicketRating } from '../tickets/ticket-relations.entity'
import { Ticket } from '../tickets/ticket.entity'
import { HANDED_OFF_EVENT } from '../tickets/read/ticket-sql'
import { toTicketView, type ViewableTicket } from '../tickets/ticket.view'

/** Requests read, written and let go per step: the file streams out while the next page is read. */
export const LEDGER_PAGE_SIZE = 500

/** "2026-11-21 12:05" in local time, as a street office files it. */
function local(d: Date | null): string {
  return d ? localDateTime(d) : ''
}

/** Until the reader has taken what is buffered, or has gone away. */
function drained(stream: PassThrough): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done)
      stream.off('close', done)
      resolve()
    }
    stream.on('drain', done)
    stream.on('close', done)
  })
}

/** The thread's messages, the photos of the problem (before) and of the fix (after), and whether it was handed off. */
interface Counts {
  messages: number
  reportPhotos: number
  resolutionPhotos: number
  handedOff: boolean
}

/** A ledger being written: how many requests it holds (known before the first byte) and its bytes. */
export interface LedgerFile {
  rows: number
  stream: Readable
}

/**
 * The work ledger (工作台账) as XLSX, streamed: requests are read in keyset pages of LEDGER_PAGE_SIZE and
 * written through ExcelJS's streaming WorkbookWriter, each row committed as it is written, so a large
 * ledger is never held in memory, and a slow reader holds the writer back (backpressure) rather than
 * piling up bytes. Every row goes through the one view mapper (ticket.view.ts toTicketView), so the
 * reporter's name, phone and room are in full, masked or empty exactly as the caller would see them on
 * the request; a page's full disclosures are written to the access log before its rows leave.
 *
 * Its reads go through ReadSource with the staff member as the caller: the replica when it holds at
 * least what the primary had when each read began (their own changes included), else the primary.
 */
@Injectable()
export class LedgerService {
  private readonly logger = new Logger(LedgerService.name)

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly places: PlacesService,
    private readonly accessLog: AccessLogService,
    private readonly reads: ReadSource,
  ) {}

  /**
   * Checks the caller and counts the rows, then starts writing. Anything wrong with the request is a
   * DomainError here, before a byte is sent; a failure after that ends the stream with an error.
   */
  async open(staff: StaffPrincipal, query: LedgerQuery, requestId: string | null): Promise<LedgerFile> {
    const place = await this.places.get(query.placeId)
    if (!mayExportLedger(staff.memberships, place.path)) {
      throw new DomainError('PLACE_NOT_FOUND', '找不到这个地点')
    }
    const rows = await this.reads.read(staff, (db) => this.inScope(db, place.id, query).getCount())
    const stream = new PassThrough()
    this.write(stream, staff, place.id, query, requestId).catch((error: unknown) => {
      this.logger.error({ err: error, requestId }, 'ledger export failed while streaming')
      stream.destroy(error instanceof Error ? error : new Error(String(error)))
    })
    return { rows, stream }
  }

  /** Requests filed in [from, to) under the place. */
  private inScope(db: EntityManager, placeId: string, query: LedgerQuery) {
    return db
      .getRepository(Ticket)
      .createQueryBuilder('t')
      .innerJoin('t.unit', 'unit')
      .where('unit.path @> ARRAY[:place]::uuid[]', { place: placeId })
      .andWhere('t.created_at >= :from AND t.created_at < :to', { from: query.from, to: query.to })
  }

  /** The next page after request number `after`, with what the views read. */
  private async page(db: EntityManager, placeId: string, query: LedgerQuery, after: number): Promise<ViewableTicket[]> {
    return (await this.inScope(db, placeId, query)
      .addSelect('unit')
      .innerJoinAndSelect('t.building', 'building')
      .innerJoinAndSelect('t.compound', 'compound')
      .leftJoinAndSelect('t.reporter', 'reporter')
      .leftJoinAndSelect('t.handler', 'handler')
      .andWhere('t.number > :after', { after })
      .orderBy('t.number', 'ASC')
      .limit(LEDGER_PAGE_SIZE)
      .getMany()) as ViewableTicket[]
  }

  private async ratings(db: EntityManager, ids: string[]): Promise<Map<string, TicketRating>> {
    const rows = await db
      .getRepository(TicketRating)
      .createQueryBuilder('r')
      .distinctOn(['r.ticket_id'])
      .where('r.ticket_id IN (:...ids)', { ids })
      .orderBy('r.ticket_id')
      .addOrderBy('r.at', 'DESC')
      .addOrderBy('r.id', 'DESC')
      .getMany()
    return new Map(rows.map((r) => [r.ticketId, r]))
  }

  /**
   * Thread messages and photo counts. A photo sent in a message belongs to the thread, not to the
   * problem's photos (as on the request's page), so it is not counted as a "before" photo.
   */
  private async counts(db: EntityManager, ids: string[]): Promise<Map<string, Counts>> {
    const rows = await db.query<
      { id: string; messages: number; report: number; resolution: number; handed_off: boolean }[]
    >(
      `SELECT t.id,
              (SELECT true FROM ticket_event e WHERE ${HANDED_OFF_EVENT} LIMIT 1) IS NOT NULL AS handed_off,
              (SELECT count(*)::int FROM ticket_event e WHERE e.ticket_id = t.id AND e.type = 'message') AS messages,
              (SELECT count(*)::int FROM photo p
                WHERE p.ticket_id = t.id AND p.kind = 'report'
                  AND NOT EXISTS (SELECT 1 FROM ticket_event m
                                   WHERE m.ticket_id = t.id AND m.type = 'message'
                                     AND m.data -> 'photoIds' ? p.id::text)) AS report,
              (SELECT count(*)::int FROM photo p WHERE p.ticket_id = t.id AND p.kind = 'resolution') AS resolution
         FROM ticket t
        WHERE t.id = ANY($1::uuid[])`,
      [ids],
    )
    return new Map(
      rows.map((r) => [
        r.id,
        { messages: r.messages, reportPhotos: r.report, resolutionPhotos: r.resolution, handedOff: r.handed_off },
      ]),
    )
  }

  private async write(
    stream: PassThrough,
    staff: StaffPrincipal,
    placeId: string,
    query: LedgerQuery,
    requestId: string | null,
  ): Promise<void> {
    const workbook = new (exceljs().stream.xlsx.WorkbookWriter)({ stream, useStyles: true, useSharedStrings: false })
    const sheet = workbook.addWorksheet('工作台账')
    sheet.columns = LEDGER_COLUMNS.map((c) => ({ ...c }))
    sheet.getRow(1).font = { bold: true }
    const viewer = { kind: 'staff' as const, staffId: staff.staffId, memberships: staff.memberships }
    for (let after = 0; ; ) {
      // A page and what its rows need, read from one place (ReadSource picks it per page).
      const { tickets, ratings, counts } = await this.reads.read(staff, async (db) => {
        const tickets = await this.page(db, placeId, query, after)
        if (tickets.length === 0) return { tickets, ratings: new Map<string, TicketRating>(), counts: new Map<string, Counts>() }
        const ids = tickets.map((t) => t.id)
        const [ratings, counts] = await Promise.all([this.ratings(db, ids), this.counts(db, ids)])
        return { tickets, ratings, counts }
      })
      if (tickets.length === 0) break
      after = tickets[tickets.length - 1].number
      const disclosures: AccessRecord[] = []
      const rows = tickets.map((ticket) => {
        const { view, disclosed } = toTicketView(ticket, viewer, {
          events: [],
          photos: [],
          coHandlers: [],
          rating: ratings.get(ticket.id) ?? null,
          viewer: { relation: 'staff', commands: [], nextChaseAt: null },
        })
        if (disclosed) {
          disclosures.push({
            staffId: staff.staffId,
            role: disclosed.role,
            ticketId: ticket.id,
            compoundId: ticket.compoundId,
            fields: disclosed.fields,
            requestId,
          })
        }
        const count = counts.get(ticket.id) ?? { messages: 0, reportPhotos: 0, resolutionPhotos: 0, handedOff: false }
        const row: Record<LedgerColumnKey, string | number> = {
          number: view.number,
          filedAt: local(ticket.createdAt),
          unit: `${view.buildingName}${view.unitName}`,
          category: categoryOf(view.category).label,
          description: view.description,
          publicText: view.publicSummary.text,
          channel: CHANNEL_LABELS[view.channel],
          handler: [view.handlerRole ? ROLE_LABELS[view.handlerRole] : '', view.handlerName ?? ''].join(' ').trim(),
          acceptBy: local(ticket.acceptBy),
          replyBy: local(ticket.replyBy),
          resolveBy: local(ticket.resolveBy),
          state: TICKET_STATE_LABELS[view.state],
          resolution: view.resolution?.note ?? view.rejectionReason ?? '',
          messages: count.messages,
          reportPhotos: count.reportPhotos,
          resolutionPhotos: count.resolutionPhotos,
          handedOff: count.handedOff ? '是' : '否',
          reopens: ticket.reopenCount,
          rating: view.rating?.stars ?? '',
          reporterName: view.reporter?.name ?? '',
          reporterPhone: view.reporter?.phone ?? '',
          room: view.reporter?.room ?? '',
        }
        return row
      })
      // Logged before the rows leave the server, in one transaction per page.
      if (disclosures.length > 0) {
        await this.dataSource.transaction(async (manager) => {
          for (const entry of disclosures) await this.accessLog.record(entry, manager)
        })
      }
      if (stream.destroyed) return // the caller went away: stop reading
      for (const row of rows) sheet.addRow(row).commit()
      if (stream.writableNeedDrain) await drained(stream)
      if (tickets.length < LEDGER_PAGE_SIZE) break
    }
    sheet.commit()
    await workbook.commit()
  }
}
