import {
  can,
  CHASE_COOLDOWN_MINUTES,
  covers,
  mayAct,
  SUPERVISOR_ROLES,
  TICKET_COORDINATOR_ROLES,
  transition,
  type Role,
  type ScopedMembership,
  type TicketAction,
  type TicketCommand,
  type TicketRelation,
} from '@mq/shared'
import type { EntityManager } from 'typeorm'
import type { Principal } from '../auth/principal'
import { DomainError } from '../common/domain-error'
import type { Place } from '../places/place.entity'
import { TicketFollower } from './ticket-relations.entity'
import type { Ticket } from './ticket.entity'
import type { TicketViewer } from './ticket.view'

/**
 * Who may do what to one request, beyond the route's role check (shared/src/policy.ts):
 * - staff whose memberships cover the request's unit see it (outside: 404);
 * - its handler, and the coordinators of its place (网格长, 小区书记: shared TICKET_COORDINATOR_ROLES),
 *   manage it: accept, reply, resolve, reject, transfer, co-handlers, wait/resume, merge. A request
 *   nobody was routed to may be taken by anyone in scope who handles requests;
 * - anyone in scope who handles requests may add an internal note;
 * - its reporter and followers chase; its reporter rates; for a proxy entry the staff member who filed it
 *   does both (the 回访 rating).
 */
export type TicketFacts = Pick<
  Ticket,
  'state' | 'severity' | 'stateBeforeWait' | 'handlerStaffId' | 'proxyStaffId'
>

export function isCoordinator(
  memberships: readonly ScopedMembership[],
  unitPath: readonly string[],
): boolean {
  return memberships.some(
    (m) => (TICKET_COORDINATOR_ROLES as readonly Role[]).includes(m.role) && covers(m, unitPath),
  )
}

export function mayHandle(memberships: readonly ScopedMembership[], unitPath: readonly string[]): boolean {
  return mayAct(memberships, 'handle_tickets', unitPath)
}

export function manages(
  staffId: string,
  memberships: readonly ScopedMembership[],
  ticket: TicketFacts,
  unitPath: readonly string[],
): boolean {
  if (!mayHandle(memberships, unitPath)) return false
  return (
    ticket.handlerStaffId === staffId ||
    ticket.handlerStaffId === null ||
    isCoordinator(memberships, unitPath)
  )
}

/**
 * Who may replace the public summary (公示内容) of a request: whoever manages it (its handler, a
 * coordinator of its place), or a supervisor over its place. The edit route checks this, and the view
 * offers the `public_summary` command by it, so the app shows 编辑 only to those the server accepts.
 */
export function editsPublicSummary(
  staffId: string,
  memberships: readonly ScopedMembership[],
  ticket: TicketFacts,
  unitPath: readonly string[],
): boolean {
  return mayAct(memberships, 'supervise_tickets', unitPath) || manages(staffId, memberships, ticket, unitPath)
}

/** The role a staff member acts in on this request (shown on the timeline beside their name). */
export function actingRole(
  staffId: string,
  memberships: readonly ScopedMembership[],
  ticket: Pick<Ticket, 'handlerStaffId' | 'handlerRole'>,
  unitPath: readonly string[],
): Role | null {
  if (ticket.handlerStaffId === staffId && ticket.handlerRole) return ticket.handlerRole
  const inScope = memberships.filter((m) => covers(m, unitPath))
  const coordinator = inScope.find((m) => (TICKET_COORDINATOR_ROLES as readonly Role[]).includes(m.role))
  return (coordinator ?? inScope.find((m) => can(m.role, 'handle_tickets')) ?? inScope[0])?.role ?? null
}

export function staffRelation(
  staffId: string,
  memberships: readonly ScopedMembership[],
  ticket: TicketFacts,
  unitPath: readonly string[],
  coHandlerIds: readonly string[],
): TicketRelation {
  if (ticket.handlerStaffId === staffId) return 'handler'
  if (coHandlerIds.includes(staffId)) return 'co_handler'
  if (isCoordinator(memberships, unitPath)) return 'coordinator'
  if (ticket.proxyStaffId === staffId) return 'proxy_filer'
  if (
    memberships.some((m) => (SUPERVISOR_ROLES as readonly Role[]).includes(m.role) && covers(m, unitPath))
  ) {
    return 'supervisor'
  }
  return 'staff'
}

