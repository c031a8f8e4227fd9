import { Controller, Get, Header, Query, StreamableFile } from '@nestjs/common'
import { ApiNotFoundResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger'
import { ErrorBodySchema, LedgerQuerySchema } from '@mq/shared'
import { createZodDto } from 'nestjs-zod'
import { Can, CurrentStaff } from '../auth/access.decorators'
import type { StaffPrincipal } from '../auth/principal'
import { RequestId } from '../common/request-id.decorator'
import { zodSchema } from '../openapi/zod-schema'
import { LedgerService } from './ledger.service'

class LedgerQueryDto extends createZodDto(LedgerQuerySchema) {}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

@ApiTags('ledger')
@Controller('api')
export class LedgerController {
  constructor(private readonly ledger: LedgerService) {}

  /** The work ledger (工作台账) of a place and period as XLSX; personal data as the caller may see it. */
  @Get('ledger.xlsx')
  @Can('view_tickets')
  @Header('cache-control', 'private, no-store')
  @ApiProduces(XLSX)
  @ApiOkResponse({ description: '工作台账', content: { [XLSX]: { schema: { type: 'string', format: 'binary' } } } })
  @ApiNotFoundResponse({ schema: zodSchema(ErrorBodySchema) })
  async xlsx(
    @CurrentStaff() staff: StaffPrincipal,
    @Query() query: LedgerQueryDto,
    @RequestId() requestId: string,
  ): Promise<StreamableFile> {
    const body = await this.ledger.xlsx(staff, query, requestId)
    return new StreamableFile(body, {
      type: XLSX,
      disposition: `attachment; filename="ledger.xlsx"; filename*=UTF-8''${encodeURIComponent('工作台账.xlsx')}`,
      length: body.length,
    })
  }
}
