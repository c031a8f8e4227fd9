import { Module } from '@nestjs/common'
import { AccessLogModule } from '../access-log/access-log.module'
import { DeadlineSettingsModule } from '../deadlines/deadline-settings.module'
import { NeedsModule } from '../needs/needs.module'
import { PlacesModule } from '../places/places.module'
import { StaffModule } from '../staff/staff.module'
import { TicketsModule } from '../tickets/tickets.module'
import { ResourcesController } from './resources.controller'
import { ResourcesService } from './resources.service'

/** The resources list (资源清单) per compound and the matches of resources to requests and needs. */
@Module({
  imports: [AccessLogModule, PlacesModule, StaffModule, TicketsModule, NeedsModule, DeadlineSettingsModule],
  controllers: [ResourcesController],
  providers: [ResourcesService],
  exports: [ResourcesService],
})
export class ResourcesModule {}
