import {
  everyDayCalendar,
  WorkingCalendar,
  type CalendarOverride,
  type DayCalendar,
} from './calendar'
import type { Role } from './roles'
import { SEVERITY_LABELS, type Severity } from './tickets'
import { URGENT_ESCALATION_STEP_HOURS, urgentAcceptBy } from './urgent'
import {
  addLocalDays,
  DEFAULT_TIME_ZONE,
  endOfLocalDay,
  localDateString,
  localInstant,
  localParts,
  monthDayTime,
} from './time'

/**
 * How a role's windows count: `working` roles keep office days (China's working calendar: weekends and
 * statutory holidays off, make-up workdays on), `on_duty` roles are on duty every day (calendar time).
 */
export const DAY_TYPES = ['working', 'on_duty'] as const
export type DayType = (typeof DAY_TYPES)[number]

export const DAY_TYPE_LABELS: Record<DayType, string> = {
  working: '按工作日',
  on_duty: '按自然日',
}

/** The product's table; a compound may change any role's entry. */
export const DEFAULT_DAY_TYPES: Readonly<Record<Role, DayType>> = {
  grid_lead: 'working',
  city_management: 'working',
  market_supervision: 'working',
  compound_secretary: 'working',
  community_supervisor: 'working',
  street_supervisor: 'working',
  district_supervisor: 'working',
  admin: 'working',
  property_manager: 'on_duty',
  police: 'on_duty',
  traffic_police: 'on_duty',
  building_lead: 'on_duty',
  self_management_lead: 'on_duty',
  liaison: 'on_duty',
}

/**
 * Deadline rules as pure functions. All wall-clock rules are read in the compound's time
 * zone (Asia/Shanghai by default); instants in and out are plain `Date`s.
 */
export interface DeadlineConfig {
  timeZone: string
  /** Working window for acceptance, local "HH:MM". */
  workdayStart: string
  workdayEnd: string
  /** Acceptance is due this many working minutes after filing (working minutes lie inside the window). */
  acceptWithinMinutes: number
  /** A simple request filed at or after this local time is due at the end of the next day. */
  simpleCutoff: string
  complexReplyHours: number
  /** The promised date of a reply may be at most this many days after the reply. */
  maxPromiseDays: number
  /** A resolved request nobody rated closes itself after this many days. */
  autoCloseDays: number
  /** Fraction of a window at which the handler is warned. */
  warnAtFraction: number
  /** Per handler role: working days or every day. */
  dayTypes: Record<Role, DayType>
  /** Days off or on that win over the official calendar (set by admins over the place). */
  calendarOverrides: CalendarOverride[]
  /**
   * The urgent lane (urgent.ts), set on a request's own rules when it is filed urgent: acceptance within 30
   * minutes at any hour, overdue steps hourly. Never a compound setting.
   */
  urgent?: boolean
}

export const DEFAULT_DEADLINE_CONFIG: DeadlineConfig = {
  timeZone: DEFAULT_TIME_ZONE,
  workdayStart: '08:00',
  workdayEnd: '20:00',
  acceptWithinMinutes: 120,
  simpleCutoff: '17:00',
  complexReplyHours: 72,
  maxPromiseDays: 30,
  autoCloseDays: 7,
  warnAtFraction: 0.75,
  dayTypes: { ...DEFAULT_DAY_TYPES },
  calendarOverrides: [],
}

/** Rules as stored or passed around: any field may be left to the defaults, any role's day type too. */
export type DeadlineRules = Omit<Partial<DeadlineConfig>, 'dayTypes'> & { dayTypes?: Partial<Record<Role, DayType>> }

/** A stretch of `waiting_resident`; `end` null while the request still waits. */
export interface Pause {
  start: Date
  end: Date | null
}

export interface DeadlineInput {
  filedAt: Date
  severity: Severity
  /** The promised resolution date of a complex request's reply. */
  promisedAt?: Date | null
  pauses?: readonly Pause[]
  config?: DeadlineRules
  /** The handler's day type (dayTypeOf); calendar time when left out. */
  dayType?: DayType
}

/** Each deadline is null when it does not apply yet, or while the clock is stopped by an open pause. */
export interface Deadlines {
  acceptBy: Date | null
  replyBy: Date | null
  resolveBy: Date | null
}

const TIME_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/
const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS

function parseTime(value: string): { hours: number; minutes: number } {
  const match = TIME_PATTERN.exec(value)
  if (!match) throw new Error(`invalid local time "${value}", expected HH:MM`)
  return { hours: Number(match[1]), minutes: Number(match[2]) }
}

