import { Controller, Get, Param } from '@nestjs/common'
import { ApiOkResponse, ApiTags } from '@nestjs/swagger'
import { QrTokenSchema, ScanViewSchema, type ScanView } from '@mq/shared'
import { ZodValidationPipe } from 'nestjs-zod'
import { Public } from '../auth/access.decorators'
import { zodSchema } from '../openapi/zod-schema'
import { PlacesService } from './places.service'

@ApiTags('places')
@Controller('api/places')
export class PlacesController {
  constructor(private readonly places: PlacesService) {}

  /** Public: what the scan page shows for a QR token. */
  @Get('by-token/:token')
  @Public()
  @ApiOkResponse({ schema: zodSchema(ScanViewSchema) })
  byToken(@Param('token', new ZodValidationPipe(QrTokenSchema)) token: string): Promise<ScanView> {
    return this.places.scanView(token)
  }
}
