import { Module } from '@nestjs/common'
import { PostersController } from './posters.controller'
import { PostersService } from './posters.service'

/** Printable stairwell QR posters. Reads places and tokens with plain queries; owns no tables. */
@Module({
  controllers: [PostersController],
  providers: [PostersService],
  exports: [PostersService],
})
export class PostersModule {}
