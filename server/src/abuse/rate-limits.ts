import type { RateLimitName } from '../config/config'

export type Throttle = 'staffLogin' | 'residentLogin' | 'filing' | 'chase' | 'upload' | 'smsCode' | 'smsVerify'

/** Which limits a throttled route counts against: always the client address, then the person or account. */
export interface ThrottleLimits {
  perIp: RateLimitName
  /** The signed-in caller (resident or staff). */
  perPerson?: RateLimitName
  /** The phone number a login names, whoever sends it. */
  perAccount?: RateLimitName
}

/**
 * The abuse limits: each throttled route counts its calls per client address and, where there is one, per person or account. Beyond a limit it answers
 * 429 RATE_LIMITED with Retry-After in seconds. The numbers are configuration (config.ts RATE_LIMIT_*).
 */
export const THROTTLES: Record<Throttle, ThrottleLimits> = {
  /** POST /api/auth/staff/login: per address, and per phone number named in the body. */
  staffLogin: { perIp: 'staffLoginPerIp', perAccount: 'staffLoginPerAccount' },
  /** POST /api/auth/wechat, /api/auth/device: per address (there is no account yet). */
  residentLogin: { perIp: 'residentLoginPerIp' },
  /** POST /api/requests. */
  filing: { perIp: 'filingPerIp', perPerson: 'filingPerPerson' },
  /** POST /api/requests/{id}/chase (on top of the per-request cooldown). */
  chase: { perIp: 'chasePerIp', perPerson: 'chasePerPerson' },
  /** POST /api/photos. */
  upload: { perIp: 'uploadPerIp', perPerson: 'uploadPerPerson' },
  /**
   * POST /api/sms/mobile/code. The per-number limits (smsCodePerNumberMinute, smsCodePerNumberDay) are
   * counted by the SMS service on the number once it is validated, so a malformed one costs nothing.
   */
  smsCode: { perIp: 'smsCodePerIp', perPerson: 'smsCodePerPerson' },
  /** POST /api/sms/mobile/verify (on top of the 5 tries each code allows). */
  smsVerify: { perIp: 'smsVerifyPerIp' },
}

/** Chinese for how long to wait: 45秒, 12分钟, 2小时. */
export function waitText(seconds: number): string {
  if (seconds < 60) return `${seconds}秒`
  if (seconds < 3600) return `${Math.ceil(seconds / 60)}分钟`
  return `${Math.ceil(seconds / 3600)}小时`
}
