import { Injectable } from '@nestjs/common'
import {
  can,
  covers,
  escalationRole,
  mayAct,
  PROMISE_EXTENSION_MAX_DAYS,
  scopeOf,
  TICKET_STATE_LABELS,
  type EscalationPage,
  type EscalationQuery,
  type ExtendPromiseInput,
  type ReassignTicketInput,
  type Role,
  type TicketView,
} from '@mq/shared'
import { DataSource, type EntityManager } from 'typeorm'
import type { StaffPrincipal } from '../auth/principal'
import { Clock } from '../common/clock'
import { DomainError } from '../common/domain-error'
import { Place } from '../places/place.entity'
import { PlacesService } from '../places/places.service'
import { RoutingService } from '../routing/routing.service'
import { StaffService } from '../staff/staff.service'
import { recomputeDeadlines } from '../tickets/lifecycle/ticket-deadlines'
import { notifyReporters, notifyStaff, recordEvent, type Actor } from '../tickets/ticket-journal'
import { TicketCoHandler } from '../tickets/ticket-relations.entity'
import { move } from '../tickets/ticket-workflow.service'
import { Ticket } from '../tickets/ticket.entity'
import { toPublicTicketView } from '../tickets/ticket.view'
import { notFound, OPEN_SQL, TicketsService } from '../tickets/tickets.service'
import { rescheduleTimers } from '../tickets/lifecycle/timer-plan'

interface Supervised {
  manager: EntityManager
  ticket: Ticket
  unit: Place
  now: Date
  actor: Actor
}

/**
 * What the supervisory chain (compound secretary, community, street, district; SPEC §4) does about a
 * request in their places: extend its promised date with a reason, reassign it, and see what escalated
 * to them. Each change is one transaction with the request row locked, like the handler's actions.
 */
