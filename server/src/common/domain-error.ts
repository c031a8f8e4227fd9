import { ERROR_STATUS, type ErrorCode } from '@mq/shared'

/**
 * An expected failure with a stable code. Services throw these; the global filter turns them into
 * `{ code, message, requestId }` with the code's HTTP status.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: { path: string; message: string }[],
    /** Extra response headers, e.g. Retry-After. */
    readonly headers?: Record<string, string>,
  ) {
    super(message)
  }

  get status(): number {
    return ERROR_STATUS[this.code]
  }
}
