import { Body, Controller, Get, Param, Put } from '@nestjs/common'
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger'
import { ErrorBodySchema, UrgentListInputSchema, UrgentListViewSchema, UuidSchema, type UrgentListView } from '@mq/shared'
import { createZodDto, ZodValidationPipe } from 'nestjs-zod'
import { Can, CurrentStaff } from '../auth/access.decorators'
import type { StaffPrincipal } from '../auth/principal'
import { zodSchema } from '../openapi/zod-schema'
import { UrgentListService } from './urgent-list.service'

class UrgentListInputDto extends createZodDto(UrgentListInputSchema) {}

const Id = new ZodValidationPipe(UuidSchema)
const errorBody = { schema: zodSchema(ErrorBodySchema) }
const listBody = { schema: zodSchema(UrgentListViewSchema) }

/**
 * A place's danger list for the urgent lane (a district, street, community or compound) and a compound's
 * 物业 24-hour line: admins over the place (manage_places); 404 outside their places. Reports filed from
 * then on under the place are judged by the list; the emergency sheet shows the line.
 */
@ApiTags('admin')
@Controller('api/admin/places/:placeId/urgent-list')
@Can('manage_places')
export class UrgentListController {
  constructor(private readonly list: UrgentListService) {}

  /** The defaults, each level's own changes (outermost first) and the list that applies. */
  @Get()
  @ApiOkResponse(listBody)
  @ApiNotFoundResponse(errorBody)
  show(@CurrentStaff() admin: StaffPrincipal, @Param('placeId', Id) placeId: string): Promise<UrgentListView> {
    return this.list.show(admin, placeId)
  }

  /** Replaces the place's own changes and, for a compound, its 物业 24-hour line (null: none). */
  @Put()
  @ApiOkResponse(listBody)
  @ApiBadRequestResponse(errorBody)
  @ApiNotFoundResponse(errorBody)
  replace(
    @CurrentStaff() admin: StaffPrincipal,
    @Param('placeId', Id) placeId: string,
    @Body() body: UrgentListInputDto,
  ): Promise<UrgentListView> {
    return this.list.put(admin, placeId, body)
  }
}
