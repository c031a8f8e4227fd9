import { Injectable } from '@nestjs/common'
import {
  can,
  CHASE_COOLDOWN_MINUTES,
  covers,
  escalationRole,
  latestPromiseDate,
  monthDayTime,
  OPEN_STATES,
  overdueLevel,
  REOPEN_MAX_STARS,
  resolveConfig,
  ESCALATION_CHAIN,
  stateRefusal,
  TICKET_STATE_LABELS,
  transition,
  type AcceptTicketInput,
  type ErrorCode,
  type FollowTicketInput,
  type MergeTicketInput,
  type NoteTicketInput,
  type PublicSummaryInput,
  type RateTicketInput,
  type RejectTicketInput,
  type ReplyTicketInput,
  type ResolveTicketInput,
  type ResumeTicketInput,
  type Role,
  type TicketAction,
  type TicketState,
  type TicketView,
  type TransferTicketInput,
  type WaitTicketInput,
} from '@mq/shared'
import { DataSource, type EntityManager } from 'typeorm'
import type { Principal, ResidentPrincipal, StaffPrincipal } from '../auth/principal'
import { Clock } from '../common/clock'
import { DomainError } from '../common/domain-error'
import { Place } from '../places/place.entity'
import { PlacesService } from '../places/places.service'
import { PhotosService } from '../photos/photos.service'
import { rescheduleTimers } from './lifecycle/timer-plan'
import { RoutingService } from '../routing/routing.service'
import { StaffService } from '../staff/staff.service'
import { actingRole, editsPublicSummary, manages, mayHandle } from './ticket-access'
import { deadlineConfigOf, recomputeDeadlines, storedPause } from './lifecycle/ticket-deadlines'
import { notifyReporters, notifyStaff, recordEvent, supervisorsOf, type Actor } from './ticket-journal'
import { TicketCoHandler, TicketRating } from './ticket-relations.entity'
import { Ticket } from './ticket.entity'
import { publicSummaryOf, ticketNumber } from './ticket.view'
import { notFound, TicketsService } from './tickets.service'

/** A QR token that places no resident in any building: unknown, replaced, or of a retired unit. */
const UNUSABLE_QR: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'QR_NOT_FOUND',
  'QR_REPLACED',
  'PLACE_NOT_FOUND',
])

/** The columns an action may change; written back in one UPDATE. */
const MUTABLE = [
  'state',
  'stateBeforeWait',
  'category',
  'severity',
  'handlerStaffId',
  'handlerRole',
  'acceptBy',
  'replyBy',
  'resolveBy',
  'promisedAt',
  'nextDueAt',
  'clockStartedAt',
  'pauses',
  'acceptedAt',
  'repliedAt',
  'replyPlan',
  'resolvedAt',
  'resolutionNote',
  'closedAt',
  'rejectionReason',
  'mergedIntoId',
  'escalationLevel',
  'chaseCount',
  'lastChasedAt',
  'followerCount',
  'reopenCount',
  'publicCommitment',
  'publicResolution',
] as const satisfies readonly (keyof Ticket)[]

interface Locked {
  manager: EntityManager
  ticket: Ticket
  unit: Place
  now: Date
}

interface StaffAction extends Locked {
  actor: Actor
}

/** The state `action` leads to, or 409 ILLEGAL_TRANSITION naming the current state. */
export function move(ticket: Ticket, action: TicketAction): TicketState {
  const result = transition(action, {
    state: ticket.state,
    severity: ticket.severity,
    stateBeforeWait: ticket.stateBeforeWait,
  })
  if (!result.ok) {
    throw new DomainError(
      'ILLEGAL_TRANSITION',
      `${result.reason}（当前状态：${TICKET_STATE_LABELS[ticket.state]}）`,
      [{ path: 'state', message: ticket.state }],
    )
  }
  return result.to
}

/**
 * Everything that happens to a request after filing (SPEC §4). Each action locks the request row, checks
 * the caller and the shared transition table, changes the row, recomputes the deadlines, appends a
 * timeline entry and writes the outbox rows, in one transaction; then answers with the request as the
 * caller sees it.
 */
