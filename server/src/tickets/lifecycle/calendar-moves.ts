import { Injectable } from '@nestjs/common'
import { DEFAULT_DEADLINE_CONFIG, monthDayTime } from '@mq/shared'
import { DataSource, In } from 'typeorm'
import { CalendarOverridesService } from '../../deadlines/calendar-overrides.service'
import { PlacesService } from '../../places/places.service'
import { Ticket } from '../ticket.entity'
import { dayTypeOfTicket } from './ticket-deadlines'
import { asSystem, TicketRunner } from './ticket-runner'

const OPEN_STATES = ['submitted', 'accepted', 'replied', 'waiting_resident'] as const
const DEADLINES = ['acceptBy', 'replyBy', 'resolveBy'] as const
const DEADLINE_LABELS: Record<(typeof DEADLINES)[number], string> = {
  acceptBy: '受理',
  replyBy: '答复',
  resolveBy: '办结',
}

/**
 * When a place's working calendar changes (a typhoon day off announced the evening before, or its
 * removal), the open requests of the compounds under it whose handler counts working days take the new
 * days: each through the runner (locked, its rules' days replaced by the compound's effective ones from its
 * filing date, deadlines recomputed, timers rescheduled exactly once, a system note on its timeline when a
 * deadline moved). Requests of on-duty roles count every day and are left alone.
 */
@Injectable()
export class CalendarMoves {
  constructor(
    private readonly dataSource: DataSource,
    private readonly runner: TicketRunner,
    private readonly places: PlacesService,
    private readonly calendar: CalendarOverridesService,
  ) {}

  /** Moves the open requests under the place; returns how many had a deadline moved. */
  async afterChange(placeId: string, what: string): Promise<number> {
    const compoundIds = await this.places.compoundIdsUnder([placeId])
    if (compoundIds.length === 0) return 0
    const open = await this.dataSource.getRepository(Ticket).find({
      select: { id: true },
      where: { compoundId: In(compoundIds), state: In([...OPEN_STATES]) },
      order: { id: 'ASC' },
    })
    let moved = 0
    for (const { id } of open) {
      const changed = await this.runner.run(id, { authorise: asSystem }, async (ctx) => {
        const { ticket } = ctx
        if (!(OPEN_STATES as readonly string[]).includes(ticket.state) || dayTypeOfTicket(ticket) !== 'working') {
          return false
        }
        const compound = await ctx.place(ticket.compoundId)
        const days = await this.calendar.effectiveFor(compound.path, ticket.createdAt, ctx.manager)
        const before = ticket.deadlineConfig?.calendarOverrides ?? []
        if (JSON.stringify(before) === JSON.stringify(days)) return false
        const was = Object.fromEntries(DEADLINES.map((k) => [k, ticket[k]?.getTime() ?? null]))
        ticket.deadlineConfig = { ...(ticket.deadlineConfig ?? DEFAULT_DEADLINE_CONFIG), calendarOverrides: days }
        await ctx.save(ticket, { recompute: true })
        const shifts = DEADLINES.filter((k) => (ticket[k]?.getTime() ?? null) !== was[k]).map(
          (k) => `${DEADLINE_LABELS[k]}截止改为${ticket[k] ? monthDayTime(ticket[k]) : '无'}`,
        )
        if (shifts.length === 0) return false
        await ctx.record({ type: 'noted', public: false, data: { text: `工作日历调整（${what}）：${shifts.join('，')}` } })
        return true
      })
      if (changed) moved += 1
    }
    return moved
  }
}
