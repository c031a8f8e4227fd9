/**
 * Sessions on this device: one for a resident, one for a staff member (the same phone may be both).
 * Each is a short-lived access token and a rotating, single-use refresh token, kept in Taro storage
 * (localStorage in H5) so a session survives restarts.
 *
 * Refresh is single-flight: the server revokes the whole session when a refresh token is used twice,
 * so every request that meets TOKEN_EXPIRED at the same time waits for the one refresh in flight,
 * and a request that failed with an access token already replaced simply retries with the new one.
 * In H5, tabs share storage, so the refresh also holds a Web Lock across tabs where the browser has one.
 */
import Taro from '@tarojs/taro'
import type { Me, TokenPair } from '@mq/shared'
import {
  ApiError,
  bodyOf,
  errorCodeOf,
  errorFromResponse,
  isRecord,
  loadSchemas,
  send,
  type RawResponse,
  type SendOptions,
} from './client'

export type Audience = 'staff' | 'resident'

export interface StoredSession {
  accessToken: string
  refreshToken: string
  /** Who the session belongs to, as of the last login or /api/me. */
  me: Me | null
}

const STORAGE_KEY: Record<Audience, string> = {
  staff: 'mq.session.staff',
  resident: 'mq.session.resident',
}

function isStoredSession(value: unknown): value is StoredSession {
  return isRecord(value) && typeof value.accessToken === 'string' && typeof value.refreshToken === 'string'
}

export function loadSession(audience: Audience): StoredSession | null {
  let value: unknown
  try {
    value = Taro.getStorageSync(STORAGE_KEY[audience])
  } catch {
    return null // storage unavailable (private mode): behave as signed out
  }
  return isStoredSession(value) ? { ...value, me: isRecord(value.me) ? (value.me as Me) : null } : null
}

export function saveSession(audience: Audience, session: StoredSession): void {
  Taro.setStorageSync(STORAGE_KEY[audience], session)
}

export function clearSession(audience: Audience): void {
  try {
    Taro.removeStorageSync(STORAGE_KEY[audience])
  } catch {
    // Nothing stored, or storage unavailable: either way there is no session left.
  }
}

/** Stores a login's tokens and who logged in; returns what was stored. */
export function startSession(audience: Audience, pair: TokenPair, me: Me | null): StoredSession {
  const session = { accessToken: pair.accessToken, refreshToken: pair.refreshToken, me }
  saveSession(audience, session)
  return session
}

type EndedListener = (error: ApiError) => void
const endedListeners: Record<Audience, Set<EndedListener>> = { staff: new Set(), resident: new Set() }

/** Called when the server has ended a session (expired, revoked, reused refresh token, account disabled). */
export function onSessionEnded(audience: Audience, listener: EndedListener): () => void {
  endedListeners[audience].add(listener)
  return () => endedListeners[audience].delete(listener)
}

/**
 * Forgets the session and tells whoever listens (staff pages go back to the login page) — once, even
 * when several requests in flight learn of it.
 */
export function endSession(audience: Audience, error: ApiError): void {
  if (!loadSession(audience)) return
  clearSession(audience)
  for (const listener of [...endedListeners[audience]]) listener(error)
}

const refreshing: Partial<Record<Audience, Promise<StoredSession>>> = {}

interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>
}

/** The browser's Web Locks, when there are any (H5 in a current browser; never in a mini-program). */
function webLocks(): LockManagerLike | null {
  const nav = typeof navigator === 'undefined' ? undefined : (navigator as { locks?: LockManagerLike })
  return nav?.locks && typeof nav.locks.request === 'function' ? nav.locks : null
}

