import { Module } from '@nestjs/common'
import { TypeOrmModule } from '@nestjs/typeorm'
import { Place } from './place.entity'
import { PlacesController } from './places.controller'
import { PlacesService } from './places.service'
import { QrCode } from './qr-code.entity'

@Module({
  imports: [TypeOrmModule.forFeature([Place, QrCode])],
  controllers: [PlacesController],
  providers: [PlacesService],
  exports: [PlacesService],
})
export class PlacesModule {}
