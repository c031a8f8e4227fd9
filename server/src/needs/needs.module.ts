import { Module } from '@nestjs/common'
import { PlacesModule } from '../places/places.module'
import { ResidentsModule } from '../residents/residents.module'
import { TicketsModule } from '../tickets/tickets.module'
import { NeedsController, PublicNeedsController } from './needs.controller'
import { NeedsService } from './needs.service'

@Module({
  imports: [PlacesModule, ResidentsModule, TicketsModule],
  controllers: [NeedsController, PublicNeedsController],
  providers: [NeedsService],
  exports: [NeedsService],
})
export class NeedsModule {}
