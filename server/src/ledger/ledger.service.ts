import { Injectable } from '@nestjs/common'
import { InjectDataSource } from '@nestjs/typeorm'
import {
  categoryOf,
  CHANNEL_LABELS,
  localDateTime,
  mayAct,
  ROLE_LABELS,
  TICKET_STATE_LABELS,
  type LedgerQuery,
} from '@mq/shared'
import { DataSource } from 'typeorm'
import { AccessLogService } from '../access-log/access-log.service'
import { exceljs } from '../common/spreadsheet'
import type { StaffPrincipal } from '../auth/principal'
import { DomainError } from '../common/domain-error'
import { PlacesService } from '../places/places.service'
import { TicketRating } from '../tickets/ticket-relations.entity'
import { Ticket } from '../tickets/ticket.entity'
import { toTicketView, type ViewableTicket } from '../tickets/ticket.view'

export const LEDGER_COLUMNS = [
  { header: '编号', key: 'number', width: 11 },
  { header: '登记时间', key: 'filedAt', width: 17 },
  { header: '楼栋单元', key: 'unit', width: 14 },
  { header: '分类', key: 'category', width: 16 },
  { header: '渠道', key: 'channel', width: 10 },
  { header: '承办人', key: 'handler', width: 16 },
  { header: '受理时限', key: 'acceptBy', width: 17 },
  { header: '答复时限', key: 'replyBy', width: 17 },
  { header: '办结时限', key: 'resolveBy', width: 17 },
  { header: '状态', key: 'state', width: 10 },
  { header: '办理结果', key: 'resolution', width: 30 },
  { header: '评价', key: 'rating', width: 6 },
  { header: '反映人', key: 'reporterName', width: 10 },
  { header: '联系电话', key: 'reporterPhone', width: 14 },
  { header: '房号', key: 'room', width: 8 },
] as const

/** "2026-11-21 12:05" in local time, as a street office files it. */
function local(d: Date | null): string {
  return d ? localDateTime(d) : ''
}

/**
 * The work ledger (工作台账) as XLSX. Every row goes through the one view mapper
 * (ticket.view.ts toTicketView), so the reporter's name, phone and room are in full, masked or empty
 * exactly as the caller would see them on the request; full disclosures are written to the access log.
 */
@Injectable()
export class LedgerService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly places: PlacesService,
    private readonly accessLog: AccessLogService,
  ) {}

  async xlsx(staff: StaffPrincipal, query: LedgerQuery, requestId: string | null): Promise<Buffer> {
    const place = await this.places.get(query.placeId)
    if (!mayAct(staff.memberships, 'view_tickets', place.path)) {
      throw new DomainError('PLACE_NOT_FOUND', '找不到这个地点')
    }
    const tickets = (await this.dataSource
      .getRepository(Ticket)
      .createQueryBuilder('t')
      .innerJoinAndSelect('t.unit', 'unit')
      .innerJoinAndSelect('t.building', 'building')
      .innerJoinAndSelect('t.compound', 'compound')
      .leftJoinAndSelect('t.reporter', 'reporter')
      .leftJoinAndSelect('t.handler', 'handler')
      .where('unit.path @> ARRAY[:place]::uuid[]', { place: place.id })
      .andWhere('t.created_at >= :from AND t.created_at < :to', { from: query.from, to: query.to })
      .orderBy('t.number', 'ASC')
      .getMany()) as ViewableTicket[]
    const ratings = new Map<string, TicketRating>()
    if (tickets.length > 0) {
      const rows = await this.dataSource
        .getRepository(TicketRating)
        .createQueryBuilder('r')
        .distinctOn(['r.ticket_id'])
        .where('r.ticket_id IN (:...ids)', { ids: tickets.map((t) => t.id) })
        .orderBy('r.ticket_id')
        .addOrderBy('r.at', 'DESC')
        .addOrderBy('r.id', 'DESC')
        .getMany()
      for (const r of rows) ratings.set(r.ticketId, r)
    }

    const workbook = new (exceljs().Workbook)()
    const sheet = workbook.addWorksheet('工作台账')
    sheet.columns = LEDGER_COLUMNS.map((c) => ({ ...c }))
    sheet.getRow(1).font = { bold: true }
    const viewer = { kind: 'staff' as const, staffId: staff.staffId, memberships: staff.memberships }
    for (const ticket of tickets) {
      const rating = ratings.get(ticket.id) ?? null
      const { view, disclosed } = toTicketView(ticket, viewer, {
        events: [],
        photos: [],
        coHandlers: [],
        rating,
        viewer: { relation: 'staff', commands: [], nextChaseAt: null },
      })
      if (disclosed) {
        await this.accessLog.record({
          staffId: staff.staffId,
          role: disclosed.role,
          ticketId: ticket.id,
          compoundId: ticket.compoundId,
          fields: disclosed.fields,
          requestId,
        })
      }
      sheet.addRow({
        number: view.number,
        filedAt: local(ticket.createdAt),
        unit: `${view.buildingName}${view.unitName}`,
        category: categoryOf(view.category).label,
        channel: CHANNEL_LABELS[view.channel],
        handler: [view.handlerRole ? ROLE_LABELS[view.handlerRole] : '', view.handlerName ?? ''].join(' ').trim(),
        acceptBy: local(ticket.acceptBy),
        replyBy: local(ticket.replyBy),
        resolveBy: local(ticket.resolveBy),
        state: TICKET_STATE_LABELS[view.state],
        resolution: view.resolution?.note ?? view.rejectionReason ?? '',
        rating: view.rating?.stars ?? '',
        reporterName: view.reporter?.name ?? '',
        reporterPhone: view.reporter?.phone ?? '',
        room: view.reporter?.room ?? '',
      })
    }
    return Buffer.from(await workbook.xlsx.writeBuffer())
  }
}
