import { Module } from '@nestjs/common'
import { AccessLogModule } from '../access-log/access-log.module'
import { NeedsModule } from '../needs/needs.module'
import { PlacesModule } from '../places/places.module'
import { StaffModule } from '../staff/staff.module'
import { TicketsModule } from '../tickets/tickets.module'
import { VisitsController } from './visits.controller'
import { VisitsService } from './visits.service'

@Module({
  imports: [AccessLogModule, NeedsModule, PlacesModule, StaffModule, TicketsModule],
  controllers: [VisitsController],
  providers: [VisitsService],
  exports: [VisitsService],
})
export class VisitsModule {}
