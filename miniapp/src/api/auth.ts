/**
 * Signing in and out. Residents sign in lazily, the first time an action needs it (the scan page stays
 * anonymous): in WeChat with wx.login's code, in a browser with a device-bound secret. Staff log in with
 * phone and password; their session survives restarts until it expires or is revoked.
 */
import Taro from '@tarojs/taro'
import { PAGES, pageUrl, ROLE_LABELS, type Me, type Session } from '@mq/shared'
import { ApiError, BAD_RESPONSE_MESSAGE, bodyOf, parseAs, send, type SendOptions } from './client'
import {
  authorizedCall,
  clearSession,
  loadSession,
  saveSession,
  setSessionSource,
  startSession,
  type Audience,
  type StoredSession,
} from './session'

export type StaffMe = Extract<Me, { kind: 'staff' }>

const sessionFrom = (data: unknown): Promise<Session> => parseAs((s) => s.SessionSchema, data)

// ---------------------------------------------------------------------------------------------------
// Residents

const DEVICE_SECRET_KEY = 'mq.deviceSecret'
const DEVICE_SECRET_PATTERN = /^[A-Za-z0-9_-]{32,128}$/
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

function base64url(bytes: Uint8Array): string {
  let out = ''
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0)
    const chars = i + 2 < bytes.length ? 4 : i + 1 < bytes.length ? 3 : 2
    for (let c = 0; c < chars; c++) out += BASE64URL[(n >> (18 - 6 * c)) & 63]
  }
  return out
}

/**
 * This browser's device secret: 256 random bits, generated once and kept, so the same browser stays the
 * same resident. Only its hash reaches the server's database.
 */
export function deviceSecret(): string {
  const stored: unknown = Taro.getStorageSync(DEVICE_SECRET_KEY)
  if (typeof stored === 'string' && DEVICE_SECRET_PATTERN.test(stored)) return stored
  const bytes = new Uint8Array(32)
  crypto.getRandomValues(bytes)
  const secret = base64url(bytes)
  Taro.setStorageSync(DEVICE_SECRET_KEY, secret)
  return secret
}

async function wechatLogin(): Promise<Session> {
  // A code works once and expires quickly: when WeChat refuses it, one fresh code is worth a try.
  for (let attempt = 0; ; attempt++) {
    const { code } = await Taro.login()
    try {
      return await sessionFrom(bodyOf(await send({ method: 'POST', path: '/api/auth/wechat', json: { code } })))
    } catch (error) {
      if (attempt > 0 || !(error instanceof ApiError) || error.code !== 'WECHAT_CODE_INVALID') throw error
    }
  }
}

async function deviceLogin(): Promise<Session> {
  const json = { deviceSecret: deviceSecret() }
  return sessionFrom(bodyOf(await send({ method: 'POST', path: '/api/auth/device', json })))
}

let residentSignIn: Promise<StoredSession> | null = null

/** Starts a resident session (one sign-in at a time, however many calls ask for it). */
export function signInResident(): Promise<StoredSession> {
  residentSignIn ??= (process.env.TARO_ENV === 'weapp' ? wechatLogin() : deviceLogin())
    .then((session) => startSession('resident', session, session.me))
    .finally(() => {
      residentSignIn = null
    })
  return residentSignIn
}

setSessionSource('resident', signInResident)

/** A call a resident makes; signs in first when this device has no resident session yet. */
export function residentCall(options: Omit<SendOptions, 'token'>): Promise<unknown> {
  return authorizedCall('resident', options)
}

// ---------------------------------------------------------------------------------------------------
// Staff

export const STAFF_LOGIN_PAGE = pageUrl(PAGES.staff.login)
export const STAFF_HOME_PAGE = pageUrl(PAGES.staff.home)
export const ADMIN_HOME_PAGE = pageUrl(PAGES.admin.places)

/** Phone + password. Errors: INVALID_CREDENTIALS, ACCOUNT_LOCKED (with retryAfter), ACCOUNT_DISABLED. */
export async function staffLogin(phone: string, password: string): Promise<StaffMe> {
  const session = await sessionFrom(
    bodyOf(await send({ method: 'POST', path: '/api/auth/staff/login', json: { phone, password } })),
  )
  if (session.me.kind !== 'staff') throw new ApiError('BAD_RESPONSE', BAD_RESPONSE_MESSAGE, 200)
  startSession('staff', session, session.me)
  return session.me
}

function isStaffMe(me: Me | null | undefined): me is StaffMe {
  return me?.kind === 'staff'
}

/** The logged-in staff member as last seen, without a request; null when nobody is logged in. */
export function storedStaff(): StaffMe | null {
  const me = loadSession('staff')?.me
  return isStaffMe(me) ? me : null
}

/** Who is logged in, fresh from the server (roles may have changed); remembered for next time. */
export async function fetchMe(audience: Audience): Promise<Me> {
  const me = await parseAs((s) => s.MeSchema, await authorizedCall(audience, { path: '/api/me' }))
  const session = loadSession(audience)
  if (session) saveSession(audience, { ...session, me })
  return me
}

export async function fetchStaffMe(): Promise<StaffMe> {
  const me = await fetchMe('staff')
  if (!isStaffMe(me)) throw new ApiError('FORBIDDEN', '这不是工作人员账号', 403)
  return me
}

/** A call a staff member makes (admin console, inbox). */
export function staffCall(options: Omit<SendOptions, 'token'>): Promise<unknown> {
  return authorizedCall('staff', options)
}

export function isAdmin(me: StaffMe): boolean {
  return me.memberships.some((m) => m.role === 'admin')
}

/** Where a staff member starts: admins in the console, everyone else at the staff home. */
export function homePageFor(me: StaffMe): string {
  return isAdmin(me) ? ADMIN_HOME_PAGE : STAFF_HOME_PAGE
}

/** "网格长 · 石灰桥新村" for each membership. */
export function membershipLabels(me: StaffMe): string[] {
  return me.memberships.map((m) => `${m.roleLabel || ROLE_LABELS[m.role]} · ${m.place.name}`)
}

/** Ends the session on the server (best effort: offline, the tokens are forgotten anyway). */
export async function logout(audience: Audience): Promise<void> {
  const session = loadSession(audience)
  clearSession(audience)
  if (!session) return
  try {
    await send({ method: 'POST', path: '/api/auth/logout', token: session.accessToken })
  } catch {
    // Offline: the access token dies within minutes and the refresh token is no longer kept here.
  }
}

// A message for the login page, set when a session ends elsewhere in the app.
const LOGIN_NOTICE_KEY = 'mq.loginNotice'

export function setLoginNotice(message: string): void {
  Taro.setStorageSync(LOGIN_NOTICE_KEY, message)
}

export function takeLoginNotice(): string | null {
  const notice: unknown = Taro.getStorageSync(LOGIN_NOTICE_KEY)
  if (!notice) return null
  Taro.removeStorageSync(LOGIN_NOTICE_KEY)
  return typeof notice === 'string' ? notice : null
}
