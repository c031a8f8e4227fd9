import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common'
import { ERROR_STATUS } from '@mq/shared'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { DomainError } from '../common/domain-error'
import { isDatabaseUnavailable } from '../common/database-errors'
import { CONTENT_TYPES, render, type Open311Format } from './open311.format'

/** GeoReport's own errors: 404 something unknown, 403 a bad or revoked api_key, 400 anything else. */
export type Open311Status = 400 | 403 | 404

export class Open311Error extends Error {
  constructor(
    readonly status: Open311Status,
    message: string,
  ) {
    super(message)
  }
}

/** The status and description of any error under /open311 (GeoReport v2 error codes). */
export function open311ErrorOf(exception: unknown): { status: number; description: string } {
  if (exception instanceof Open311Error) return { status: exception.status, description: exception.message }
  if (exception instanceof DomainError) {
    const status = ERROR_STATUS[exception.code]
    if (status >= 500) return { status, description: exception.message }
    return {
      status: status === 401 || status === 403 ? 403 : status === 404 ? 404 : 400,
      description: exception.message,
    }
  }
  if (isDatabaseUnavailable(exception)) return { status: 503, description: '系统暂时繁忙，请稍后再试' }
  const status =
    exception instanceof HttpException
      ? exception.getStatus()
      : (exception as { statusCode?: unknown })?.statusCode
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return status === 404
      ? { status: 404, description: '没有这个接口' }
      : { status: 400, description: exception instanceof Error ? exception.message : '请求格式有误' }
  }
  return { status: 500, description: '服务器出错了，请稍后再试' }
}

/** The format of the answer: the path's `.json` suffix, else XML (GeoReport's required format). */
export function formatOfUrl(url: string): Open311Format {
  return /\.json$/i.test(url.split('?')[0]) ? 'json' : 'xml'
}

/**
 * Errors of the Open311 controllers in GeoReport's format, `[{"code":403,"description":"…"}]` or
 * `<errors><error><code>403</code><description>…</description></error></errors>`, instead of the
 * `{ code, message, requestId }` of /api (common/exception.filter.ts). Bound to those controllers only.
 */
@Catch()
export class Open311ExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Open311')

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp()
    const request = ctx.getRequest<FastifyRequest>()
    const reply = ctx.getResponse<FastifyReply>()
    const { status, description } = open311ErrorOf(exception)
    if (status >= 500) {
      // Only the error's own message and stack: request bodies hold the filer's name and phone.
      const err = exception instanceof Error ? exception : new Error(String(exception))
      this.logger.error({ requestId: request.id, status, err: { message: err.message, stack: err.stack } })
      if (status === 503) void reply.header('retry-after', '5')
    }
    const format = formatOfUrl(request.url)
    void reply
      .status(status)
      .type(CONTENT_TYPES[format])
      .send(render({ root: 'errors', body: [{ code: status, description }] }, format))
  }
}
