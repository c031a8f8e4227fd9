import { tzOffset } from '@date-fns/tz'

/**
 * Local time as people here count it: calendar days, weeks from Monday and months in the service's time
 * zone, whatever the zone of the server or of the phone or laptop showing the page. The one place that
 * knows offsets; everything else asks these functions (the deadline rules take the zone from their
 * DeadlineConfig, whose default is DEFAULT_TIME_ZONE).
 *
 * Instants go in as a Date, epoch milliseconds or an ISO string; local dates as 'YYYY-MM-DD'.
 */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai'

/**
 * Zones with one offset all year, for runtimes whose Intl has no zone data (some mini-program engines):
 * Asia/Shanghai has kept UTC+8, without summer time, since 1991.
 */
const FIXED_OFFSET_MINUTES: Readonly<Record<string, number>> = { 'Asia/Shanghai': 8 * 60 }
/**
 * From when each of those zones has had its one offset (Asia/Shanghai: 1992-01-01, after the last summer
 * time of 1991): later instants skip the Intl lookup, which costs more than anything else here (it was
 * 7–9 % of the server's CPU while filing). Earlier ones still ask Intl, so history stays exact.
 */
const FIXED_SINCE_MS: Readonly<Record<string, number>> = { 'Asia/Shanghai': Date.UTC(1992, 0, 1) }

const MINUTE_MS = 60_000
const DAY_MS = 86_400_000

export type Instant = Date | number | string

function epochMs(at: Instant): number {
  return at instanceof Date ? at.getTime() : new Date(at).getTime()
}

/** The zone's offset from UTC at `at`, in minutes (480 in Asia/Shanghai). */
export function utcOffsetMinutes(at: Instant, timeZone: string = DEFAULT_TIME_ZONE): number {
  const ms = epochMs(at)
  const since = FIXED_SINCE_MS[timeZone]
  if (since !== undefined && ms >= since) return FIXED_OFFSET_MINUTES[timeZone]
  const offset = tzOffset(timeZone, new Date(ms))
  if (Number.isFinite(offset)) return offset
  const fixed = FIXED_OFFSET_MINUTES[timeZone]
  if (fixed === undefined) throw new Error(`unknown time zone "${timeZone}"`)
  return fixed
}

/** A wall-clock reading in the zone. `month` is 1–12; `weekday` counts from Monday (0) to Sunday (6). */
export interface LocalParts {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
  weekday: number
}

/** The wall clock at `at` read as if it were UTC: its UTC fields are the local ones. */
function wallClock(at: Instant, timeZone: string): Date {
  const ms = epochMs(at)
  return new Date(ms + utcOffsetMinutes(ms, timeZone) * MINUTE_MS)
}

export function localParts(at: Instant, timeZone: string = DEFAULT_TIME_ZONE): LocalParts {
  const w = wallClock(at, timeZone)
  return {
    year: w.getUTCFullYear(),
    month: w.getUTCMonth() + 1,
    day: w.getUTCDate(),
    hour: w.getUTCHours(),
    minute: w.getUTCMinutes(),
    second: w.getUTCSeconds(),
    weekday: (w.getUTCDay() + 6) % 7,
  }
}

/**
 * The instant a local wall-clock time happens. Fields may overflow as `Date.UTC` allows (day 0 is the
 * last day of the month before, month 13 the January after), which is how the helpers below step.
 */
export function localInstant(
  fields: { year: number; month: number; day?: number; hour?: number; minute?: number; second?: number; ms?: number },
  timeZone: string = DEFAULT_TIME_ZONE,
): Date {
  const { year, month, day = 1, hour = 0, minute = 0, second = 0, ms = 0 } = fields
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, ms)
  // The offset at the wall time read as UTC is the right one except near a change of offset; a second
  // look at the instant found settles that.
  const guess = wall - utcOffsetMinutes(wall, timeZone) * MINUTE_MS
  return new Date(wall - utcOffsetMinutes(guess, timeZone) * MINUTE_MS)
}

/** Local midnight beginning the day of `at`. */
export function startOfLocalDay(at: Instant, timeZone: string = DEFAULT_TIME_ZONE): Date {
  const { year, month, day } = localParts(at, timeZone)
  return localInstant({ year, month, day }, timeZone)
}

/** The last instant of the local day `at` falls in (for "due today"). */
export function endOfLocalDay(at: Instant, timeZone: string = DEFAULT_TIME_ZONE): Date {
  const { year, month, day } = localParts(at, timeZone)
  return new Date(localInstant({ year, month, day: day + 1 }, timeZone).getTime() - 1)
}

