import Taro from '@tarojs/taro'
import { isErrorCode, type ErrorCode, type ScanView } from '@mq/shared'

/** Origin of the API: '' (same origin) for H5 served by the API server, absolute for a mini-program. */
export const API_BASE: string = process.env.TARO_APP_API_BASE ?? ''

/** Codes the client adds to the server's (shared) ones. */
export type ClientErrorCode = ErrorCode | 'NETWORK_ERROR' | 'BAD_RESPONSE'

/** One problem the server found in what was sent: a field, or a sheet row (`row 3`). */
export interface ErrorDetail {
  path: string
  message: string
}

/** A failed API call: the server's `{ code, message, requestId, details? }`, or a network / protocol failure. */
export class ApiError extends Error {
  override readonly name = 'ApiError'
  readonly code: ClientErrorCode
  /** HTTP status; 0 when no response arrived. */
  readonly status: number
  readonly requestId: string | null
  readonly details: readonly ErrorDetail[]
  /** Seconds from the Retry-After header (lockout, rate limits), or null. */
  readonly retryAfter: number | null

  constructor(
    code: ClientErrorCode,
    message: string,
    status: number,
    requestId: string | null = null,
    extra: { details?: readonly ErrorDetail[]; retryAfter?: number | null } = {},
  ) {
    super(message)
    // Keep `instanceof` working even where classes are compiled down to functions.
    Object.setPrototypeOf(this, ApiError.prototype)
    this.code = code
    this.status = status
    this.requestId = requestId
    this.details = extra.details ?? []
    this.retryAfter = extra.retryAfter ?? null
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError
}

/** Any thrown value as an ApiError, so pages have one thing to render. */
export function toApiError(error: unknown): ApiError {
  if (isApiError(error)) return error
  return new ApiError('BAD_RESPONSE', error instanceof Error ? error.message : String(error), 0)
}

/** What to tell the user: the first field's problem of a validation error, else the error's message. */
export function fieldMessage(error: ApiError): string {
  const first = error.code === 'VALIDATION_FAILED' ? error.details[0]?.message : undefined
  return first || error.message
}

const TIMEOUT_MS = 15_000
/** Sheets and posters are larger than JSON, and a compound's PDF takes the server a while to draw. */
const FILE_TIMEOUT_MS = 120_000

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** An HTTP response as the client needs it; header names lower-cased. */
export interface RawResponse {
  status: number
  data: unknown
  header: Record<string, string>
}

function lowerCaseHeaders(header: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  if (!isRecord(header)) return out
  for (const [name, value] of Object.entries(header)) out[name.toLowerCase()] = String(value)
  return out
}

/** Error bodies of binary requests arrive as bytes. */
function decodeJson(data: unknown): unknown {
  if (!(data instanceof ArrayBuffer) || typeof TextDecoder === 'undefined') return data
  try {
    return JSON.parse(new TextDecoder().decode(data))
  } catch {
    return null // not JSON: a proxy's HTML page or an empty body
  }
}

function errorDetails(value: unknown): ErrorDetail[] {
  if (!Array.isArray(value)) return []
  return value.filter(
    (d): d is ErrorDetail => isRecord(d) && typeof d.path === 'string' && typeof d.message === 'string',
  )
}

/** The server's error code in a response, or null when the body is not one of ours. */
export function errorCodeOf(res: RawResponse): ErrorCode | null {
  const body = decodeJson(res.data)
  return isRecord(body) && isErrorCode(body.code) ? body.code : null
}

export function errorFromResponse(res: RawResponse): ApiError {
  const body = decodeJson(res.data)
  const retryAfterHeader = Number.parseInt(res.header['retry-after'] ?? '', 10)
  const retryAfter = Number.isFinite(retryAfterHeader) && retryAfterHeader >= 0 ? retryAfterHeader : null
  if (isRecord(body) && isErrorCode(body.code)) {
    const message = typeof body.message === 'string' ? body.message : ''
    const requestId = typeof body.requestId === 'string' ? body.requestId : null
    return new ApiError(body.code, message, res.status, requestId, { details: errorDetails(body.details), retryAfter })
  }
  // Not our error body: a proxy page, an HTML fallback, an empty 502.
  return new ApiError('BAD_RESPONSE', `服务暂时不可用（${res.status}）`, res.status, null, { retryAfter })
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface SendOptions {
  method?: HttpMethod
  /** Path under the API origin, starting with /api/. */
  path: string
  query?: Record<string, string | number | undefined>
  /** A JSON body. */
  json?: unknown
  /** A raw body (an uploaded sheet) with its content type. */
  body?: ArrayBuffer
  contentType?: string
  /** Receive the body as bytes (posters). */
  binary?: boolean
  /** Bearer access token. */
  token?: string | null
  /** Extra request headers (e.g. Idempotency-Key). */
  header?: Record<string, string>
}

export function urlFor(path: string, query?: SendOptions['query']): string {
  const pairs = Object.entries(query ?? {}).filter((pair): pair is [string, string | number] => pair[1] !== undefined)
  const search = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&')
  return `${API_BASE}${path}${search ? `?${search}` : ''}`
}

/** One HTTP exchange; rejects only when no response arrived (as NETWORK_ERROR). */
export async function send(options: SendOptions): Promise<RawResponse> {
  const header: Record<string, string> = { ...options.header }
  if (options.token) header.Authorization = `Bearer ${options.token}`
  let data: unknown
  if (options.body !== undefined) {
    header['Content-Type'] = options.contentType ?? 'application/octet-stream'
    data = options.body
  } else if (options.json !== undefined) {
    header['Content-Type'] = 'application/json'
    data = options.json
  }
  const big = options.binary || options.body !== undefined
  const res = await Taro.request<unknown, unknown>({
    url: urlFor(options.path, options.query),
    method: options.method ?? 'GET',
    header,
    data,
    dataType: options.binary ? '其他' : 'json',
    responseType: options.binary ? 'arraybuffer' : 'text',
    timeout: big ? FILE_TIMEOUT_MS : TIMEOUT_MS,
  }).catch(() => {
    // Taro.request rejects only when no HTTP response arrived (offline, DNS, timeout, blocked domain).
    throw new ApiError('NETWORK_ERROR', '网络连接失败，请检查网络后重试', 0)
  })
  return { status: res.statusCode, data: res.data, header: lowerCaseHeaders(res.header) }
}

export function isSuccess(res: RawResponse): boolean {
  return res.status >= 200 && res.status < 300
}

/** The body of a successful response, or the response as an ApiError. */
export function bodyOf(res: RawResponse): unknown {
  if (isSuccess(res)) return res.data
  throw errorFromResponse(res)
}

/** Anything with zod's `safeParse`: the shared schemas of `@mq/shared/schemas`. */
export interface Parser<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false }
}