/** `time` (HH:MM) on the local day of `day`. (Local time through time.ts, whose fixed-offset path skips
 * the Intl lookup a `TZDate` makes on every step: ~9% of the server's CPU while filing.) */
function atLocalTime(day: Date, time: string, timeZone: string): Date {
  const { year, month, day: date } = localParts(day, timeZone)
  const { hours, minutes } = parseTime(time)
  return localInstant({ year, month, day: date, hour: hours, minute: minutes }, timeZone)
}

export function resolveConfig(config: DeadlineRules = {}): DeadlineConfig {
  const merged = {
    ...DEFAULT_DEADLINE_CONFIG,
    ...config,
    dayTypes: { ...DEFAULT_DAY_TYPES, ...config.dayTypes },
    calendarOverrides: config.calendarOverrides ?? [],
  }
  const start = parseTime(merged.workdayStart)
  const end = parseTime(merged.workdayEnd)
  parseTime(merged.simpleCutoff)
  if (start.hours * 60 + start.minutes >= end.hours * 60 + end.minutes) {
    throw new Error('workdayStart must be before workdayEnd')
  }
  return merged
}

/** The day type of a request's handler role; a request nobody was routed to yet counts calendar time. */
export function dayTypeOf(role: Role | null | undefined, config: DeadlineRules = {}): DayType {
  if (!role) return 'on_duty'
  return config.dayTypes?.[role] ?? DEFAULT_DAY_TYPES[role]
}

const calendars = new Map<string, WorkingCalendar>()

/** China's working calendar with the config's overrides (cached: the same overrides, the same calendar). */
export function workingCalendarOf(config: DeadlineRules = {}): WorkingCalendar {
  const timeZone = config.timeZone ?? DEFAULT_TIME_ZONE
  const overrides = config.calendarOverrides ?? []
  const key = `${timeZone}|${JSON.stringify(overrides)}`
  let calendar = calendars.get(key)
  if (!calendar) {
    calendar = new WorkingCalendar(overrides, timeZone)
    if (calendars.size > 100) calendars.clear()
    calendars.set(key, calendar)
  }
  return calendar
}

/** The days a handler of `dayType` counts: working days, or every day. */
export function calendarFor(config: DeadlineRules, dayType: DayType): DayCalendar {
  return dayType === 'working'
    ? workingCalendarOf(config)
    : everyDayCalendar(config.timeZone ?? DEFAULT_TIME_ZONE)
}

/** Local midnight beginning the next day after `at`'s. */
function nextMidnight(at: Date, timeZone: string): Date {
  const p = localParts(at, timeZone)
  return localInstant({ year: p.year, month: p.month, day: p.day + 1 }, timeZone)
}

/** `at`, or the start of the next working day when `at` falls on a day off. */
export function startOfWorkingTime(at: Date, calendar: DayCalendar): Date {
  let t = at
  for (let guard = 0; guard < 366; guard++) {
    if (calendar.isWorkingDay(localDateString(t, calendar.timeZone))) return t
    t = nextMidnight(t, calendar.timeZone)
  }
  throw new Error('no working day within a year')
}

/**
 * Adds `ms` of working time: whole working days count, days off do not. With an every-day calendar this
 * is plain addition. On a working calendar a result at the midnight ending a working day reads as the
 * end of that day (23:59:59.999): "by the end of the third working day", never 00:00 of a day off.
 */
export function addWorkingTime(from: Date, ms: number, calendar: DayCalendar): Date {
  let t = startOfWorkingTime(from, calendar)
  let remaining = ms
  for (let guard = 0; guard < 3660; guard++) {
    const dayEnd = nextMidnight(t, calendar.timeZone)
    const available = dayEnd.getTime() - t.getTime()
    if (remaining < available) return new Date(t.getTime() + remaining)
    if (remaining === available) {
      return calendar.everyDay ? dayEnd : new Date(dayEnd.getTime() - 1)
    }
    remaining -= available
    t = startOfWorkingTime(dayEnd, calendar)
  }
  throw new Error('working-time addition did not converge')
}

/** Working time between two instants (0 when `to` is not later). */
export function workingTimeBetween(from: Date, to: Date, calendar: DayCalendar): number {
  let total = 0
  let t = from
  for (let guard = 0; guard < 3660 && t < to; guard++) {
    const dayEnd = nextMidnight(t, calendar.timeZone)
    const end = dayEnd < to ? dayEnd : to
    if (calendar.isWorkingDay(localDateString(t, calendar.timeZone))) total += end.getTime() - t.getTime()
    t = dayEnd
  }
  return total
}

