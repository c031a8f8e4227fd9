import { Injectable, Logger } from '@nestjs/common'
import { TICKET_STATE_LABELS, type TicketState } from '@mq/shared'
import type {
  AcceptTicketInput,
  BatchItemResult,
  BatchResult,
  ErrorCode,
  FollowTicketInput,
  MergeTicketInput,
  MessageInput,
  NoteTicketInput,
  PublicSummaryInput,
  RateTicketInput,
  RejectTicketInput,
  ReplyTicketInput,
  ResolveTicketInput,
  ResumeTicketInput,
  TicketView,
  TransferTicketInput,
  WaitTicketInput,
  WithdrawTicketInput,
} from '@mq/shared'
import type { Principal, ResidentPrincipal, StaffPrincipal } from '../auth/principal'
import { DomainError } from '../common/domain-error'
import { PhotosService } from '../photos/photos.service'
import { PlacesService } from '../places/places.service'
import { RoutingService } from '../routing/routing.service'
import { StaffService } from '../staff/staff.service'
import { SuggestService } from '../suggest/suggest.service'
import { AfterPhotoService } from '../templates/after-photo.service'
import { VoiceService } from '../voice/voice.service'
import { addCoHandler, removeCoHandler, transfer, type AssignmentDeps } from './actions/assignment'
import { asContact, asScanner, chase, follow, rate, ratingAction, type ResidentAccess } from './actions/contact'
import { accept, note, reject, reply, resolve, resume, wait } from './actions/handling'
import { merge } from './actions/merge'
import { asSummaryEditor, editPublicSummary } from './actions/public-summary'
import { asReporter, reporterMessage, staffMessage, withdraw } from './actions/thread'
import { asStaff, asSupervisor, TicketRunner } from './lifecycle/ticket-runner'
import { notFound } from './ticket-access'
import { TicketsService } from './tickets.service'

/** A QR token that places no resident in any building: unknown, replaced, or of a retired unit. */
const UNUSABLE_QR: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'QR_NOT_FOUND',
  'QR_REPLACED',
  'PLACE_NOT_FOUND',
])

const BATCH_VERBS = { accept: '受理', transfer: '转办', note: '备注' } as const

/**
 * What a batch's report says of one refused request. A state that forbids the action is said as the state
 * it is in now (「已被受理」: someone was quicker); the rest as the single action says it.
 */
function batchMessage(error: DomainError, action: keyof typeof BATCH_VERBS): string {
  const state = error.details?.find((d) => d.path === 'state')?.message
  if (error.code !== 'ILLEGAL_TRANSITION' || !state || !(state in TICKET_STATE_LABELS)) return error.message
  const now = state as TicketState
  if (action === 'accept' && now === 'accepted') return '已被受理'
  return `当前状态为「${TICKET_STATE_LABELS[now]}」，不能${BATCH_VERBS[action]}`
}

/**
 * Everything that happens to a request after filing, each action one command of TicketRunner (lock,
 * authorise, transition, change, deadlines and timers, journal and outbox, in one transaction; the
 * commands are in actions/). Answers with the request as the caller sees it.
 */
@Injectable()
export class TicketWorkflowService {
  private readonly logger = new Logger(TicketWorkflowService.name)
  private readonly assignment: AssignmentDeps
  private readonly residentAccess: ResidentAccess

  constructor(
    private readonly runner: TicketRunner,
    private readonly tickets: TicketsService,
    private readonly places: PlacesService,
    routing: RoutingService,
    private readonly photos: PhotosService,
    private readonly staffService: StaffService,
    private readonly voice: VoiceService,
    private readonly afterPhoto: AfterPhotoService,
    private readonly suggest: SuggestService,
  ) {
    this.assignment = { staff: staffService, places, routing }
    this.residentAccess = async (ticket, principal, manager) =>
      (await tickets.accessFor(ticket, principal, [], manager))?.relation ?? null
  }

  async accept(
    staff: StaffPrincipal,
    id: string,
    input: AcceptTicketInput,
    requestId: string | null,
  ): Promise<TicketView> {
    await this.acceptCommand(staff, id, input)
    return this.tickets.detail(id, staff, requestId)
  }

  reply(staff: StaffPrincipal, id: string, input: ReplyTicketInput, requestId: string | null): Promise<TicketView> {
    return this.manage(staff, id, 'reply', requestId, (ctx) => reply(ctx, input))
  }

  resolve(
    staff: StaffPrincipal,
    id: string,
    input: ResolveTicketInput,
    requestId: string | null,
  ): Promise<TicketView> {
    return this.manage(staff, id, 'resolve', requestId, (ctx) => resolve(ctx, input, this.photos, this.afterPhoto))
  }

