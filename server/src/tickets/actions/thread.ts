import {
  isOpen,
  stateRefusal,
  TRANSITIONS,
  type MessageInput,
  type MessageKind,
  type WithdrawTicketInput,
} from '@mq/shared'
import type { Principal } from '../../auth/principal'
import { DomainError } from '../../common/domain-error'
import type { PhotosService } from '../../photos/photos.service'
import type { VoiceService } from '../../voice/voice.service'
import { move, staffSees, type Authorise, type CommandContext } from '../lifecycle/ticket-runner'
import { actingRole, notFound } from '../ticket-access'
import { notifyReporter, notifyStaff } from '../ticket-journal'
import { resume } from './handling'

/**
 * The thread between a request's reporter and its handlers, and 撤回. Messages are timeline entries of
 * type `message`, never public: staff and the reporter read them, followers do not.
 */

/** What a message may carry besides its text, uploaded first and attached with it. */
export interface Attachments {
  photos: PhotosService
  voice: VoiceService
}

/**
 * The reporter's side of the thread: the resident who filed it, or for a proxy entry the staff member
 * who filed it (they speak for the resident). Any other resident, and staff outside the place: 404; staff
 * in the place who did not file it: 403.
 */
export function asReporter(principal: Principal): Authorise {
  return ({ ticket, unit }) => {
    if (principal.kind === 'resident') {
      if (ticket.reporterResidentId !== principal.residentId) throw notFound()
      return { kind: 'resident', id: principal.residentId, role: null }
    }
    if (!staffSees(principal, unit)) throw notFound()
    if (ticket.proxyStaffId !== principal.staffId) {
      throw new DomainError('FORBIDDEN', '只有报告人（代录的诉求由代录人）可以补充或撤回')
    }
    return {
      kind: 'staff',
      id: principal.staffId,
      role: actingRole(principal.staffId, principal.memberships, ticket, unit.path),
    }
  }
}

async function post(
  ctx: CommandContext,
  kind: MessageKind,
  input: MessageInput,
  attachments: Attachments,
): Promise<Awaited<ReturnType<CommandContext['record']>>> {
  const { actor, manager, ticket } = ctx
  const uploader = { kind: actor.kind === 'resident' ? ('resident' as const) : ('staff' as const), id: actor.id! }
  await attachments.photos.attach(manager, {
    photoIds: input.photoIds,
    uploader,
    ticketId: ticket.id,
    // The same audience as the problem's photos: staff and the reporter, never followers.
    kind: 'report',
  })
  // A voice is personal data: the view shows it playable only to the reporter's side and full-data roles.
  const voice = input.voiceNoteId
    ? await attachments.voice.attach(manager, { voiceNoteId: input.voiceNoteId, uploader, ticketId: ticket.id })
    : undefined
  return ctx.record({
    type: 'message',
    public: false,
    data: { kind, text: input.text, photoIds: input.photoIds, ...(voice ? { voice } : {}) },
  })
}

/**
 * The reporter writes. While the handler waits for them (等您补充) it is the answer: the request resumes
 * at once through the same step as the handler's 继续办理, so the deadlines move later by the pause.
 * On any other open request it is an addition. Either way the handler is told.
 */
export async function reporterMessage(
  ctx: CommandContext,
  input: MessageInput,
  attachments: Attachments,
): Promise<void> {
  const { manager, ticket } = ctx
  const answering = ticket.state === 'waiting_resident'
  const to = move(ticket, answering ? 'resume' : 'message')
  const event = await post(ctx, answering ? 'answer' : 'addition', input, attachments)
  if (answering) await resume({ ...ctx, to }, {})
  else await ctx.save(ticket)
  await notifyStaff(manager, ticket, event, answering ? 'resident_answered' : 'resident_added', [
    ticket.handlerStaffId,
  ])
}

/** A handler's message to the reporter (public to them; internal notes stay `note`). */
export async function staffMessage(
  ctx: CommandContext,
  input: MessageInput,
  attachments: Attachments,
): Promise<void> {
  const event = await post(ctx, 'staff', input, attachments)
  await ctx.save(ctx.ticket)
  await notifyReporter(ctx.manager, ctx.ticket, event, 'messaged', { text: input.text })
}

/**
 * 撤回 before acceptance: the request ends, its deadlines and timers with it; the handler is told. Once
 * accepted, 409 says so and what the resident can do instead.
 */
export async function withdraw(ctx: CommandContext, input: WithdrawTicketInput): Promise<void> {
  const { manager, ticket, now } = ctx
  if (!TRANSITIONS.withdraw.from.includes(ticket.state)) {
    throw new DomainError(
      'ILLEGAL_TRANSITION',
      stateRefusal(
        '这条诉求',
        ticket.state,
        isOpen(ticket.state) ? '不能撤回了；如不再需要办理，可以补充说明告诉工作人员' : '不能撤回',
      ),
      [{ path: 'state', message: ticket.state }],
    )
  }
  ticket.state = move(ticket, 'withdraw')
  ticket.closedAt = now
  await ctx.save(ticket, { recompute: true })
  // The reason is the reporter's own words: for staff and the reporter only (REPORTER_EVENT_TYPES).
  const event = await ctx.record({ type: 'withdrawn', public: false, data: { reason: input.reason ?? null } })
  await notifyStaff(manager, ticket, event, 'withdrawn', [ticket.handlerStaffId])
}
