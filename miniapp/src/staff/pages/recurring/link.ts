import { PAGES, pageUrl } from '@mq/shared'

const RECURRING_PAGE = pageUrl(PAGES.staff.recurring)

/** The 重点问题 page of a compound (without one: the caller's own compound, or the picker). */
export function recurringUrl(compoundId?: string): string {
  return compoundId ? `${RECURRING_PAGE}?compoundId=${encodeURIComponent(compoundId)}` : RECURRING_PAGE
}
