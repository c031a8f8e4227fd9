import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common'
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger'
import {
  CompoundTemplatesSchema,
  ErrorBodySchema,
  FilledTemplatesSchema,
  ReplyTemplateCreateSchema,
  ReplyTemplateSchema,
  ReplyTemplateUpdateSchema,
  TemplateQuerySchema,
  UuidSchema,
  type CompoundTemplates,
  type FilledTemplates,
  type ReplyTemplate,
} from '@mq/shared'
import { createZodDto, ZodValidationPipe } from 'nestjs-zod'
import { Can, CurrentStaff } from '../auth/access.decorators'
import type { StaffPrincipal } from '../auth/principal'
import { zodSchema } from '../openapi/zod-schema'
import { TemplatesService } from './templates.service'

class ReplyTemplateCreateDto extends createZodDto(ReplyTemplateCreateSchema) {}
class ReplyTemplateUpdateDto extends createZodDto(ReplyTemplateUpdateSchema) {}
class TemplateQueryDto extends createZodDto(TemplateQuerySchema) {}

const Id = new ZodValidationPipe(UuidSchema)
const errorBody = { schema: zodSchema(ErrorBodySchema) }
const template = { schema: zodSchema(ReplyTemplateSchema) }

/**
 * Reply templates (常用回复), kept by admins at a compound, community or street (manage_places over that
 * place, as for routing and deadlines); 404 outside their places.
 */
@ApiTags('admin')
@Controller('api/admin')
@Can('manage_places')
export class TemplatesAdminController {
  constructor(private readonly templates: TemplatesService) {}

  /** A compound's templates: its own and its community's and street's, nearest first, and those places. */
  @Get('compounds/:compoundId/reply-templates')
  @ApiOkResponse({ schema: zodSchema(CompoundTemplatesSchema) })
  @ApiNotFoundResponse(errorBody)
  list(@CurrentStaff() admin: StaffPrincipal, @Param('compoundId', Id) compoundId: string): Promise<CompoundTemplates> {
    return this.templates.forCompound(admin, compoundId)
  }

  @Post('reply-templates')
  @ApiCreatedResponse(template)
  @ApiBadRequestResponse(errorBody)
  @ApiNotFoundResponse(errorBody)
  create(@CurrentStaff() admin: StaffPrincipal, @Body() body: ReplyTemplateCreateDto): Promise<ReplyTemplate> {
    return this.templates.create(admin, body)
  }

  /** New content; the template stays at its place. */
  @Put('reply-templates/:id')
  @ApiOkResponse(template)
  @ApiBadRequestResponse(errorBody)
  @ApiNotFoundResponse(errorBody)
  update(
    @CurrentStaff() admin: StaffPrincipal,
    @Param('id', Id) id: string,
    @Body() body: ReplyTemplateUpdateDto,
  ): Promise<ReplyTemplate> {
    return this.templates.update(admin, id, body)
  }

  @Delete('reply-templates/:id')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiNotFoundResponse(errorBody)
  remove(@CurrentStaff() admin: StaffPrincipal, @Param('id', Id) id: string): Promise<void> {
    return this.templates.remove(admin, id)
  }
}

/** The templates for handling one request, filled in for it: staff who handle requests and see this one. */
@ApiTags('requests')
@Controller('api/requests')
@Can('handle_tickets')
export class TemplatesController {
  constructor(private readonly templates: TemplatesService) {}

  /**
   * Templates of the request's compound, community and street for `action` and its category, placeholders
   * filled; and whether resolving it needs an after photo.
   */
  @Get(':id/reply-templates')
  @ApiOkResponse({ schema: zodSchema(FilledTemplatesSchema) })
  @ApiBadRequestResponse(errorBody)
  @ApiNotFoundResponse(errorBody)
  forRequest(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('id', Id) id: string,
    @Query() query: TemplateQueryDto,
  ): Promise<FilledTemplates> {
    return this.templates.filled(staff, id, query.action)
  }
}
