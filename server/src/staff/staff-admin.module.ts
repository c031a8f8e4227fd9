import { Module } from '@nestjs/common'
import { AuthModule } from '../auth/auth.module'
import { PlacesModule } from '../places/places.module'
import { StaffAdminController } from './staff-admin.controller'
import { StaffAdminService } from './staff-admin.service'
import { StaffModule } from './staff.module'

/** Admin staff management: apart from StaffModule because it ends sessions (AuthModule needs StaffModule). */
@Module({
  imports: [StaffModule, AuthModule, PlacesModule],
  controllers: [StaffAdminController],
  providers: [StaffAdminService],
})
export class StaffAdminModule {}
