import { Body, Controller, Get, HttpCode, Patch, Post } from '@nestjs/common'
import { ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger'
import { MeSchema, type Me } from '@mq/shared'
import { zodSchema } from '../openapi/zod-schema'
import {
  Authenticated,
  CurrentPrincipal,
  CurrentResident,
  CurrentStaff,
  ResidentOnly,
  StaffOnly,
} from './access.decorators'
import { ChangePasswordDto, UpdateMeDto } from './auth.dto'
import { AuthService } from './auth.service'
import type { Principal, ResidentPrincipal, StaffPrincipal } from './principal'

@ApiTags('auth')
@Controller('api/me')
export class MeController {
  constructor(private readonly auth: AuthService) {}

  /** Who I am: a resident, or a staff member with memberships and what they allow. */
  @Get()
  @Authenticated()
  @ApiOkResponse({ schema: zodSchema(MeSchema) })
  get(@CurrentPrincipal() principal: Principal): Promise<Me> {
    return this.auth.me(principal)
  }

  /** A resident adds (or removes, with null) a phone number or name, so handlers can call back. */
  @Patch()
  @ResidentOnly()
  @ApiOkResponse({ schema: zodSchema(MeSchema) })
  update(@CurrentResident() resident: ResidentPrincipal, @Body() body: UpdateMeDto): Promise<Me> {
    return this.auth.updateResident(resident, body)
  }

  /** A staff member changes their password; their other sessions end. */
  @Post('password')
  @HttpCode(204)
  @StaffOnly()
  @ApiNoContentResponse()
  changePassword(@CurrentStaff() staff: StaffPrincipal, @Body() body: ChangePasswordDto): Promise<void> {
    return this.auth.changeStaffPassword(staff, body)
  }
}