@Injectable()
export class SupervisionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly tickets: TicketsService,
    private readonly places: PlacesService,
    private readonly routing: RoutingService,
    private readonly staffService: StaffService,
  ) {}

  /**
   * A later promised date for a complex request's reply (also while it waits for the resident). Beyond
   * the handler's 30 days is the point; the reason is public, the reporter and the handler are told, and
   * the timers move to the new date (an escalation for the old one ends: the request is no longer late).
   */
  async extendPromise(
    staff: StaffPrincipal,
    id: string,
    input: ExtendPromiseInput,
    requestId: string | null,
  ): Promise<TicketView> {
    await this.supervise(staff, id, async ({ manager, ticket, now, actor }) => {
      const state = ticket.state === 'waiting_resident' ? ticket.stateBeforeWait : ticket.state
      if (ticket.severity !== 'complex' || state !== 'replied' || !ticket.promisedAt || !ticket.repliedAt) {
        throw new DomainError(
          'ILLEGAL_TRANSITION',
          `只有已答复的复杂问题可以延期承诺时间（当前状态：${TICKET_STATE_LABELS[ticket.state]}）`,
          [{ path: 'state', message: ticket.state }],
        )
      }
      const promisedAt = new Date(input.promisedAt)
      const latest = new Date(now.getTime() + PROMISE_EXTENSION_MAX_DAYS * 86_400_000)
      if (promisedAt <= ticket.promisedAt || promisedAt <= now || promisedAt > latest) {
        throw new DomainError(
          'VALIDATION_FAILED',
          `延期后的承诺时间须晚于原承诺时间和现在，且在${PROMISE_EXTENSION_MAX_DAYS}天之内`,
          [{ path: 'promisedAt', message: `须晚于 ${ticket.promisedAt.toISOString()}` }],
        )
      }
      const from = ticket.promisedAt
      ticket.promisedAt = promisedAt
      recomputeDeadlines(ticket)
      await rescheduleTimers(manager, ticket, now)
      await manager.getRepository(Ticket).update(ticket.id, {
        promisedAt,
        resolveBy: ticket.resolveBy,
        nextDueAt: ticket.nextDueAt,
        escalationLevel: ticket.escalationLevel,
        updatedAt: now,
      })
      const event = await recordEvent(manager, {
        ticketId: ticket.id,
        actor,
        type: 'promise_extended',
        public: true,
        data: { from: from.toISOString(), to: promisedAt.toISOString(), reason: input.reason },
        at: now,
      })
      await notifyStaff(manager, ticket, event, 'promise_extended', [ticket.handlerStaffId], {
        promisedAt: promisedAt.toISOString(),
        reason: input.reason,
      })
      await notifyReporters(manager, ticket, event, 'replied', {
        promisedAt: promisedAt.toISOString(),
        extended: true,
      })
    })
    return this.tickets.detail(id, staff, requestId)
  }

  /** 改派: to a person who handles requests at its unit, or to whoever holds a role there (routing's pick). */
  async reassign(
    staff: StaffPrincipal,
    id: string,
    input: ReassignTicketInput,
    requestId: string | null,
  ): Promise<TicketView> {
    await this.supervise(staff, id, async ({ manager, ticket, unit, now, actor }) => {
      move(ticket, 'transfer')
      const target = input.toStaffId
        ? await this.staffService.handlerAt(input.toStaffId, unit.path)
        : await this.pickByRole(manager, ticket, input.toRole!)
      if (target.staffId === ticket.handlerStaffId) {
        throw new DomainError('VALIDATION_FAILED', '已经由此人处理', [
          { path: 'toStaffId', message: '已经由此人处理' },
        ])
      }
      const fromRole = ticket.handlerRole
      ticket.handlerStaffId = target.staffId
      ticket.handlerRole = target.role
      // The deadlines stay (they are the resident's); the timers now tell the new handler.
      await rescheduleTimers(manager, ticket, now)
      await manager.getRepository(Ticket).update(ticket.id, {
        handlerStaffId: target.staffId,
        handlerRole: target.role,
        escalationLevel: ticket.escalationLevel,
        updatedAt: now,
      })
      await manager.getRepository(TicketCoHandler).delete({ ticketId: ticket.id, staffId: target.staffId })
      const event = await recordEvent(manager, {
        ticketId: ticket.id,
        actor,
        type: 'transferred',
        public: true,
        data: { fromRole, toRole: target.role, toName: target.name, reason: input.reason, by: 'supervisor' },
        at: now,
      })
      await notifyStaff(manager, ticket, event, 'assigned', [target.staffId], {
        as: 'handler',
        reason: input.reason,
      })
    })
    return this.tickets.detail(id, staff, requestId)
  }

  /** Open requests of the caller's places that escalated (督办), highest level first, then most overdue. */
  async escalations(staff: StaffPrincipal, query: EscalationQuery): Promise<EscalationPage> {
    const scope = scopeOf(staff.memberships, 'supervise_tickets')
    const compounds = (
      await this.dataSource.query<{ id: string }[]>(
        `SELECT id FROM place WHERE kind = 'compound' AND path && $1::uuid[]`,
        [scope],
      )
    ).map((r) => r.id)
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
    const tickets = await this.tickets.load(rows.map((r) => r.id))
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

  /**
   * Locks the request and checks the caller: outside their places 404 (they learn nothing), in their
   * places without a supervisory role over it 403.
   */
  private async supervise(
    staff: StaffPrincipal,
    id: string,
    action: (context: Supervised) => Promise<void>,
  ): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT id FROM ticket WHERE id = $1 FOR UPDATE', [id])
      const ticket = await manager.getRepository(Ticket).findOneBy({ id })
      if (!ticket) throw notFound()
      const unit = await manager.getRepository(Place).findOneByOrFail({ id: ticket.unitId })
      if (!mayAct(staff.memberships, 'view_tickets', unit.path)) throw notFound()
      const supervising = staff.memberships
        .filter((m) => can(m.role, 'supervise_tickets') && covers(m, unit.path))
        // The nearest level acts: the compound secretary before the community, and so on up.
        .sort((a, b) => b.placePath.length - a.placePath.length)[0]
      if (!supervising) throw new DomainError('FORBIDDEN', '只有小区书记、社区、街道或区可以督办这条诉求')
      await action({
        manager,
        ticket,
        unit,
        now: this.clock.now(),
        actor: { kind: 'staff', id: staff.staffId, role: supervising.role },
      })
    })
  }

  private async pickByRole(
    manager: EntityManager,
    ticket: Ticket,
    role: Role,
  ): Promise<{ staffId: string; role: Role; name: string }> {
    const where = await this.places.unitContext(ticket.unitId, manager)
    return this.routing.replacement(manager, where, role, ticket.handlerStaffId)
  }
}
