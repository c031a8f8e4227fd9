import { Module } from '@nestjs/common'
import { TypeOrmModule } from '@nestjs/typeorm'
import { Place } from './place.entity'
import { PlacesAdminController } from './places-admin.controller'
import { PlacesAdminService } from './places-admin.service'
import { PlacesController } from './places.controller'
import { PlacesService } from './places.service'
import { QrCode } from './qr-code.entity'

@Module({
  imports: [TypeOrmModule.forFeature([Place, QrCode])],
  controllers: [PlacesController, PlacesAdminController],
  providers: [PlacesService, PlacesAdminService],
  exports: [PlacesService],
})
export class PlacesModule {}
