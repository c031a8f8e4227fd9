import { Body, Controller, Get, Header, Param, Patch, Post, Query, StreamableFile } from '@nestjs/common'
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger'
import {
  ErrorBodySchema,
  MatchCreateSchema,
  MatchDoneSchema,
  MatchQuerySchema,
  ResourceCompoundsSchema,
  ResourceCreateSchema,
  ResourceImportResultSchema,
  ResourceListSchema,
  ResourceMatchListSchema,
  ResourceMatchSchema,
  ResourceQuerySchema,
  ResourceUpdateSchema,
  ResourceViewSchema,
  UuidSchema,
  type ResourceCompounds,
  type ResourceImportResult,
  type ResourceList,
  type ResourceMatch,
  type ResourceMatchList,
  type ResourceView,
} from '@mq/shared'
import { createZodDto, ZodValidationPipe } from 'nestjs-zod'
import { CurrentStaff, StaffOnly } from '../auth/access.decorators'
import type { StaffPrincipal } from '../auth/principal'
import { RequestId } from '../common/request-id.decorator'
import { SHEET_CONTENT_TYPES, SheetBody } from '../common/sheet-upload'
import { zodSchema } from '../openapi/zod-schema'
import { ResourcesService } from './resources.service'

class ResourceCreateDto extends createZodDto(ResourceCreateSchema) {}
class ResourceUpdateDto extends createZodDto(ResourceUpdateSchema) {}
class ResourceQueryDto extends createZodDto(ResourceQuerySchema) {}
class MatchCreateDto extends createZodDto(MatchCreateSchema) {}
class MatchDoneDto extends createZodDto(MatchDoneSchema) {}
class MatchQueryDto extends createZodDto(MatchQuerySchema) {}

const Id = new ZodValidationPipe(UuidSchema)
const errorBody = { schema: zodSchema(ErrorBodySchema) }
const resource = { schema: zodSchema(ResourceViewSchema) }
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/**
 * A compound's resources list (资源清单): kept by its admins and 网格长, read by staff who handle or
 * supervise requests there, nothing for residents or the public. Contacts are masked in lists; opening one
 * resource shows them in full to the compound's 网格长, 物业 and 自管小组, and logs it. Any staff member may
 * call; the service answers 404 outside the caller's compounds (403 where they read but may not change).
 */
@ApiTags('resources')
@Controller('api/resources')
@StaffOnly()
export class ResourcesController {
  constructor(private readonly resources: ResourcesService) {}

  @Get()
  @ApiOkResponse({ schema: zodSchema(ResourceListSchema) })
  @ApiNotFoundResponse(errorBody)
  list(@CurrentStaff() staff: StaffPrincipal, @Query() query: ResourceQueryDto): Promise<ResourceList> {
    return this.resources.list(staff, query)
  }

  /** The compounds whose lists the caller reads, and which they keep. */
  @Get('compounds')
  @ApiOkResponse({ schema: zodSchema(ResourceCompoundsSchema) })
  compounds(@CurrentStaff() staff: StaffPrincipal): Promise<ResourceCompounds> {
    return this.resources.compounds(staff)
  }

  /** The import template (XLSX): the columns, and what goes in each on a second sheet. */
  @Get('import-template.xlsx')
  @Header('cache-control', 'private, no-store')
  @ApiProduces(XLSX)
  @ApiOkResponse({ content: { [XLSX]: { schema: { type: 'string', format: 'binary' } } } })
  async template(@CurrentStaff() staff: StaffPrincipal): Promise<StreamableFile> {
    const body = await this.resources.importTemplate(staff)
    return new StreamableFile(body, {
      type: XLSX,
      length: body.length,
      disposition: `attachment; filename="resources.xlsx"; filename*=UTF-8''${encodeURIComponent('资源清单导入模板.xlsx')}`,
    })
  }

  /** The matches of a request or a need (staff who may see it). */
  @Get('matches')
  @ApiOkResponse({ schema: zodSchema(ResourceMatchListSchema) })
  @ApiNotFoundResponse(errorBody)
  matches(@CurrentStaff() staff: StaffPrincipal, @Query() query: MatchQueryDto): Promise<ResourceMatchList> {
    return this.resources.matches(staff, query)
  }

  /** Sets resources to work on a request or a need, with an owner and a working-day target date. */
  @Post('matches')
  @ApiCreatedResponse({ schema: zodSchema(ResourceMatchListSchema) })
  @ApiBadRequestResponse(errorBody)
  @ApiNotFoundResponse(errorBody)
  match(@CurrentStaff() staff: StaffPrincipal, @Body() body: MatchCreateDto): Promise<ResourceMatchList> {
    return this.resources.match(staff, body)
  }

  /** 销号: the match is done, with a note. */
  @Post('matches/:id/done')
  @ApiCreatedResponse({ schema: zodSchema(ResourceMatchSchema) })
  @ApiBadRequestResponse(errorBody)
  @ApiNotFoundResponse(errorBody)
  done(@CurrentStaff() staff: StaffPrincipal, @Param('id', Id) id: string, @Body() body: MatchDoneDto): Promise<ResourceMatch> {
    return this.resources.done(staff, id, body)
  }

  /**
   * Resources of a compound from CSV or XLSX sent as the request body (the template's columns). Any bad
   * row: 400 listing every error by row, nothing imported; a row of an existing kind and name updates it.
   */
  @Post('compounds/:compoundId/import')
  @ApiConsumes(...SHEET_CONTENT_TYPES)
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiCreatedResponse({ schema: zodSchema(ResourceImportResultSchema) })
  @ApiBadRequestResponse({ description: 'Every bad row, as details [{ path: "row 3", message }]', ...errorBody })
  importSheet(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('compoundId', Id) compoundId: string,
    @Body(SheetBody) file: Buffer,
  ): Promise<ResourceImportResult> {
    return this.resources.importSheet(staff, compoundId, file)
  }

  @Post()
  @ApiCreatedResponse(resource)
  @ApiBadRequestResponse(errorBody)
  @ApiNotFoundResponse(errorBody)
  create(@CurrentStaff() staff: StaffPrincipal, @Body() body: ResourceCreateDto): Promise<ResourceView> {
    return this.resources.create(staff, body)
  }

  /** One resource; its contact in full for the compound's 网格长, 物业 and 自管小组 (each read logged). */
  @Get(':id')
  @Header('cache-control', 'private, no-store')
  @ApiOkResponse(resource)
  @ApiNotFoundResponse(errorBody)
  get(@CurrentStaff() staff: StaffPrincipal, @Param('id', Id) id: string, @RequestId() requestId: string): Promise<ResourceView> {
    return this.resources.get(staff, id, requestId)
  }

  /** Only the fields sent change; active: false takes it off the list and clears its contact. */
  @Patch(':id')
  @ApiOkResponse(resource)
  @ApiBadRequestResponse(errorBody)
  @ApiNotFoundResponse(errorBody)
  update(@CurrentStaff() staff: StaffPrincipal, @Param('id', Id) id: string, @Body() body: ResourceUpdateDto): Promise<ResourceView> {
    return this.resources.update(staff, id, body)
  }
}
