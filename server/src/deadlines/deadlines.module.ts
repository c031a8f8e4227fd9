import { Module } from '@nestjs/common'
import { PlacesModule } from '../places/places.module'
import { RoutingModule } from '../routing/routing.module'
import { StaffModule } from '../staff/staff.module'
import { TicketsModule } from '../tickets/tickets.module'
import { SupervisionController } from './supervision.controller'
import { SupervisionService } from './supervision.service'

/**
 * Supervision (extend a promised date, reassign, the escalations list). A request's deadlines and timers
 * live with it in tickets/lifecycle/; supervision's changes go through the same command runner there.
 */
@Module({
  imports: [TicketsModule, PlacesModule, RoutingModule, StaffModule],
  controllers: [SupervisionController],
  providers: [SupervisionService],
})
export class DeadlinesModule {}
