import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common'
import { ERROR_STATUS, type ErrorBody, type ErrorCode } from '@mq/shared'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { ZodValidationException } from 'nestjs-zod'
import { ZodError } from 'zod'
import { DomainError } from './domain-error'
import { isDatabaseUnavailable } from './database-errors'

interface Mapped {
  code: ErrorCode
  message: string
  details?: ErrorBody['details']
  headers?: Record<string, string>
}

/** Codes for framework errors that carry only an HTTP status. */
function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
      return 'VALIDATION_FAILED'
    case 401:
      return 'UNAUTHENTICATED'
    case 403:
      return 'FORBIDDEN'
    case 404:
      return 'ROUTE_NOT_FOUND'
    case 409:
      return 'CONFLICT'
    case 413:
      return 'PAYLOAD_TOO_LARGE'
    case 415:
      return 'UNSUPPORTED_MEDIA_TYPE'
    case 422:
      return 'IDEMPOTENCY_MISMATCH'
    case 429:
      return 'RATE_LIMITED'
    case 503:
      return 'UPSTREAM_UNAVAILABLE'
    default:
      return status >= 500 ? 'INTERNAL' : 'VALIDATION_FAILED'
  }
}

function zodDetails(error: ZodError): NonNullable<ErrorBody['details']> {
  return error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }))
}

const MESSAGES: Partial<Record<ErrorCode, string>> = {
  ROUTE_NOT_FOUND: '没有这个接口',
  INTERNAL: '服务器出错了，请稍后再试',
  DATABASE_UNAVAILABLE: '系统暂时繁忙，请稍后再试',
  PAYLOAD_TOO_LARGE: '内容太大了',
}

export function mapError(exception: unknown): Mapped {
  if (exception instanceof DomainError) {
    return { code: exception.code, message: exception.message, details: exception.details, headers: exception.headers }
  }
  if (exception instanceof ZodValidationException) {
    const zodError = exception.getZodError()
    return {
      code: 'VALIDATION_FAILED',
      message: '提交的内容有误',
      details: zodError instanceof ZodError ? zodDetails(zodError) : undefined,
    }
  }
  if (exception instanceof HttpException) {
    const code = codeForStatus(exception.getStatus())
    // Framework messages are English and technical; keep them only for validation-style errors.
    const message = code === 'VALIDATION_FAILED' ? exception.message : (MESSAGES[code] ?? exception.message)
    return { code, message }
  }
  // Fastify raises plain errors with a statusCode for body limits, bad JSON and bad content types.
  const status = (exception as { statusCode?: unknown })?.statusCode
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code = codeForStatus(status)
    return { code, message: MESSAGES[code] ?? '请求格式有误' }
  }
  if (isDatabaseUnavailable(exception)) {
    return { code: 'DATABASE_UNAVAILABLE', message: MESSAGES.DATABASE_UNAVAILABLE!, headers: { 'retry-after': '5' } }
  }
  return { code: 'INTERNAL', message: MESSAGES.INTERNAL! }
}

/** The one place errors become HTTP responses (SPEC §7). */
const logger = new Logger('Error')

/** Writes the error response: `{ code, message, requestId }` with the code's status (SPEC §7). */
export function sendError(exception: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const mapped = mapError(exception)
  const status = ERROR_STATUS[mapped.code]
  if (status >= 500) {
    // Only the error's own message and stack: request bodies may hold personal data.
    const err = exception instanceof Error ? exception : new Error(String(exception))
    logger.error({ requestId: request.id, code: mapped.code, err: { message: err.message, stack: err.stack } })
  }
  const body: ErrorBody = { code: mapped.code, message: mapped.message, requestId: String(request.id) }
  if (mapped.details) body.details = mapped.details
  for (const [name, value] of Object.entries(mapped.headers ?? {})) void reply.header(name, value)
  void reply.status(status).send(body)
}

/** The one place errors from controllers and services become HTTP responses. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp()
    sendError(exception, ctx.getRequest<FastifyRequest>(), ctx.getResponse<FastifyReply>())
  }
}