export const BAD_RESPONSE_MESSAGE = '服务返回的数据有误，请稍后重试'

/** A response checked against its shared schema, so a wrong payload fails as an ApiError, not in render. */
export function parseWith<T>(schema: Parser<T>, value: unknown): T {
  const result = schema.safeParse(value)
  if (!result.success) throw new ApiError('BAD_RESPONSE', BAD_RESPONSE_MESSAGE, 200)
  return result.data
}

export type Schemas = typeof import('@mq/shared/resident-schemas')
let schemasModule: Promise<Schemas> | undefined

/**
 * The resident pages' schemas (`@mq/shared/resident-schemas`: only those, so staff and admin schemas stay
 * out of WeChat's main package), loaded on first use. In the browser they and zod (about 40 KB compressed,
 * and a slow phone's third of a second to run) are a chunk of their own, so the resident pages draw before
 * it arrives (docs/adr/0004); in WeChat the import is bundled like any other.
 */
export function loadSchemas(): Promise<Schemas> {
  schemasModule ??= import('@mq/shared/resident-schemas')
  return schemasModule
}

/** parseWith for the resident pages' calls: the schema picked from the shared schemas once they are loaded. */
export async function parseAs<T>(pick: (schemas: Schemas) => Parser<T>, value: unknown): Promise<T> {
  return parseWith(pick(await loadSchemas()), value)
}

/**
 * The scan view the server put into the page of a QR URL (H5: `/q/<token>` answers with the app and the
 * view inline, saving a redirect and a request on a slow phone). Taken once, for its own token only.
 */
export function takeInlineScanView(token: string): ScanView | undefined {
  if (process.env.TARO_ENV !== 'h5') return undefined
  const holder = globalThis as { __mqScanView?: { token?: unknown; view?: unknown } }
  const inline = holder.__mqScanView
  if (!inline || inline.token !== token) return undefined
  delete holder.__mqScanView
  // The API's own answer (see getScanView): taken as it is.
  return inline.view as ScanView
}

/**
 * What the scan page shows for a unit's QR token (public, no personal data). The view the server put
 * into the page is taken as it is: it is the API's own answer (server web.spec.ts checks they are equal,
 * places.spec.ts checks that against ScanViewSchema), and checking it again here would make the scan
 * page wait for zod before it can draw. The API's answer is checked as every other is.
 */
export async function getScanView(token: string): Promise<ScanView> {
  const inline = takeInlineScanView(token)
  if (inline !== undefined) return inline
  return parseAs((s) => s.ScanViewSchema, bodyOf(await send({ path: `/api/places/by-token/${encodeURIComponent(token)}` })))
}
