import { Module } from '@nestjs/common'
import { ReadSourceModule } from '../database/read-source'
import { PlacesModule } from '../places/places.module'
import { MetricsController } from './metrics.controller'
import { MetricsService } from './metrics.service'
import { RankingService } from './ranking.service'

@Module({
  imports: [PlacesModule, ReadSourceModule],
  controllers: [MetricsController],
  providers: [MetricsService, RankingService],
})
export class MetricsModule {}
