import { PAGES, pageUrl, staffRequestUrl } from '@mq/shared'

/** The staff subpackage's pages (login and home are in src/api/auth.ts, which the whole app reads). */
export const REQUEST_PAGE = pageUrl(PAGES.staff.request)
export const PROXY_PAGE = pageUrl(PAGES.staff.proxy)
export const CALLBACK_PAGE = pageUrl(PAGES.staff.callback)
export const NOTIFICATIONS_PAGE = pageUrl(PAGES.staff.notifications)
export const METRICS_PAGE = pageUrl(PAGES.staff.metrics)

export function requestUrl(id: string): string {
  return staffRequestUrl(id)
}
