import { Inject, Injectable } from '@nestjs/common'
import { InjectDataSource } from '@nestjs/typeorm'
import {
  can,
  covers,
  decisionOverdue,
  localDateString,
  mayOrganiseMeetings,
  MEETING_AGENDA_MAX,
  MEETING_ATTENDEE_ROLES,
  PAGES,
  pageUrl,
  redactPublicText,
  ROLE_LABELS,
  scopeOf,
  type AddAgendaInput,
  type AgendaCandidate,
  type AgendaCandidates,
  type AgendaReason,
  type CreateMeetingInput,
  type DecisionDoneInput,
  type MeetingCompounds,
  type MeetingDecision,
  type MeetingDetail,
  type MeetingKind,
  type MeetingList,
  type MeetingSummary,
  type PublicMeetingDecision,
  type RecordDecisionInput,
  type Role,
  type DecisionStatus,
} from '@mq/shared'
import { DataSource, In, type EntityManager } from 'typeorm'
import type { StaffMembershipScope, StaffPrincipal } from '../auth/principal'
import { Clock } from '../common/clock'
import { DomainError } from '../common/domain-error'
import { prepared } from '../common/prepared'
import { APP_CONFIG, type AppConfig } from '../config/config'
import { CalendarOverridesService } from '../deadlines/calendar-overrides.service'
import { NeedsService } from '../needs/needs.service'
import type { Place } from '../places/place.entity'
import { PlacesService } from '../places/places.service'
import { posterFonts } from '../posters/poster-fonts'
import { postersPdf } from '../posters/poster-render'
import { StaffService } from '../staff/staff.service'
import type { Actor } from '../tickets/ticket-journal'
import { ticketNumber } from '../tickets/ticket.view'
import { TicketsService } from '../tickets/tickets.service'
import { agendaCandidates, agendaRequests } from './agenda-requests'
import { MeetingAgendaItemRow, MeetingDecisionRow, MeetingRow } from './meeting.entity'
import { minutesLayout, type Minutes } from './minutes-layout'

/** A demo meeting as the seeder hands it in (demo/demo-data.ts says what it is about). */
export interface DemoMeetingSeed {
  kind: MeetingKind
  title: string
  startsAt: Date
  venue: string
  attendeeRoles: readonly Role[]
  held: boolean
  agendaTicketIds: readonly string[]
  decisions: readonly {
    /** Index into the agenda, or null for a general decision. */
    agendaIndex: number | null
    ownerRole: Role
    targetDate: string
    publicSummary: string
    internalNote: string
    done?: { note: string; at: Date }
  }[]
}

/** Needs that may still be discussed (not done, not judged infeasible). */
/** A held meeting's decision as the public board reads it (publicDecisions). */
interface PublicDecisionRow {
  id: string
  owner_role: Role
  target_date: string
  public_summary: string
  status: DecisionStatus
  done_note: string | null
  done_at: Date | null
  title: string
  kind: MeetingKind
  held_at: Date
  number: number | null
}

const OPEN_NEED_STATUSES = ['collecting', 'planned', 'in_progress'] as const

/** The compound of a membership inside one (a building's or a unit's); null for one at or above a compound. */
function compoundInside(m: StaffMembershipScope): string | null {
  if (m.placeKind === 'building') return m.placePath[m.placePath.length - 2] ?? null
  if (m.placeKind === 'unit') return m.placePath[m.placePath.length - 3] ?? null
  return null
}

/** Memberships that reach a compound: at or above it (covering its path), or inside it. */
function reaching(memberships: readonly StaffMembershipScope[], compound: Place): StaffMembershipScope[] {
  return memberships.filter((m) => covers(m, compound.path) || compoundInside(m) === compound.id)
}

/**
 * Joint meetings (联席会议 / 议事会) of a compound. Its 网格长, its secretary and the supervisors above it
 * organise them: create, set the agenda from the compound's open complex, escalated and co-handled requests
 * and its open needs, mark them held and record decisions. Every staff member who reads the compound's
 * requests reads its meetings. A decision's owner (the named staff member, else any holder of the owning
 * role in the compound) or an organiser marks it done. A decision on a request goes onto the request's
 * public timeline; decisions of held meetings show on the public board by their public summary, owning role
 * and dates, never a person. The minutes PDF carries public words and roles only.
 */
