import { Injectable } from '@nestjs/common'
import {
  can,
  covers,
  mayAct,
  TICKET_STATE_LABELS,
  transition,
  type TicketAction,
  type TicketState,
} from '@mq/shared'
import { DataSource, type EntityManager } from 'typeorm'
import type { StaffPrincipal } from '../../auth/principal'
import { Clock } from '../../common/clock'
import { DomainError } from '../../common/domain-error'
import type { Place } from '../../places/place.entity'
import { PlacesService } from '../../places/places.service'
import { StaffService } from '../../staff/staff.service'
import { actingRole, manages, mayHandle, notFound } from '../ticket-access'
import type { TicketEvent } from '../ticket-event.entity'
import { recordEvent, supervisorsOf, SYSTEM, type Actor, type EventEntry, type Supervisors } from '../ticket-journal'
import { Ticket } from '../ticket.entity'
import { dayTypeOfTicket, recomputeDeadlines } from './ticket-deadlines'
import { rescheduleTimers } from './timer-plan'

/** The columns a command may change; written back in one UPDATE. */
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
  'deadlineConfig',
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

/** A request locked for this transaction, with its unit (the place its access rules read). */
export interface Locked {
  manager: EntityManager
  ticket: Ticket
  unit: Place
  now: Date
}

/**
 * Who is acting, decided on the locked request: throws 404 (the request does not exist for them) or 403
 * (they see it but may not do this), else names the actor the timeline shows.
 */
export type Authorise = (locked: Locked) => Actor | Promise<Actor>

export interface CommandContext extends Locked {
  actor: Actor
  /** The state the command's action leads to, checked against shared's transition table before it ran. */
  to: TicketState
  /**
   * Writes a request back: its deadlines recomputed from the shared rules (`recompute`: the change may
   * move them; always when its handler's day type changed), its timers rescheduled to match
   * (tickets/lifecycle/timer-plan.ts), then its columns.
   */
  save(ticket?: Ticket, options?: { recompute?: boolean }): Promise<void>
  /** Appends a timeline entry by this command's actor (another request's with `ticketId`). */
  record(entry: EventEntry & { public: boolean; ticketId?: string; actor?: Actor }): Promise<TicketEvent>
  /** A place, read in this transaction (PlacesService). */
  place(id: string): Promise<Place>
  /** Who an escalation to `level` tells over the request's compound (journal's supervisorsOf). */
  supervisors(level: number): Promise<Supervisors | null>
}

export interface RunOptions {
  authorise: Authorise
  /** Checked against the transition table after authorising; its target is `context.to`. */
  action?: TicketAction
  /** Other requests the command changes (a merge's survivor): locked too, in id order. */
  alsoLock?: string[]
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
 * The one way a request changes after filing, whoever changes it: a handler's action, supervision's
 * extension or reassignment, a timer firing. One transaction: lock the request row → authorise the
 * caller → check the transition with shared's table → the command changes the request (`save`
 * recomputes the deadlines and reschedules the timers in the same transaction) and writes its timeline
 * entries and outbox rows. The row lock orders every writer of a request, the timer sweep included.
 */
