import type { Role, TransferTicketInput } from '@mq/shared'
import { DomainError } from '../../common/domain-error'
import type { PlacesService } from '../../places/places.service'
import type { RoutingService } from '../../routing/routing.service'
import type { StaffService } from '../../staff/staff.service'
import type { CommandContext } from '../lifecycle/ticket-runner'
import { notifyStaff } from '../ticket-journal'
import { TicketCoHandler } from '../ticket-relations.entity'

/** Who a request may be handed to: staff, places and routing, as the workflow service holds them. */
export interface AssignmentDeps {
  staff: StaffService
  places: PlacesService
  routing: RoutingService
}

type Target = { staffId: string; role: Role; name: string }

/**
 * To a person who handles requests at this place, or to whoever holds a role here (routing's pick). The
 * handler's 转办 and a supervisor's 改派 (`by: 'supervisor'` on the timeline) are this one command. The
 * deadlines stay (they are the resident's); the timers now tell the new handler.
 */
export async function transfer(
  ctx: CommandContext,
  input: TransferTicketInput,
  deps: AssignmentDeps,
  by: 'handler' | 'supervisor' = 'handler',
): Promise<void> {
  const { manager, ticket, unit } = ctx
  let target: Target
  if (input.toStaffId) {
    target = await deps.staff.handlerAt(input.toStaffId, unit.path)
  } else {
    const where = await deps.places.unitContext(ticket.unitId, manager)
    target = await deps.routing.replacement(manager, where, input.toRole!, ticket.handlerStaffId)
  }
  if (target.staffId === ticket.handlerStaffId) {
    throw new DomainError('VALIDATION_FAILED', '已经由此人处理', [
      { path: 'toStaffId', message: '已经由此人处理' },
    ])
  }
  const fromRole = ticket.handlerRole
  ticket.handlerStaffId = target.staffId
  ticket.handlerRole = target.role
  // A supervisor's reassignment writes the deadlines as they stand (as it always has); a handover by the
  // handler recomputes them, which gives the same dates: the handler is no input of the deadline rules.
  await ctx.save(ticket, { recompute: by === 'handler' })
  // The new handler is no longer also a co-handler.
  await manager.getRepository(TicketCoHandler).delete({ ticketId: ticket.id, staffId: target.staffId })
  const event = await ctx.record({
    type: 'transferred',
    public: true,
    data: {
      fromRole,
      toRole: target.role,
      toName: target.name,
      reason: input.reason,
      ...(by === 'supervisor' ? { by } : {}),
    },
  })
  await notifyStaff(manager, ticket, event, 'assigned', [target.staffId], {
    as: 'handler',
    reason: input.reason,
  })
}

export async function addCoHandler(ctx: CommandContext, coHandlerId: string, staff: StaffService): Promise<void> {
  const { manager, ticket, unit, now } = ctx
  const target = await staff.handlerAt(coHandlerId, unit.path)
  if (target.staffId === ticket.handlerStaffId) {
    throw new DomainError('VALIDATION_FAILED', '处理人不必再加为联办人', [
      { path: 'staffId', message: '已是处理人' },
    ])
  }
  const inserted = await manager.query<unknown[]>(
    `INSERT INTO ticket_co_handler (ticket_id, staff_id, role, created_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT DO NOTHING RETURNING staff_id`,
    [ticket.id, target.staffId, target.role, now],
  )
  if (inserted.length === 0) return // already a co-handler: nothing to do
  await ctx.save(ticket)
  const event = await ctx.record({
    type: 'co_handler_added',
    public: true,
    data: { role: target.role, name: target.name },
  })
  await notifyStaff(manager, ticket, event, 'assigned', [target.staffId], { as: 'co_handler' })
}

export async function removeCoHandler(ctx: CommandContext, coHandlerId: string): Promise<void> {
  const { manager, ticket } = ctx
  const existing = await manager.getRepository(TicketCoHandler).findOne({
    where: { ticketId: ticket.id, staffId: coHandlerId },
    relations: { staff: true },
  })
  if (!existing) throw new DomainError('STAFF_NOT_FOUND', '此人不是这条诉求的联办人')
  await manager.getRepository(TicketCoHandler).delete({ ticketId: ticket.id, staffId: coHandlerId })
  await ctx.save(ticket)
  await ctx.record({
    type: 'co_handler_removed',
    public: true,
    data: { role: existing.role, name: existing.staff?.name ?? null },
  })
}
