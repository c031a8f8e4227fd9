import { Module } from '@nestjs/common'
import { TypeOrmModule } from '@nestjs/typeorm'
import { PlacesModule } from '../places/places.module'
import { RoutingAdminController } from './routing-admin.controller'
import { RoutingAdminService } from './routing-admin.service'
import { RoutingRuleOverride } from './routing-rule.entity'
import { RoutingService } from './routing.service'

@Module({
  imports: [TypeOrmModule.forFeature([RoutingRuleOverride]), PlacesModule],
  controllers: [RoutingAdminController],
  providers: [RoutingService, RoutingAdminService],
  exports: [RoutingService],
})
export class RoutingModule {}
