import {
  latestPromiseDate,
  resolveConfig,
  type AcceptTicketInput,
  type CategoryCode,
  type TicketEventPayloads,
  type NoteTicketInput,
  type RejectTicketInput,
  type ReplyTicketInput,
  type ResolveTicketInput,
  type ResumeTicketInput,
  type WaitTicketInput,
} from '@mq/shared'
import type { EntityManager } from 'typeorm'
import { DomainError } from '../../common/domain-error'
import type { PhotosService } from '../../photos/photos.service'
import type { CommandContext } from '../lifecycle/ticket-runner'
import { assertPromiseKeepable, deadlineConfigOf, storedPause } from '../lifecycle/ticket-deadlines'
import { notifyReporter, notifyReporters } from '../ticket-journal'

/**
 * The handler's steps through a request (run by TicketRunner with the `manage` check, `note` with
 * `handle`): each changes the locked request, saves it and writes its timeline entry and messages.
 */

/** What staff changing a request's category teaches the category suggestion of its compound (suggest/). */
export interface CategoryLessons {
  learn(manager: EntityManager, compoundId: string, description: string, to: CategoryCode): Promise<void>
}

export async function accept(ctx: CommandContext, input: AcceptTicketInput, lessons?: CategoryLessons): Promise<void> {
  const { manager, ticket, now, actor } = ctx
  ticket.state = ctx.to
  const changed: TicketEventPayloads['accepted'] = {}
  if (input.category && input.category !== ticket.category) {
    changed.category = { from: ticket.category, to: input.category }
    ticket.category = input.category
  }
  if (input.severity && input.severity !== ticket.severity) {
    changed.severity = { from: ticket.severity, to: input.severity }
    ticket.severity = input.severity
  }
  ticket.acceptedAt = now
  if (!ticket.handlerStaffId && actor.id) {
    // Nobody was routed to it: whoever accepts it handles it.
    ticket.handlerStaffId = actor.id
    ticket.handlerRole = actor.role
  }
  await ctx.save(ticket, { recompute: true })
  if (changed.category) await lessons?.learn(manager, ticket.compoundId, ticket.description, changed.category.to)
  const event = await ctx.record({ type: 'accepted', public: true, data: changed })
  await notifyReporters(manager, ticket, event, 'accepted', {
    nextDueAt: ticket.nextDueAt?.toISOString() ?? null,
  })
}

export async function reply(ctx: CommandContext, input: ReplyTicketInput): Promise<void> {
  const { manager, ticket, now } = ctx
  ticket.state = ctx.to
  const promisedAt = new Date(input.promisedAt)
  const config = deadlineConfigOf(ticket)
  const latest = latestPromiseDate(now, config)
  if (promisedAt <= now || promisedAt > latest) {
    const days = resolveConfig(config).maxPromiseDays
    throw new DomainError('VALIDATION_FAILED', `承诺办结时间须在现在之后、${days}天之内`, [
      { path: 'promisedAt', message: `须在 ${latest.toISOString()} 之前` },
    ])
  }
  assertPromiseKeepable(ticket, promisedAt)
  ticket.repliedAt = now
  ticket.replyPlan = input.plan
  // A staff edit of the public summary stood for the previous plan, not this one.
  ticket.publicCommitment = null
  ticket.promisedAt = promisedAt
  await ctx.save(ticket, { recompute: true })
  const event = await ctx.record({
    type: 'replied',
    public: true,
    data: { plan: input.plan, promisedAt: promisedAt.toISOString() },
  })
  await notifyReporters(manager, ticket, event, 'replied', { promisedAt: promisedAt.toISOString() })
}

/** Whether resolving a request of the category in the compound needs an after photo (templates/). */
export interface AfterPhotoRule {
  required(compoundId: string, category: CategoryCode, manager: EntityManager): Promise<boolean>
}

export async function resolve(
  ctx: CommandContext,
  input: ResolveTicketInput,
  photos: PhotosService,
  afterPhoto: AfterPhotoRule,
): Promise<void> {
  const { manager, ticket, now, actor } = ctx
  // The resident sent "before" photos of a kind that is fixed in sight: the resolution shows the "after".
  if (input.photoIds.length === 0 && (await afterPhoto.required(ticket.compoundId, ticket.category, manager))) {
    const before = (await photos.forTickets([ticket.id])).filter((p) => p.kind === 'report').length
    if (before > 0) {
      throw new DomainError('VALIDATION_FAILED', `居民反映时附了${before}张照片，这类问题办结时请附上处理后的照片`, [
        { path: 'photoIds', message: '请附上处理后的照片' },
      ])
    }
  }
  ticket.state = ctx.to
  ticket.resolvedAt = now
  ticket.resolutionNote = input.note
  ticket.publicResolution = null
  await ctx.save(ticket, { recompute: true })
  await photos.attach(manager, {
    photoIds: input.photoIds,
    uploader: { kind: 'staff', id: actor.id! },
    ticketId: ticket.id,
    kind: 'resolution',
  })
  const event = await ctx.record({
    type: 'resolved',
    public: true,
    data: { note: input.note, photos: input.photoIds.length },
  })
  await notifyReporters(manager, ticket, event, 'resolved')
}

export async function reject(ctx: CommandContext, input: RejectTicketInput): Promise<void> {
  const { manager, ticket, now } = ctx
  ticket.state = ctx.to
  ticket.rejectionReason = input.reason
  ticket.closedAt = now
  await ctx.save(ticket, { recompute: true })
  const event = await ctx.record({ type: 'rejected', public: true, data: { reason: input.reason } })
  await notifyReporters(manager, ticket, event, 'rejected', { reason: input.reason })
}

/** 待居民补充: the clock stops until the request resumes. */
export async function wait(ctx: CommandContext, input: WaitTicketInput): Promise<void> {
  const { manager, ticket, now } = ctx
  ticket.stateBeforeWait = ticket.state
  ticket.state = ctx.to
  ticket.pauses = [...ticket.pauses, storedPause(now)]
  await ctx.save(ticket, { recompute: true })
  const event = await ctx.record({ type: 'waiting', public: true, data: { question: input.question } })
  // The clock stands still until the reporter answers, so they must hear the question.
  await notifyReporter(manager, ticket, event, 'asked', { question: input.question })
}

/** Back to the state before waiting; the deadlines move later by the time spent waiting. */
export async function resume(ctx: CommandContext, input: ResumeTicketInput): Promise<void> {
  const { ticket, now } = ctx
  ticket.state = ctx.to
  ticket.stateBeforeWait = null
  const open = ticket.pauses.at(-1)
  const pausedMinutes = open ? Math.round((now.getTime() - new Date(open.start).getTime()) / 60_000) : 0
  ticket.pauses = ticket.pauses.map((p) => (p.end === null ? { ...p, end: now.toISOString() } : p))
  await ctx.save(ticket, { recompute: true })
  await ctx.record({ type: 'resumed', public: true, data: { note: input.note ?? null, pausedMinutes } })
}

/** Internal: anyone in scope who handles requests. */
export async function note(ctx: CommandContext, input: NoteTicketInput): Promise<void> {
  await ctx.record({ type: 'noted', public: false, data: { text: input.text } })
}