async function exchange(audience: Audience, used: StoredSession): Promise<StoredSession> {
  // Another tab may have refreshed while this one waited for the lock: its tokens are the live ones.
  const latest = loadSession(audience)
  if (!latest) throw new ApiError('UNAUTHENTICATED', '登录已失效，请重新登录', 401)
  if (latest.refreshToken !== used.refreshToken) return latest
  const res = await send({ method: 'POST', path: '/api/auth/refresh', json: { refreshToken: used.refreshToken } })
  const pair = res.status === 200 ? (await loadSchemas()).TokenPairSchema.safeParse(res.data) : null
  if (pair?.success) {
    const next = { ...latest, accessToken: pair.data.accessToken, refreshToken: pair.data.refreshToken }
    saveSession(audience, next)
    return next
  }
  const error = errorFromResponse(res)
  // Unknown, expired, revoked or reused: this session is over. Anything else (busy, 5xx) may pass.
  if (res.status === 401) endSession(audience, error)
  throw error
}

/**
 * A session with a fresh access token, after `staleAccessToken` met TOKEN_EXPIRED. Concurrent callers
 * share one refresh; a caller whose token was already replaced gets the new session without a request.
 */
export function refreshSession(audience: Audience, staleAccessToken: string): Promise<StoredSession> {
  const current = loadSession(audience)
  if (!current) return Promise.reject(new ApiError('UNAUTHENTICATED', '登录已失效，请重新登录', 401))
  if (current.accessToken !== staleAccessToken) return Promise.resolve(current)
  const inFlight = refreshing[audience]
  if (inFlight) return inFlight
  const locks = webLocks()
  const run = () => exchange(audience, current)
  const flight = (locks ? locks.request(`mq-refresh-${audience}`, run) : run()).finally(() => {
    delete refreshing[audience]
  })
  refreshing[audience] = flight
  return flight
}

/** How the client gets a session to start from: staff must have logged in; residents sign in lazily. */
type SessionSource = () => Promise<StoredSession>
const sources: Partial<Record<Audience, SessionSource>> = {}

/** Registers how an audience signs in when it has no session (residents: WeChat or device). */
export function setSessionSource(audience: Audience, source: SessionSource): void {
  sources[audience] = source
}

async function currentSession(audience: Audience): Promise<StoredSession> {
  const stored = loadSession(audience)
  if (stored) return stored
  const source = sources[audience]
  if (source) return source()
  throw new ApiError('UNAUTHENTICATED', '请先登录', 401)
}

/**
 * Sends a request as `audience`: attaches the access token, refreshes it once on TOKEN_EXPIRED and
 * retries; when the server says the session is over, ends it (and a resident signs in again once).
 * `attempt` may be any transport (JSON, bytes, a mini-program download) that reports a RawResponse.
 */
export async function withSession(
  audience: Audience,
  attempt: (accessToken: string) => Promise<RawResponse>,
): Promise<RawResponse> {
  let session = await currentSession(audience)
  let res = await attempt(session.accessToken)
  const code = () => errorCodeOf(res)
  // A 401 without our body (a mini-program download reports no body) may be an expired token too.
  if (res.status === 401 && (code() === 'TOKEN_EXPIRED' || code() === null)) {
    try {
      session = await refreshSession(audience, session.accessToken)
    } catch (error) {
      // A resident's session can be started again without asking anything; a staff member must log in.
      const over = error instanceof ApiError && error.status === 401
      if (!over || audience !== 'resident' || !sources.resident) throw error
      session = await sources.resident()
    }
    res = await attempt(session.accessToken)
  }
  const ended = res.status === 401 || (res.status === 403 && code() === 'ACCOUNT_DISABLED')
  if (!ended) return res
  endSession(audience, errorFromResponse(res))
  if (audience === 'resident' && sources.resident) {
    session = await sources.resident()
    res = await attempt(session.accessToken)
  }
  return res
}

/** A JSON call as `audience`: the response body, or an ApiError. */
export async function authorizedCall(
  audience: Audience,
  options: Omit<SendOptions, 'token'>,
): Promise<unknown> {
  return bodyOf(await withSession(audience, (token) => send({ ...options, token })))
}
