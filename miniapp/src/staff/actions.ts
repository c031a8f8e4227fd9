/**
 * Which handling buttons a staff member sees on a request. A button shows only when three things agree:
 * - the shared transition table (`legalActions()`): the action is legal in the request's state and severity;
 * - the shared policy (`can()`): one of the caller's roles may take that kind of action at all;
 * - the server's `viewer.commands`: the caller's relation to this request (handler, coordinator, the
 *   staff member who filed a proxy entry…) lets them, which only the server knows.
 * No state is listed here: a change to the table in shared/ changes the buttons.
 */
import {
  can,
  legalActions,
  type Action,
  type TicketAction,
  type TicketCommand,
  type TicketState,
  type TicketView,
} from '@mq/shared'
import type { StaffMe } from '@/api/auth'

export type ButtonTone = 'primary' | 'plain' | 'danger'

export interface StaffButton {
  command: TicketCommand
  label: string
  /** The transition in the shared table that decides whether the command is legal now. */
  action: TicketAction
  /** The permission of shared/src/policy.ts the command needs. */
  needs: Action
  tone: ButtonTone
}

/** In the order they appear: the step that moves the request forward first, the rarer ones after. */
export const STAFF_BUTTONS: readonly StaffButton[] = [
  { command: 'accept', label: '受理', action: 'accept', needs: 'handle_tickets', tone: 'primary' },
  { command: 'reply', label: '答复承诺', action: 'reply', needs: 'handle_tickets', tone: 'primary' },
  { command: 'resolve', label: '办结', action: 'resolve', needs: 'handle_tickets', tone: 'primary' },
  { command: 'resume', label: '继续办理', action: 'resume', needs: 'handle_tickets', tone: 'primary' },
  { command: 'wait', label: '请居民补充', action: 'wait', needs: 'handle_tickets', tone: 'plain' },
  { command: 'transfer', label: '转办', action: 'transfer', needs: 'handle_tickets', tone: 'plain' },
  // Co-handlers change who works on it, like a transfer: the server checks them against `transfer`.
  { command: 'co_handlers', label: '联办人', action: 'transfer', needs: 'handle_tickets', tone: 'plain' },
  { command: 'merge', label: '合并重复', action: 'merge', needs: 'handle_tickets', tone: 'plain' },
  { command: 'note', label: '内部备注', action: 'note', needs: 'handle_tickets', tone: 'plain' },
  { command: 'chase', label: '代居民催单', action: 'chase', needs: 'view_tickets', tone: 'plain' },
  // 回访: the staff member who filed a proxy entry records the resident's rating; a rating closes it.
  { command: 'rate', label: '回访评价', action: 'close', needs: 'view_tickets', tone: 'primary' },
  { command: 'reject', label: '不予受理', action: 'reject', needs: 'handle_tickets', tone: 'danger' },
]

/**
 * The state a waiting request resumes to. The view does not carry it, but waiting starts only from
 * accepted or replied, and a request is replied exactly when it holds this round's public commitment.
 */
export function stateBeforeWait(ticket: Pick<TicketView, 'state' | 'promise'>): TicketState | null {
  if (ticket.state !== 'waiting_resident') return null
  return ticket.promise ? 'replied' : 'accepted'
}

export function legalFor(ticket: Pick<TicketView, 'state' | 'severity' | 'promise'>): TicketAction[] {
  return legalActions({ state: ticket.state, severity: ticket.severity, stateBeforeWait: stateBeforeWait(ticket) })
}

export function mayDo(me: Pick<StaffMe, 'memberships'>, action: Action): boolean {
  return me.memberships.some((m) => can(m.role, action))
}

/** The buttons to show for this request to this staff member. */
export function availableButtons(
  ticket: Pick<TicketView, 'state' | 'severity' | 'promise' | 'viewer'>,
  me: Pick<StaffMe, 'memberships'>,
): StaffButton[] {
  const legal = new Set(legalFor(ticket))
  const offered = new Set(ticket.viewer.commands)
  return STAFF_BUTTONS.filter(
    (b) =>
      legal.has(b.action) &&
      mayDo(me, b.needs) &&
      offered.has(b.command) &&
      // A proxy entry's filer may chase it for the resident, but not when it is on their own desk.
      !(b.command === 'chase' && ticket.viewer.relation === 'handler'),
  )
}
