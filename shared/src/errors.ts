/**
 * Error codes of the API and the HTTP status each maps to. The server's exception filter and
 * the app's client both read this table.
 */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  /** The access token's time is up: refresh it (POST /api/auth/refresh), then retry. */
  TOKEN_EXPIRED: 401,
  /** Wrong phone or password; deliberately the same for both, so phone numbers cannot be probed. */
  INVALID_CREDENTIALS: 401,
  /** WeChat refused the wx.login code (expired or used): call wx.login again. */
  WECHAT_CODE_INVALID: 401,
  FORBIDDEN: 403,
  ACCOUNT_DISABLED: 403,
  ROUTE_NOT_FOUND: 404,
  TICKET_NOT_FOUND: 404,
  PLACE_NOT_FOUND: 404,
  QR_NOT_FOUND: 404,
  STAFF_NOT_FOUND: 404,
  MEMBERSHIP_NOT_FOUND: 404,
  PHOTO_NOT_FOUND: 404,
  /** A voice note that is not there, or not the caller's to play (masked roles hear nothing). */
  VOICE_NOT_FOUND: 404,
  NOTIFICATION_NOT_FOUND: 404,
  /** An Open311 partner key that is not among the caller's (admin routes). */
  API_KEY_NOT_FOUND: 404,
  /** A reply template (常用回复) that is not there, or not in the caller's places. */
  TEMPLATE_NOT_FOUND: 404,
  /** A recurring problem (重点问题) not proposed or decided in the caller's places. */
  RECURRING_NOT_FOUND: 404,
  /** A household on the visit register (or a visit) not in the caller's compounds, or not theirs to see. */
  VISIT_NOT_FOUND: 404,
  /** A resource (资源清单) not in the caller's compounds. */
  RESOURCE_NOT_FOUND: 404,
  /** A resource match not in the caller's compounds. */
  RESOURCE_MATCH_NOT_FOUND: 404,
  /** A joint meeting (or its agenda item or decision) that is not there, or not in the caller's places. */
  MEETING_NOT_FOUND: 404,
  /** A resident need (居民需求) that is not there, or not in the caller's compounds. */
  NEED_NOT_FOUND: 404,
  /** Only requests of 意见建议 or 生活需求与助老 may be turned into a need, and only once. */
  NEED_NOT_CONVERTIBLE: 409,
  QR_REPLACED: 410,
  ILLEGAL_TRANSITION: 409,
  CONFLICT: 409,
  PHONE_TAKEN: 409,
  /** The client took too long to send its request (refused by Node's HTTP server, before any route). */
  REQUEST_TIMEOUT: 408,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  IDEMPOTENCY_MISMATCH: 422,
  /** Too many failed logins: the message and Retry-After say when the account unlocks. */
  ACCOUNT_LOCKED: 423,
  RATE_LIMITED: 429,
  /** The request's headers are over Node's limit (refused by its HTTP server, before any route). */
  HEADERS_TOO_LARGE: 431,
  INTERNAL: 500,
  DATABASE_UNAVAILABLE: 503,
  UPSTREAM_UNAVAILABLE: 503,
} as const satisfies Record<string, number>

export type ErrorCode = keyof typeof ERROR_STATUS

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_STATUS, value)
}
