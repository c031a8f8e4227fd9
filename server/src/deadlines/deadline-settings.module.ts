import { forwardRef, Module } from '@nestjs/common'
import { PlacesModule } from '../places/places.module'
import { DeadlineSettingsController } from './deadline-settings.controller'
import { DeadlineSettingsService } from './deadline-settings.service'

/** Per-compound deadline settings; tickets/ reads them when filing. */
@Module({
  imports: [forwardRef(() => PlacesModule)],
  controllers: [DeadlineSettingsController],
  providers: [DeadlineSettingsService],
  exports: [DeadlineSettingsService],
})
export class DeadlineSettingsModule {}
