import { forwardRef, Module } from '@nestjs/common'
import { PlacesModule } from '../places/places.module'
import { CalendarOverridesController } from './calendar-overrides.controller'
import { CalendarOverridesService } from './calendar-overrides.service'
import { DeadlineSettingsController } from './deadline-settings.controller'
import { DeadlineSettingsService } from './deadline-settings.service'
import { UrgentListController } from './urgent-list.controller'
import { UrgentListService } from './urgent-list.service'

/**
 * Per-compound deadline settings, per-place calendar overrides and danger lists (with a compound's 物业
 * 24-hour line); tickets/ reads them when filing.
 */
@Module({
  imports: [forwardRef(() => PlacesModule)],
  controllers: [DeadlineSettingsController, CalendarOverridesController, UrgentListController],
  providers: [DeadlineSettingsService, CalendarOverridesService, UrgentListService],
  exports: [DeadlineSettingsService, CalendarOverridesService, UrgentListService],
})
export class DeadlineSettingsModule {}
