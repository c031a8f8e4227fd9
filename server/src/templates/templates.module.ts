import { Module } from '@nestjs/common'
import { PlacesModule } from '../places/places.module'
import { StaffModule } from '../staff/staff.module'
import { TicketsModule } from '../tickets/tickets.module'
import { AfterPhotoModule } from './after-photo.module'
import { TemplatesAdminController, TemplatesController } from './templates.controller'
import { TemplatesService } from './templates.service'

/** Reply templates (常用回复): admins keep them per place; staff read them filled in for a request. */
@Module({
  imports: [PlacesModule, StaffModule, TicketsModule, AfterPhotoModule],
  controllers: [TemplatesAdminController, TemplatesController],
  providers: [TemplatesService],
  exports: [TemplatesService],
})
export class TemplatesModule {}
