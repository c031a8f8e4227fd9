import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common'
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger'
import {
  ErrorBodySchema,
  EscalationPageSchema,
  TicketViewSchema,
  UuidSchema,
  type EscalationPage,
  type TicketView,
} from '@mq/shared'
import { ZodValidationPipe } from 'nestjs-zod'
import { Can, CurrentStaff } from '../auth/access.decorators'
import type { StaffPrincipal } from '../auth/principal'
import { RequestId } from '../common/request-id.decorator'
import { zodSchema } from '../openapi/zod-schema'
import { EscalationQueryDto, ExtendPromiseDto, ReassignTicketDto } from './supervision.dto'
import { SupervisionService } from './supervision.service'

const Id = new ZodValidationPipe(UuidSchema)
const errorBody = { schema: zodSchema(ErrorBodySchema) }
const view = { schema: zodSchema(TicketViewSchema) }
const notFound = {
  description: 'TICKET_NOT_FOUND: no such request, or not in the caller’s places',
  ...errorBody,
}

/** 督办: what the supervisory chain (小区书记 → 社区 → 街道 → 区) does about requests. */
@ApiTags('supervision')
@Controller('api')
export class SupervisionController {
  constructor(private readonly supervision: SupervisionService) {}

  /** Escalated open requests in the caller's places: highest level first, then the most overdue. */
  @Get('escalations')
  @Can('supervise_tickets')
  @ApiOkResponse({ schema: zodSchema(EscalationPageSchema) })
  escalations(
    @CurrentStaff() staff: StaffPrincipal,
    @Query() query: EscalationQueryDto,
  ): Promise<EscalationPage> {
    return this.supervision.escalations(staff, query)
  }

  /** Extends the promised date of a complex request's reply (beyond 30 days if need be), with a public reason. */
  @Post('requests/:id/extend')
  @HttpCode(200)
  @Can('supervise_tickets')
  @ApiOkResponse(view)
  @ApiNotFoundResponse(notFound)
  @ApiConflictResponse({
    description: 'ILLEGAL_TRANSITION: only a replied complex request has a promise',
    ...errorBody,
  })
  extend(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('id', Id) id: string,
    @Body() body: ExtendPromiseDto,
    @RequestId() requestId: string,
  ): Promise<TicketView> {
    return this.supervision.extendPromise(staff, id, body, requestId)
  }

  /** 改派: gives an open request to another person or role at its place, with a reason. */
  @Post('requests/:id/reassign')
  @HttpCode(200)
  @Can('supervise_tickets')
  @ApiOkResponse(view)
  @ApiNotFoundResponse(notFound)
  @ApiConflictResponse({ description: 'ILLEGAL_TRANSITION: the request is finished', ...errorBody })
  reassign(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('id', Id) id: string,
    @Body() body: ReassignTicketDto,
    @RequestId() requestId: string,
  ): Promise<TicketView> {
    return this.supervision.reassign(staff, id, body, requestId)
  }
}
