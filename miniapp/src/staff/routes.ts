/** The staff subpackage's pages (login and home are in src/api/auth.ts, which the whole app reads). */
export const REQUEST_PAGE = '/staff/pages/request/index'
export const PROXY_PAGE = '/staff/pages/proxy/index'
export const CALLBACK_PAGE = '/staff/pages/callback/index'
export const NOTIFICATIONS_PAGE = '/staff/pages/notifications/index'
export const METRICS_PAGE = '/staff/pages/metrics/index'

export function requestUrl(id: string): string {
  return `${REQUEST_PAGE}?id=${encodeURIComponent(id)}`
}
