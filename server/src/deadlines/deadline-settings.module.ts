import { forwardRef, Module } from '@nestjs/common'
import { PlacesModule } from '../places/places.module'
import { CalendarOverridesService } from './calendar-overrides.service'
import { DeadlineSettingsController } from './deadline-settings.controller'
import { DeadlineSettingsService } from './deadline-settings.service'
import { UrgentListController } from './urgent-list.controller'
import { UrgentListService } from './urgent-list.service'

/**
 * Per-compound deadline settings, per-place calendar overrides and danger lists (with a compound's 物业
 * 24-hour line); tickets/ reads them when filing. The calendar's routes live in deadlines.module.ts: a
 * change moves open requests through tickets/, which imports this module.
 */
@Module({
  imports: [forwardRef(() => PlacesModule)],
  controllers: [DeadlineSettingsController, UrgentListController],
  providers: [DeadlineSettingsService, CalendarOverridesService, UrgentListService],
  exports: [DeadlineSettingsService, CalendarOverridesService, UrgentListService],
})
export class DeadlineSettingsModule {}
