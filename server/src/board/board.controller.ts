import { Controller, Get, Header, Param, Query, Req, StreamableFile } from '@nestjs/common'
import { ApiNotFoundResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger'
import {
  BoardQuerySchema,
  BoardSchema,
  ErrorBodySchema,
  QuarterlyReportSchema,
  ReportQuerySchema,
  UuidSchema,
  type Board,
  type QuarterlyReport,
} from '@mq/shared'
import type { FastifyRequest } from 'fastify'
import { createZodDto, ZodValidationPipe } from 'nestjs-zod'
import { Public } from '../auth/access.decorators'
import { readCallerOf } from '../database/read-source'
import { zodSchema } from '../openapi/zod-schema'
import { contentDisposition } from '../posters/posters.controller'
import { BoardService } from './board.service'

class BoardQueryDto extends createZodDto(BoardQuerySchema) {}
class ReportQueryDto extends createZodDto(ReportQuerySchema) {}
const CompoundId = new ZodValidationPipe(UuidSchema)

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
    @Req() request: FastifyRequest,
  ): Promise<Board> {
    return this.board.board(compoundId, query, readCallerOf(request))
  }

  /** Public: the quarterly 公开承诺 report (default this quarter): figures by party and the 重点问题. */
  @Get(':compoundId/report')
  @Public()
  @ApiOkResponse({ schema: zodSchema(QuarterlyReportSchema) })
  @ApiNotFoundResponse({ schema: zodSchema(ErrorBodySchema) })
  report(
    @Param('compoundId', CompoundId) compoundId: string,
    @Query() query: ReportQueryDto,
    @Req() request: FastifyRequest,
  ): Promise<QuarterlyReport> {
    return this.board.report(compoundId, query.quarter, readCallerOf(request))
  }

  /** Public: the quarterly report as one A4 PDF page for the notice board (CJK font, QR code to the board). */
  @Get(':compoundId/report.pdf')
  @Public()
  @Header('Cache-Control', 'no-store')
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'the PDF', schema: { type: 'string', format: 'binary' } })
  @ApiNotFoundResponse({ schema: zodSchema(ErrorBodySchema) })
  async reportPdf(
    @Param('compoundId', CompoundId) compoundId: string,
    @Query() query: ReportQueryDto,
    @Req() request: FastifyRequest,
  ): Promise<StreamableFile> {
    const file = await this.board.reportPdf(compoundId, query.quarter, readCallerOf(request))
    return new StreamableFile(file.body, { type: 'application/pdf', disposition: contentDisposition(file), length: file.body.length })
  }
}
