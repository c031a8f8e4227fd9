import published from 'chinese-days/dist/chinese-days.json'
import {
  DEFAULT_TIME_ZONE,
  fullDateTime,
  localClock,
  localDateString,
  localParts,
  monthDayTime,
  startOfLocalDate,
  type Instant,
} from './time'

/**
 * China's working calendar: weekends off except the State Council's make-up workdays (调休), statutory
 * holidays off. The official schedule comes from the `chinese-days` package's compact data (dates only,
 * no lunar tables), so this module stays pure and small enough for the mini-program's main package.
 * A year the package has no schedule for falls back to plain weekends; `hasPublishedSchedule` says so,
 * for the admin console to warn.
 *
 * Dates are local 'YYYY-MM-DD' strings; instants are read in the calendar's time zone.
 */

/** An admin's correction of one day: a typhoon day off, a local holiday, a day worked. Wins over the package. */
export interface CalendarOverride {
  date: string
  working: boolean
  reason: string
}

/** Why a day is or is not worked. */
export type DayKind = 'workday' | 'weekend' | 'holiday' | 'makeup_workday' | 'override_off' | 'override_on'

export interface DayInfo {
  date: string
  working: boolean
  kind: DayKind
  /** The holiday's Chinese name (国庆节), or the override's reason; null on plain days. */
  name: string | null
}

/** What deadline arithmetic needs of a calendar. */
export interface DayCalendar {
  readonly timeZone: string
  /** True for the every-day calendar: plain calendar time. */
  readonly everyDay?: boolean
  isWorkingDay(date: string): boolean
}

interface PublishedData {
  holidays: Record<string, string>
  workdays: Record<string, string>
}

const DATA = published as PublishedData
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const DAY_MS = 86_400_000

/** "National Day,国庆节,3" → 国庆节 */
const chineseName = (entry: string) => entry.split(',')[1] ?? entry

const PUBLISHED_YEARS: ReadonlySet<number> = new Set(
  Object.keys(DATA.holidays).map((date) => Number(date.slice(0, 4))),
)

function dayNumber(date: string): number {
  const match = DATE.exec(date)
  if (!match) throw new Error(`invalid local date "${date}", expected YYYY-MM-DD`)
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / DAY_MS
}

function dateOf(dayNo: number): string {
  return new Date(dayNo * DAY_MS).toISOString().slice(0, 10)
}

/** The local date `days` after (or before) `date`. */
export function addDaysToDate(date: string, days: number): string {
  return dateOf(dayNumber(date) + days)
}

/** Monday 0 … Sunday 6. */
function weekdayOf(date: string): number {
  return (new Date(dayNumber(date) * DAY_MS).getUTCDay() + 6) % 7
}

/** The years the package has an official schedule for (its first to its last). */
export function publishedYears(): number[] {
  return [...PUBLISHED_YEARS].sort((a, b) => a - b)
}

export class WorkingCalendar implements DayCalendar {
  private readonly overrides: ReadonlyMap<string, CalendarOverride>

  constructor(
    overrides: readonly CalendarOverride[] = [],
    readonly timeZone: string = DEFAULT_TIME_ZONE,
  ) {
    for (const o of overrides) dayNumber(o.date)
    this.overrides = new Map(overrides.map((o) => [o.date, o]))
  }

  /** Whether the State Council's schedule for `year` is in the data (else weekends only). */
  hasPublishedSchedule(year: number): boolean {
    return PUBLISHED_YEARS.has(year)
  }

  day(date: string): DayInfo {
    const override = this.overrides.get(date)
    if (override) {
      return { date, working: override.working, kind: override.working ? 'override_on' : 'override_off', name: override.reason }
    }
    const holiday = DATA.holidays[date]
    if (holiday) return { date, working: false, kind: 'holiday', name: chineseName(holiday) }
    const makeup = DATA.workdays[date]
    if (makeup) return { date, working: true, kind: 'makeup_workday', name: chineseName(makeup) }
    const weekend = weekdayOf(date) >= 5
    return { date, working: !weekend, kind: weekend ? 'weekend' : 'workday', name: null }
  }

  isWorkingDay(date: string): boolean {
    return this.day(date).working
  }

  /** Whether the local day `at` falls in is worked. */
  isWorkingAt(at: Instant): boolean {
    return this.isWorkingDay(localDateString(at, this.timeZone))
  }

  /** The first working day strictly after `date`. */
  nextWorkingDay(date: string): string {
    return stepToWorkingDay(this, date, 1)
  }

  /** The last working day strictly before `date`. */
  previousWorkingDay(date: string): string {
    return stepToWorkingDay(this, date, -1)
  }

  /** The local midnight beginning `date` in the calendar's zone. */
  startOf(date: string): Date {
    const start = startOfLocalDate(date, this.timeZone)
    if (!start) throw new Error(`invalid local date "${date}"`)
    return start
  }
}

/** Every day is worked: the calendar of roles on duty every day (calendar time). */
export function everyDayCalendar(timeZone: string = DEFAULT_TIME_ZONE): DayCalendar {
  return { timeZone, everyDay: true, isWorkingDay: () => true }
}

/** The nearest working day strictly after (`step` 1) or before (−1) `date`. */
export function stepToWorkingDay(calendar: DayCalendar, date: string, step: 1 | -1): string {
  let day = dayNumber(date)
  // Bounded: no real calendar has a year without a working day.
  for (let guard = 0; guard < 366; guard++) {
    day += step
    if (calendar.isWorkingDay(dateOf(day))) return dateOf(day)
  }
  throw new Error(`no working day within a year of ${date}`)
}

/**
 * Whether `date` is the first working day after a stretch of days off that holds a statutory holiday
 * (for 「节后第一个工作日」); plain weekends do not count.
 */
export function isFirstWorkingDayAfterHoliday(calendar: WorkingCalendar, date: string): boolean {
  if (!calendar.isWorkingDay(date)) return false
  let day = addDaysToDate(date, -1)
  let holiday = false
  for (let guard = 0; guard < 366 && !calendar.isWorkingDay(day); guard++) {
    const kind = calendar.day(day).kind
    if (kind === 'holiday' || kind === 'override_off') holiday = true
    day = addDaysToDate(day, -1)
  }
  return holiday
}

/**
 * A time as people say it, from `now`: 今天 17:00 · 明天 10:00 · 后天 09:00 · 昨天 09:30 ·
 * 节后第一个工作日（10月8日）10:00 · 11月24日 18:00 · 2027年1月3日 18:00. The holiday wording comes from the
 * official calendar (with its overrides), whoever's deadline it is.
 */
export function timeInWords(at: Instant, now: Instant, calendar: WorkingCalendar = defaultCalendar()): string {
  const tz = calendar.timeZone
  const date = localDateString(at, tz)
  const days = dayNumber(date) - dayNumber(localDateString(now, tz))
  const clock = localClock(at, tz)
  if (days === 0) return `今天 ${clock}`
  if (days === 1) return `明天 ${clock}`
  if (days === 2) return `后天 ${clock}`
  if (days === -1) return `昨天 ${clock}`
  const p = localParts(at, tz)
  if (days > 0 && isFirstWorkingDayAfterHoliday(calendar, date)) {
    return `节后第一个工作日（${p.month}月${p.day}日）${clock}`
  }
  return p.year === localParts(now, tz).year ? monthDayTime(at, tz) : fullDateTime(at, tz)
}

let official: WorkingCalendar | null = null

/** The official calendar in the service's zone, without overrides. */
export function defaultCalendar(): WorkingCalendar {
  official ??= new WorkingCalendar()
  return official
}
