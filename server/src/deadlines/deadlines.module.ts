import { Module } from '@nestjs/common'
import { TicketsModule } from '../tickets/tickets.module'
import { CalendarChangesService } from './calendar-changes.service'
import { CalendarOverridesController } from './calendar-overrides.controller'
import { DeadlineSettingsModule } from './deadline-settings.module'
import { SupervisionController } from './supervision.controller'
import { SupervisionService } from './supervision.service'

/**
 * Supervision (extend a promised date, reassign, the escalations list). A request's deadlines and timers
 * live with it in tickets/lifecycle/; supervision's changes go through the same command runner there, as
 * do the moves of open requests when a place's working calendar changes (the calendar's routes).
 */
@Module({
  imports: [TicketsModule, DeadlineSettingsModule],
  controllers: [SupervisionController, CalendarOverridesController],
  providers: [SupervisionService, CalendarChangesService],
})
export class DeadlinesModule {}
