import { Controller, Get, Query } from '@nestjs/common'
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger'
import { ErrorBodySchema, MetricsQuerySchema, MetricsSchema, type Metrics } from '@mq/shared'
import { createZodDto } from 'nestjs-zod'
import { Can, CurrentStaff } from '../auth/access.decorators'
import type { StaffPrincipal } from '../auth/principal'
import { zodSchema } from '../openapi/zod-schema'
import { MetricsService } from './metrics.service'

class MetricsQueryDto extends createZodDto(MetricsQuerySchema) {}

@ApiTags('metrics')
@Controller('api/metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  /** 响应率, 解决率, 满意率, 按时办结率 with their counts, for a place the caller may view. */
  @Get()
  @Can('view_tickets')
  @ApiOkResponse({ schema: zodSchema(MetricsSchema) })
  @ApiNotFoundResponse({ schema: zodSchema(ErrorBodySchema) })
  show(@CurrentStaff() staff: StaffPrincipal, @Query() query: MetricsQueryDto): Promise<Metrics> {
    return this.metrics.metrics(staff, query)
  }
}
