import { forwardRef, Module } from '@nestjs/common'
import { TypeOrmModule } from '@nestjs/typeorm'
import { DeadlineSettingsModule } from '../deadlines/deadline-settings.module'
import { StaffModule } from '../staff/staff.module'
import { Place } from './place.entity'
import { PlacesAdminController } from './places-admin.controller'
import { PlacesAdminService } from './places-admin.service'
import { PlacesController } from './places.controller'
import { PlacesService } from './places.service'
import { PosterUnits } from './poster-units'
import { QrCode } from './qr-code.entity'
import { ScanViews } from './scan-views'

@Module({
  // The scan view carries the compound's deadline rules (deadline settings in turn check places) and
  // names who is on duty (StaffService).
  imports: [TypeOrmModule.forFeature([Place, QrCode]), forwardRef(() => DeadlineSettingsModule), StaffModule],
  controllers: [PlacesController, PlacesAdminController],
  providers: [PlacesService, PlacesAdminService, PosterUnits, ScanViews],
  exports: [PlacesService, PosterUnits, ScanViews],
})
export class PlacesModule {}
