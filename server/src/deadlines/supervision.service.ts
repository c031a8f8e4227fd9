import { Injectable } from '@nestjs/common'
import {
  PROMISE_EXTENSION_MAX_DAYS,
  TICKET_STATE_LABELS,
  type EscalationPage,
  type EscalationQuery,
  type ExtendPromiseInput,
  type ReassignTicketInput,
  type TicketView,
} from '@mq/shared'
import type { StaffPrincipal } from '../auth/principal'
import { DomainError } from '../common/domain-error'
import { assertPromiseKeepable } from '../tickets/lifecycle/ticket-deadlines'
import { asSupervisor, TicketRunner } from '../tickets/lifecycle/ticket-runner'
import { notifyReporters, notifyStaff } from '../tickets/ticket-journal'
import { TicketWorkflowService } from '../tickets/ticket-workflow.service'
import { TicketsService } from '../tickets/tickets.service'

/**
 * What the supervisory chain (compound secretary, community, street, district) does about a
 * request in their places: extend its promised date with a reason, reassign it, and see what escalated
 * to them. Each change is a command of tickets/'s TicketRunner, like the handler's actions.
 */
@Injectable()
export class SupervisionService {
  constructor(
    private readonly runner: TicketRunner,
    private readonly workflow: TicketWorkflowService,
    private readonly tickets: TicketsService,
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
    await this.runner.run(id, { authorise: asSupervisor(staff) }, async (ctx) => {
      const { manager, ticket, now } = ctx
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
      assertPromiseKeepable(ticket, promisedAt)
      const from = ticket.promisedAt
      ticket.promisedAt = promisedAt
      await ctx.save(ticket, { recompute: true })
      const event = await ctx.record({
        type: 'promise_extended',
        public: true,
        data: { from: from.toISOString(), to: promisedAt.toISOString(), reason: input.reason },
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

  /** 改派: the handler's transfer, authorised as supervision (one command: tickets/actions/assignment.ts). */
  reassign(staff: StaffPrincipal, id: string, input: ReassignTicketInput, requestId: string | null): Promise<TicketView> {
    return this.workflow.transfer(staff, id, input, requestId, 'supervisor')
  }

  /** Open requests of the caller's places that escalated (督办), highest level first, then most overdue. */
  escalations(staff: StaffPrincipal, query: EscalationQuery): Promise<EscalationPage> {
    return this.tickets.escalations(staff, query)
  }
}
