import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common'
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger'
import {
  ErrorBodySchema,
  StaffImportResultSchema,
  StaffListSchema,
  StaffViewSchema,
  UuidSchema,
  type StaffImportResult,
  type StaffList,
  type StaffView,
} from '@mq/shared'
import { ZodValidationPipe } from 'nestjs-zod'
import { Can, CurrentStaff } from '../auth/access.decorators'
import type { StaffPrincipal } from '../auth/principal'
import { SHEET_CONTENT_TYPES, SheetBody } from '../common/sheet-upload'
import { zodSchema } from '../openapi/zod-schema'
import { StaffAdminService } from './staff-admin.service'
import {
  CreateStaffDto,
  MembershipInputDto,
  ResetPasswordDto,
  StaffImportQueryDto,
  UpdateStaffDto,
} from './staff.dto'

const Id = new ZodValidationPipe(UuidSchema)

/** Admins manage the staff under their place (role admin; see shared/src/policy.ts). */
@ApiTags('admin')
@Controller('api/admin/staff')
@Can('manage_staff')
export class StaffAdminController {
  constructor(private readonly admin: StaffAdminService) {}

  @Get()
  @ApiOkResponse({ schema: zodSchema(StaffListSchema) })
  list(@CurrentStaff() admin: StaffPrincipal): Promise<StaffList> {
    return this.admin.list(admin)
  }

  @Post()
  @ApiCreatedResponse({ schema: zodSchema(StaffViewSchema) })
  create(@CurrentStaff() admin: StaffPrincipal, @Body() body: CreateStaffDto): Promise<StaffView> {
    return this.admin.create(admin, body)
  }

  /**
   * Bulk import from CSV or XLSX, sent as the request body. Columns: 姓名, 手机号, 角色, optional 楼栋, 单元,
   * 初始密码 (generated and returned once when empty). Any bad row: 400 listing every error by row, nothing imported.
   */
  @Post('import')
  @ApiConsumes(...SHEET_CONTENT_TYPES)
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiCreatedResponse({ schema: zodSchema(StaffImportResultSchema) })
  @ApiBadRequestResponse({
    description: 'Every bad row, as details [{ path: "row 3", message }]',
    schema: zodSchema(ErrorBodySchema),
  })
  import(
    @CurrentStaff() admin: StaffPrincipal,
    @Query() query: StaffImportQueryDto,
    @Body(SheetBody) file: Buffer,
  ): Promise<StaffImportResult> {
    return this.admin.import(admin, query.placeId, file)
  }

  @Get(':id')
  @ApiOkResponse({ schema: zodSchema(StaffViewSchema) })
  get(@CurrentStaff() admin: StaffPrincipal, @Param('id', Id) id: string): Promise<StaffView> {
    return this.admin.get(admin, id)
  }

  /** Rename, deactivate (`active: false` ends their sessions) or reactivate. */
  @Patch(':id')
  @ApiOkResponse({ schema: zodSchema(StaffViewSchema) })
  update(
    @CurrentStaff() admin: StaffPrincipal,
    @Param('id', Id) id: string,
    @Body() body: UpdateStaffDto,
  ): Promise<StaffView> {
    return this.admin.update(admin, id, body)
  }

  /** Sets a new password, unlocks the account and ends its sessions. */
  @Post(':id/password')
  @HttpCode(204)
  @ApiNoContentResponse()
  resetPassword(
    @CurrentStaff() admin: StaffPrincipal,
    @Param('id', Id) id: string,
    @Body() body: ResetPasswordDto,
  ): Promise<void> {
    return this.admin.resetPassword(admin, id, body.password)
  }

  @Post(':id/memberships')
  @ApiCreatedResponse({ schema: zodSchema(StaffViewSchema) })
  addMembership(
    @CurrentStaff() admin: StaffPrincipal,
    @Param('id', Id) id: string,
    @Body() body: MembershipInputDto,
  ): Promise<StaffView> {
    return this.admin.addMembership(admin, id, body)
  }

  @Delete(':id/memberships/:membershipId')
  @HttpCode(204)
  @ApiNoContentResponse()
  removeMembership(
    @CurrentStaff() admin: StaffPrincipal,
    @Param('id', Id) id: string,
    @Param('membershipId', Id) membershipId: string,
  ): Promise<void> {
    return this.admin.removeMembership(admin, id, membershipId)
  }
}