  reject(staff: StaffPrincipal, id: string, input: RejectTicketInput, requestId: string | null): Promise<TicketView> {
    return this.manage(staff, id, 'reject', requestId, (ctx) => reject(ctx, input))
  }

  /**
   * To a person who handles requests at this place, or to whoever holds a role here (routing's pick). A
   * supervisor's 改派 is this same command, authorised as supervision (`by: 'supervisor'`).
   */
  async transfer(
    staff: StaffPrincipal,
    id: string,
    input: TransferTicketInput,
    requestId: string | null,
    by: 'handler' | 'supervisor' = 'handler',
  ): Promise<TicketView> {
    await this.transferCommand(staff, id, input, by)
    return this.tickets.detail(id, staff, requestId)
  }

  addCoHandler(staff: StaffPrincipal, id: string, coHandlerId: string, requestId: string | null): Promise<TicketView> {
    return this.manage(staff, id, 'transfer', requestId, (ctx) => addCoHandler(ctx, coHandlerId, this.staffService))
  }

  removeCoHandler(
    staff: StaffPrincipal,
    id: string,
    coHandlerId: string,
    requestId: string | null,
  ): Promise<TicketView> {
    return this.manage(staff, id, 'transfer', requestId, (ctx) => removeCoHandler(ctx, coHandlerId))
  }

  wait(staff: StaffPrincipal, id: string, input: WaitTicketInput, requestId: string | null): Promise<TicketView> {
    return this.manage(staff, id, 'wait', requestId, (ctx) => wait(ctx, input))
  }

  resume(staff: StaffPrincipal, id: string, input: ResumeTicketInput, requestId: string | null): Promise<TicketView> {
    return this.manage(staff, id, 'resume', requestId, (ctx) => resume(ctx, input))
  }

  /** Merges a duplicate into `intoId` (an open request of the same compound). */
  async merge(staff: StaffPrincipal, id: string, input: MergeTicketInput, requestId: string | null): Promise<TicketView> {
    if (input.intoId === id) {
      throw new DomainError('VALIDATION_FAILED', '不能合并到自己', [{ path: 'intoId', message: '不能合并到自己' }])
    }
    await this.runner.run(
      id,
      { authorise: asStaff(staff, 'manage'), action: 'merge', alsoLock: [input.intoId] },
      (ctx) => merge(ctx, input, staff),
    )
    return this.tickets.detail(id, staff, requestId)
  }

  /** Internal: anyone in scope who handles requests. */
  async note(staff: StaffPrincipal, id: string, input: NoteTicketInput, requestId: string | null): Promise<TicketView> {
    await this.noteCommand(staff, id, input)
    return this.tickets.detail(id, staff, requestId)
  }

  /**
   * Several requests at once (accept, transfer, note): each id is the single action, one after the other,
   * each in its own transaction through the runner (its checks, transition, timeline entry and messages),
   * so one refusal never undoes the others. The answer says per id done or the error the single action
   * would have answered; a request the caller may not know of is the same TICKET_NOT_FOUND.
   */
  async batch(
    staff: StaffPrincipal,
    batch:
      | { action: 'accept'; ids: string[]; input: AcceptTicketInput }
      | { action: 'transfer'; ids: string[]; input: TransferTicketInput }
      | { action: 'note'; ids: string[]; input: NoteTicketInput },
  ): Promise<BatchResult> {
    const run = (id: string): Promise<void> => {
      switch (batch.action) {
        case 'accept':
          return this.acceptCommand(staff, id, batch.input)
        case 'transfer':
          return this.transferCommand(staff, id, batch.input, 'handler')
        case 'note':
          return this.noteCommand(staff, id, batch.input)
      }
    }
    const results: BatchItemResult[] = []
    // One at a time: each takes its request's row lock alone, in the order given, as separate taps would.
    for (const id of batch.ids) {
      try {
        await run(id)
        results.push({ id, ok: true })
      } catch (error) {
        if (error instanceof DomainError) {
          results.push({ id, ok: false, error: { code: error.code, message: batchMessage(error, batch.action) } })
        } else {
          // The others already ran and stay done: report this one, keep going, and leave a trace.
          this.logger.error(`batch ${batch.action} of ${id} failed`, error instanceof Error ? error.stack : error)
          results.push({ id, ok: false, error: { code: 'INTERNAL', message: '处理失败，请稍后重试' } })
        }
      }
    }
    const succeeded = results.filter((r) => r.ok).length
    return { results, succeeded, failed: results.length - succeeded }
  }

  private acceptCommand(staff: StaffPrincipal, id: string, input: AcceptTicketInput): Promise<void> {
    return this.runner.run(id, { authorise: asStaff(staff, 'manage'), action: 'accept' }, (ctx) =>
      accept(ctx, input, this.suggest),
    )
  }

