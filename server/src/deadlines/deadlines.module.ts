import { Module } from '@nestjs/common'
import { TicketsModule } from '../tickets/tickets.module'
import { SupervisionController } from './supervision.controller'
import { SupervisionService } from './supervision.service'

/**
 * Supervision (extend a promised date, reassign, the escalations list). A request's deadlines and timers
 * live with it in tickets/lifecycle/; supervision's changes go through the same command runner there.
 */
@Module({
  imports: [TicketsModule],
  controllers: [SupervisionController],
  providers: [SupervisionService],
})
export class DeadlinesModule {}