const legal = (ticket: TicketFacts, action: TicketAction) =>
  transition(action, {
    state: ticket.state,
    severity: ticket.severity,
    stateBeforeWait: ticket.stateBeforeWait,
  }).ok

const MANAGE: readonly [TicketCommand, TicketAction][] = [
  ['accept', 'accept'],
  ['reply', 'reply'],
  ['resolve', 'resolve'],
  ['reject', 'reject'],
  ['transfer', 'transfer'],
  ['co_handlers', 'transfer'],
  ['wait', 'wait'],
  ['resume', 'resume'],
  ['merge', 'merge'],
  ['message', 'message'],
]

export function staffCommands(
  staffId: string,
  memberships: readonly ScopedMembership[],
  ticket: TicketFacts,
  unitPath: readonly string[],
): TicketCommand[] {
  const commands: TicketCommand[] = []
  if (manages(staffId, memberships, ticket, unitPath)) {
    for (const [command, action] of MANAGE) if (legal(ticket, action)) commands.push(command)
  }
  if (mayHandle(memberships, unitPath) && legal(ticket, 'note')) commands.push('note')
  if (ticket.proxyStaffId === staffId) {
    if (legal(ticket, 'chase')) commands.push('chase')
    if (legal(ticket, 'close')) commands.push('rate')
    if (legal(ticket, 'withdraw')) commands.push('withdraw')
    if (!commands.includes('message') && legal(ticket, 'message')) commands.push('message')
  }
  if (editsPublicSummary(staffId, memberships, ticket, unitPath)) commands.push('public_summary')
  return commands
}

export function residentCommands(relation: 'reporter' | 'follower', ticket: TicketFacts): TicketCommand[] {
  const commands: TicketCommand[] = []
  if (legal(ticket, 'chase')) commands.push('chase')
  if (relation === 'reporter' && legal(ticket, 'close')) commands.push('rate')
  // The thread and 撤回 are the reporter's: a follower neither reads nor writes it.
  if (relation === 'reporter' && legal(ticket, 'message')) commands.push('message')
  if (relation === 'reporter' && legal(ticket, 'withdraw')) commands.push('withdraw')
  return commands
}

/** The answer to anyone who may not see a request: it does not exist for them. */
export function notFound(): DomainError {
  return new DomainError('TICKET_NOT_FOUND', '找不到这个诉求')
}

/** Who may see a request and as what; null: it does not exist for them. */
export interface TicketAccess {
  viewer: TicketViewer
  relation: TicketRelation
}

/** Whether the caller may see this request, and as what (null: it does not exist for them). */
export async function accessFor(
  manager: EntityManager,
  ticket: Pick<
    Ticket,
    | 'id'
    | 'reporterResidentId'
    | 'state'
    | 'severity'
    | 'stateBeforeWait'
    | 'handlerStaffId'
    | 'proxyStaffId'
  > & {
    unit: Place
  },
  principal: Principal,
  coHandlerIds: string[],
): Promise<TicketAccess | null> {
  if (principal.kind === 'staff') {
    if (!mayAct(principal.memberships, 'view_tickets', ticket.unit.path)) return null
    return {
      viewer: { kind: 'staff', staffId: principal.staffId, memberships: principal.memberships },
      relation: staffRelation(
        principal.staffId,
        principal.memberships,
        ticket,
        ticket.unit.path,
        coHandlerIds,
      ),
    }
  }
  const viewer: TicketViewer = { kind: 'resident', residentId: principal.residentId }
  if (ticket.reporterResidentId === principal.residentId) return { viewer, relation: 'reporter' }
  const follows = await manager
    .getRepository(TicketFollower)
    .existsBy({ ticketId: ticket.id, residentId: principal.residentId })
  return follows ? { viewer, relation: 'follower' } : null
}

/** When this caller may chase again, or null if they may now. */
export async function nextChaseAt(
  manager: EntityManager,
  ticketId: string,
  principal: Principal,
  now: Date,
): Promise<Date | null> {
  const actor = principal.kind === 'staff' ? principal.staffId : principal.residentId
  const rows = await manager.query<{ at: Date | null }[]>(
    `SELECT max(at) AS at FROM ticket_event
      WHERE ticket_id = $1 AND type = 'chased' AND actor_kind = $2 AND actor_id = $3`,
    [ticketId, principal.kind, actor],
  )
  const last = rows[0]?.at
  if (!last) return null
  const next = new Date(last.getTime() + CHASE_COOLDOWN_MINUTES * 60_000)
  return next > now ? next : null
}

