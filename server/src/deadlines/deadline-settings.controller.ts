import { Body, Controller, Get, Param, Put } from '@nestjs/common'
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger'
import {
  DeadlineSettingsInputSchema,
  DeadlineSettingsSchema,
  ErrorBodySchema,
  UuidSchema,
  type DeadlineSettings,
} from '@mq/shared'
import { createZodDto, ZodValidationPipe } from 'nestjs-zod'
import { Can, CurrentStaff } from '../auth/access.decorators'
import type { StaffPrincipal } from '../auth/principal'
import { zodSchema } from '../openapi/zod-schema'
import { DeadlineSettingsService } from './deadline-settings.service'

class DeadlineSettingsInputDto extends createZodDto(DeadlineSettingsInputSchema) {}

const Id = new ZodValidationPipe(UuidSchema)
const errorBody = { schema: zodSchema(ErrorBodySchema) }

/**
 * A compound's deadline settings: admins over the compound (manage_places, as for its routing
 * rules); 404 outside their places. New requests in the compound use them; existing ones keep theirs.
 */
@ApiTags('admin')
@Controller('api/admin/compounds/:compoundId/deadline-settings')
@Can('manage_places')
export class DeadlineSettingsController {
  constructor(private readonly settings: DeadlineSettingsService) {}

  /** The defaults, the compound's overrides and what applies to new requests. */
  @Get()
  @ApiOkResponse({ schema: zodSchema(DeadlineSettingsSchema) })
  @ApiNotFoundResponse(errorBody)
  show(
    @CurrentStaff() admin: StaffPrincipal,
    @Param('compoundId', Id) compoundId: string,
  ): Promise<DeadlineSettings> {
    return this.settings.get(admin, compoundId)
  }

  /** Replaces the overrides: fields left out follow the defaults; `{}` resets all. */
  @Put()
  @ApiOkResponse({ schema: zodSchema(DeadlineSettingsSchema) })
  @ApiBadRequestResponse(errorBody)
  @ApiNotFoundResponse(errorBody)
  replace(
    @CurrentStaff() admin: StaffPrincipal,
    @Param('compoundId', Id) compoundId: string,
    @Body() body: DeadlineSettingsInputDto,
  ): Promise<DeadlineSettings> {
    return this.settings.put(admin, compoundId, body)
  }
}
