import { OPEN_STATES, stateRefusal, type MergeTicketInput } from '@mq/shared'
import type { StaffPrincipal } from '../../auth/principal'
import { DomainError } from '../../common/domain-error'
import { staffSees, type CommandContext } from '../lifecycle/ticket-runner'
import { Ticket } from '../ticket.entity'
import { ticketNumber } from '../ticket.view'

/**
 * Merges a duplicate into `input.intoId` (an open request of the same compound, locked beside it): this
 * one ends as `merged`, its reporter and followers follow the other one from now on.
 */
export async function merge(ctx: CommandContext, input: MergeTicketInput, staff: StaffPrincipal): Promise<void> {
  const { manager, ticket, now } = ctx
  const into = await manager.getRepository(Ticket).findOneBy({ id: input.intoId })
  const intoUnit = into ? await ctx.place(into.unitId) : null
  if (!into || !intoUnit || into.compoundId !== ticket.compoundId || !staffSees(staff, intoUnit)) {
    throw new DomainError('TICKET_NOT_FOUND', '找不到要合并到的诉求（须是同一小区的诉求）')
  }
  if (!OPEN_STATES.includes(into.state)) {
    throw new DomainError('ILLEGAL_TRANSITION', stateRefusal('要合并到的诉求', into.state, '不能合并'), [
      { path: 'intoId', message: into.state },
    ])
  }
  ticket.state = ctx.to
  ticket.mergedIntoId = into.id
  await ctx.save(ticket, { recompute: true })
  // The reporter and the followers of the duplicate follow the surviving request.
  const moved = await manager.query<{ resident_id: string }[]>(
    `INSERT INTO ticket_follower (ticket_id, resident_id, created_at)
     SELECT $1, r.resident_id, $3 FROM (
       SELECT reporter_resident_id AS resident_id FROM ticket WHERE id = $2 AND reporter_resident_id IS NOT NULL
       UNION SELECT resident_id FROM ticket_follower WHERE ticket_id = $2
     ) r
     WHERE r.resident_id IS DISTINCT FROM $4
     ON CONFLICT DO NOTHING
     RETURNING resident_id`,
    [into.id, ticket.id, now, into.reporterResidentId],
  )
  into.followerCount += moved.length
  await ctx.save(into)
  await ctx.record({
    type: 'merged',
    public: true,
    data: { intoId: into.id, intoNumber: ticketNumber(into.number) },
  })
  await ctx.record({
    ticketId: into.id,
    type: 'merged_from',
    public: false,
    data: { fromId: ticket.id, fromNumber: ticketNumber(ticket.number), followers: moved.length },
  })
}
