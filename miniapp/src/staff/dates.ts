/**
 * The promised date of a reply, picked as a calendar day in Asia/Shanghai and sent as an instant: the end
 * of that day, but never beyond the latest date the shared rule allows (`latestPromiseDate`, 30 days).
 */
import { latestPromiseDate } from '@mq/shared'
import { dateTime } from '@/utils/time'

const DAY_MS = 86_400_000

/** 2026-11-21, in Asia/Shanghai. */
export function localDate(at: number | Date | string): string {
  return dateTime(at).slice(0, 10)
}

function endOfLocalDay(date: string): number {
  return Date.parse(`${date}T23:59:59.999+08:00`)
}

/** The days the date picker offers: from today to the latest allowed promise, and a sensible default. */
export function promiseRange(now: number): { start: string; end: string; suggested: string } {
  const latest = latestPromiseDate(new Date(now)).getTime()
  const end = localDate(latest)
  const week = localDate(now + 7 * DAY_MS)
  return { start: localDate(now), end, suggested: week < end ? week : end }
}

/**
 * The instant promised for `date`: its last moment, or a minute before the latest allowed promise when
 * that comes first (the server checks against its own, slightly later, clock).
 */
export function promisedAtFor(date: string, now: number): string {
  const latest = latestPromiseDate(new Date(now)).getTime() - 60_000
  return new Date(Math.min(endOfLocalDay(date), latest)).toISOString()
}
