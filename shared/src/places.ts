/** Place hierarchy, outermost first. */
export const PLACE_KINDS = ['district', 'street', 'community', 'compound', 'building', 'unit'] as const
export type PlaceKind = (typeof PLACE_KINDS)[number]

export const PLACE_KIND_LABELS: Record<PlaceKind, string> = {
  district: '区',
  street: '街道',
  community: '社区',
  compound: '小区',
  building: '楼栋',
  unit: '单元',
}

/** The kind a child of `kind` must have, or null for a unit (a leaf). */
export function childKind(kind: PlaceKind): PlaceKind | null {
  const i = PLACE_KINDS.indexOf(kind)
  return i < PLACE_KINDS.length - 1 ? PLACE_KINDS[i + 1] : null
}

/** The promise printed on every poster and shown on the scan page. */
export const SERVICE_PROMISE = '简单问题当日处理 · 复杂问题3日内答复'

/** What a QR token looks like (tokens are 96 random bits in base64url; 8–64 characters accepted). */
export const QR_TOKEN_PATTERN = /^[A-Za-z0-9_-]{8,64}$/

/** Path of the QR URL; the QR encodes `${PUBLIC_URL}${QR_PATH_PREFIX}${token}`. */
export const QR_PATH_PREFIX = '/q/'

export function qrUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${QR_PATH_PREFIX}${token}`
}

/**
 * The token from whatever the scan page was given: a bare token, or WeChat's `q` parameter, which
 * carries the whole (URL-encoded) QR URL.
 */
export function tokenFromScan(params: { q?: string; token?: string }): string | null {
  if (params.token && QR_TOKEN_PATTERN.test(params.token)) return params.token
  if (!params.q) return null
  let url = params.q
  try {
    url = decodeURIComponent(url)
  } catch {
    return null // malformed escape: not one of our codes
  }
  const match = /\/q\/([A-Za-z0-9_-]{8,64})(?:[?#/].*)?$/.exec(url)
  return match ? match[1] : null
}
