import { Module } from '@nestjs/common'
import { PlacesModule } from '../places/places.module'
import { StaffModule } from '../staff/staff.module'
import { RecurringController } from './recurring.controller'
import { RecurringService } from './recurring.service'

@Module({
  imports: [PlacesModule, StaffModule],
  controllers: [RecurringController],
  providers: [RecurringService],
  exports: [RecurringService],
})
export class RecurringModule {}
