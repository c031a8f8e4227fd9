import { Module } from '@nestjs/common'
import { PlacesModule } from '../places/places.module'
import { BoardController } from './board.controller'
import { BoardService } from './board.service'

@Module({
  imports: [PlacesModule],
  controllers: [BoardController],
  providers: [BoardService],
})
export class BoardModule {}
