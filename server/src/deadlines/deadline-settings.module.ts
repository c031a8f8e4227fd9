import { forwardRef, Module } from '@nestjs/common'
import { PlacesModule } from '../places/places.module'
import { CalendarOverridesController } from './calendar-overrides.controller'
import { CalendarOverridesService } from './calendar-overrides.service'
import { DeadlineSettingsController } from './deadline-settings.controller'
import { DeadlineSettingsService } from './deadline-settings.service'

/** Per-compound deadline settings and per-place calendar overrides; tickets/ reads them when filing. */
@Module({
  imports: [forwardRef(() => PlacesModule)],
  controllers: [DeadlineSettingsController, CalendarOverridesController],
  providers: [DeadlineSettingsService, CalendarOverridesService],
  exports: [DeadlineSettingsService],
})
export class DeadlineSettingsModule {}