  private transferCommand(
    staff: StaffPrincipal,
    id: string,
    input: TransferTicketInput,
    by: 'handler' | 'supervisor',
  ): Promise<void> {
    const authorise = by === 'supervisor' ? asSupervisor(staff) : asStaff(staff, 'manage')
    return this.runner.run(id, { authorise, action: 'transfer' }, (ctx) => transfer(ctx, input, this.assignment, by))
  }

  /** Internal: anyone in scope who handles requests. */
  private noteCommand(staff: StaffPrincipal, id: string, input: NoteTicketInput): Promise<void> {
    return this.runner.run(id, { authorise: asStaff(staff, 'handle'), action: 'note' }, (ctx) => note(ctx, input))
  }

  /**
   * The public summary (公示). Residents never learn the request exists through this route (404).
   */
  async editPublicSummary(
    principal: Principal,
    id: string,
    input: PublicSummaryInput,
    requestId: string | null,
  ): Promise<TicketView> {
    if (principal.kind !== 'staff') throw notFound()
    await this.runner.run(id, { authorise: asSummaryEditor(principal) }, (ctx) => editPublicSummary(ctx, input))
    return this.tickets.detail(id, principal, requestId)
  }

  /**
   * 催单: the reporter or a follower, or for a proxy entry the staff member who filed it, at most once every
   * 2 hours each.
   */
  async chase(principal: Principal, id: string, requestId: string | null): Promise<TicketView> {
    await this.runner.run(
      id,
      { authorise: asContact(principal, 'chase', this.residentAccess), action: 'chase' },
      async (ctx) => chase(ctx, await this.tickets.nextChaseAt(ctx.manager, id, principal)),
    )
    return this.tickets.detail(id, principal, requestId)
  }

  /** 评价 after resolution: 3–5 stars closes it (销号); 1–2 reopens it to its handler. */
  async rate(principal: Principal, id: string, input: RateTicketInput, requestId: string | null): Promise<TicketView> {
    await this.runner.run(
      id,
      { authorise: asContact(principal, 'rate', this.residentAccess), action: ratingAction(input) },
      (ctx) => rate(ctx, input, principal),
    )
    return this.tickets.detail(id, principal, requestId)
  }

  /**
   * "我也遇到了" (+1): a resident follows an open request of the building whose stairwell QR code they
   * scanned (`input.token`, an active token). An unknown or replaced token, or a request of another
   * building, is "no such request", as for any request out of reach.
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
    await this.runner.run(id, { authorise: asScanner(resident, scanned.building.id) }, (ctx) => follow(ctx, resident))
    return this.tickets.detail(id, resident, requestId)
  }

  /**
   * The reporter (for a proxy entry, the staff member who filed it) writes in the thread: the answer
   * while the request waits for them (it resumes), else an addition. The state decides, under the lock.
   */
  async reporterMessage(
    principal: Principal,
    id: string,
    input: MessageInput,
    requestId: string | null,
  ): Promise<TicketView> {
    await this.runner.run(id, { authorise: asReporter(principal) }, (ctx) =>
      reporterMessage(ctx, input, { photos: this.photos, voice: this.voice }),
    )
    return this.tickets.detail(id, principal, requestId)
  }

  /** A handler's message to the reporter; a question that pauses the clock stays `wait`. */
  async staffMessage(
    staff: StaffPrincipal,
    id: string,
    input: MessageInput,
    requestId: string | null,
  ): Promise<TicketView> {
    await this.runner.run(id, { authorise: asStaff(staff, 'manage'), action: 'message' }, (ctx) =>
      staffMessage(ctx, input, { photos: this.photos, voice: this.voice }),
    )
    return this.tickets.detail(id, staff, requestId)
  }

  /** 撤回: the reporter takes the request back while nobody has accepted it yet. */
  async withdraw(
    principal: Principal,
    id: string,
    input: WithdrawTicketInput,
    requestId: string | null,
  ): Promise<TicketView> {
    await this.runner.run(id, { authorise: asReporter(principal) }, (ctx) => withdraw(ctx, input))
    return this.tickets.detail(id, principal, requestId)
  }

  /** A handler's action: `manage` (the handler or a coordinator), checked against `action`'s transition. */
  private async manage(
    staff: StaffPrincipal,
    id: string,
    action: 'accept' | 'reply' | 'resolve' | 'reject' | 'transfer' | 'wait' | 'resume',
    requestId: string | null,
    command: Parameters<TicketRunner['run']>[2],
  ): Promise<TicketView> {
    await this.runner.run(id, { authorise: asStaff(staff, 'manage'), action }, command)
    return this.tickets.detail(id, staff, requestId)
  }
}
