import { Body, Controller, Delete, Get, Param, Put, Query } from '@nestjs/common'
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger'
import {
  CATEGORY_CODES,
  RoutingDryRunSchema,
  RoutingRuleListSchema,
  UuidSchema,
  type CategoryCode,
  type RoutingDryRun,
  type RoutingRuleList,
} from '@mq/shared'
import { ZodValidationPipe } from 'nestjs-zod'
import { z } from 'zod'
import { Can, CurrentStaff } from '../auth/access.decorators'
import type { StaffPrincipal } from '../auth/principal'
import { zodSchema } from '../openapi/zod-schema'
import { RoutingAdminService } from './routing-admin.service'
import { RoutingDryRunQueryDto, RoutingRuleInputDto } from './routing.dto'

const Id = new ZodValidationPipe(UuidSchema)
const Category = new ZodValidationPipe(z.enum(CATEGORY_CODES))

/** A compound's routing rules (责任清单): admins over the compound (manage_places); 404 outside their places. */
@ApiTags('admin')
@Controller('api/admin/compounds/:compoundId/routing')
@Can('manage_places')
export class RoutingAdminController {
  constructor(private readonly routing: RoutingAdminService) {}

  /** Every category with its rule in force and whether it is the default or the compound's own. */
  @Get('rules')
  @ApiOkResponse({ schema: zodSchema(RoutingRuleListSchema) })
  list(
    @CurrentStaff() admin: StaffPrincipal,
    @Param('compoundId', Id) compoundId: string,
  ): Promise<RoutingRuleList> {
    return this.routing.list(admin, compoundId)
  }

  @Put('rules/:category')
  @ApiOkResponse({ schema: zodSchema(RoutingRuleListSchema) })
  set(
    @CurrentStaff() admin: StaffPrincipal,
    @Param('compoundId', Id) compoundId: string,
    @Param('category', Category) category: CategoryCode,
    @Body() body: RoutingRuleInputDto,
  ): Promise<RoutingRuleList> {
    return this.routing.set(admin, compoundId, category, body)
  }

  /** Back to the default rule. */
  @Delete('rules/:category')
  @ApiOkResponse({ schema: zodSchema(RoutingRuleListSchema) })
  reset(
    @CurrentStaff() admin: StaffPrincipal,
    @Param('compoundId', Id) compoundId: string,
    @Param('category', Category) category: CategoryCode,
  ): Promise<RoutingRuleList> {
    return this.routing.reset(admin, compoundId, category)
  }

  /**
   * Who a request of this category at this unit would go to, and why, with the severity, urgency and
   * deadlines it would get if filed at `at` (default now). Nothing is written.
   */
  @Get('dry-run')
  @ApiOperation({
    summary: '责任清单试运行',
    description:
      'at: the filing time to try, ISO 8601 with an offset (2026-09-30T17:30:00+08:00); now when left out. ' +
      'description: words a resident would write (danger words make it urgent). Invalid → 400 VALIDATION_FAILED.',
  })
  @ApiOkResponse({ schema: zodSchema(RoutingDryRunSchema) })
  dryRun(
    @CurrentStaff() admin: StaffPrincipal,
    @Param('compoundId', Id) compoundId: string,
    @Query() query: RoutingDryRunQueryDto,
  ): Promise<RoutingDryRun> {
    return this.routing.dryRun(admin, compoundId, query)
  }
}
