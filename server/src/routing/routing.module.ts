import { Module } from '@nestjs/common'
import { TypeOrmModule } from '@nestjs/typeorm'
import { DeadlineSettingsModule } from '../deadlines/deadline-settings.module'
import { PlacesModule } from '../places/places.module'
import { RoutingAdminController } from './routing-admin.controller'
import { RoutingAdminService } from './routing-admin.service'
import { RoutingRuleOverride } from './routing-rule.entity'
import { RoutingService } from './routing.service'

@Module({
  imports: [TypeOrmModule.forFeature([RoutingRuleOverride]), PlacesModule, DeadlineSettingsModule],
  controllers: [RoutingAdminController],
  providers: [RoutingService, RoutingAdminService],
  exports: [RoutingService],
})
export class RoutingModule {}
