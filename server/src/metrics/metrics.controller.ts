import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common'
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger'
import {
  ErrorBodySchema,
  MetricsAttentionQuerySchema,
  MetricsAttentionSchema,
  MetricsHeatSchema,
  MetricsPeriodQuerySchema,
  MetricsQuerySchema,
  MetricsSchema,
  MetricsWeeklySchema,
  RankingQuerySchema,
  RankingSchema,
  RankingWeightsSchema,
  UuidSchema,
  type Metrics,
  type MetricsAttention,
  type MetricsHeat,
  type MetricsWeekly,
  type Ranking,
  type RankingWeights,
} from '@mq/shared'
import { createZodDto, ZodValidationPipe } from 'nestjs-zod'
import { Can, CurrentStaff } from '../auth/access.decorators'
import type { StaffPrincipal } from '../auth/principal'
import { zodSchema } from '../openapi/zod-schema'
import { MetricsService } from './metrics.service'
import { RankingService } from './ranking.service'

class MetricsQueryDto extends createZodDto(MetricsQuerySchema) {}
class MetricsPeriodQueryDto extends createZodDto(MetricsPeriodQuerySchema) {}
class MetricsAttentionQueryDto extends createZodDto(MetricsAttentionQuerySchema) {}
class RankingQueryDto extends createZodDto(RankingQuerySchema) {}
class RankingWeightsDto extends createZodDto(RankingWeightsSchema) {}

const Id = new ZodValidationPipe(UuidSchema)
const errorBody = { schema: zodSchema(ErrorBodySchema) }

/**
 * Staff metrics for a place in the caller's scope: the aggregates need `view_metrics` there
 * (admins too: counts only), the attention lists name requests and need `view_tickets`; elsewhere 404. The
 * named routes come before any parameterised one so nothing shadows them.
 */
@ApiTags('metrics')
@Controller('api/metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly rankings: RankingService,
  ) {}

  /** 考核排名: the places one level below (or the handlers there) for a month or a quarter, ranked. */
  @Get('ranking')
  @Can('view_metrics')
  @ApiOkResponse({ schema: zodSchema(RankingSchema) })
  @ApiBadRequestResponse(errorBody)
  @ApiNotFoundResponse(errorBody)
  ranking(@CurrentStaff() staff: StaffPrincipal, @Query() query: RankingQueryDto): Promise<Ranking> {
    return this.rankings.ranking(staff, query)
  }

  /** A district's weights of the ranking's composite (percent, summing to 100): its district supervisors. */
  @Put('ranking-weights/:districtId')
  @Can('supervise_tickets')
  @ApiOkResponse({ schema: zodSchema(RankingWeightsSchema) })
  @ApiBadRequestResponse(errorBody)
  @ApiNotFoundResponse(errorBody)
  setWeights(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('districtId', Id) districtId: string,
    @Body() body: RankingWeightsDto,
  ): Promise<RankingWeights> {
    return this.rankings.setWeights(staff, districtId, body)
  }

  /** The four rates week by week (Monday 00:00 Asia/Shanghai), every week of the period. */
  @Get('weekly')
  @Can('view_metrics')
  @ApiOkResponse({ schema: zodSchema(MetricsWeeklySchema) })
  @ApiBadRequestResponse(errorBody)
  @ApiNotFoundResponse(errorBody)
  weekly(
    @CurrentStaff() staff: StaffPrincipal,
    @Query() query: MetricsPeriodQueryDto,
  ): Promise<MetricsWeekly> {
    return this.metrics.weekly(staff, query)
  }

  /** Requests per building × category in the period, to spot recurring problems. */
  @Get('heat')
  @Can('view_metrics')
  @ApiOkResponse({ schema: zodSchema(MetricsHeatSchema) })
  @ApiBadRequestResponse(errorBody)
  @ApiNotFoundResponse(errorBody)
  heat(@CurrentStaff() staff: StaffPrincipal, @Query() query: MetricsPeriodQueryDto): Promise<MetricsHeat> {
    return this.metrics.heat(staff, query)
  }

  /** Open requests overdue now and those escalated, without resident data. */
  @Get('attention')
  @Can('view_tickets')
  @ApiOkResponse({ schema: zodSchema(MetricsAttentionSchema) })
  @ApiBadRequestResponse(errorBody)
  @ApiNotFoundResponse(errorBody)
  attention(
    @CurrentStaff() staff: StaffPrincipal,
    @Query() query: MetricsAttentionQueryDto,
  ): Promise<MetricsAttention> {
    return this.metrics.attention(staff, query)
  }

  /** 响应率, 解决率, 满意率, 按时办结率 with their counts, for a place the caller may view. */
  @Get()
  @Can('view_metrics')
  @ApiOkResponse({ schema: zodSchema(MetricsSchema) })
  @ApiBadRequestResponse(errorBody)
  @ApiNotFoundResponse(errorBody)
  show(@CurrentStaff() staff: StaffPrincipal, @Query() query: MetricsQueryDto): Promise<Metrics> {
    return this.metrics.metrics(staff, query)
  }
}
