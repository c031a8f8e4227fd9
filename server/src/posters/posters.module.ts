import { Module } from '@nestjs/common'
import { PlacesModule } from '../places/places.module'
import { PostersController } from './posters.controller'
import { PostersService } from './posters.service'

/** Printable stairwell QR posters. Owns no tables: units and tokens come from the places domain. */
@Module({
  imports: [PlacesModule],
  controllers: [PostersController],
  providers: [PostersService],
  exports: [PostersService],
})
export class PostersModule {}
