/**
 * Masking helpers for personal data. Masked values keep just enough to recognise a record
 * (`张*`, `138****1234`) without identifying the person.
 */
export function maskName(name: string | null | undefined): string | null {
  if (!name) return null
  const chars = Array.from(name.trim())
  if (chars.length === 0) return null
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1))
}

export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return null
  const digits = phone.replace(/\D/g, '')
  if (digits.length < 7) return '*'.repeat(digits.length || 4)
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`
}

export function maskOpenid(openid: string | null | undefined): string | null {
  if (!openid) return null
  return `${openid.slice(0, 4)}****`
}

export function maskRoom(room: string | null | undefined): string | null {
  if (!room) return null
  return '***'
}

/** Mainland mobile numbers: 11 digits starting with 1[3-9]. */
export const MOBILE_PATTERN = /^1[3-9]\d{9}$/