/**
 * Adds working minutes: time outside [workdayStart, workdayEnd), and days the calendar has off, do not
 * count.
 */
export function addWorkingMinutes(
  from: Date,
  minutes: number,
  config: DeadlineConfig,
  calendar: DayCalendar = everyDayCalendar(config.timeZone),
): Date {
  const zone = config.timeZone
  const nextDayStart = (at: Date) => atLocalTime(addLocalDays(at, 1, zone), config.workdayStart, zone)
  let t = from
  let remaining = minutes
  // Bounded: each pass either returns or moves to the next day.
  for (let guard = 0; guard < 3660; guard++) {
    const dayStart = atLocalTime(t, config.workdayStart, zone)
    const dayEnd = atLocalTime(t, config.workdayEnd, zone)
    if (!calendar.isWorkingDay(localDateString(t, zone))) {
      t = nextDayStart(t)
      continue
    }
    if (t < dayStart) t = dayStart
    if (t >= dayEnd) {
      t = nextDayStart(t)
      continue
    }
    const available = (dayEnd.getTime() - t.getTime()) / 60_000
    if (remaining <= available) return new Date(t.getTime() + remaining * 60_000)
    remaining -= available
    t = nextDayStart(t)
  }
  throw new Error('working-minute addition did not converge')
}

/**
 * End of the local day a simple request is due: the filing day, or the next (working) day after the
 * cutoff. Filed on a day off, it is due at the end of the first working day.
 */
export function simpleResolveBy(
  filedAt: Date,
  config: DeadlineConfig,
  calendar: DayCalendar = everyDayCalendar(config.timeZone),
): Date {
  const zone = config.timeZone
  const cutoff = atLocalTime(filedAt, config.simpleCutoff, zone)
  const working = calendar.isWorkingDay(localDateString(filedAt, zone))
  if (working && filedAt < cutoff) return endOfLocalDay(filedAt, zone)
  const next = startOfWorkingTime(new Date(endOfLocalDay(filedAt, zone).getTime() + 1), calendar)
  return endOfLocalDay(next, zone)
}

/**
 * Moves a deadline later by the time spent waiting for the resident. A pause counts if it began before
 * the (already extended) deadline; an open one stops the clock, so the deadline is unknown (null). On a
 * working calendar only the working time of a pause is added back, onto working time.
 */
export function extendByPauses(
  deadline: Date,
  pauses: readonly Pause[],
  calendar?: DayCalendar,
): Date | null {
  let due = deadline
  const sorted = [...pauses].sort((a, b) => a.start.getTime() - b.start.getTime())
  for (const pause of sorted) {
    if (pause.start.getTime() >= due.getTime()) break
    if (pause.end === null) return null
    const spent = Math.max(0, pause.end.getTime() - pause.start.getTime())
    due = calendar
      ? addWorkingTime(due, workingTimeBetween(pause.start, pause.end, calendar), calendar)
      : new Date(due.getTime() + spent)
  }
  return due
}

/** The complex reply deadline: `complexReplyHours` of calendar time, or of working time on working days. */
export function complexReplyBy(filedAt: Date, config: DeadlineConfig, calendar: DayCalendar): Date {
  return addWorkingTime(filedAt, config.complexReplyHours * HOUR_MS, calendar)
}

export function computeDeadlines(input: DeadlineInput): Deadlines {
  const config = resolveConfig(input.config)
  const calendar = calendarFor(config, input.dayType ?? 'on_duty')
  const pauses = input.pauses ?? []
  const acceptBy = config.urgent
    ? urgentAcceptBy(input.filedAt)
    : addWorkingMinutes(input.filedAt, config.acceptWithinMinutes, config, calendar)
  if (input.severity === 'simple') {
    return {
      acceptBy: extendByPauses(acceptBy, pauses),
      replyBy: null,
      resolveBy: extendByPauses(simpleResolveBy(input.filedAt, config, calendar), pauses, calendar),
    }
  }
  return {
    acceptBy: extendByPauses(acceptBy, pauses),
    replyBy: extendByPauses(complexReplyBy(input.filedAt, config, calendar), pauses, calendar),
    resolveBy: input.promisedAt ? extendByPauses(input.promisedAt, pauses, calendar) : null,
  }
}

/** What filing a request now owes the resident first: a simple one's resolution, a complex one's reply. */
export interface FilingPromise {
  owed: 'resolve' | 'reply'
  by: Date
}

