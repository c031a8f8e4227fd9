import { Controller, Get, Query } from '@nestjs/common'
import { ApiOkResponse, ApiTags } from '@nestjs/swagger'
import { AccessLogPageSchema, type AccessLogPage } from '@mq/shared'
import { Can, CurrentStaff } from '../auth/access.decorators'
import type { StaffPrincipal } from '../auth/principal'
import { zodSchema } from '../openapi/zod-schema'
import { AccessLogQueryDto } from './access-log.dto'
import { AccessLogService } from './access-log.service'

@ApiTags('admin')
@Controller('api/admin/access-log')
export class AccessLogController {
  constructor(private readonly accessLog: AccessLogService) {}

  /** Who read which request's personal data, newest first; page with `before` = the previous nextBefore. */
  @Get()
  @Can('view_access_log')
  @ApiOkResponse({ schema: zodSchema(AccessLogPageSchema) })
  list(@CurrentStaff() admin: StaffPrincipal, @Query() query: AccessLogQueryDto): Promise<AccessLogPage> {
    return this.accessLog.list(admin, query)
  }
}