/** Monday 00:00 of the local week `at` falls in. */
export function startOfLocalWeek(at: Instant, timeZone: string = DEFAULT_TIME_ZONE): Date {
  const { year, month, day, weekday } = localParts(at, timeZone)
  return localInstant({ year, month, day: day - weekday }, timeZone)
}

/** The first instant of the local calendar month of `at`. */
export function startOfLocalMonth(at: Instant, timeZone: string = DEFAULT_TIME_ZONE): Date {
  const { year, month } = localParts(at, timeZone)
  return localInstant({ year, month }, timeZone)
}

/** The same wall-clock time `days` local days later (or earlier): midnight stays midnight. */
export function addLocalDays(at: Instant, days: number, timeZone: string = DEFAULT_TIME_ZONE): Date {
  const p = localParts(at, timeZone)
  const ms = epochMs(at) % 1000
  return localInstant({ ...p, day: p.day + days, ms: ms < 0 ? ms + 1000 : ms }, timeZone)
}

/** Days since 1970-01-01 of the local date of `at`: two instants' difference counts calendar days. */
export function localDayNumber(at: Instant, timeZone: string = DEFAULT_TIME_ZONE): number {
  const { year, month, day } = localParts(at, timeZone)
  return Math.round(Date.UTC(year, month - 1, day) / DAY_MS)
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/** 2026-11-21 */
export function localDateString(at: Instant, timeZone: string = DEFAULT_TIME_ZONE): string {
  const p = localParts(at, timeZone)
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`
}

/** 2026-11 */
export function localMonthString(at: Instant, timeZone: string = DEFAULT_TIME_ZONE): string {
  return localDateString(at, timeZone).slice(0, 7)
}

/** 10:35 */
export function localClock(at: Instant, timeZone: string = DEFAULT_TIME_ZONE): string {
  const p = localParts(at, timeZone)
  return `${pad(p.hour)}:${pad(p.minute)}`
}

/** 2026-11-21 10:35 (sheets, lists) */
export function localDateTime(at: Instant, timeZone: string = DEFAULT_TIME_ZONE): string {
  return `${localDateString(at, timeZone)} ${localClock(at, timeZone)}`
}

/** 2026-11-21 10:35:07 (logs) */
export function localDateTimeSeconds(at: Instant, timeZone: string = DEFAULT_TIME_ZONE): string {
  return `${localDateTime(at, timeZone)}:${pad(localParts(at, timeZone).second)}`
}

/** 3月2日 12:00 (messages) */
export function monthDayTime(at: Instant, timeZone: string = DEFAULT_TIME_ZONE): string {
  const p = localParts(at, timeZone)
  return `${p.month}月${p.day}日 ${localClock(at, timeZone)}`
}

/** 2026年3月2日 12:00 (a WeChat message's time field) */
export function fullDateTime(at: Instant, timeZone: string = DEFAULT_TIME_ZONE): string {
  return `${localParts(at, timeZone).year}年${monthDayTime(at, timeZone)}`
}

/** "+08:00": the zone's offset at `at`, as ISO 8601 writes it. */
export function offsetString(at: Instant, timeZone: string = DEFAULT_TIME_ZONE): string {
  const minutes = utcOffsetMinutes(at, timeZone)
  const abs = Math.abs(minutes)
  return `${minutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
}

/** 2026-03-02T00:30:15+08:00: an instant in local time with its offset, to the second (Open311). */
export function isoWithOffset(at: Instant, timeZone: string = DEFAULT_TIME_ZONE): string {
  const p = localParts(at, timeZone)
  return `${localDateString(at, timeZone)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${offsetString(at, timeZone)}`
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/

/** The local midnight beginning 'YYYY-MM-DD', or null for anything else (2月30日 included). */
export function startOfLocalDate(date: string, timeZone: string = DEFAULT_TIME_ZONE): Date | null {
  const match = DATE_PATTERN.exec(date.trim())
  if (!match) return null
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const check = new Date(Date.UTC(year, month - 1, day))
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null
  return localInstant({ year, month, day }, timeZone)
}

/** The last instant of the local date 'YYYY-MM-DD' (a day picked in a form), or null when it is no date. */
export function endOfLocalDate(date: string, timeZone: string = DEFAULT_TIME_ZONE): Date | null {
  const start = startOfLocalDate(date, timeZone)
  return start && endOfLocalDay(start, timeZone)
}
