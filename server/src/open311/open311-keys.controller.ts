import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common'
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger'
import {
  IssuedOpen311KeySchema,
  Open311KeyListSchema,
  Open311KeyViewSchema,
  UuidSchema,
  type IssuedOpen311Key,
  type Open311KeyList,
  type Open311KeyView,
} from '@mq/shared'
import { ZodValidationPipe } from 'nestjs-zod'
import { Can, CurrentStaff } from '../auth/access.decorators'
import type { StaffPrincipal } from '../auth/principal'
import { zodSchema } from '../openapi/zod-schema'
import { CreateOpen311KeyDto } from './open311.dto'
import { Open311KeysService } from './open311-keys.service'

const Id = new ZodValidationPipe(UuidSchema)

/**
 * Admins issue and revoke Open311 partner keys for places under their own (role admin, like setting up
 * places: shared/src/policy.ts `manage_places`). The key itself is in the answer to issuing, once.
 */
@ApiTags('admin')
@Controller('api/admin/open311/keys')
@Can('manage_places')
export class Open311KeysController {
  constructor(private readonly keys: Open311KeysService) {}

  @Get()
  @ApiOkResponse({ schema: zodSchema(Open311KeyListSchema) })
  list(@CurrentStaff() admin: StaffPrincipal): Promise<Open311KeyList> {
    return this.keys.list(admin)
  }

  @Post()
  @ApiCreatedResponse({ schema: zodSchema(IssuedOpen311KeySchema) })
  issue(@CurrentStaff() admin: StaffPrincipal, @Body() body: CreateOpen311KeyDto): Promise<IssuedOpen311Key> {
    return this.keys.issue(admin, body)
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @ApiOkResponse({ schema: zodSchema(Open311KeyViewSchema) })
  revoke(@CurrentStaff() admin: StaffPrincipal, @Param('id', Id) id: string): Promise<Open311KeyView> {
    return this.keys.revoke(admin, id)
  }
}
