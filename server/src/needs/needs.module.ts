import { Module } from '@nestjs/common'
import { PlacesModule } from '../places/places.module'
import { NeedsController, PublicNeedsController } from './needs.controller'
import { NeedsService } from './needs.service'

@Module({
  imports: [PlacesModule],
  controllers: [NeedsController, PublicNeedsController],
  providers: [NeedsService],
  exports: [NeedsService],
})
export class NeedsModule {}
