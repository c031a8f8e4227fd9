import { Module } from '@nestjs/common'
import { AuthModule } from '../auth/auth.module'
import { MeetingsModule } from '../meetings/meetings.module'
import { NeedsModule } from '../needs/needs.module'
import { PlacesModule } from '../places/places.module'
import { ResourcesModule } from '../resources/resources.module'
import { ResidentsModule } from '../residents/residents.module'
import { StaffModule } from '../staff/staff.module'
import { TemplatesModule } from '../templates/templates.module'
import { TicketsModule } from '../tickets/tickets.module'
import { VisitsModule } from '../visits/visits.module'
import { DemoLoginService } from './demo-login.service'
import { DemoController } from './demo.controller'
import { DemoSeeder } from './demo-seeder'

@Module({
  imports: [PlacesModule, StaffModule, TicketsModule, ResidentsModule, AuthModule, TemplatesModule, ResourcesModule, MeetingsModule, VisitsModule, NeedsModule],
  controllers: [DemoController],
  providers: [DemoSeeder, DemoLoginService],
  exports: [DemoSeeder],
})
export class DemoModule {}
