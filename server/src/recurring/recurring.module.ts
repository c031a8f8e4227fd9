import { Module } from '@nestjs/common'
import { PlacesModule } from '../places/places.module'
import { RecurringController } from './recurring.controller'
import { RecurringService } from './recurring.service'

@Module({
  imports: [PlacesModule],
  controllers: [RecurringController],
  providers: [RecurringService],
  exports: [RecurringService],
})
export class RecurringModule {}
