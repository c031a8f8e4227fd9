/**
 * Free text after the retention period. Staff-written text (a reply plan, a resolution note, a reason) stays,
 * since the public board shows it, with what looks like personal data cut out; text a resident wrote goes.
 */

/** What a resident's description of a request becomes. Also marks a request as anonymised. */
export const REMOVED_DESCRIPTION = '（已超过保存期限，诉求内容已删除）'
export const REMOVED_TEXT = '（已删除）'

/** Mainland mobile numbers, not inside a longer run of digits. */
const MOBILE = /(?<![0-9])1[3-9][0-9]{9}(?![0-9])/g
/** 18-character resident ID numbers. */
const ID_NUMBER = /(?<![0-9A-Za-z])[1-9][0-9]{16}[0-9Xx](?![0-9A-Za-z])/g
/** WeChat openids (28 characters starting with "o"). */
const OPENID = /(?<![A-Za-z0-9_-])o[A-Za-z0-9_-]{27}(?![A-Za-z0-9_-])/g

/** Staff-written text with phone numbers, ID numbers and openids replaced. */
export function scrubText(text: string): string {
  return text.replace(ID_NUMBER, '[身份证号已删除]').replace(MOBILE, '[手机号已删除]').replace(OPENID, '[已删除]')
}

/** Enum-like values (`visit`, `grid_lead`), ids, numbers and instants: not free text. */
const TOKEN = /^[A-Za-z0-9_.:+-]*$/

/**
 * A timeline entry's data: every string scrubbed; when a resident wrote the entry, its free text
 * (anything but enum-like tokens, ids and instants) replaced whole.
 */
export function scrubEventData(data: unknown, byResident: boolean): unknown {
  if (typeof data === 'string') {
    if (byResident && !TOKEN.test(data)) return REMOVED_TEXT
    return scrubText(data)
  }
  if (Array.isArray(data)) return data.map((item) => scrubEventData(item, byResident))
  if (data !== null && typeof data === 'object') {
    return Object.fromEntries(Object.entries(data).map(([key, value]) => [key, scrubEventData(value, byResident)]))
  }
  return data
}
