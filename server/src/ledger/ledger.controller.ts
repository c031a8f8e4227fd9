import { Controller, Get, Header, Query, Res, StreamableFile } from '@nestjs/common'
import { ApiNotFoundResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger'
import { ErrorBodySchema, LEDGER_ROWS_HEADER, LedgerQuerySchema } from '@mq/shared'
import type { FastifyReply } from 'fastify'
import { createZodDto } from 'nestjs-zod'
import { CurrentStaff, StaffOnly } from '../auth/access.decorators'
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

  /**
   * The work ledger (工作台账) of a place and period as XLSX, streamed as it is written; the number of
   * requests in it comes first, in a header. Staff whose roles read requests, and admins, for the places
   * their memberships cover (404 elsewhere); personal data as the caller may see it (admins: masked).
   */
  @Get('ledger.xlsx')
  @StaffOnly()
  @Header('cache-control', 'private, no-store')
  @ApiProduces(XLSX)
  @ApiOkResponse({
    description: `工作台账. The \`${LEDGER_ROWS_HEADER}\` header holds the number of requests in it.`,
    headers: { [LEDGER_ROWS_HEADER]: { description: 'Requests in the file', schema: { type: 'integer' } } },
    content: { [XLSX]: { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiNotFoundResponse({ schema: zodSchema(ErrorBodySchema) })
  async xlsx(
    @CurrentStaff() staff: StaffPrincipal,
    @Query() query: LedgerQueryDto,
    @RequestId() requestId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const file = await this.ledger.open(staff, query, requestId)
    void reply.header(LEDGER_ROWS_HEADER, String(file.rows))
    return new StreamableFile(file.stream, {
      type: XLSX,
      disposition: `attachment; filename="ledger.xlsx"; filename*=UTF-8''${encodeURIComponent('工作台账.xlsx')}`,
    })
  }
}
