import {
  calendarFor,
  CHASE_COOLDOWN_MINUTES,
  ESCALATION_CHAIN,
  escalationRole,
  monthDayTime,
  OPEN_STATES,
  overdueLevel,
  REOPEN_MAX_STARS,
  stateRefusal,
  type RateTicketInput,
  type Role,
  type TicketRelation,
} from '@mq/shared'
import type { EntityManager } from 'typeorm'
import type { Principal, ResidentPrincipal } from '../../auth/principal'
import { DomainError } from '../../common/domain-error'
import type { Place } from '../../places/place.entity'
import { dayTypeOfTicket, deadlineConfigOf } from '../lifecycle/ticket-deadlines'
import { staffSees, type Authorise, type CommandContext } from '../lifecycle/ticket-runner'
import { actingRole, notFound } from '../ticket-access'
import { notifyStaff, SYSTEM } from '../ticket-journal'
import { TicketRating } from '../ticket-relations.entity'
import type { Ticket } from '../ticket.entity'

/** What the people who asked do: chase (催单), rate (评价), follow (我也遇到了). */

/** Whether a resident reported or follows a request (the read side's access check). */
export type ResidentAccess = (
  ticket: Ticket & { unit: Place },
  principal: ResidentPrincipal,
  manager: EntityManager,
) => Promise<TicketRelation | null>

/**
 * The caller as the request's contact: the reporter (and, for chasing, a follower), or the staff member
 * who filed a proxy entry. Strangers get 404; staff in scope who are not the contact, 403.
 */
export function asContact(principal: Principal, what: 'chase' | 'rate', access: ResidentAccess): Authorise {
  return async ({ manager, ticket, unit }) => {
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
    const relation = await access({ ...ticket, unit }, principal, manager)
    if (!relation) throw notFound()
    if (what === 'rate' && relation !== 'reporter') throw new DomainError('FORBIDDEN', '只有报告人可以评价')
    return { kind: 'resident', id: principal.residentId, role: null }
  }
}

/**
 * 催单: at most once every 2 hours per person (earlier → 429 with the time of the next allowed chase,
 * `nextChaseAt`). The handler is told; on an overdue request the chase escalates one level at once, above
 * the level its lateness has reached (counted on the handler's calendar, as the overdue steps are).
 */
export async function chase(ctx: CommandContext, nextChaseAt: Date | null): Promise<void> {
  const { manager, ticket, now } = ctx
  if (nextChaseAt) {
    const seconds = Math.max(1, Math.ceil((nextChaseAt.getTime() - now.getTime()) / 1000))
    throw new DomainError(
      'RATE_LIMITED',
      `每${CHASE_COOLDOWN_MINUTES / 60}小时只能催一次，请在 ${monthDayTime(nextChaseAt)} 后再催`,
      [{ path: 'nextChaseAt', message: nextChaseAt.toISOString() }],
      { 'retry-after': String(seconds) },
    )
  }
  ticket.chaseCount += 1
  ticket.lastChasedAt = now
  const overdue = ticket.nextDueAt !== null && ticket.nextDueAt < now
  let escalation: { level: number; role: Role } | null = null
  if (overdue) {
    const level = Math.min(
      // Late by the request's rules: a working-time role's lateness counts working days only, an urgent
      // request's hours.
      Math.max(
        ticket.escalationLevel,
        overdueLevel(
          ticket.nextDueAt!,
          now,
          calendarFor(deadlineConfigOf(ticket), dayTypeOfTicket(ticket)),
          deadlineConfigOf(ticket),
        ),
      ) + 1,
      ESCALATION_CHAIN.length,
    )
    if (level > ticket.escalationLevel) {
      ticket.escalationLevel = level
      escalation = { level, role: escalationRole(level)! }
    }
  }
  await ctx.save(ticket)
  const event = await ctx.record({ type: 'chased', public: true, data: { count: ticket.chaseCount, overdue } })
  await notifyStaff(manager, ticket, event, 'chased', [ticket.handlerStaffId], {
    chaseCount: ticket.chaseCount,
    overdue,
  })
  if (!escalation) return
  const escalated = await ctx.record({
    actor: SYSTEM,
    type: 'escalated',
    public: false,
    data: { level: escalation.level, role: escalation.role, cause: 'chase' },
  })
  const supervisors = await ctx.supervisors(escalation.level)
  if (supervisors) {
    await notifyStaff(manager, ticket, escalated, 'escalated', supervisors.staffIds, {
      level: escalation.level,
      role: supervisors.role,
    })
  }
}

/** The action a rating takes: 3–5 stars close the request (销号), 1–2 reopen it. */
export function ratingAction(input: RateTicketInput): 'reopen' | 'close' {
  return input.stars <= REOPEN_MAX_STARS ? 'reopen' : 'close'
}

/**
 * 评价 after resolution: the reporter, or for a proxy entry the staff member who phoned the resident
 * (回访). Closing ends it; reopening sends it back to its handler and tells the supervisor.
 */
export async function rate(ctx: CommandContext, input: RateTicketInput, principal: Principal): Promise<void> {
  const { manager, ticket, now } = ctx
  const reopen = ratingAction(input) === 'reopen'
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
  ticket.state = ctx.to
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
  await ctx.save(ticket, { recompute: true })
  await ctx.record({ type: 'rated', public: true, data: { stars: input.stars, tags: input.tags, via } })
  if (!reopen) {
    await ctx.record({ type: 'closed', public: true, data: { stars: input.stars } })
    return
  }
  const reopened = await ctx.record({ type: 'reopened', public: true, data: { stars: input.stars } })
  await notifyStaff(manager, ticket, reopened, 'reopened', [ticket.handlerStaffId], {
    stars: input.stars,
    as: 'handler',
  })
  const supervisors = await ctx.supervisors(1)
  if (supervisors) {
    await notifyStaff(manager, ticket, reopened, 'reopened', supervisors.staffIds, {
      stars: input.stars,
      as: 'supervisor',
      role: supervisors.role,
    })
  }
}

/**
 * A resident who scanned the stairwell code of the request's building (`buildingId`): any other
 * building's request is "no such request", as for any request out of reach.
 */
export function asScanner(resident: ResidentPrincipal, buildingId: string): Authorise {
  return ({ ticket }) => {
    if (ticket.buildingId !== buildingId) throw notFound()
    return { kind: 'resident', id: resident.residentId, role: null }
  }
}

/** "我也遇到了" (+1): follows an open request; its reporter following their own request is no change. */
export async function follow(ctx: CommandContext, resident: ResidentPrincipal): Promise<void> {
  const { manager, ticket, now } = ctx
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
  await ctx.save(ticket)
  await ctx.record({ type: 'followed', public: false, data: { followers: ticket.followerCount } })
}
