import { Controller, forwardRef, Get, Inject, Param } from '@nestjs/common'
import { ApiOkResponse, ApiTags } from '@nestjs/swagger'
import { QrTokenSchema, ScanViewSchema, type ScanView } from '@mq/shared'
import { ZodValidationPipe } from 'nestjs-zod'
import { Public } from '../auth/access.decorators'
import { zodSchema } from '../openapi/zod-schema'
import { DeadlineSettingsService } from '../deadlines/deadline-settings.service'
import { PlacesService } from './places.service'

@ApiTags('places')
@Controller('api/places')
export class PlacesController {
  constructor(
    private readonly places: PlacesService,
    // Deadline settings are a domain of their own that itself reads places: a forward reference.
    @Inject(forwardRef(() => DeadlineSettingsService)) private readonly deadlines: DeadlineSettingsService,
  ) {}

  /** Public: what the scan page shows for a QR token, with the deadline rules filing there follows. */
  @Get('by-token/:token')
  @Public()
  @ApiOkResponse({ schema: zodSchema(ScanViewSchema) })
  async byToken(@Param('token', new ZodValidationPipe(QrTokenSchema)) token: string): Promise<ScanView> {
    const view = await this.places.scanView(token)
    return { ...view, deadlines: await this.deadlines.effective(view.compound.id) }
  }
}
