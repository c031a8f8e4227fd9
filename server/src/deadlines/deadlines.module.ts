import { Module } from '@nestjs/common'
import { PlacesModule } from '../places/places.module'
import { RoutingModule } from '../routing/routing.module'
import { StaffModule } from '../staff/staff.module'
import { TicketsModule } from '../tickets/tickets.module'
import { DeadlineTimersService } from './deadline-timers.service'
import { DeadlineWorker } from './deadline-worker'
import { SupervisionController } from './supervision.controller'
import { SupervisionService } from './supervision.service'

/**
 * Deadline timers (warning, overdue and escalation, auto-close) and supervision (extend, reassign, the
 * escalations list). The timers are planned by tickets/ through timer-plan.ts in each change's own
 * transaction, and fired here.
 */
@Module({
  imports: [TicketsModule, PlacesModule, RoutingModule, StaffModule],
  controllers: [SupervisionController],
  providers: [DeadlineTimersService, SupervisionService, DeadlineWorker],
  exports: [DeadlineTimersService],
})
export class DeadlinesModule {}
