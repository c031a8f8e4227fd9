import { Module } from '@nestjs/common'
import { TypeOrmModule } from '@nestjs/typeorm'
import { Membership } from './membership.entity'
import { Staff } from './staff.entity'
import { StaffService } from './staff.service'

/** Staff accounts and memberships; the admin side lives in StaffAdminModule (it needs AuthModule). */
@Module({
  imports: [TypeOrmModule.forFeature([Staff, Membership])],
  providers: [StaffService],
  exports: [StaffService],
})
export class StaffModule {}
