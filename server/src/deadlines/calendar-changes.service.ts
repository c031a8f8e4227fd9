import { Injectable } from '@nestjs/common'
import type { CalendarOverrideInput, PlaceCalendar } from '@mq/shared'
import type { StaffPrincipal } from '../auth/principal'
import { CalendarMoves } from '../tickets/lifecycle/calendar-moves'
import { CalendarOverridesService } from './calendar-overrides.service'

/**
 * An admin's change of a place's working calendar, and what it moves: the day is set or removed
 * (calendar-overrides.service.ts), then the open requests under the place whose handler counts working
 * days take it (tickets/ CalendarMoves, each through the runner), so a typhoon day off announced the
 * evening before reaches the requests already waiting, not only those filed afterwards.
 */
@Injectable()
export class CalendarChangesService {
  constructor(
    private readonly calendar: CalendarOverridesService,
    private readonly moves: CalendarMoves,
  ) {}

  async add(admin: StaffPrincipal, placeId: string, input: CalendarOverrideInput): Promise<PlaceCalendar> {
    const view = await this.calendar.add(admin, placeId, input)
    await this.moves.afterChange(placeId, `${input.date} ${input.working ? '上班' : '放假'}：${input.reason.trim()}`)
    return view
  }

  async remove(admin: StaffPrincipal, placeId: string, date: string): Promise<PlaceCalendar> {
    const view = await this.calendar.remove(admin, placeId, date)
    await this.moves.afterChange(placeId, `取消 ${date} 的调整`)
    return view
  }
}