/**
 * The promise a request of `severity` filed at `filedAt` carries, by the same rules that set its
 * deadlines: a simple request filed after the cut-off is due at the end of the next (working) day.
 * `dayType`: of the role the request goes to.
 */
export function filingPromise(
  severity: Severity,
  filedAt: Date,
  config: DeadlineRules = {},
  dayType: DayType = 'on_duty',
): FilingPromise {
  const deadlines = computeDeadlines({ filedAt, severity, config, dayType })
  // Without pauses every deadline of a new request is known.
  return severity === 'simple'
    ? { owed: 'resolve', by: deadlines.resolveBy! }
    : { owed: 'reply', by: deadlines.replyBy! }
}

/**
 * The first promise of a request in words with its date, for clients that show no countdown (Open311's
 * `service_notice`): 「简单问题：12月6日 23:59 前办结」. `by` is the deadline the request carries.
 */
export function promiseNotice(severity: Severity, by: Date | null, config: DeadlineRules = {}): string {
  const label = SEVERITY_LABELS[severity]
  const owed = severity === 'simple' ? '办结' : '答复'
  if (!by) return `${label}：${severity === 'simple' ? '当日办结' : '3日内答复'}`
  return `${label}：${monthDayTime(by, resolveConfig(config).timeZone)} 前${owed}`
}

/** The latest date a reply may promise, unless a supervisor extends it. */
export function latestPromiseDate(repliedAt: Date, config: DeadlineRules = {}): Date {
  const { maxPromiseDays, timeZone } = resolveConfig(config)
  return addLocalDays(repliedAt, maxPromiseDays, timeZone)
}

/**
 * Why a promised date will not do for a handler of `dayType`, in words for the handler; null when it is
 * fine. A working-time role promises a working day: nobody is at the office to keep it otherwise.
 */
export function promiseDateProblem(
  promisedAt: Date,
  config: DeadlineRules = {},
  dayType: DayType = 'on_duty',
): string | null {
  if (dayType !== 'working') return null
  const calendar = workingCalendarOf(config)
  const date = localDateString(promisedAt, calendar.timeZone)
  const day = calendar.day(date)
  if (day.working) return null
  const { month, day: dom } = localParts(promisedAt, calendar.timeZone)
  const why = day.kind === 'weekend' ? '周末' : (day.name ?? '休息日')
  const next = calendar.startOf(calendar.nextWorkingDay(date))
  const n = localParts(next, calendar.timeZone)
  return `承诺办结日期须是工作日：${month}月${dom}日是${why}，可改为${n.month}月${n.day}日`
}

/**
 * When the handler is warned: `warnAtFraction` of the way from the window's start to its deadline,
 * counting only the calendar's days.
 */
export function warningAt(
  windowStart: Date,
  deadline: Date,
  config: DeadlineRules = {},
  calendar: DayCalendar = everyDayCalendar(config.timeZone ?? DEFAULT_TIME_ZONE),
): Date {
  const { warnAtFraction } = resolveConfig(config)
  const span = workingTimeBetween(windowStart, deadline, calendar)
  return addWorkingTime(windowStart, Math.round(span * warnAtFraction), calendar)
}

/** A resolved request nobody rated closes itself `autoCloseDays` later (working days for working-time roles). */
export function autoCloseAt(
  resolvedAt: Date,
  config: DeadlineRules = {},
  calendar: DayCalendar = everyDayCalendar(config.timeZone ?? DEFAULT_TIME_ZONE),
): Date {
  return addWorkingTime(resolvedAt, resolveConfig(config).autoCloseDays * DAY_MS, calendar)
}

/**
 * Escalation level of an overdue request: 1 when the deadline passes, one more for every further 24 h
 * (of working time on a working calendar), or, for a request in the urgent lane (`rules.urgent`), one
 * more every hour of plain clock time, as its overdue steps fire. A chase on an overdue request adds one
 * level at once (the caller adds it).
 */
export function overdueLevel(
  deadline: Date,
  now: Date,
  calendar: DayCalendar = everyDayCalendar(),
  rules: Pick<DeadlineRules, 'urgent'> = {},
): number {
  const late = now.getTime() - deadline.getTime()
  if (late < 0) return 0
  if (rules.urgent) return 1 + Math.floor(late / (URGENT_ESCALATION_STEP_HOURS * 3_600_000))
  return 1 + Math.floor(workingTimeBetween(deadline, now, calendar) / DAY_MS)
}
