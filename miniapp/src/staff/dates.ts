/**
 * The promised date of a reply, picked as a calendar day in local time and sent as an instant: the end
 * of that day, but never beyond the latest date the shared rule allows (`latestPromiseDate`, 30 days).
 */
import { addLocalDays, defaultCalendar, endOfLocalDate, latestPromiseDate, localDateString } from '@mq/shared'

/**
 * The days the date picker offers: from today to the latest allowed promise, and a sensible default — a
 * week ahead, moved to China's next working day: a handler who keeps office days may only promise one (the
 * server refuses a weekend or holiday), and it is a fair day for anyone else.
 */
export function promiseRange(now: number): { start: string; end: string; suggested: string } {
  const latest = latestPromiseDate(new Date(now)).getTime()
  const end = localDateString(latest)
  const calendar = defaultCalendar()
  const week = localDateString(addLocalDays(now, 7))
  const workday = calendar.day(week).working ? week : calendar.nextWorkingDay(week)
  const lastWorkday = calendar.day(end).working ? end : calendar.previousWorkingDay(end)
  return { start: localDateString(now), end, suggested: workday <= end ? workday : lastWorkday }
}

/**
 * The instant promised for `date`: its last moment, or a minute before the latest allowed promise when
 * that comes first (the server checks against its own, slightly later, clock).
 */
export function promisedAtFor(date: string, now: number): string {
  const latest = latestPromiseDate(new Date(now)).getTime() - 60_000
  const end = endOfLocalDate(date)?.getTime() ?? latest
  return new Date(Math.min(end, latest)).toISOString()
}