@Injectable()
export class TicketWorkflowService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tickets: TicketsService,
    private readonly places: PlacesService,
    private readonly routing: RoutingService,
    private readonly photos: PhotosService,
    private readonly staffService: StaffService,
    private readonly clock: Clock,
  ) {}

  accept(
    staff: StaffPrincipal,
    id: string,
    input: AcceptTicketInput,
    requestId: string | null,
  ): Promise<TicketView> {
    return this.asStaff(staff, id, 'manage', requestId, async ({ manager, ticket, now, actor }) => {
      ticket.state = move(ticket, 'accept')
      const changed: Record<string, { from: string; to: string }> = {}
      if (input.category && input.category !== ticket.category) {
        changed.category = { from: ticket.category, to: input.category }
        ticket.category = input.category
      }
      if (input.severity && input.severity !== ticket.severity) {
        changed.severity = { from: ticket.severity, to: input.severity }
        ticket.severity = input.severity
      }
      ticket.acceptedAt = now
      if (!ticket.handlerStaffId) {
        // Nobody was routed to it: whoever accepts it handles it.
        ticket.handlerStaffId = staff.staffId
        ticket.handlerRole = actor.role
      }
      recomputeDeadlines(ticket)
      await this.save(manager, ticket)
      const event = await recordEvent(manager, {
        ticketId: ticket.id,
        actor,
        type: 'accepted',
        public: true,
        data: changed,
        at: now,
      })
      await notifyReporters(manager, ticket, event, 'accepted', {
        nextDueAt: ticket.nextDueAt?.toISOString() ?? null,
      })
    })
  }

  reply(
    staff: StaffPrincipal,
    id: string,
    input: ReplyTicketInput,
    requestId: string | null,
  ): Promise<TicketView> {
    return this.asStaff(staff, id, 'manage', requestId, async ({ manager, ticket, now, actor }) => {
      ticket.state = move(ticket, 'reply')
      const promisedAt = new Date(input.promisedAt)
      const config = deadlineConfigOf(ticket)
      const latest = latestPromiseDate(now, config)
      if (promisedAt <= now || promisedAt > latest) {
        const days = resolveConfig(config).maxPromiseDays
        throw new DomainError('VALIDATION_FAILED', `承诺办结时间须在现在之后、${days}天之内`, [
          { path: 'promisedAt', message: `须在 ${latest.toISOString()} 之前` },
        ])
      }
      ticket.repliedAt = now
      ticket.replyPlan = input.plan
      // A staff edit of the public summary stood for the previous plan, not this one.
      ticket.publicCommitment = null
      ticket.promisedAt = promisedAt
      recomputeDeadlines(ticket)
      await this.save(manager, ticket)
      const event = await recordEvent(manager, {
        ticketId: ticket.id,
        actor,
        type: 'replied',
        public: true,
        data: { plan: input.plan, promisedAt: promisedAt.toISOString() },
        at: now,
      })
      await notifyReporters(manager, ticket, event, 'replied', { promisedAt: promisedAt.toISOString() })
    })
  }

  resolve(
    staff: StaffPrincipal,
    id: string,
    input: ResolveTicketInput,
    requestId: string | null,
  ): Promise<TicketView> {
    return this.asStaff(staff, id, 'manage', requestId, async ({ manager, ticket, now, actor }) => {
      ticket.state = move(ticket, 'resolve')
      ticket.resolvedAt = now
      ticket.resolutionNote = input.note
      ticket.publicResolution = null
      recomputeDeadlines(ticket)
      await this.save(manager, ticket)
      await this.photos.attach(manager, {
        photoIds: input.photoIds,
        uploader: { kind: 'staff', id: staff.staffId },
        ticketId: ticket.id,
        kind: 'resolution',
      })
      const event = await recordEvent(manager, {
        ticketId: ticket.id,
        actor,
        type: 'resolved',
        public: true,
        data: { note: input.note, photos: input.photoIds.length },
        at: now,
      })
      await notifyReporters(manager, ticket, event, 'resolved')
    })
  }

  reject(
    staff: StaffPrincipal,
    id: string,
    input: RejectTicketInput,
    requestId: string | null,
  ): Promise<TicketView> {
    return this.asStaff(staff, id, 'manage', requestId, async ({ manager, ticket, now, actor }) => {
      ticket.state = move(ticket, 'reject')
      ticket.rejectionReason = input.reason
      ticket.closedAt = now
      recomputeDeadlines(ticket)
      await this.save(manager, ticket)
      const event = await recordEvent(manager, {
        ticketId: ticket.id,
        actor,
        type: 'rejected',
        public: true,
        data: { reason: input.reason },
        at: now,
      })
      await notifyReporters(manager, ticket, event, 'rejected', { reason: input.reason })
    })
  }

  /** To a person who handles requests at this place, or to whoever holds a role here (routing's pick). */
  transfer(
    staff: StaffPrincipal,
    id: string,
    input: TransferTicketInput,
    requestId: string | null,
  ): Promise<TicketView> {
    return this.asStaff(staff, id, 'manage', requestId, async ({ manager, ticket, unit, now, actor }) => {
      move(ticket, 'transfer')
      let target: { staffId: string; role: Role; name: string }
      if (input.toStaffId) {
        target = await this.staffService.handlerAt(input.toStaffId, unit.path)
      } else {
        const where = await this.places.unitContext(ticket.unitId, manager)
        target = await this.routing.replacement(manager, where, input.toRole!, ticket.handlerStaffId)
      }
      if (target.staffId === ticket.handlerStaffId) {
        throw new DomainError('VALIDATION_FAILED', '已经由此人处理', [
          { path: 'toStaffId', message: '已经由此人处理' },
        ])
      }
      const from = { role: ticket.handlerRole }
      ticket.handlerStaffId = target.staffId
      ticket.handlerRole = target.role
      recomputeDeadlines(ticket)
      await this.save(manager, ticket)
      // The new handler is no longer also a co-handler.
      await manager.getRepository(TicketCoHandler).delete({ ticketId: ticket.id, staffId: target.staffId })
      const event = await recordEvent(manager, {
        ticketId: ticket.id,
        actor,
        type: 'transferred',
        public: true,
        data: { fromRole: from.role, toRole: target.role, toName: target.name, reason: input.reason },
        at: now,
      })
      await notifyStaff(manager, ticket, event, 'assigned', [target.staffId], {
        as: 'handler',
        reason: input.reason,
      })
    })
  }

  addCoHandler(
    staff: StaffPrincipal,
    id: string,
    coHandlerId: string,
    requestId: string | null,
  ): Promise<TicketView> {
    return this.asStaff(staff, id, 'manage', requestId, async ({ manager, ticket, unit, now, actor }) => {
      move(ticket, 'transfer')
      const target = await this.staffService.handlerAt(coHandlerId, unit.path)
      if (target.staffId === ticket.handlerStaffId) {
        throw new DomainError('VALIDATION_FAILED', '处理人不必再加为联办人', [
          { path: 'staffId', message: '已是处理人' },
        ])
      }
      const inserted = await manager.query<unknown[]>(
        `INSERT INTO ticket_co_handler (ticket_id, staff_id, role, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING RETURNING staff_id`,
        [ticket.id, target.staffId, target.role, now],
      )
      if (inserted.length === 0) return // already a co-handler: nothing to do
      await this.save(manager, ticket)
      const event = await recordEvent(manager, {
        ticketId: ticket.id,
        actor,
        type: 'co_handler_added',
        public: true,
        data: { role: target.role, name: target.name },
        at: now,
      })
      await notifyStaff(manager, ticket, event, 'assigned', [target.staffId], { as: 'co_handler' })
    })
  }

  removeCoHandler(
    staff: StaffPrincipal,
    id: string,
    coHandlerId: string,
    requestId: string | null,
  ): Promise<TicketView> {
    return this.asStaff(staff, id, 'manage', requestId, async ({ manager, ticket, now, actor }) => {
      move(ticket, 'transfer')
      const existing = await manager.getRepository(TicketCoHandler).findOne({
        where: { ticketId: ticket.id, staffId: coHandlerId },
        relations: { staff: true },
      })
      if (!existing) throw new DomainError('STAFF_NOT_FOUND', '此人不是这条诉求的联办人')
      await manager.getRepository(TicketCoHandler).delete({ ticketId: ticket.id, staffId: coHandlerId })
      await this.save(manager, ticket)
      await recordEvent(manager, {
        ticketId: ticket.id,
        actor,
        type: 'co_handler_removed',
        public: true,
        data: { role: existing.role, name: existing.staff?.name ?? null },
        at: now,
      })
    })
  }

  /** 待居民补充: the clock stops until the request resumes. */
  wait(
    staff: StaffPrincipal,
    id: string,
    input: WaitTicketInput,
    requestId: string | null,
  ): Promise<TicketView> {
    return this.asStaff(staff, id, 'manage', requestId, async ({ manager, ticket, now, actor }) => {
      const to = move(ticket, 'wait')
      ticket.stateBeforeWait = ticket.state
      ticket.state = to
      ticket.pauses = [...ticket.pauses, storedPause(now)]
      recomputeDeadlines(ticket)
      await this.save(manager, ticket)
      await recordEvent(manager, {
        ticketId: ticket.id,
        actor,
        type: 'waiting',
        public: true,
        data: { question: input.question },
        at: now,
      })
    })
  }

  /** Back to the state before waiting; the deadlines move later by the time spent waiting. */
  resume(
    staff: StaffPrincipal,
    id: string,
    input: ResumeTicketInput,
    requestId: string | null,
  ): Promise<TicketView> {
    return this.asStaff(staff, id, 'manage', requestId, async ({ manager, ticket, now, actor }) => {
      ticket.state = move(ticket, 'resume')
      ticket.stateBeforeWait = null
      const open = ticket.pauses.at(-1)
      const pausedMinutes = open ? Math.round((now.getTime() - new Date(open.start).getTime()) / 60_000) : 0
      ticket.pauses = ticket.pauses.map((p) => (p.end === null ? { ...p, end: now.toISOString() } : p))
      recomputeDeadlines(ticket)
      await this.save(manager, ticket)
      await recordEvent(manager, {
        ticketId: ticket.id,
        actor,
        type: 'resumed',
        public: true,
        data: { note: input.note ?? null, pausedMinutes },
        at: now,
      })
    })
  }

  /**
   * Merges a duplicate into `intoId` (an open request of the same compound): this one ends as `merged`,
   * its reporter and followers follow the other one from now on.
   */
  async merge(
    staff: StaffPrincipal,
    id: string,
    input: MergeTicketInput,
    requestId: string | null,
  ): Promise<TicketView> {
    if (input.intoId === id) {
      throw new DomainError('VALIDATION_FAILED', '不能合并到自己', [
        { path: 'intoId', message: '不能合并到自己' },
      ])
    }
    return this.asStaff(
      staff,
      id,
      'manage',
      requestId,
      async ({ manager, ticket, now, actor }) => {
        const to = move(ticket, 'merge')
        const into = await manager.getRepository(Ticket).findOneBy({ id: input.intoId })
        const intoUnit = into ? await manager.getRepository(Place).findOneBy({ id: into.unitId }) : null
        if (!into || !intoUnit || into.compoundId !== ticket.compoundId || !staffSees(staff, intoUnit)) {
          throw new DomainError('TICKET_NOT_FOUND', '找不到要合并到的诉求（须是同一小区的诉求）')
        }
        if (!OPEN_STATES.includes(into.state)) {
          throw new DomainError(
            'ILLEGAL_TRANSITION',
            stateRefusal('要合并到的诉求', into.state, '不能合并'),
            [{ path: 'intoId', message: into.state }],
          )
        }
        ticket.state = to
        ticket.mergedIntoId = into.id
        recomputeDeadlines(ticket)
        await this.save(manager, ticket)
        // The reporter and the followers of the duplicate follow the surviving request.
        const moved = await manager.query<{ resident_id: string }[]>(
          `INSERT INTO ticket_follower (ticket_id, resident_id, created_at)
           SELECT $1, r.resident_id, $3 FROM (
             SELECT reporter_resident_id AS resident_id FROM ticket WHERE id = $2 AND reporter_resident_id IS NOT NULL
             UNION SELECT resident_id FROM ticket_follower WHERE ticket_id = $2
           ) r
           WHERE r.resident_id IS DISTINCT FROM $4
           ON CONFLICT DO NOTHING
           RETURNING resident_id`,
          [into.id, ticket.id, now, into.reporterResidentId],
        )
        into.followerCount += moved.length
        await this.save(manager, into)
        await recordEvent(manager, {
          ticketId: ticket.id,
          actor,
          type: 'merged',
          public: true,
          data: { intoId: into.id, intoNumber: ticketNumber(into.number) },
          at: now,
        })
        await recordEvent(manager, {
          ticketId: into.id,
          actor,
          type: 'merged_from',
          public: false,
          data: { fromId: ticket.id, fromNumber: ticketNumber(ticket.number), followers: moved.length },
          at: now,
        })
      },
      [input.intoId],
    )
  }

  /** Internal: anyone in scope who handles requests. */
  note(
    staff: StaffPrincipal,
    id: string,
    input: NoteTicketInput,
    requestId: string | null,
  ): Promise<TicketView> {
    return this.asStaff(staff, id, 'handle', requestId, async ({ manager, ticket, now, actor }) => {
      move(ticket, 'note')
      await recordEvent(manager, {
        ticketId: ticket.id,
        actor,
        type: 'noted',
        public: false,
        data: { text: input.text },
        at: now,
      })
    })
  }

  /**
   * The public summary (公示): what the board shows of the reply's commitment and the resolution note.
   * The handler, a coordinator or a supervisor of the place may replace either (null: the original again);
   * the originals stay as they were, and an internal `public_summary_edited` entry keeps the text shown
   * before and after. Residents never learn the request exists through this route (404).
   */
  async editPublicSummary(
    principal: Principal,
    id: string,
    input: PublicSummaryInput,
    requestId: string | null,
  ): Promise<TicketView> {
    if (principal.kind !== 'staff') throw notFound()
    await this.dataSource.transaction(async (manager) => {
      const { ticket, unit, now } = await this.lock(manager, id)
      if (!staffSees(principal, unit)) throw notFound()
      if (!editsPublicSummary(principal.staffId, principal.memberships, ticket, unit.path)) {
        throw new DomainError('FORBIDDEN', '只有处理人、网格长、小区书记或上级督办可以修改公示内容')
      }
      const before = publicSummaryOf(ticket)
      if (input.commitment && before.commitment === null) {
        throw new DomainError(
          'ILLEGAL_TRANSITION',
          `这条诉求还没有答复承诺，不能修改公示承诺（当前状态：${TICKET_STATE_LABELS[ticket.state]}）`,
          [{ path: 'commitment', message: ticket.state }],
        )
      }
      if (input.resolution && before.resolution === null) {
        throw new DomainError(
          'ILLEGAL_TRANSITION',
          `这条诉求还没有办结，不能修改公示的办理结果（当前状态：${TICKET_STATE_LABELS[ticket.state]}）`,
          [{ path: 'resolution', message: ticket.state }],
        )
      }
      // The original text again is no edit.
      if (input.text !== undefined) {
        ticket.publicText = input.text === publicSummaryOf({ ...ticket, publicText: null }).text ? null : input.text
      }
      if (input.commitment !== undefined) {
        ticket.publicCommitment = input.commitment === ticket.replyPlan ? null : input.commitment
      }
      if (input.resolution !== undefined) {
        ticket.publicResolution = input.resolution === ticket.resolutionNote ? null : input.resolution
      }
      const after = publicSummaryOf(ticket)
      const changes: Record<string, { before: string | null; after: string | null }> = {}
      if (before.text !== after.text) changes.text = { before: before.text, after: after.text }
      if (before.commitment !== after.commitment) changes.commitment = { before: before.commitment, after: after.commitment }
      if (before.resolution !== after.resolution) changes.resolution = { before: before.resolution, after: after.resolution }
      if (Object.keys(changes).length === 0) return
      await manager.getRepository(Ticket).update(ticket.id, {
        publicText: ticket.publicText,
        publicCommitment: ticket.publicCommitment,
        publicResolution: ticket.publicResolution,
        updatedAt: now,
      })
      await recordEvent(manager, {
        ticketId: ticket.id,
        actor: {
          kind: 'staff',
          id: principal.staffId,
          role: actingRole(principal.staffId, principal.memberships, ticket, unit.path),
        },
        type: 'public_summary_edited',
        public: false,
        data: { ...changes, edited: after.edited },
        at: now,
      })
    })
    return this.tickets.detail(id, principal, requestId)
  }

  /**
   * 催单: the reporter or a follower, or for a proxy entry the staff member who filed it, at most once every
   * 2 hours each (earlier → 429 with the time of the next allowed chase). The handler is told; on an
   * overdue request the chase escalates one level at once (SPEC §4).
   */
  async chase(principal: Principal, id: string, requestId: string | null): Promise<TicketView> {
    await this.dataSource.transaction(async (manager) => {
      const { ticket, unit, now } = await this.lock(manager, id)
      const actor = await this.contactActor(manager, ticket, unit, principal, 'chase')
      move(ticket, 'chase')
      const next = await this.tickets.nextChaseAt(manager, ticket.id, principal)
      if (next) {
        const seconds = Math.max(1, Math.ceil((next.getTime() - now.getTime()) / 1000))
        throw new DomainError(
          'RATE_LIMITED',
          `每${CHASE_COOLDOWN_MINUTES / 60}小时只能催一次，请在 ${monthDayTime(next)} 后再催`,
          [{ path: 'nextChaseAt', message: next.toISOString() }],
          { 'retry-after': String(seconds) },
        )
      }
      ticket.chaseCount += 1
      ticket.lastChasedAt = now
      const overdue = ticket.nextDueAt !== null && ticket.nextDueAt < now
      let escalation: { level: number; role: Role } | null = null
      if (overdue) {
        const level = Math.min(
          Math.max(ticket.escalationLevel, overdueLevel(ticket.nextDueAt!, now)) + 1,
          ESCALATION_CHAIN.length,
        )
        if (level > ticket.escalationLevel) {
          ticket.escalationLevel = level
          escalation = { level, role: escalationRole(level)! }
        }
      }
      await this.save(manager, ticket)
      const event = await recordEvent(manager, {
        ticketId: ticket.id,
        actor,
        type: 'chased',
        public: true,
        data: { count: ticket.chaseCount, overdue },
        at: now,
      })
      await notifyStaff(manager, ticket, event, 'chased', [ticket.handlerStaffId], {
        chaseCount: ticket.chaseCount,
        overdue,
      })
      if (escalation) {
        const escalated = await recordEvent(manager, {
          ticketId: ticket.id,
          actor: { kind: 'system', id: null, role: null },
          type: 'escalated',
          public: false,
          data: { level: escalation.level, role: escalation.role, cause: 'chase' },
          at: now,
        })
        const compound = await manager.getRepository(Place).findOneByOrFail({ id: ticket.compoundId })
        const supervisors = await supervisorsOf(manager, compound.path, escalation.level)
        if (supervisors) {
          await notifyStaff(manager, ticket, escalated, 'escalated', supervisors.staffIds, {
            level: escalation.level,
            role: supervisors.role,
          })
        }
      }
    })
    return this.tickets.detail(id, principal, requestId)
  }

  /**
   * 评价 after resolution: the reporter, or for a proxy entry the staff member who phoned the resident
   * (回访). 3–5 stars closes it (销号); 1–2 reopens it to its handler and tells the supervisor.
   */
  async rate(
    principal: Principal,
    id: string,
    input: RateTicketInput,
    requestId: string | null,
  ): Promise<TicketView> {
    await this.dataSource.transaction(async (manager) => {
      const { ticket, unit, now } = await this.lock(manager, id)
      const actor = await this.contactActor(manager, ticket, unit, principal, 'rate')
      const reopen = input.stars <= REOPEN_MAX_STARS
      const to = move(ticket, reopen ? 'reopen' : 'close')
      const via = principal.kind === 'staff' ? 'callback' : 'resident'
      await manager.getRepository(TicketRating).insert({
        ticketId: ticket.id,
        stars: input.stars,
        tags: input.tags,
        comment: input.comment ?? null,
        via,
        residentId: principal.kind === 'resident' ? principal.residentId : null,
        staffId: principal.kind === 'staff' ? principal.staffId : null,
        at: now,
      })
      ticket.state = to
      if (reopen) {
        // A new round: fresh reply and resolution windows from now; the old ones stay on the timeline.
        ticket.reopenCount += 1
        ticket.clockStartedAt = now
        ticket.repliedAt = null
        ticket.replyPlan = null
        ticket.promisedAt = null
        ticket.resolvedAt = null
        ticket.resolutionNote = null
        ticket.publicCommitment = null
        ticket.publicResolution = null
      } else {
        ticket.closedAt = now
      }
      recomputeDeadlines(ticket)
      await this.save(manager, ticket)
      await recordEvent(manager, {
        ticketId: ticket.id,
        actor,
        type: 'rated',
        public: true,
        data: { stars: input.stars, tags: input.tags, via },
        at: now,
      })
      if (!reopen) {
        await recordEvent(manager, {
          ticketId: ticket.id,
          actor,
          type: 'closed',
          public: true,
          data: { stars: input.stars },
          at: now,
        })
        return
      }
      const reopened = await recordEvent(manager, {
        ticketId: ticket.id,
        actor,
        type: 'reopened',
        public: true,
        data: { stars: input.stars },
        at: now,
      })
      await notifyStaff(manager, ticket, reopened, 'reopened', [ticket.handlerStaffId], {
        stars: input.stars,
        as: 'handler',
      })
      const compound = await manager.getRepository(Place).findOneByOrFail({ id: ticket.compoundId })
      const supervisors = await supervisorsOf(manager, compound.path, 1)
      if (supervisors) {
        await notifyStaff(manager, ticket, reopened, 'reopened', supervisors.staffIds, {
          stars: input.stars,
          as: 'supervisor',
          role: supervisors.role,
        })
      }
    })
    return this.tickets.detail(id, principal, requestId)
  }

  /**
   * "我也遇到了" (+1): a resident follows an open request of the building whose stairwell QR code they
   * scanned (`input.token`, an active token); they then see it and are told of progress. An unknown or
   * replaced token, or a request of another building, is "no such request", as for any request out of reach.
   */
  async follow(
    resident: ResidentPrincipal,
    id: string,
    input: FollowTicketInput,
    requestId: string | null,
  ): Promise<TicketView> {
    const scanned = await this.places.unitByToken(input.token).catch((error: unknown) => {
      if (error instanceof DomainError && UNUSABLE_QR.has(error.code)) throw notFound()
      throw error
    })
    await this.dataSource.transaction(async (manager) => {
      const { ticket, now } = await this.lock(manager, id)
      if (ticket.buildingId !== scanned.building.id) throw notFound()
      if (!OPEN_STATES.includes(ticket.state)) {
        throw new DomainError('ILLEGAL_TRANSITION', stateRefusal('这条诉求', ticket.state, '不能再关注'), [
          { path: 'state', message: ticket.state },
        ])
      }
      if (ticket.reporterResidentId === resident.residentId) return
      const inserted = await manager.query<unknown[]>(
        `INSERT INTO ticket_follower (ticket_id, resident_id, created_at) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING RETURNING resident_id`,
        [ticket.id, resident.residentId, now],
      )
      if (inserted.length === 0) return
      ticket.followerCount += 1
      await this.save(manager, ticket)
      await recordEvent(manager, {
        ticketId: ticket.id,
        actor: { kind: 'resident', id: resident.residentId, role: null },
        type: 'followed',
        public: false,
        data: { followers: ticket.followerCount },
        at: now,
      })
    })
    return this.tickets.detail(id, resident, requestId)
  }

  /** Locks the request (and `alsoLock`, in id order so two merges cannot deadlock) for this transaction. */
  private async lock(manager: EntityManager, id: string, alsoLock: string[] = []): Promise<Locked> {
    const ids = [...new Set([id, ...alsoLock])].sort()
    await manager.query('SELECT id FROM ticket WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE', [ids])
    const ticket = await manager.getRepository(Ticket).findOneBy({ id })
    if (!ticket) throw notFound()
    const unit = await manager.getRepository(Place).findOneByOrFail({ id: ticket.unitId })
    return { manager, ticket, unit, now: this.clock.now() }
  }

  /**
   * Runs a staff action: 404 outside the caller's places, 403 without the right to take it (`manage`:
   * handler or coordinator; `handle`: anyone in scope who handles requests). Answers with the detail view.
   */
  private async asStaff(
    staff: StaffPrincipal,
    id: string,
    need: 'manage' | 'handle',
    requestId: string | null,
    action: (context: StaffAction) => Promise<void>,
    alsoLock: string[] = [],
  ): Promise<TicketView> {
    await this.dataSource.transaction(async (manager) => {
      const locked = await this.lock(manager, id, alsoLock)
      const { ticket, unit } = locked
      if (!staffSees(staff, unit)) throw notFound()
      const allowed =
        need === 'manage'
          ? manages(staff.staffId, staff.memberships, ticket, unit.path)
          : mayHandle(staff.memberships, unit.path)
      if (!allowed) {
        throw new DomainError(
          'FORBIDDEN',
          need === 'manage' ? '只有处理人、网格长或小区书记可以办理这条诉求' : '没有办理这条诉求的权限',
        )
      }
      const role = actingRole(staff.staffId, staff.memberships, ticket, unit.path)
      await action({ ...locked, actor: { kind: 'staff', id: staff.staffId, role } })
    })
    return this.tickets.detail(id, staff, requestId)
  }

  /**
   * The caller as the request's contact: the reporter (and, for chasing, a follower), or the staff member
   * who filed a proxy entry. Strangers get 404; staff in scope who are not the contact, 403.
   */
  private async contactActor(
    manager: EntityManager,
    ticket: Ticket,
    unit: Place,
    principal: Principal,
    what: 'chase' | 'rate',
  ): Promise<Actor> {
    if (principal.kind === 'staff') {
      if (!staffSees(principal, unit)) throw notFound()
      if (ticket.proxyStaffId !== principal.staffId) {
        throw new DomainError(
          'FORBIDDEN',
          what === 'chase'
            ? '只有报告人（代录的诉求由代录人）可以催单'
            : '只有报告人（代录的诉求由代录人回访）可以评价',
        )
      }
      return {
        kind: 'staff',
        id: principal.staffId,
        role: actingRole(principal.staffId, principal.memberships, ticket, unit.path),
      }
    }
    const access = await this.tickets.accessFor({ ...ticket, unit }, principal, [], manager)
    if (!access) throw notFound()
    if (what === 'rate' && access.relation !== 'reporter') {
      throw new DomainError('FORBIDDEN', '只有报告人可以评价')
    }
    return { kind: 'resident', id: principal.residentId, role: null }
  }

  /** An active staff member who handles requests at the request's unit, with the role they would act in. */
  private async save(manager: EntityManager, ticket: Ticket): Promise<void> {
    // The deadline timers follow the deadlines, in this transaction (lifecycle/timer-plan.ts).
    await rescheduleTimers(manager, ticket, this.clock.now())
    const changes = Object.fromEntries(MUTABLE.map((k) => [k, ticket[k]])) as Partial<Ticket>
    await manager.getRepository(Ticket).update(ticket.id, { ...changes, updatedAt: this.clock.now() })
  }
}

function staffSees(staff: StaffPrincipal, unit: Place): boolean {
  return staff.memberships.some((m) => can(m.role, 'view_tickets') && covers(m, unit.path))
}
