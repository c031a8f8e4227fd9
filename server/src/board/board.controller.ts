import { Controller, Get, Param, Query } from '@nestjs/common'
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger'
import { BoardQuerySchema, BoardSchema, ErrorBodySchema, UuidSchema, type Board } from '@mq/shared'
import { createZodDto, ZodValidationPipe } from 'nestjs-zod'
import { Public } from '../auth/access.decorators'
import { zodSchema } from '../openapi/zod-schema'
import { BoardService } from './board.service'

class BoardQueryDto extends createZodDto(BoardQuerySchema) {}

@ApiTags('board')
@Controller('api/board')
export class BoardController {
  constructor(private readonly board: BoardService) {}

  /** Public (公示): a compound's counts and requests, no personal data. */
  @Get(':compoundId')
  @Public()
  @ApiOkResponse({ schema: zodSchema(BoardSchema) })
  @ApiNotFoundResponse({ schema: zodSchema(ErrorBodySchema) })
  show(
    @Param('compoundId', new ZodValidationPipe(UuidSchema)) compoundId: string,
    @Query() query: BoardQueryDto,
  ): Promise<Board> {
    return this.board.board(compoundId, query)
  }
}
