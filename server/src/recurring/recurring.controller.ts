import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common'
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger'
import {
  AdoptRecurringInputSchema,
  DismissRecurringInputSchema,
  ErrorBodySchema,
  RecurringCompoundsSchema,
  RecurringListSchema,
  RecurringProblemSchema,
  RecurringProgressInputSchema,
  RecurringQuerySchema,
  UuidSchema,
  type RecurringCompounds,
  type RecurringList,
  type RecurringProblem,
} from '@mq/shared'
import { createZodDto, ZodValidationPipe } from 'nestjs-zod'
import { Can, CurrentStaff } from '../auth/access.decorators'
import type { StaffPrincipal } from '../auth/principal'
import { zodSchema } from '../openapi/zod-schema'
import { RecurringService } from './recurring.service'

class RecurringQueryDto extends createZodDto(RecurringQuerySchema) {}
class AdoptRecurringDto extends createZodDto(AdoptRecurringInputSchema) {}
class DismissRecurringDto extends createZodDto(DismissRecurringInputSchema) {}
class RecurringProgressDto extends createZodDto(RecurringProgressInputSchema) {}

const errorBody = { schema: zodSchema(ErrorBodySchema) }
const problem = { schema: zodSchema(RecurringProblemSchema) }
const notFound = {
  description: 'RECURRING_NOT_FOUND: no such proposal or problem in the caller’s places (or decided already); PLACE_NOT_FOUND: no such compound',
  ...errorBody,
}

/** 重点问题: recurring problems of a compound, proposed by the rule and decided by its supervisors. */
@ApiTags('recurring')
@Controller('api/recurring')
export class RecurringController {
  constructor(private readonly recurring: RecurringService) {}

  /** The compounds under the places the caller supervises: where it may decide recurring problems. */
  @Get('compounds')
  @Can('supervise_tickets')
  @ApiOkResponse({ schema: zodSchema(RecurringCompoundsSchema) })
  compounds(@CurrentStaff() staff: StaffPrincipal): Promise<RecurringCompounds> {
    return this.recurring.compounds(staff)
  }

  /** Proposed problems (last 30 days), adopted ones and dismissed ones, with their requests' public text. */
  @Get()
  @Can('supervise_tickets')
  @ApiOkResponse({ schema: zodSchema(RecurringListSchema) })
  @ApiNotFoundResponse(notFound)
  list(@CurrentStaff() staff: StaffPrincipal, @Query() query: RecurringQueryDto): Promise<RecurringList> {
    return this.recurring.list(staff, query.compoundId)
  }

  /** Adopts a proposal with an owner (a role), a plan and a target date: it shows on the public board. */
  @Post('adopt')
  @HttpCode(200)
  @Can('supervise_tickets')
  @ApiOkResponse(problem)
  @ApiNotFoundResponse(notFound)
  adopt(@CurrentStaff() staff: StaffPrincipal, @Body() body: AdoptRecurringDto): Promise<RecurringProblem> {
    return this.recurring.adopt(staff, body)
  }

  /** Dismisses a proposal with a reason; it comes back only with a request it did not cover. */
  @Post('dismiss')
  @HttpCode(200)
  @Can('supervise_tickets')
  @ApiOkResponse(problem)
  @ApiNotFoundResponse(notFound)
  dismiss(@CurrentStaff() staff: StaffPrincipal, @Body() body: DismissRecurringDto): Promise<RecurringProblem> {
    return this.recurring.dismiss(staff, body)
  }

  /** A progress entry of an adopted problem (public words, shown on the board). */
  @Post(':id/progress')
  @HttpCode(200)
  @Can('supervise_tickets')
  @ApiOkResponse(problem)
  @ApiNotFoundResponse(notFound)
  progress(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('id', new ZodValidationPipe(UuidSchema)) id: string,
    @Body() body: RecurringProgressDto,
  ): Promise<RecurringProblem> {
    return this.recurring.addProgress(staff, id, body)
  }
}
