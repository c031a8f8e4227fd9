import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common'
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger'
import {
  CalendarOverrideInputSchema,
  ErrorBodySchema,
  LocalDateSchema,
  PlaceCalendarSchema,
  UuidSchema,
  type PlaceCalendar,
} from '@mq/shared'
import { createZodDto, ZodValidationPipe } from 'nestjs-zod'
import { Can, CurrentStaff } from '../auth/access.decorators'
import type { StaffPrincipal } from '../auth/principal'
import { zodSchema } from '../openapi/zod-schema'
import { CalendarChangesService } from './calendar-changes.service'
import { CalendarOverridesService } from './calendar-overrides.service'

class CalendarOverrideInputDto extends createZodDto(CalendarOverrideInputSchema) {}

const Id = new ZodValidationPipe(UuidSchema)
const LocalDate = new ZodValidationPipe(LocalDateSchema)
const errorBody = { schema: zodSchema(ErrorBodySchema) }
const calendarBody = { schema: zodSchema(PlaceCalendarSchema) }

/**
 * A place's working calendar corrections (a district, street, community or compound): admins over the
 * place (manage_places, as for deadline settings); 404 outside their places. Each answer is the place's
 * calendar from today on: its own days, those it inherits, and the current and next year's schedule status.
 * Requests under the place count their working days with them: those filed from then on, and the open ones
 * whose handler counts working days (moved at once).
 */
@ApiTags('admin')
@Controller('api/admin/places/:placeId/calendar')
@Can('manage_places')
export class CalendarOverridesController {
  constructor(
    private readonly calendar: CalendarOverridesService,
    private readonly changes: CalendarChangesService,
  ) {}

  @Get()
  @ApiOkResponse(calendarBody)
  @ApiNotFoundResponse(errorBody)
  show(@CurrentStaff() admin: StaffPrincipal, @Param('placeId', Id) placeId: string): Promise<PlaceCalendar> {
    return this.calendar.show(admin, placeId)
  }

  /**
   * Adds a day off (`working: false`) or on, with the reason, and moves the open requests under the place;
   * a date the place already set is a 409.
   */
  @Post('overrides')
  @ApiCreatedResponse(calendarBody)
  @ApiBadRequestResponse(errorBody)
  @ApiNotFoundResponse(errorBody)
  @ApiConflictResponse(errorBody)
  add(
    @CurrentStaff() admin: StaffPrincipal,
    @Param('placeId', Id) placeId: string,
    @Body() body: CalendarOverrideInputDto,
  ): Promise<PlaceCalendar> {
    return this.changes.add(admin, placeId, body)
  }

  /** Removes the place's own override of the date (nothing to remove is fine) and moves them back; inherited ones stay. */
  @Delete('overrides/:date')
  @ApiOkResponse(calendarBody)
  @ApiBadRequestResponse(errorBody)
  @ApiNotFoundResponse(errorBody)
  remove(
    @CurrentStaff() admin: StaffPrincipal,
    @Param('placeId', Id) placeId: string,
    @Param('date', LocalDate) date: string,
  ): Promise<PlaceCalendar> {
    return this.changes.remove(admin, placeId, date)
  }
}
