import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common'
import { ERROR_STATUS } from '@mq/shared'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { mapError } from '../common/exception.filter'
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

/**
 * The status and description of any error under /open311 (GeoReport v2 error codes). What is not
 * GeoReport's own takes the product's Chinese message (common/exception.filter.ts), whether it came from
 * a controller or from Fastify before one (an unparsable body, a NUL, a wrong content type, too large).
 */
export function open311ErrorOf(exception: unknown): {
  status: number
  description: string
  headers?: Record<string, string>
} {
  if (exception instanceof Open311Error) return { status: exception.status, description: exception.message }
  const mapped = mapError(exception)
  const status = ERROR_STATUS[mapped.code]
  if (status >= 500) return { status, description: mapped.message, headers: mapped.headers }
  // GeoReport has no details list: the fields at fault go into the description.
  const fields = [...new Set((mapped.details ?? []).map((detail) => detail.path).filter(Boolean))]
  return {
    status: status === 401 || status === 403 ? 403 : status === 404 ? 404 : 400,
    description: fields.length > 0 ? `${mapped.message}：${fields.join('、')}` : mapped.message,
  }
}

/** Whether the request is for Open311 (answered in GeoReport's error format) rather than /api. */
export function isOpen311Url(url: string): boolean {
  return /^\/open311(\/|$|\?)/.test(url)
}

/** The format of the answer: the path's `.json` suffix, else XML (GeoReport's required format). */
export function formatOfUrl(url: string): Open311Format {
  return /\.json$/i.test(url.split('?')[0]) ? 'json' : 'xml'
}

const logger = new Logger('Open311')

/**
 * Writes an error under /open311 in GeoReport's format, `[{"code":403,"description":"…"}]` or
 * `<errors><error><code>403</code><description>…</description></error></errors>`, instead of the
 * `{ code, message, requestId }` of /api (common/exception.filter.ts). The request id is in the header.
 */
export function sendOpen311Error(exception: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const { status, description, headers } = open311ErrorOf(exception)
  if (status >= 500) {
    // Only the error's own message and stack: request bodies hold the filer's name and phone.
    const err = exception instanceof Error ? exception : new Error(String(exception))
    logger.error({ requestId: request.id, status, err: { message: err.message, stack: err.stack } })
  }
  for (const [name, value] of Object.entries(headers ?? {})) void reply.header(name, value)
  const format = formatOfUrl(request.url)
  void reply
    .header('x-request-id', request.id)
    .status(status)
    .type(CONTENT_TYPES[format])
    .send(render({ root: 'errors', body: [{ code: status, description }] }, format))
}

/** Errors of the Open311 controllers in GeoReport's format. Bound to those controllers only. */
@Catch()
export class Open311ExceptionFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp()
    sendOpen311Error(exception, ctx.getRequest<FastifyRequest>(), ctx.getResponse<FastifyReply>())
  }
}
