import { Body, Controller, Delete, Get, HttpCode, Post } from '@nestjs/common'
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger'
import {
  ErrorBodySchema,
  MobileCodeSentSchema,
  ResidentMobileSchema,
  type MobileCodeSent,
  type ResidentMobileView,
} from '@mq/shared'
import { Throttled } from '../abuse/throttled'
import { CurrentResident, ResidentOnly } from '../auth/access.decorators'
import type { ResidentPrincipal } from '../auth/principal'
import { zodSchema } from '../openapi/zod-schema'
import { MobileCodeRequestDto, MobileVerifyDto } from './sms.dto'
import { SmsService } from './sms.service'

/**
 * The signed-in resident's own mobile number for text messages: ask for a code, verify it, see it, remove
 * it. Every route acts on the caller's own row, so there is nobody else's to reach.
 */
@ApiTags('sms')
@Controller('api/sms/mobile')
export class SmsController {
  constructor(private readonly sms: SmsService) {}

  @Get()
  @ResidentOnly()
  @ApiOkResponse({ schema: zodSchema(ResidentMobileSchema) })
  view(@CurrentResident() resident: ResidentPrincipal): Promise<ResidentMobileView> {
    return this.sms.view(resident.residentId)
  }

  /** Texts a 6-digit code to the number (valid 5 minutes; 1 a minute and 5 a day per number). */
  @Post('code')
  @HttpCode(200)
  @ResidentOnly()
  @Throttled('smsCode')
  @ApiOkResponse({ schema: zodSchema(MobileCodeSentSchema) })
  @ApiServiceUnavailableResponse({
    description: 'UPSTREAM_UNAVAILABLE: SMS is off on this deployment, or the provider did not take the message',
    schema: zodSchema(ErrorBodySchema),
  })
  requestCode(
    @CurrentResident() resident: ResidentPrincipal,
    @Body() body: MobileCodeRequestDto,
  ): Promise<MobileCodeSent> {
    return this.sms.requestCode(resident.residentId, body.phone)
  }

  /** The code from the message; right, the number is the resident's (a wrong one counts; 5 burn the code). */
  @Post('verify')
  @HttpCode(200)
  @ResidentOnly()
  @Throttled('smsVerify')
  @ApiOkResponse({ schema: zodSchema(ResidentMobileSchema) })
  verify(
    @CurrentResident() resident: ResidentPrincipal,
    @Body() body: MobileVerifyDto,
  ): Promise<ResidentMobileView> {
    return this.sms.verify(resident.residentId, body.phone, body.code)
  }

  @Delete()
  @ResidentOnly()
  @ApiOkResponse({ schema: zodSchema(ResidentMobileSchema) })
  remove(@CurrentResident() resident: ResidentPrincipal): Promise<ResidentMobileView> {
    return this.sms.remove(resident.residentId)
  }
}
