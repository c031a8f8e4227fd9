import { Injectable } from '@nestjs/common'
import { InjectRepository } from '@nestjs/typeorm'
import {
  scopeOf,
  type AccessLogField,
  type AccessLogPage,
  type AccessLogQuery,
  type AccessLogSubject,
  type AccessLogSubjectRef,
  type Role,
} from '@mq/shared'
import { DataSource, Repository, type EntityManager } from 'typeorm'
import type { StaffPrincipal } from '../auth/principal'
import { Clock } from '../common/clock'
import { ticketNumber } from '../tickets/ticket.view'
import { AccessLogEntry } from './access-log.entity'

/** What was read in full: exactly one of a request, a resource (its contact person), a registered household. */
export type AccessSubjectId = { ticketId: string } | { resourceId: string } | { householdId: string }

export type AccessRecord = AccessSubjectId & {
  staffId: string
  /** The role that granted the access. */
  role: Role
  /** The compound of the request, resource or household (the admins' scope). */
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
  subject: AccessLogSubject
  ticket_id: string | null
  ticket_number: number | null
  resource_id: string | null
  resource_name: string | null
  household_id: string | null
  building_name: string | null
  unit_name: string | null
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

  /**
   * Must succeed before the personal data leaves the server: callers write first, then answer. Several
   * entries (a list read in full) go in one insert.
   */
  async record(entry: AccessRecord | readonly AccessRecord[], manager?: EntityManager): Promise<void> {
    const entries = Array.isArray(entry) ? entry : [entry as AccessRecord]
    if (entries.length === 0) return
    const repo = manager ? manager.getRepository(AccessLogEntry) : this.entries
    const at = this.clock.now()
    await repo.insert(entries.map((e) => ({ ...e, ...subjectColumns(e), at })))
  }

  /** Newest first, only for compounds under the admin's admin memberships. */
  async list(admin: StaffPrincipal, query: AccessLogQuery): Promise<AccessLogPage> {
    const rows = await this.dataSource.query<EntryRow[]>(
      `SELECT a.id, a.at, a.staff_id, s.name AS staff_name, a.role, a.subject,
              a.ticket_id, t.number AS ticket_number, a.resource_id, r.name AS resource_name,
              a.household_id, b.name AS building_name, u.name AS unit_name,
              a.compound_id, c.name AS compound_name, a.fields, a.request_id
         FROM access_log a
         JOIN place c ON c.id = a.compound_id
         JOIN staff s ON s.id = a.staff_id
         LEFT JOIN ticket t ON t.id = a.ticket_id
         LEFT JOIN resource r ON r.id = a.resource_id
         LEFT JOIN visit_household h ON h.id = a.household_id
         LEFT JOIN place u ON u.id = h.unit_id
         LEFT JOIN place b ON b.id = u.parent_id
        WHERE c.path && $1::uuid[]
          AND ($2::uuid IS NULL OR a.ticket_id = $2)
          AND ($3::uuid IS NULL OR a.staff_id = $3)
          AND ($4::bigint IS NULL OR a.id < $4)
          AND ($5::text IS NULL OR a.subject = $5)
        ORDER BY a.id DESC
        LIMIT $6`,
      [
        scopeOf(admin.memberships, 'view_access_log'),
        query.ticketId ?? null,
        query.staffId ?? null,
        query.before ?? null,
        query.subject ?? null,
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
        subject: subjectOf(r),
        compound: { id: r.compound_id, name: r.compound_name },
        fields: r.fields,
        requestId: r.request_id,
      })),
      nextBefore: rows.length > query.limit ? String(page[page.length - 1].id) : null,
    }
  }
}

function subjectColumns(
  e: AccessSubjectId,
): Pick<AccessLogEntry, 'subject' | 'ticketId' | 'resourceId' | 'householdId'> {
  if ('ticketId' in e) return { subject: 'ticket', ticketId: e.ticketId, resourceId: null, householdId: null }
  if ('resourceId' in e) return { subject: 'resource', ticketId: null, resourceId: e.resourceId, householdId: null }
  return { subject: 'household', ticketId: null, resourceId: null, householdId: e.householdId }
}

/** What was read, in the admin's words: a request's number, a resource's listed name, a household's building and unit. */
function subjectOf(r: EntryRow): AccessLogSubjectRef {
  switch (r.subject) {
    case 'ticket':
      return { kind: 'ticket', id: r.ticket_id!, number: ticketNumber(r.ticket_number!) }
    case 'resource':
      return { kind: 'resource', id: r.resource_id!, name: r.resource_name ?? '' }
    case 'household':
      return { kind: 'household', id: r.household_id!, buildingName: r.building_name ?? '', unitName: r.unit_name ?? '' }
  }
}
