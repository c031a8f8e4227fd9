import { Controller, Get, Param } from '@nestjs/common'
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger'
import { ErrorBodySchema, TicketViewSchema, UuidSchema, type TicketView } from '@mq/shared'
import { ZodValidationPipe } from 'nestjs-zod'
import { Authenticated, CurrentPrincipal } from '../auth/access.decorators'
import type { Principal } from '../auth/principal'
import { RequestId } from '../common/request-id.decorator'
import { zodSchema } from '../openapi/zod-schema'
import { TicketsService } from './tickets.service'

@ApiTags('tickets')
@Controller('api/tickets')
export class TicketsController {
  constructor(private readonly tickets: TicketsService) {}

  /** One request: its reporter in full or masked by role (SPEC §3); 404 outside the caller's reach. */
  @Get(':id')
  @Authenticated('view_tickets')
  @ApiOkResponse({ schema: zodSchema(TicketViewSchema) })
  @ApiNotFoundResponse({
    description: 'TICKET_NOT_FOUND: no such request, or not the caller’s to see',
    schema: zodSchema(ErrorBodySchema),
  })
  get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ZodValidationPipe(UuidSchema)) id: string,
    @RequestId() requestId: string,
  ): Promise<TicketView> {
    return this.tickets.viewFor(id, principal, requestId)
  }
}
