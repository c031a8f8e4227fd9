/**
 * The metrics page's periods, as people here count them: calendar days and months in Asia/Shanghai
 * (UTC+8, no daylight saving), whatever the device's own time zone. A period is [from, to).
 */
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000
const DAY_MS = 24 * 60 * 60 * 1000
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

interface LocalDay {
  y: number
  m: number // 1–12
  d: number
}

function localDay(at: number): LocalDay {
  const t = new Date(at + SHANGHAI_OFFSET_MS)
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() }
}

/** The instant local midnight of a day begins (months and days may overflow, as Date.UTC allows). */
function midnight(y: number, m: number, d: number): number {
  return Date.UTC(y, m - 1, d) - SHANGHAI_OFFSET_MS
}

const pad = (n: number) => String(n).padStart(2, '0')

/** "2026-11-21" of an instant, in Shanghai. */
export function dayString(at: number): string {
  const { y, m, d } = localDay(at)
  return `${y}-${pad(m)}-${pad(d)}`
}

/** This month so far: from its first day to the end of today (the rest has nothing filed yet). */
export function thisMonth(now: number): Period {
  const { y, m, d } = localDay(now)
  return {
    kind: 'this_month',
    from: new Date(midnight(y, m, 1)).toISOString(),
    to: new Date(Math.min(midnight(y, m + 1, 1), midnight(y, m, d + 1))).toISOString(),
    label: `${y}年${m}月`,
  }
}

export function lastMonth(now: number): Period {
  const { y, m } = localDay(now)
  const start = localDay(midnight(y, m - 1, 1))
  return {
    kind: 'last_month',
    from: new Date(midnight(y, m - 1, 1)).toISOString(),
    to: new Date(midnight(y, m, 1)).toISOString(),
    label: `${start.y}年${start.m}月`,
  }
}

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/

function parseDay(value: string): number | null {
  const match = DAY_PATTERN.exec(value.trim())
  if (!match) return null
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const at = midnight(y, m, d)
  const back = localDay(at)
  return back.y === y && back.m === m && back.d === d ? at : null // no 2月30日
}

/** A period of whole days, both ends included; an error message in Chinese when it cannot be used. */
export function customPeriod(fromDay: string, toDay: string): Period | { error: string } {
  const from = parseDay(fromDay)
  const to = parseDay(toDay)
  if (from === null || to === null) return { error: '请选择开始和结束日期' }
  if (from > to) return { error: '开始日期不能晚于结束日期' }
  const end = to + DAY_MS
  if ((end - from) / DAY_MS > MAX_SPAN_DAYS) return { error: '统计时间最长两年，请缩短时间范围' }
  return {
    kind: 'custom',
    from: new Date(from).toISOString(),
    to: new Date(end).toISOString(),
    label: `${dayString(from)} 至 ${dayString(to)}`,
  }
}

/** "11/16" for a week starting then (Shanghai). */
export function weekLabel(weekStart: string): string {
  const { m, d } = localDay(new Date(weekStart).getTime())
  return `${m}/${d}`
}
