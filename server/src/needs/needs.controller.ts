import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common'
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger'
import {
  ErrorBodySchema,
  MyNeedsQuerySchema,
  NeedFromRequestInputSchema,
  MyNeedsSchema,
  NeedStatusInputSchema,
  ProposeNeedInputSchema,
  PublicNeedListSchema,
  PublicNeedSchema,
  StaffNeedInputSchema,
  StaffNeedListSchema,
  StaffNeedSchema,
  SupportNeedInputSchema,
  SupportNeedResultSchema,
  UuidSchema,
  type MyNeeds,
  type PublicNeed,
  type PublicNeedList,
  type StaffNeed,
  type StaffNeedList,
  type SupportNeedResult,
} from '@mq/shared'
import { createZodDto, ZodValidationPipe } from 'nestjs-zod'
import { Can, CurrentResident, CurrentStaff, Public, ResidentOnly } from '../auth/access.decorators'
import type { ResidentPrincipal, StaffPrincipal } from '../auth/principal'
import { zodSchema } from '../openapi/zod-schema'
import { NeedsService } from './needs.service'

class ProposeNeedDto extends createZodDto(ProposeNeedInputSchema) {}
class StaffNeedDto extends createZodDto(StaffNeedInputSchema) {}
class SupportNeedDto extends createZodDto(SupportNeedInputSchema) {}
class NeedStatusDto extends createZodDto(NeedStatusInputSchema) {}
class MyNeedsQueryDto extends createZodDto(MyNeedsQuerySchema) {}
class NeedFromRequestDto extends createZodDto(NeedFromRequestInputSchema) {}

const errorBody = { schema: zodSchema(ErrorBodySchema) }
const needNotFound = { description: 'NEED_NOT_FOUND: no such need (in the caller’s compounds)', ...errorBody }
const placeNotFound = { description: 'PLACE_NOT_FOUND: no such compound or unit (in the caller’s compounds)', ...errorBody }
const idPipe = new ZodValidationPipe(UuidSchema)

/** A compound's needs for anyone: no proposer, no supporter, no room; the text redacted. */
@ApiTags('needs')
@Controller('api/compounds')
export class PublicNeedsController {
  constructor(private readonly needs: NeedsService) {}

  @Get(':compoundId/needs')
  @Public()
  @ApiOkResponse({ schema: zodSchema(PublicNeedListSchema) })
  @ApiNotFoundResponse(placeNotFound)
  list(@Param('compoundId', idPipe) compoundId: string): Promise<PublicNeedList> {
    return this.needs.publicList(compoundId)
  }
}

/** 居民需求清单: residents propose and support; the compound's handlers and secretary set the status. */
@ApiTags('needs')
@Controller('api/needs')
export class NeedsController {
  constructor(private readonly needs: NeedsService) {}

  /** The needs of every compound the caller handles requests in, with those compounds. */
  @Get()
  @Can('handle_tickets')
  @ApiOkResponse({ schema: zodSchema(StaffNeedListSchema) })
  staffList(@CurrentStaff() staff: StaffPrincipal): Promise<StaffNeedList> {
    return this.needs.staffList(staff)
  }

  /** A resident proposes a need at the unit they scanned; their household counts as its first support. */
  @Post()
  @ResidentOnly()
  @ApiOkResponse({ schema: zodSchema(PublicNeedSchema) })
  @ApiNotFoundResponse(placeNotFound)
  propose(@CurrentResident() resident: ResidentPrincipal, @Body() body: ProposeNeedDto): Promise<PublicNeed> {
    return this.needs.propose(resident, body)
  }

  /** Staff enter a need for a resident (by phone, at the desk); a unit and room count that household. */
  @Post('staff')
  @Can('handle_tickets')
  @ApiOkResponse({ schema: zodSchema(StaffNeedSchema) })
  @ApiNotFoundResponse(placeNotFound)
  proposeByStaff(@CurrentStaff() staff: StaffPrincipal, @Body() body: StaffNeedDto): Promise<StaffNeed> {
    return this.needs.proposeByStaff(staff, body)
  }

  /** Which needs of a compound the calling resident proposed or supported. */
  @Get('mine')
  @ResidentOnly()
  @ApiOkResponse({ schema: zodSchema(MyNeedsSchema) })
  mine(@CurrentResident() resident: ResidentPrincipal, @Query() query: MyNeedsQueryDto): Promise<MyNeeds> {
    return this.needs.mine(resident, query.compoundId)
  }

  /** +1, once per household; a repeat changes nothing (counted: false) and is not an error. */
  @Post(':id/support')
  @HttpCode(200)
  @ResidentOnly()
  @ApiOkResponse({ schema: zodSchema(SupportNeedResultSchema) })
  @ApiNotFoundResponse(needNotFound)
  support(
    @CurrentResident() resident: ResidentPrincipal,
    @Param('id', idPipe) id: string,
    @Body() body: SupportNeedDto,
  ): Promise<SupportNeedResult> {
    return this.needs.support(resident, id, body)
  }

  /**
   * Turns a request (意见建议, 生活需求与助老) into a need linked back to it; the request's public timeline says
   * so and the request keeps its state. Its handler, 网格长 or 小区书记 only; once per request.
   */
  @Post('from-request/:ticketId')
  @Can('handle_tickets')
  @ApiOkResponse({ schema: zodSchema(StaffNeedSchema) })
  @ApiNotFoundResponse({ description: 'TICKET_NOT_FOUND: no such request in the caller’s places', ...errorBody })
  @ApiConflictResponse({ description: 'NEED_NOT_CONVERTIBLE: not of 意见建议 or 生活需求与助老, or turned already', ...errorBody })
  fromRequest(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('ticketId', idPipe) ticketId: string,
    @Body() body: NeedFromRequestDto,
  ): Promise<StaffNeed> {
    return this.needs.fromRequest(staff, ticketId, body)
  }

  /** Sets the public status (征集中 → 已列入计划 → 实施中 → 已完成, or 暂不可行 with a public reason). */
  @Post(':id/status')
  @HttpCode(200)
  @Can('handle_tickets')
  @ApiOkResponse({ schema: zodSchema(StaffNeedSchema) })
  @ApiNotFoundResponse(needNotFound)
  @ApiConflictResponse({ description: 'ILLEGAL_TRANSITION: not a move the status may make', ...errorBody })
  setStatus(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('id', idPipe) id: string,
    @Body() body: NeedStatusDto,
  ): Promise<StaffNeed> {
    return this.needs.setStatus(staff, id, body)
  }
}
