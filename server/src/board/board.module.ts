import { Module } from '@nestjs/common'
import { MeetingsModule } from '../meetings/meetings.module'
import { ReadSourceModule } from '../database/read-source'
import { PlacesModule } from '../places/places.module'
import { RecurringModule } from '../recurring/recurring.module'
import { BoardController } from './board.controller'
import { BoardService } from './board.service'

@Module({
  imports: [PlacesModule, ReadSourceModule, RecurringModule, MeetingsModule],
  controllers: [BoardController],
  providers: [BoardService],
})
export class BoardModule {}
