import { Module } from '@nestjs/common'
import { SuggestController } from './suggest.controller'
import { SuggestService } from './suggest.service'

/** The category suggestion's per-compound memory; tickets/ tells it when staff change a category. */
@Module({
  controllers: [SuggestController],
  providers: [SuggestService],
  exports: [SuggestService],
})
export class SuggestModule {}
