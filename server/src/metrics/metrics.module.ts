import { Module } from '@nestjs/common'
import { PlacesModule } from '../places/places.module'
import { MetricsController } from './metrics.controller'
import { MetricsService } from './metrics.service'
import { RankingService } from './ranking.service'

@Module({
  imports: [PlacesModule],
  controllers: [MetricsController],
  providers: [MetricsService, RankingService],
})
export class MetricsModule {}
