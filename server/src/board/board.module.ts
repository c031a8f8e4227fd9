import { Module } from '@nestjs/common'
import { PlacesModule } from '../places/places.module'
import { RecurringModule } from '../recurring/recurring.module'
import { BoardController } from './board.controller'
import { BoardService } from './board.service'

@Module({
  imports: [PlacesModule, RecurringModule],
  controllers: [BoardController],
  providers: [BoardService],
})
export class BoardModule {}
