/**
 * The metrics page's periods, as people here count them: calendar days and months in local time
 * (shared/time.ts), whatever the device's own time zone. A period is [from, to).
 */
import { addLocalDays, localDateString, localDayNumber, localInstant, localParts, startOfLocalDate, startOfLocalDay } from '@mq/shared'

/** The server refuses longer spans; say so before asking. */
export const MAX_SPAN_DAYS = 731

export type PeriodKind = 'this_month' | 'last_month' | 'custom'

export interface Period {
  kind: PeriodKind
  from: string
  to: string
  /** "2026年11月", "2026-10-01 至 2026-10-31". */
  label: string
}

/** This month so far: from its first day to the end of today (the rest has nothing filed yet). */
export function thisMonth(now: number): Period {
  const { year, month } = localParts(now)
  const tomorrow = addLocalDays(startOfLocalDay(now), 1).getTime()
  return {
    kind: 'this_month',
    from: localInstant({ year, month }).toISOString(),
    to: new Date(Math.min(localInstant({ year, month: month + 1 }).getTime(), tomorrow)).toISOString(),
    label: `${year}年${month}月`,
  }
}

export function lastMonth(now: number): Period {
  const { year, month } = localParts(now)
  const start = localInstant({ year, month: month - 1 })
  const last = localParts(start)
  return {
    kind: 'last_month',
    from: start.toISOString(),
    to: localInstant({ year, month }).toISOString(),
    label: `${last.year}年${last.month}月`,
  }
}

/** A period of whole days, both ends included; an error message in Chinese when it cannot be used. */
export function customPeriod(fromDay: string, toDay: string): Period | { error: string } {
  const from = startOfLocalDate(fromDay) // null for 2月30日 too
  const to = startOfLocalDate(toDay)
  if (from === null || to === null) return { error: '请选择开始和结束日期' }
  if (from > to) return { error: '开始日期不能晚于结束日期' }
  const end = addLocalDays(to, 1)
  if (localDayNumber(end) - localDayNumber(from) > MAX_SPAN_DAYS) return { error: '统计时间最长两年，请缩短时间范围' }
  return {
    kind: 'custom',
    from: from.toISOString(),
    to: end.toISOString(),
    label: `${localDateString(from)} 至 ${localDateString(to)}`,
  }
}

/** "11/16" for a week starting then (local time). */
export function weekLabel(weekStart: string): string {
  const { month, day } = localParts(weekStart)
  return `${month}/${day}`
}
