/** Error codes that mean "the database cannot be reached right now", not "the query was wrong". */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000', // connection_exception
  '08003', // connection_does_not_exist
  '08006', // connection_failure
  '53300', // too_many_connections
])

const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Connection is not established',
  // pg's query_timeout (data-source.ts): the database took the query and never answered (a partition).
  'Query read timeout',
]

/**
 * TypeORM's answer to the next query of a transaction whose connection died under it (the database went
 * away mid-transaction: TypeORM releases the connection on the driver's error, and every later query in
 * that transaction throws these). The transaction is gone, so the request can only be tried again.
 */
const UNAVAILABLE_NAMES = new Set([
  'QueryRunnerAlreadyReleasedError',
  'QueryRunnerProviderAlreadyReleasedError',
])

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 4; depth++) {
    const { code, message, name, driverError, cause } = e as {
      code?: unknown
      message?: unknown
      name?: unknown
      driverError?: unknown
      cause?: unknown
    }
    if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true
    if (typeof name === 'string' && UNAVAILABLE_NAMES.has(name)) return true
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((m) => message.includes(m))) return true
    e = driverError ?? cause
  }
  return false
}

/** A unique constraint refused the write (SQLSTATE 23505), as pg throws it or wrapped by TypeORM. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | null | undefined
  return e?.code === '23505' || e?.driverError?.code === '23505'
}
