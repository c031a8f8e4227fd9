import { Controller, Get, Param } from '@nestjs/common'
import { ApiOkResponse, ApiTags } from '@nestjs/swagger'
import { QrTokenSchema, ScanViewSchema, type ScanView } from '@mq/shared'
import { ZodValidationPipe } from 'nestjs-zod'
import { Public } from '../auth/access.decorators'
import { zodSchema } from '../openapi/zod-schema'
import { ScanViews } from './scan-views'

@ApiTags('places')
@Controller('api/places')
export class PlacesController {
  constructor(private readonly scanViews: ScanViews) {}

  /** Public: what the scan page shows for a QR token, with the deadline rules filing there follows. */
  @Get('by-token/:token')
  @Public()
  @ApiOkResponse({ schema: zodSchema(ScanViewSchema) })
  async byToken(@Param('token', new ZodValidationPipe(QrTokenSchema)) token: string): Promise<ScanView> {
    return this.scanViews.forToken(token)
  }
}
