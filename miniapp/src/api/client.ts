import Taro from '@tarojs/taro'
import { isErrorCode, type ErrorCode, type ScanView } from '@mq/shared'

/** Origin of the API: '' (same origin) for H5 served by the API server, absolute for a mini-program. */
export const API_BASE: string = process.env.TARO_APP_API_BASE ?? ''

/** Codes the client adds to the server's (shared) ones. */
export type ClientErrorCode = ErrorCode | 'NETWORK_ERROR' | 'BAD_RESPONSE'

/** A failed API call: the server's `{ code, message, requestId }`, or a network / protocol failure. */
export class ApiError extends Error {
  override readonly name = 'ApiError'
  readonly code: ClientErrorCode
  /** HTTP status; 0 when no response arrived. */
  readonly status: number
  readonly requestId: string | null

  constructor(code: ClientErrorCode, message: string, status: number, requestId: string | null = null) {
    super(message)
    // Keep `instanceof` working even where classes are compiled down to functions.
    Object.setPrototypeOf(this, ApiError.prototype)
    this.code = code
    this.status = status
    this.requestId = requestId
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError
}

const TIMEOUT_MS = 15_000

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function errorFromResponse(status: number, body: unknown): ApiError {
  if (isRecord(body) && isErrorCode(body.code)) {
    const message = typeof body.message === 'string' ? body.message : ''
    const requestId = typeof body.requestId === 'string' ? body.requestId : null
    return new ApiError(body.code, message, status, requestId)
  }
  // Not our error body: a proxy page, an HTML fallback, an empty 502.
  return new ApiError('BAD_RESPONSE', `服务暂时不可用（${status}）`, status)
}

async function getJson(path: string): Promise<unknown> {
  const res = await Taro.request<unknown>({
    url: `${API_BASE}${path}`,
    method: 'GET',
    dataType: 'json',
    timeout: TIMEOUT_MS,
  }).catch(() => {
    // Taro.request rejects only when no HTTP response arrived (offline, DNS, timeout, blocked domain).
    throw new ApiError('NETWORK_ERROR', '网络连接失败，请检查网络后重试', 0)
  })
  const data: unknown = res.data
  if (res.statusCode >= 200 && res.statusCode < 300) return data
  throw errorFromResponse(res.statusCode, data)
}

/** A cheap structural check, so a wrong payload fails as an ApiError rather than a crash in render. */
function isScanView(value: unknown): value is ScanView {
  if (!isRecord(value)) return false
  const named = (v: unknown) => isRecord(v) && typeof v.name === 'string'
  return (
    typeof value.token === 'string' &&
    named(value.unit) &&
    named(value.building) &&
    named(value.compound) &&
    Array.isArray(value.handlers) &&
    typeof value.servicePromise === 'string'
  )
}

/** What the scan page shows for a unit's QR token (public, no personal data). */
export async function getScanView(token: string): Promise<ScanView> {
  const data = await getJson(`/api/places/by-token/${encodeURIComponent(token)}`)
  if (!isScanView(data)) throw new ApiError('BAD_RESPONSE', '服务返回的数据有误，请稍后重试', 200)
  return data
}
