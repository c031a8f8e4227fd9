import { Module } from '@nestjs/common'
import { NeedsModule } from '../needs/needs.module'
import { PlacesModule } from '../places/places.module'
import { StaffModule } from '../staff/staff.module'
import { TicketsModule } from '../tickets/tickets.module'
import { VisitsController } from './visits.controller'
import { VisitsService } from './visits.service'

@Module({
  imports: [NeedsModule, PlacesModule, StaffModule, TicketsModule],
  controllers: [VisitsController],
  providers: [VisitsService],
  exports: [VisitsService],
})
export class VisitsModule {}
