import { TICKET_STATE_LABELS, type PublicSummaryInput, type TicketEventPayloads } from '@mq/shared'
import type { StaffPrincipal } from '../../auth/principal'
import { DomainError } from '../../common/domain-error'
import { staffSees, type Authorise, type CommandContext } from '../lifecycle/ticket-runner'
import { actingRole, editsPublicSummary, notFound } from '../ticket-access'
import { Ticket } from '../ticket.entity'
import { publicSummaryOf } from '../ticket.view'

/** The handler, a coordinator or a supervisor of the place (outside the caller's places: 404). */
export function asSummaryEditor(staff: StaffPrincipal): Authorise {
  return ({ ticket, unit }) => {
    if (!staffSees(staff, unit)) throw notFound()
    if (!editsPublicSummary(staff.staffId, staff.memberships, ticket, unit.path)) {
      throw new DomainError('FORBIDDEN', '只有处理人、网格长、小区书记或上级督办可以修改公示内容')
    }
    return { kind: 'staff', id: staff.staffId, role: actingRole(staff.staffId, staff.memberships, ticket, unit.path) }
  }
}

/**
 * The public summary (公示): what the board shows of the request, the reply's commitment and the
 * resolution note. Either may be replaced (null: the original again); the originals stay as they were,
 * and an internal `public_summary_edited` entry keeps the text shown before and after.
 */
export async function editPublicSummary(ctx: CommandContext, input: PublicSummaryInput): Promise<void> {
  const { manager, ticket, now } = ctx
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
  const changes: Omit<TicketEventPayloads['public_summary_edited'], 'edited'> = {}
  if (before.text !== after.text) changes.text = { before: before.text, after: after.text }
  if (before.commitment !== after.commitment) changes.commitment = { before: before.commitment, after: after.commitment }
  if (before.resolution !== after.resolution) changes.resolution = { before: before.resolution, after: after.resolution }
  if (Object.keys(changes).length === 0) return
  // Text only: no state, deadline or timer moves.
  await manager.getRepository(Ticket).update(ticket.id, {
    publicText: ticket.publicText,
    publicCommitment: ticket.publicCommitment,
    publicResolution: ticket.publicResolution,
    updatedAt: now,
  })
  await ctx.record({ type: 'public_summary_edited', public: false, data: { ...changes, edited: after.edited } })
}
