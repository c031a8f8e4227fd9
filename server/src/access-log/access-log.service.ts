import { Injectable } from '@nestjs/common'
import { InjectRepository } from '@nestjs/typeorm'
import { scopeOf, type AccessLogField, type AccessLogPage, type AccessLogQuery, type Role } from '@mq/shared'
import { DataSource, Repository, type EntityManager } from 'typeorm'
import type { StaffPrincipal } from '../auth/principal'
import { Clock } from '../common/clock'
import { ticketNumber } from '../tickets/ticket.view'
import { AccessLogEntry } from './access-log.entity'

export interface AccessRecord {
  staffId: string
  role: Role
  ticketId: string
  compoundId: string
  fields: AccessLogField[]
  requestId: string | null
}

interface EntryRow {
  id: string
  at: Date
  staff_id: string
  staff_name: string
  role: Role
  ticket_id: string
  ticket_number: number
  compound_id: string
  compound_name: string
  fields: AccessLogField[]
  request_id: string | null
}

/** The append-only record of unmasked reads of personal data. */
@Injectable()
export class AccessLogService {
  constructor(
    @InjectRepository(AccessLogEntry) private readonly entries: Repository<AccessLogEntry>,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Must succeed before the personal data leaves the server: callers write first, then answer. */
  async record(entry: AccessRecord, manager?: EntityManager): Promise<void> {
    const repo = manager ? manager.getRepository(AccessLogEntry) : this.entries
    await repo.insert({ ...entry, at: this.clock.now() })
  }

  /** Newest first, only for compounds under the admin's admin memberships. */
  async list(admin: StaffPrincipal, query: AccessLogQuery): Promise<AccessLogPage> {
    const rows = await this.dataSource.query<EntryRow[]>(
      `SELECT a.id, a.at, a.staff_id, s.name AS staff_name, a.role, a.ticket_id, t.number AS ticket_number,
              a.compound_id, c.name AS compound_name, a.fields, a.request_id
         FROM access_log a
         JOIN place c ON c.id = a.compound_id
         JOIN staff s ON s.id = a.staff_id
         JOIN ticket t ON t.id = a.ticket_id
        WHERE c.path && $1::uuid[]
          AND ($2::uuid IS NULL OR a.ticket_id = $2)
          AND ($3::uuid IS NULL OR a.staff_id = $3)
          AND ($4::bigint IS NULL OR a.id < $4)
        ORDER BY a.id DESC
        LIMIT $5`,
      [
        scopeOf(admin.memberships, 'view_access_log'),
        query.ticketId ?? null,
        query.staffId ?? null,
        query.before ?? null,
        query.limit + 1,
      ],
    )
    const page = rows.slice(0, query.limit)
    return {
      items: page.map((r) => ({
        id: String(r.id),
        at: r.at.toISOString(),
        staff: { id: r.staff_id, name: r.staff_name },
        role: r.role,
        ticket: { id: r.ticket_id, number: ticketNumber(r.ticket_number) },
        compound: { id: r.compound_id, name: r.compound_name },
        fields: r.fields,
        requestId: r.request_id,
      })),
      nextBefore: rows.length > query.limit ? String(page[page.length - 1].id) : null,
    }
  }
}
