import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common'
import { ERROR_STATUS, type ErrorBody, type ErrorCode } from '@mq/shared'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { randomUUID } from 'node:crypto'
import { STATUS_CODES } from 'node:http'
import type { Duplex } from 'node:stream'
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
    case 408:
      return 'REQUEST_TIMEOUT'
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
    case 431:
      return 'HEADERS_TOO_LARGE'
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
  UNSUPPORTED_MEDIA_TYPE: '不支持这种内容类型（Content-Type）',
  REQUEST_TIMEOUT: '请求发送超时，请重试',
  HEADERS_TOO_LARGE: '请求头太大了',
}

/**
 * Fastify's own refusals, by its error code: what the product says instead of its English. A path
 * parameter over the router's limit (100 characters, which bounds the work of matching) cannot name
 * anything that exists, so it is a 404 as a GET of that path already is, not Fastify's bare 414.
 */
const FRAMEWORK_ERRORS: Record<string, { code: ErrorCode; message: string }> = {
  FST_ERR_BAD_URL: { code: 'VALIDATION_FAILED', message: '网址中的 % 编码有误' },
  FST_ERR_MAX_PARAM_LENGTH: { code: 'ROUTE_NOT_FOUND', message: '没有找到：网址中的参数超过 100 个字符' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'UNSUPPORTED_MEDIA_TYPE', message: MESSAGES.UNSUPPORTED_MEDIA_TYPE! },
  FST_ERR_CTP_INVALID_TYPE: { code: 'VALIDATION_FAILED', message: '请求头 Content-Type 有误' },
  FST_ERR_CTP_EMPTY_TYPE: { code: 'VALIDATION_FAILED', message: '请求头 Content-Type 有误' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'VALIDATION_FAILED', message: '提交的内容是空的' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'VALIDATION_FAILED', message: '请求头 Content-Length 与内容不符' },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'PAYLOAD_TOO_LARGE', message: MESSAGES.PAYLOAD_TOO_LARGE! },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'VALIDATION_FAILED', message: '提交的内容不是有效的 JSON' },
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
  const fastifyCode = (exception as { code?: unknown })?.code
  if (typeof fastifyCode === 'string' && Object.hasOwn(FRAMEWORK_ERRORS, fastifyCode)) {
    return FRAMEWORK_ERRORS[fastifyCode]
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

/** The one place errors become HTTP responses. */
const logger = new Logger('Error')

/** Writes the error response: `{ code, message, requestId }` with the code's status. */
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
  // Also set by the onSend hook; refusals from Fastify's router (frameworkErrors) may not pass through it.
  void reply.header('x-request-id', request.id)
  void reply.status(status).send(body)
}

/**
 * Requests Node's HTTP server refuses before Fastify sees them (malformed request line or headers,
 * headers over the limit, too slow), answered on the raw socket in the same shape: Fastify's own
 * handler writes English JSON without a request id.
 */
export function sendClientError(error: Error & { code?: string }, socket: Duplex): void {
  // A reset connection has no one to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  const code: ErrorCode =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? 'REQUEST_TIMEOUT'
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? 'HEADERS_TOO_LARGE'
        : 'VALIDATION_FAILED'
  const requestId = randomUUID()
  const body = JSON.stringify({ code, message: MESSAGES[code] ?? '请求格式有误', requestId } satisfies ErrorBody)
  const status = ERROR_STATUS[code]
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nx-request-id: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
    )
  }
  socket.destroy(error)
}

/** The one place errors from controllers and services become HTTP responses. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp()
    sendError(exception, ctx.getRequest<FastifyRequest>(), ctx.getResponse<FastifyReply>())
  }
}