@Injectable()
export class MeetingsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly places: PlacesService,
    private readonly staff: StaffService,
    private readonly tickets: TicketsService,
    private readonly needs: NeedsService,
    private readonly calendars: CalendarOverridesService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The compounds whose meetings the caller reads, by community then name, and whether it organises them. */
  async compounds(staff: StaffPrincipal): Promise<MeetingCompounds> {
    const viewing = staff.memberships.filter((m) => can(m.role, 'view_tickets'))
    const above = await this.places.compoundsUnder(scopeOf(viewing, 'view_tickets'))
    const insideIds = [...new Set(viewing.map(compoundInside).filter((id): id is string => id !== null))]
    const inside = await Promise.all(insideIds.filter((id) => !above.some((c) => c.id === id)).map((id) => this.places.get(id)))
    const compounds = [...above, ...inside.filter((c) => c.retiredAt === null)]
    const communities = new Map<string, string>()
    for (const id of new Set(compounds.map((c) => c.parentId!))) communities.set(id, (await this.places.get(id)).name)
    return {
      compounds: compounds
        .map((c) => ({
          id: c.id,
          name: c.name,
          communityName: communities.get(c.parentId!) ?? '',
          mayOrganise: mayOrganiseMeetings(staff.memberships, c.path),
        }))
        .sort((a, b) => a.communityName.localeCompare(b.communityName, 'zh-CN') || a.name.localeCompare(b.name, 'zh-CN', { numeric: true })),
    }
  }

  /** A compound's meetings, newest first. */
  async list(staff: StaffPrincipal, compoundId: string): Promise<MeetingList> {
    const compound = await this.readable(staff, compoundId, 'PLACE_NOT_FOUND')
    const rows = await this.dataSource.getRepository(MeetingRow).find({ where: { compoundId }, order: { startsAt: 'DESC' } })
    return {
      compoundName: compound.name,
      mayOrganise: mayOrganiseMeetings(staff.memberships, compound.path),
      meetings: await this.summaries(rows),
    }
  }

  async create(staff: StaffPrincipal, input: CreateMeetingInput): Promise<MeetingDetail> {
    await this.organised(staff, input.compoundId, 'PLACE_NOT_FOUND')
    const roles = [...new Set(input.attendeeRoles)]
    const stray = roles.filter((r) => !MEETING_ATTENDEE_ROLES.includes(r))
    if (stray.length > 0) {
      throw new DomainError('VALIDATION_FAILED', `这些角色不能列为参会方：${stray.map((r) => ROLE_LABELS[r]).join('、')}`, [
        { path: 'attendeeRoles', message: '参会角色须为小区的九长、书记或社区' },
      ])
    }
    const row = await this.dataSource.getRepository(MeetingRow).save({
      compoundId: input.compoundId,
      kind: input.kind,
      title: input.title,
      startsAt: new Date(input.startsAt),
      venue: input.place,
      attendeeRoles: MEETING_ATTENDEE_ROLES.filter((r) => roles.includes(r)),
      status: 'planned',
      heldAt: null,
      createdBy: staff.staffId,
    })
    return this.detail(staff, row.id)
  }

  async detail(staff: StaffPrincipal, id: string): Promise<MeetingDetail> {
    const meeting = await this.meeting(id)
    const compound = await this.readable(staff, meeting.compoundId)
    const [items, decisions] = await Promise.all([this.items(id), this.decisions([id])])
    const placeIds = await this.compoundPlaceIds(compound)
    const holders = await this.staff.holdersAt(placeIds, MEETING_ATTENDEE_ROLES)
    const [summary] = await this.summaries([meeting])
    const mayOrganise = mayOrganiseMeetings(staff.memberships, compound.path)
    const names = await this.staff.namesOf(decisions.flatMap((d) => (d.ownerStaffId ? [d.ownerStaffId] : [])))
    const today = this.today()
    return {
      ...summary,
      compoundName: compound.name,
      heldAt: meeting.heldAt?.toISOString() ?? null,
      attendees: meeting.attendeeRoles.map((role) => ({
        role,
        label: ROLE_LABELS[role],
        names: holders.filter((h) => h.role === role).map((h) => h.name),
      })),
      agenda: items.map((i) => ({
        id: i.id,
        source: i.source,
        ticketId: i.ticketId,
        needId: i.needId,
        number: i.number,
        title: i.title,
        reasons: i.reasons as AgendaReason[],
      })),
      decisions: decisions.map((d): MeetingDecision => {
        const ownerStaffName = d.ownerStaffId ? (names.get(d.ownerStaffId) ?? null) : null
        return {
          id: d.id,
          agendaItemId: d.agendaItemId,
          ticketId: d.ticketId,
          ownerRole: d.ownerRole,
          ownerLabel: [ROLE_LABELS[d.ownerRole], ownerStaffName].filter(Boolean).join(' '),
          ownerStaffId: d.ownerStaffId,
          ownerStaffName,
          targetDate: d.targetDate,
          publicSummary: d.publicSummary,
          internalNote: d.internalNote,
          status: d.status,
          overdue: decisionOverdue(d, today),
          doneNote: d.doneNote,
          doneAt: d.doneAt?.toISOString() ?? null,
          createdAt: d.createdAt.toISOString(),
          mayMarkDone: d.status === 'open' && (mayOrganise || this.owns(staff, d, compound)),
        }
      }),
      mayOrganise,
      owners: holders,
    }
  }

  /** What may go on the meeting's agenda now: the compound's open hard requests and open needs. */
  async candidates(staff: StaffPrincipal, id: string): Promise<AgendaCandidates> {
    const meeting = await this.meeting(id)
    await this.organised(staff, meeting.compoundId)
    const [requests, needs, items] = await Promise.all([
      agendaCandidates(this.dataSource, meeting.compoundId),
      this.needs.listForCompound(meeting.compoundId, { statuses: OPEN_NEED_STATUSES }),
      this.items(id),
    ])
    const candidates: AgendaCandidate[] = [
      ...requests.map((r) => ({
        source: 'request' as const,
        id: r.id,
        number: r.number,
        title: r.publicText,
        reasons: r.reasons,
        onAgenda: items.some((i) => i.ticketId === r.id),
      })),
      ...needs.map((n) => ({
        source: 'need' as const,
        id: n.id,
        number: null,
        title: n.title,
        reasons: ['need' as const],
        onAgenda: items.some((i) => i.needId === n.id),
      })),
    ]
    return { candidates }
  }

  /** Puts a candidate on the agenda (once): a request or need of the meeting's compound that may be discussed. */
  async addAgendaItem(staff: StaffPrincipal, id: string, input: AddAgendaInput): Promise<MeetingDetail> {
    const meeting = await this.meeting(id)
    await this.organised(staff, meeting.compoundId)
    const items = await this.items(id)
    if (items.some((i) => (input.source === 'request' ? i.ticketId : i.needId) === input.id)) {
      throw new DomainError('CONFLICT', '这一项已经在议程上了')
    }
    if (items.length >= MEETING_AGENDA_MAX) {
      throw new DomainError('VALIDATION_FAILED', `一次会议最多 ${MEETING_AGENDA_MAX} 个议题`)
    }
    const { candidates } = await this.candidates(staff, id)
    const found = candidates.find((c) => c.source === input.source && c.id === input.id)
    if (!found) {
      throw new DomainError(
        input.source === 'request' ? 'TICKET_NOT_FOUND' : 'NEED_NOT_FOUND',
        input.source === 'request' ? '这件诉求不在本小区待议的复杂、督办或联办诉求中' : '这条需求不在本小区待议的需求中',
      )
    }
    await this.dataSource.getRepository(MeetingAgendaItemRow).save({
      meetingId: id,
      position: items.length + 1,
      source: input.source,
      ticketId: input.source === 'request' ? input.id : null,
      needId: input.source === 'need' ? input.id : null,
      title: found.title,
      reasons: found.reasons,
      addedBy: staff.staffId,
    })
    return this.detail(staff, id)
  }

  /** Marks a planned meeting held (decisions are recorded once it is). */
  async markHeld(staff: StaffPrincipal, id: string): Promise<MeetingDetail> {
    const meeting = await this.meeting(id)
    await this.organised(staff, meeting.compoundId)
    if (meeting.status === 'held') throw new DomainError('ILLEGAL_TRANSITION', '这次会议已经标记为召开')
    await this.dataSource.getRepository(MeetingRow).update({ id, status: 'planned' }, { status: 'held', heldAt: this.clock.now() })
    return this.detail(staff, id)
  }

  /**
   * Records a decision of a held meeting: on an agenda item or general; owned by a role of the compound
   * (and optionally one of its holders); due on a working day from today on. Its public summary is redacted
   * (the linked request's reporter, phone and room too) before it is stored: it is public from then on, on
   * the request's timeline and on the board.
   */
  async recordDecision(staff: StaffPrincipal, id: string, input: RecordDecisionInput): Promise<MeetingDetail> {
    const meeting = await this.meeting(id)
    const compound = await this.organised(staff, meeting.compoundId)
    if (meeting.status !== 'held') throw new DomainError('ILLEGAL_TRANSITION', '会议召开后才能记录决定：请先标记“已召开”')
    if (!MEETING_ATTENDEE_ROLES.includes(input.ownerRole)) {
      throw new DomainError('VALIDATION_FAILED', '负责方须为小区的九长、书记或社区', [{ path: 'ownerRole', message: '负责方须为小区的九长、书记或社区' }])
    }
    const item = input.agendaItemId
      ? await this.dataSource.getRepository(MeetingAgendaItemRow).findOneBy({ id: input.agendaItemId, meetingId: id })
      : null
    if (input.agendaItemId && !item) throw new DomainError('MEETING_NOT_FOUND', '找不到这个议题')
    const ownerStaffId = input.ownerStaffId ?? null
    if (ownerStaffId) {
      const holders = await this.staff.holdersAt(await this.compoundPlaceIds(compound), [input.ownerRole])
      if (!holders.some((h) => h.staffId === ownerStaffId)) throw new DomainError('STAFF_NOT_FOUND', `找不到本小区的这位${ROLE_LABELS[input.ownerRole]}`)
    }
    await this.calendars.checkTargetDate(compound.path, input.targetDate)
    const ticketId = item?.ticketId ?? null
    const request = ticketId ? (await agendaRequests(this.dataSource, [ticketId])).get(ticketId) : undefined
    const publicSummary = redactPublicText(input.publicSummary, request?.personal ?? [])
    const now = this.clock.now()
    await this.dataSource.transaction(async (manager) => {
      const row = await manager.getRepository(MeetingDecisionRow).save({
        meetingId: id,
        compoundId: meeting.compoundId,
        agendaItemId: item?.id ?? null,
        ticketId,
        ownerRole: input.ownerRole,
        ownerStaffId,
        targetDate: input.targetDate,
        publicSummary,
        internalNote: input.internalNote ?? '',
        status: 'open',
        doneNote: null,
        doneAt: null,
        doneBy: null,
        createdBy: staff.staffId,
      })
      if (ticketId) {
        await this.tickets.recordMeetingEntry(
          manager,
          ticketId,
          {
            type: 'meeting_decision',
            data: {
              meetingId: id,
              decisionId: row.id,
              meetingTitle: meeting.title,
              summary: publicSummary,
              ownerLabel: ROLE_LABELS[input.ownerRole],
              targetDate: input.targetDate,
            },
          },
          this.actor(staff, compound),
          now,
        )
      }
    })
    return this.detail(staff, id)
  }

  /** Marks an open decision done with a public note (redacted), by its owner or an organiser. */
  async markDone(staff: StaffPrincipal, decisionId: string, input: DecisionDoneInput): Promise<MeetingDetail> {
    const decision = await this.dataSource.getRepository(MeetingDecisionRow).findOneBy({ id: decisionId })
    if (!decision) throw new DomainError('MEETING_NOT_FOUND', '找不到这个决定')
    const compound = await this.readable(staff, decision.compoundId)
    if (!mayOrganiseMeetings(staff.memberships, compound.path) && !this.owns(staff, decision, compound)) {
      throw new DomainError('FORBIDDEN', '只有负责落实的人或会议组织者可以标记落实')
    }
    if (decision.status === 'done') throw new DomainError('ILLEGAL_TRANSITION', '这个决定已经标记落实')
    const request = decision.ticketId ? (await agendaRequests(this.dataSource, [decision.ticketId])).get(decision.ticketId) : undefined
    const note = redactPublicText(input.note, request?.personal ?? [])
    const now = this.clock.now()
    await this.dataSource.transaction(async (manager) => {
      const result = await manager
        .getRepository(MeetingDecisionRow)
        .update({ id: decisionId, status: 'open' }, { status: 'done', doneNote: note, doneAt: now, doneBy: staff.staffId })
      if (result.affected !== 1) throw new DomainError('ILLEGAL_TRANSITION', '这个决定已经标记落实')
      if (decision.ticketId) {
        await this.tickets.recordMeetingEntry(
          manager,
          decision.ticketId,
          {
            type: 'meeting_decision_done',
            data: { meetingId: decision.meetingId, decisionId, summary: decision.publicSummary, note },
          },
          this.actor(staff, compound),
          now,
        )
      }
    })
    return this.detail(staff, decision.meetingId)
  }

  /** The minutes (会议纪要) as A4 pages for the notice board: public words and roles only. */
  async minutesPdf(staff: StaffPrincipal, id: string): Promise<{ filename: string; asciiFilename: string; body: Buffer }> {
    const meeting = await this.meeting(id)
    const compound = await this.readable(staff, meeting.compoundId)
    const [items, decisions] = await Promise.all([this.items(id), this.decisions([id])])
    const today = this.today()
    const minutes: Minutes = {
      compoundName: compound.name,
      kind: meeting.kind,
      title: meeting.title,
      startsAt: meeting.startsAt,
      venue: meeting.venue,
      status: meeting.status,
      attendees: meeting.attendeeRoles.map((r) => ROLE_LABELS[r]),
      agenda: items.map((i) => ({
        id: i.id,
        title: i.number ? `${i.number} ${i.title}` : i.title,
        reasons: i.reasons as AgendaReason[],
      })),
      decisions: decisions.map((d) => ({
        agendaItemId: d.agendaItemId,
        ownerLabel: ROLE_LABELS[d.ownerRole],
        targetDate: d.targetDate,
        summary: d.publicSummary,
        status: d.status,
        overdue: decisionOverdue(d, today),
        doneNote: d.doneNote,
      })),
    }
    const fonts = await posterFonts()
    const url = `${this.config.publicUrl.replace(/\/+$/, '')}${pageUrl(PAGES.resident.board, { compoundId: compound.id })}`
    const drawings = minutesLayout(minutes, url, fonts.measure)
    const date = localDateString(meeting.startsAt)
    return {
      filename: `${compound.name.replace(/[\\/:*?"<>|\s]+/g, '_')}-${date}-会议纪要.pdf`,
      asciiFilename: `minutes-${date}-${id.slice(0, 8)}.pdf`,
      body: await postersPdf(drawings, fonts, `${compound.name} ${meeting.title} 会议纪要`),
    }
  }

  /** Decisions of a compound's held meetings as the public board shows them, newest first. */
  async publicDecisions(compoundId: string, limit = 20): Promise<PublicMeetingDecision[]> {
    // On every board view: one prepared statement (the decision, its meeting and its request's number), not
    // a TypeORM find (which builds a join and sends a second query for the page of ids each call).
    const rows = await this.dataSource.query<PublicDecisionRow[]>(
      prepared(`SELECT d.id, d.owner_role, d.target_date::text AS target_date, d.public_summary, d.status, d.done_note,
                       d.done_at, m.title, m.kind, coalesce(m.held_at, m.starts_at) AS held_at, t.number
                  FROM meeting_decision d JOIN meeting m ON m.id = d.meeting_id
                  LEFT JOIN ticket t ON t.id = d.ticket_id
                 WHERE d.compound_id = $1 AND m.status = 'held'
                 ORDER BY d.created_at DESC LIMIT $2`),
      [compoundId, limit],
    )
    const today = this.today()
    return rows.map((d) => ({
      id: d.id,
      meetingTitle: d.title,
      meetingKind: d.kind,
      meetingDate: localDateString(d.held_at),
      requestNumber: d.number === null ? null : ticketNumber(d.number),
      ownerLabel: ROLE_LABELS[d.owner_role],
      targetDate: d.target_date,
      publicSummary: d.public_summary,
      status: d.status,
      overdue: decisionOverdue({ status: d.status, targetDate: d.target_date }, today),
      doneNote: d.done_note,
      doneAt: d.done_at?.toISOString() ?? null,
    }))
  }

  /**
   * Demo meetings of the demo compound (inside the seeder's transaction): as if planned, held and decided by
   * `organiserStaffId`; each decision on a request goes onto its timeline as a real one would.
   */
  async seedDemo(manager: EntityManager, compoundId: string, organiserStaffId: string, meetings: readonly DemoMeetingSeed[]): Promise<void> {
    const actor: Actor = { kind: 'staff', id: organiserStaffId, role: 'grid_lead' }
    for (const seed of meetings) {
      const meeting = await manager.getRepository(MeetingRow).save({
        compoundId,
        kind: seed.kind,
        title: seed.title,
        startsAt: seed.startsAt,
        venue: seed.venue,
        attendeeRoles: [...seed.attendeeRoles],
        status: seed.held ? 'held' : 'planned',
        heldAt: seed.held ? seed.startsAt : null,
        createdBy: organiserStaffId,
      })
      const requests = await agendaRequests(manager, seed.agendaTicketIds)
      const items: MeetingAgendaItemRow[] = []
      for (const [i, ticketId] of seed.agendaTicketIds.entries()) {
        const request = requests.get(ticketId)!
        items.push(
          await manager.getRepository(MeetingAgendaItemRow).save({
            meetingId: meeting.id,
            position: i + 1,
            source: 'request' as const,
            ticketId,
            needId: null,
            title: request.publicText,
            reasons: request.reasons,
            addedBy: organiserStaffId,
          }),
        )
      }
      for (const d of seed.decisions) {
        const item = d.agendaIndex === null ? null : items[d.agendaIndex]
        const row = await manager.getRepository(MeetingDecisionRow).save({
          meetingId: meeting.id,
          compoundId,
          agendaItemId: item?.id ?? null,
          ticketId: item?.ticketId ?? null,
          ownerRole: d.ownerRole,
          ownerStaffId: null,
          targetDate: d.targetDate,
          publicSummary: d.publicSummary,
          internalNote: d.internalNote,
          status: d.done ? 'done' : 'open',
          doneNote: d.done?.note ?? null,
          doneAt: d.done?.at ?? null,
          doneBy: d.done ? organiserStaffId : null,
          createdBy: organiserStaffId,
        })
        if (!row.ticketId) continue
        const ids = { meetingId: meeting.id, decisionId: row.id }
        await this.tickets.recordMeetingEntry(
          manager,
          row.ticketId,
          {
            type: 'meeting_decision',
            data: { ...ids, meetingTitle: seed.title, summary: d.publicSummary, ownerLabel: ROLE_LABELS[d.ownerRole], targetDate: d.targetDate },
          },
          actor,
          seed.startsAt,
        )
        if (d.done) {
          await this.tickets.recordMeetingEntry(
            manager,
            row.ticketId,
            { type: 'meeting_decision_done', data: { ...ids, summary: d.publicSummary, note: d.done.note } },
            actor,
            d.done.at,
          )
        }
      }
    }
  }

  private today(): string {
    return localDateString(this.clock.now())
  }

  /** A decision's owner: its named staff member, else (none named) a holder of its role in the compound. */
  private owns(staff: StaffPrincipal, decision: MeetingDecisionRow, compound: Place): boolean {
    if (decision.ownerStaffId) return decision.ownerStaffId === staff.staffId
    return reaching(staff.memberships, compound).some((m) => m.role === decision.ownerRole)
  }

  /** The caller as a timeline actor, in the role it holds for the compound (an organising role first). */
  private actor(staff: StaffPrincipal, compound: Place): Actor {
    const memberships = reaching(staff.memberships, compound)
    const membership = memberships.find((m) => mayOrganiseMeetings([m], compound.path)) ?? memberships[0]
    return { kind: 'staff', id: staff.staffId, role: membership?.role ?? null }
  }

  /** The compound itself, its buildings and units: where the staff who may attend hold their memberships. */
  private async compoundPlaceIds(compound: Place): Promise<string[]> {
    const units = await this.places.unitsOfCompound(compound.id)
    return [...new Set([...compound.path, ...units.flatMap(({ unit, building }) => [building.id, unit.id])])]
  }

  private async meeting(id: string): Promise<MeetingRow> {
    const row = await this.dataSource.getRepository(MeetingRow).findOneBy({ id })
    if (!row) throw new DomainError('MEETING_NOT_FOUND', '找不到这次会议')
    return row
  }

  /** The compound, when the caller reads its requests; else as if it (or the meeting) were not there. */
  private async readable(
    staff: StaffPrincipal,
    compoundId: string,
    missing: 'PLACE_NOT_FOUND' | 'MEETING_NOT_FOUND' = 'MEETING_NOT_FOUND',
  ): Promise<Place> {
    const compound = await this.compound(compoundId, missing)
    const reads = reaching(staff.memberships, compound).some((m) => can(m.role, 'view_tickets'))
    if (!reads) throw new DomainError(missing, missing === 'PLACE_NOT_FOUND' ? '找不到这个小区' : '找不到这次会议')
    return compound
  }

  /** The compound, when the caller organises its meetings; a reader who does not is refused, others see nothing. */
  private async organised(
    staff: StaffPrincipal,
    compoundId: string,
    missing: 'PLACE_NOT_FOUND' | 'MEETING_NOT_FOUND' = 'MEETING_NOT_FOUND',
  ): Promise<Place> {
    const compound = await this.readable(staff, compoundId, missing)
    if (!mayOrganiseMeetings(staff.memberships, compound.path)) {
      throw new DomainError('FORBIDDEN', '只有本小区的网格长、书记和上级督办可以组织议事会')
    }
    return compound
  }

  private async compound(compoundId: string, missing: 'PLACE_NOT_FOUND' | 'MEETING_NOT_FOUND'): Promise<Place> {
    return this.places.get(compoundId, 'compound').catch((error: unknown) => {
      if (error instanceof DomainError && error.code === 'PLACE_NOT_FOUND') {
        throw new DomainError(missing, missing === 'PLACE_NOT_FOUND' ? '找不到这个小区' : '找不到这次会议')
      }
      throw error
    })
  }

  /** The agenda in order, with each request's number (requests are numbered, needs are not). */
  private async items(meetingId: string): Promise<(MeetingAgendaItemRow & { number: string | null })[]> {
    const rows = await this.dataSource.getRepository(MeetingAgendaItemRow).find({ where: { meetingId }, order: { position: 'ASC' } })
    const requests = await agendaRequests(this.dataSource, rows.flatMap((r) => (r.ticketId ? [r.ticketId] : [])))
    return rows.map((r) => Object.assign(r, { number: r.ticketId ? (requests.get(r.ticketId)?.number ?? null) : null }))
  }

  private decisions(meetingIds: string[], manager: EntityManager = this.dataSource.manager): Promise<MeetingDecisionRow[]> {
    if (meetingIds.length === 0) return Promise.resolve([])
    return manager.getRepository(MeetingDecisionRow).find({ where: { meetingId: In(meetingIds) }, order: { createdAt: 'ASC' } })
  }

  private async summaries(rows: MeetingRow[]): Promise<MeetingSummary[]> {
    const ids = rows.map((r) => r.id)
    const [items, decisions] = await Promise.all([
      ids.length ? this.dataSource.getRepository(MeetingAgendaItemRow).find({ where: { meetingId: In(ids) }, select: { id: true, meetingId: true } }) : [],
      this.decisions(ids),
    ])
    const today = this.today()
    return rows.map((r) => {
      const mine = decisions.filter((d) => d.meetingId === r.id)
      return {
        id: r.id,
        compoundId: r.compoundId,
        kind: r.kind,
        title: r.title,
        startsAt: r.startsAt.toISOString(),
        place: r.venue,
        status: r.status,
        agendaCount: items.filter((i) => i.meetingId === r.id).length,
        decisionCount: mine.length,
        openDecisions: mine.filter((d) => d.status === 'open').length,
        overdueDecisions: mine.filter((d) => decisionOverdue(d, today)).length,
      }
    })
  }
}

