import { Body, Controller, Get, Param, Put } from '@nestjs/common'
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger'
import {
  AfterPhotoSettingsInputSchema,
  AfterPhotoSettingsSchema,
  ErrorBodySchema,
  UuidSchema,
  type AfterPhotoSettings,
} from '@mq/shared'
import { createZodDto, ZodValidationPipe } from 'nestjs-zod'
import { Can, CurrentStaff } from '../auth/access.decorators'
import type { StaffPrincipal } from '../auth/principal'
import { zodSchema } from '../openapi/zod-schema'
import { AfterPhotoService } from './after-photo.service'

class AfterPhotoSettingsInputDto extends createZodDto(AfterPhotoSettingsInputSchema) {}

const Id = new ZodValidationPipe(UuidSchema)
const errorBody = { schema: zodSchema(ErrorBodySchema) }

/**
 * A compound's categories whose resolution needs an after photo (when the resident sent before photos):
 * admins over the compound (manage_places); 404 outside their places.
 */
@ApiTags('admin')
@Controller('api/admin/compounds/:compoundId/after-photo-settings')
@Can('manage_places')
export class AfterPhotoController {
  constructor(private readonly settings: AfterPhotoService) {}

  /** The defaults, the compound's own list (null: none) and what applies. */
  @Get()
  @ApiOkResponse({ schema: zodSchema(AfterPhotoSettingsSchema) })
  @ApiNotFoundResponse(errorBody)
  show(@CurrentStaff() admin: StaffPrincipal, @Param('compoundId', Id) compoundId: string): Promise<AfterPhotoSettings> {
    return this.settings.get(admin, compoundId)
  }

  /** Replaces the compound's list; `{ "categories": null }` goes back to the defaults. */
  @Put()
  @ApiOkResponse({ schema: zodSchema(AfterPhotoSettingsSchema) })
  @ApiBadRequestResponse(errorBody)
  @ApiNotFoundResponse(errorBody)
  replace(
    @CurrentStaff() admin: StaffPrincipal,
    @Param('compoundId', Id) compoundId: string,
    @Body() body: AfterPhotoSettingsInputDto,
  ): Promise<AfterPhotoSettings> {
    return this.settings.put(admin, compoundId, body)
  }
}
