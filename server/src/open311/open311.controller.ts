import { All, Body, Controller, Get, Headers, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common'
import { ApiExcludeController } from '@nestjs/swagger'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Public } from '../auth/access.decorators'
import { readCallerOf, type ReadCaller } from '../database/read-source'
import { Open311Error, Open311ExceptionFilter } from './open311.errors'
import { CONTENT_TYPES, formatOf, render, type Open311Document, type Open311Format } from './open311.format'
import { Open311Service, type Open311Params } from './open311.service'

function formatFrom(suffix: string): Open311Format {
  const format = formatOf(suffix)
  if (!format) throw new Open311Error(404, `不支持的格式 .${suffix}：请用 .json 或 .xml`)
  return format
}

/**
 * Whom a GET reads for (database/read-source.ts): a partner that sends its `api_key`, or anyone with a
 * bearer token, reads at least what the primary had (what it filed included); anyone else may read a
 * replica's slightly older state. Neither is checked here: naming oneself only moves the read to a fresher
 * source, never shows more.
 */
function callerOf(request: FastifyRequest, query: Open311Params): ReadCaller {
  return readCallerOf(request) ?? (query.api_key !== undefined ? { kind: 'open311_key' } : null)
}

function send(reply: FastifyReply, format: Open311Format, doc: Open311Document, status = 200): void {
  void reply.status(status).type(CONTENT_TYPES[format]).send(render(doc, format))
}

/**
 * Open311 GeoReport v2 at /open311/v2, outside /api: its own specification, its own discovery
 * document and its own error format (Open311ExceptionFilter), so it is left out of /api/openapi.json.
 * Reading is public; filing is checked against the partner's api_key by the service.
 */
@ApiExcludeController()
@Controller('open311')
@UseFilters(Open311ExceptionFilter)
@Public()
export class Open311Controller {
  constructor(private readonly open311: Open311Service) {}

  /** Also at /open311/discovery.*, where GeoReport clients look for it first. */
  @Get(['discovery.:format', 'v2/discovery.:format'])
  discovery(@Param('format') suffix: string, @Res() reply: FastifyReply): void {
    send(reply, formatFrom(suffix), { root: 'discovery', body: this.open311.discovery() })
  }

  @Get('v2/services.:format')
  async services(
    @Param('format') suffix: string,
    @Query() query: Open311Params,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const format = formatFrom(suffix)
    send(reply, format, { root: 'services', body: await this.open311.services(query, callerOf(request, query)) })
  }

  @Get('v2/services/:service_code.:format')
  async definition(
    @Param('service_code') code: string,
    @Param('format') suffix: string,
    @Query() query: Open311Params,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const format = formatFrom(suffix)
    send(reply, format, { root: 'service_definition', body: await this.open311.definition(code, query) })
  }

  /** Form-encoded (GeoReport) or JSON; `api_key` in the body (or, for older clients, the query string). */
  @Post('v2/requests.:format')
  async file(
    @Param('format') suffix: string,
    @Query() query: Open311Params,
    @Body() body: Open311Params | undefined,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const format = formatFrom(suffix)
    const params = { ...(body && typeof body === 'object' ? body : {}) }
    if (params.api_key === undefined && query.api_key !== undefined) params.api_key = query.api_key
    send(
      reply,
      format,
      { root: 'service_requests', body: await this.open311.file(params, idempotencyKey) },
      201,
    )
  }

  @Get('v2/requests.:format')
  async requests(
    @Param('format') suffix: string,
    @Query() query: Open311Params,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const format = formatFrom(suffix)
    send(reply, format, { root: 'service_requests', body: await this.open311.requests(query, callerOf(request, query)) })
  }

  @Get('v2/requests/:service_request_id.:format')
  async request(
    @Param('service_request_id') id: string,
    @Param('format') suffix: string,
    @Query() query: Open311Params,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const format = formatFrom(suffix)
    send(reply, format, {
      root: 'service_requests',
      body: await this.open311.request(id, query, callerOf(request, query)),
    })
  }

  /** Anything else under /open311 (tokens included: this service is realtime) is GeoReport's 404. */
  @All(['', '*'])
  unknown(): never {
    throw new Open311Error(404, '没有这个接口')
  }
}
