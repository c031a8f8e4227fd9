import { Module } from '@nestjs/common'
import { DeadlineSettingsModule } from '../deadlines/deadline-settings.module'
import { NeedsModule } from '../needs/needs.module'
import { PlacesModule } from '../places/places.module'
import { StaffModule } from '../staff/staff.module'
import { TicketsModule } from '../tickets/tickets.module'
import { MeetingsController } from './meetings.controller'
import { MeetingsService } from './meetings.service'

@Module({
  imports: [PlacesModule, StaffModule, TicketsModule, NeedsModule, DeadlineSettingsModule],
  controllers: [MeetingsController],
  providers: [MeetingsService],
  exports: [MeetingsService],
})
export class MeetingsModule {}
