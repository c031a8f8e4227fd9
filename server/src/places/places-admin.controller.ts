import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common'
import { ApiBadRequestResponse, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger'
import {
  ErrorBodySchema,
  PlaceImportResultSchema,
  PlaceListSchema,
  PlaceViewSchema,
  QrReissueResultSchema,
  UuidSchema,
  type PlaceImportResult,
  type PlaceList,
  type PlaceView,
  type QrReissueResult,
} from '@mq/shared'
import { ZodValidationPipe } from 'nestjs-zod'
import { Can, CurrentStaff } from '../auth/access.decorators'
import type { StaffPrincipal } from '../auth/principal'
import { SHEET_CONTENT_TYPES, SheetBody } from '../common/sheet-upload'
import { zodSchema } from '../openapi/zod-schema'
import { CreatePlaceDto, UpdatePlaceDto } from './places.dto'
import { PlacesAdminService } from './places-admin.service'

const Id = new ZodValidationPipe(UuidSchema)

/** Admins set up compounds, buildings and units under their places (role admin; shared/src/policy.ts). */
@ApiTags('admin')
@Controller('api/admin/places')
@Can('manage_places')
export class PlacesAdminController {
  constructor(private readonly admin: PlacesAdminService) {}

  @Get()
  @ApiOkResponse({ schema: zodSchema(PlaceListSchema) })
  list(@CurrentStaff() admin: StaffPrincipal): Promise<PlaceList> {
    return this.admin.list(admin)
  }

  @Post()
  @ApiCreatedResponse({ schema: zodSchema(PlaceViewSchema) })
  create(@CurrentStaff() admin: StaffPrincipal, @Body() body: CreatePlaceDto): Promise<PlaceView> {
    return this.admin.create(admin, body)
  }

  /** Rename or reorder. */
  @Patch(':id')
  @ApiOkResponse({ schema: zodSchema(PlaceViewSchema) })
  update(
    @CurrentStaff() admin: StaffPrincipal,
    @Param('id', Id) id: string,
    @Body() body: UpdatePlaceDto,
  ): Promise<PlaceView> {
    return this.admin.update(admin, id, body)
  }

  @Post(':id/retire')
  @ApiCreatedResponse({ schema: zodSchema(PlaceViewSchema) })
  retire(@CurrentStaff() admin: StaffPrincipal, @Param('id', Id) id: string): Promise<PlaceView> {
    return this.admin.retire(admin, id)
  }

  /**
   * Buildings and units of a compound from CSV or XLSX sent as the request body. Columns: 楼栋, 单元,
   * optional 楼栋排序, 单元排序. Any bad row: 400 listing every error by row, nothing imported.
   */
  @Post(':id/import')
  @ApiConsumes(...SHEET_CONTENT_TYPES)
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiCreatedResponse({ schema: zodSchema(PlaceImportResultSchema) })
  @ApiBadRequestResponse({ description: 'Every bad row, as details [{ path: "row 3", message }]', schema: zodSchema(ErrorBodySchema) })
  importUnits(
    @CurrentStaff() admin: StaffPrincipal,
    @Param('id', Id) id: string,
    @Body(SheetBody) file: Buffer,
  ): Promise<PlaceImportResult> {
    return this.admin.importUnits(admin, id, file)
  }

  /** Replaces a unit's QR code: the old poster then says "此二维码已更换". */
  @Post(':id/qr')
  @ApiCreatedResponse({ schema: zodSchema(QrReissueResultSchema) })
  reissueQr(@CurrentStaff() admin: StaffPrincipal, @Param('id', Id) id: string): Promise<QrReissueResult> {
    return this.admin.reissueQr(admin, id)
  }
}
