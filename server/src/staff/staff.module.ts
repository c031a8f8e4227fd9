import { Module } from '@nestjs/common'
import { TypeOrmModule } from '@nestjs/typeorm'
import { Membership } from './membership.entity'
import { Staff } from './staff.entity'
import { StaffService } from './staff.service'

@Module({
  imports: [TypeOrmModule.forFeature([Staff, Membership])],
  providers: [StaffService],
  exports: [StaffService],
})
export class StaffModule {}
