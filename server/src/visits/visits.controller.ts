import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common'
import { ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger'
import {
  CreateHouseholdSchema,
  ErrorBodySchema,
  HouseholdDetailSchema,
  HouseholdListQuerySchema,
  HouseholdListSchema,
  LogVisitSchema,
  UpdateHouseholdSchema,
  UuidSchema,
  VisitDueCountSchema,
  VisitFiguresQuerySchema,
  VisitFiguresSchema,
  VisitNeedSchema,
  VisitRequestSchema,
  VisitScheduleSchema,
  VisitViewSchema,
  type HouseholdDetail,
  type HouseholdList,
  type VisitDueCount,
  type VisitFigures,
  type VisitSchedule,
  type VisitView,
} from '@mq/shared'
import { createZodDto, ZodValidationPipe } from 'nestjs-zod'
import { Can, CurrentStaff, StaffOnly } from '../auth/access.decorators'
import type { StaffPrincipal } from '../auth/principal'
import { RequestId } from '../common/request-id.decorator'
import { zodSchema } from '../openapi/zod-schema'
import { VisitsService } from './visits.service'

class HouseholdListQueryDto extends createZodDto(HouseholdListQuerySchema) {}
class VisitFiguresQueryDto extends createZodDto(VisitFiguresQuerySchema) {}
class CreateHouseholdDto extends createZodDto(CreateHouseholdSchema) {}
class UpdateHouseholdDto extends createZodDto(UpdateHouseholdSchema) {}
class LogVisitDto extends createZodDto(LogVisitSchema) {}
class VisitRequestDto extends createZodDto(VisitRequestSchema) {}
class VisitNeedDto extends createZodDto(VisitNeedSchema) {}

const errorBody = { schema: zodSchema(ErrorBodySchema) }
const notFound = {
  description: 'VISIT_NOT_FOUND: no such household or visit the caller may see; PLACE_NOT_FOUND: no such compound or unit in the caller’s places',
  ...errorBody,
}
const detail = { schema: zodSchema(HouseholdDetailSchema) }
const visit = { schema: zodSchema(VisitViewSchema) }
const id = new ZodValidationPipe(UuidSchema)

/**
 * 走访与电话问候: the register of households to visit, each grid worker's schedule, the visit log and a
 * request filed from a visit. Names, phones, rooms and notes in full only for the compound's
 * 网格长/物业/自管小组 (every such read logged); its other handlers see them masked; supervisors the counts.
 */
@ApiTags('visits')
@Controller('api/visits')
export class VisitsController {
  constructor(private readonly visits: VisitsService) {}

  /** The register of a compound, as the caller may see it (full or masked). */
  @Get('households')
  @Can('view_tickets')
  @ApiOkResponse({ schema: zodSchema(HouseholdListSchema) })
  @ApiNotFoundResponse(notFound)
  list(
    @CurrentStaff() staff: StaffPrincipal,
    @Query() query: HouseholdListQueryDto,
    @RequestId() requestId: string,
  ): Promise<HouseholdList> {
    return this.visits.list(staff, query.compoundId, requestId)
  }

  /** Puts a household on the register (网格长/物业/自管小组 of the compound). */
  @Post('households')
  @Can('handle_tickets')
  @ApiOkResponse(detail)
  @ApiNotFoundResponse(notFound)
  @HttpCode(200)
  create(
    @CurrentStaff() staff: StaffPrincipal,
    @Body() body: CreateHouseholdDto,
    @RequestId() requestId: string,
  ): Promise<HouseholdDetail> {
    return this.visits.create(staff, body, requestId)
  }

  /** A household with its recent visits. */
  @Get('households/:id')
  @Can('view_tickets')
  @ApiOkResponse(detail)
  @ApiNotFoundResponse(notFound)
  detail(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('id', id) householdId: string,
    @RequestId() requestId: string,
  ): Promise<HouseholdDetail> {
    return this.visits.detail(staff, householdId, requestId)
  }

  @Patch('households/:id')
  @Can('handle_tickets')
  @ApiOkResponse(detail)
  @ApiNotFoundResponse(notFound)
  update(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('id', id) householdId: string,
    @Body() body: UpdateHouseholdDto,
    @RequestId() requestId: string,
  ): Promise<HouseholdDetail> {
    return this.visits.update(staff, householdId, body, requestId)
  }

  /** Takes a household off the register: its personal data is cleared at once. */
  @Delete('households/:id')
  @HttpCode(204)
  @Can('handle_tickets')
  @ApiNoContentResponse({ description: 'Off the register' })
  @ApiNotFoundResponse(notFound)
  leave(@CurrentStaff() staff: StaffPrincipal, @Param('id', id) householdId: string): Promise<void> {
    return this.visits.leave(staff, householdId)
  }

  /** The caller's schedule: households assigned to them, overdue first, then by due date. */
  @Get('schedule')
  @Can('view_tickets')
  @ApiOkResponse({ schema: zodSchema(VisitScheduleSchema) })
  schedule(@CurrentStaff() staff: StaffPrincipal, @RequestId() requestId: string): Promise<VisitSchedule> {
    return this.visits.schedule(staff, requestId)
  }

  /** How many of the caller's households are overdue or due today (the inbox card). */
  @Get('due')
  @StaffOnly()
  @ApiOkResponse({ schema: zodSchema(VisitDueCountSchema) })
  due(@CurrentStaff() staff: StaffPrincipal): Promise<VisitDueCount> {
    return this.visits.dueCount(staff)
  }

  /** Households on the register and overdue ones, per compound under a place (no one's data). */
  @Get('figures')
  @Can('view_metrics')
  @ApiOkResponse({ schema: zodSchema(VisitFiguresSchema) })
  @ApiNotFoundResponse(notFound)
  figures(@CurrentStaff() staff: StaffPrincipal, @Query() query: VisitFiguresQueryDto): Promise<VisitFigures> {
    return this.visits.figures(staff, query.placeId)
  }

  /** Logs a visit or call: how they are and what they need. */
  @Post()
  @HttpCode(200)
  @Can('handle_tickets')
  @ApiOkResponse(visit)
  @ApiNotFoundResponse(notFound)
  log(@CurrentStaff() staff: StaffPrincipal, @Body() body: LogVisitDto): Promise<VisitView> {
    return this.visits.logVisit(staff, body)
  }

  /** Files a request from a visit, as a proxy entry for the household; once per visit (a retry returns it). */
  @Post(':id/request')
  @HttpCode(200)
  @Can('file_proxy_tickets')
  @ApiOkResponse(visit)
  @ApiNotFoundResponse(notFound)
  fileRequest(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('id', id) visitId: string,
    @Body() body: VisitRequestDto,
    @RequestId() requestId: string,
  ): Promise<VisitView> {
    return this.visits.fileRequest(staff, visitId, body, requestId)
  }

  /** Enters a need (居民需求) from a visit, for the household's compound; once per visit (a retry returns it). */
  @Post(':id/need')
  @HttpCode(200)
  @Can('handle_tickets')
  @ApiOkResponse(visit)
  @ApiNotFoundResponse(notFound)
  fileNeed(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('id', id) visitId: string,
    @Body() body: VisitNeedDto,
  ): Promise<VisitView> {
    return this.visits.fileNeed(staff, visitId, body)
  }
}