@Injectable()
export class TicketRunner {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly places: PlacesService,
    private readonly staff: StaffService,
  ) {}

  run<T>(id: string, options: RunOptions, command: (context: CommandContext) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      const ids = [...new Set([id, ...(options.alsoLock ?? [])])].sort()
      await manager.query('SELECT id FROM ticket WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE', [ids])
      return this.execute(manager, id, options, command)
    })
  }

  /**
   * As `run`, for the background: when someone else holds the request right now (another instance, a
   * person acting on it), skip it (null) rather than wait; the next sweep comes back.
   */
  runIfFree<T>(
    id: string,
    options: Omit<RunOptions, 'alsoLock'>,
    command: (context: CommandContext) => Promise<T>,
  ): Promise<T | null> {
    return this.dataSource.transaction(async (manager) => {
      const claimed = await manager.query<unknown[]>('SELECT id FROM ticket WHERE id = $1 FOR UPDATE SKIP LOCKED', [
        id,
      ])
      if (claimed.length === 0) return null
      return this.execute(manager, id, options, command)
    })
  }

  private async execute<T>(
    manager: EntityManager,
    id: string,
    options: RunOptions,
    command: (context: CommandContext) => Promise<T>,
  ): Promise<T> {
    const ticket = await manager.getRepository(Ticket).findOneBy({ id })
    if (!ticket) throw notFound()
    const place = (placeId: string) => this.places.get(placeId, undefined, manager)
    const unit = await place(ticket.unitId)
    const locked: Locked = { manager, ticket, unit, now: this.clock.now() }
    // Whose calendar its windows count on as it was locked: a handover to a role of the other kind
    // (working days ↔ every day) recomputes what is still owed, whoever hands it over.
    const dayTypeBefore = dayTypeOfTicket(ticket)
    const actor = await options.authorise(locked)
    const to = options.action ? move(ticket, options.action) : ticket.state
    return command({
      ...locked,
      actor,
      to,
      save: (target = ticket, { recompute = false } = {}) =>
        this.save(manager, target, recompute || (target === ticket && dayTypeOfTicket(target) !== dayTypeBefore)),
      record: (entry) =>
        recordEvent(manager, {
          ...entry,
          ticketId: entry.ticketId ?? ticket.id,
          actor: entry.actor ?? actor,
          at: locked.now,
        }),
      place,
      supervisors: async (level) => supervisorsOf(this.staff, manager, (await place(ticket.compoundId)).path, level),
    })
  }

  private async save(manager: EntityManager, ticket: Ticket, recompute: boolean): Promise<void> {
    if (recompute) recomputeDeadlines(ticket)
    // The deadline timers follow the deadlines, in this transaction (timer-plan.ts).
    await rescheduleTimers(manager, ticket, this.clock.now())
    const changes = Object.fromEntries(MUTABLE.map((k) => [k, ticket[k]])) as Partial<Ticket>
    await manager.getRepository(Ticket).update(ticket.id, { ...changes, updatedAt: this.clock.now() })
  }
}

export function staffSees(staff: StaffPrincipal, unit: Place): boolean {
  return staff.memberships.some((m) => can(m.role, 'view_tickets') && covers(m, unit.path))
}

/**
 * A staff member acting on a request of their places (outside them: 404). `manage`: its handler or a
 * coordinator of its place (anyone who handles requests there when nobody was routed to it); `handle`:
 * anyone in scope who handles requests. Else 403.
 */
export function asStaff(staff: StaffPrincipal, need: 'manage' | 'handle'): Authorise {
  return ({ ticket, unit }) => {
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
    return { kind: 'staff', id: staff.staffId, role: actingRole(staff.staffId, staff.memberships, ticket, unit.path) }
  }
}

/**
 * The supervisory chain over the request's place (compound secretary, community, street, district): the
 * nearest level acts. Outside the caller's places 404; in them without a supervisory role over it 403.
 */
export function asSupervisor(staff: StaffPrincipal): Authorise {
  return ({ unit }) => {
    if (!mayAct(staff.memberships, 'view_tickets', unit.path)) throw notFound()
    const supervising = staff.memberships
      .filter((m) => can(m.role, 'supervise_tickets') && covers(m, unit.path))
      // The nearest level acts: the compound secretary before the community, and so on up.
      .sort((a, b) => b.placePath.length - a.placePath.length)[0]
    if (!supervising) throw new DomainError('FORBIDDEN', '只有小区书记、社区、街道或区可以督办这条诉求')
    return { kind: 'staff', id: staff.staffId, role: supervising.role }
  }
}

/** The system itself (a timer firing). */
export const asSystem: Authorise = () => ({ ...SYSTEM })
