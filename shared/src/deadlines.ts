import { TZDate } from '@date-fns/tz'
import { addDays, addHours, addMinutes, endOfDay, set } from 'date-fns'
import { SEVERITY_LABELS, type Severity } from './tickets'
import { DEFAULT_TIME_ZONE, monthDayTime } from './time'

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
}

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
  config?: Partial<DeadlineConfig>
}

/** Each deadline is null when it does not apply yet, or while the clock is stopped by an open pause. */
export interface Deadlines {
  acceptBy: Date | null
  replyBy: Date | null
  resolveBy: Date | null
}

const TIME_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/

function parseTime(value: string): { hours: number; minutes: number } {
  const match = TIME_PATTERN.exec(value)
  if (!match) throw new Error(`invalid local time "${value}", expected HH:MM`)
  return { hours: Number(match[1]), minutes: Number(match[2]) }
}

function atLocalTime(day: TZDate, time: string): TZDate {
  return set(day, { ...parseTime(time), seconds: 0, milliseconds: 0 })
}

export function resolveConfig(config: Partial<DeadlineConfig> = {}): DeadlineConfig {
  const merged = { ...DEFAULT_DEADLINE_CONFIG, ...config }
  const start = parseTime(merged.workdayStart)
  const end = parseTime(merged.workdayEnd)
  parseTime(merged.simpleCutoff)
  if (start.hours * 60 + start.minutes >= end.hours * 60 + end.minutes) {
    throw new Error('workdayStart must be before workdayEnd')
  }
  return merged
}

/** Adds working minutes: time outside [workdayStart, workdayEnd) does not count. */
export function addWorkingMinutes(from: Date, minutes: number, config: DeadlineConfig): Date {
  let t = new TZDate(from.getTime(), config.timeZone)
  let remaining = minutes
  // Bounded: each pass either returns or moves to the next working day.
  for (let guard = 0; guard < 3660; guard++) {
    const dayStart = atLocalTime(t, config.workdayStart)
    const dayEnd = atLocalTime(t, config.workdayEnd)
    if (t < dayStart) t = dayStart
    if (t >= dayEnd) {
      t = atLocalTime(addDays(t, 1), config.workdayStart)
      continue
    }
    const available = (dayEnd.getTime() - t.getTime()) / 60_000
    if (remaining <= available) return new Date(addMinutes(t, remaining).getTime())
    remaining -= available
    t = atLocalTime(addDays(t, 1), config.workdayStart)
  }
  throw new Error('working-minute addition did not converge')
}

/** End of the local day a simple request is due: the filing day, or the next one after the cutoff. */
export function simpleResolveBy(filedAt: Date, config: DeadlineConfig): Date {
  const local = new TZDate(filedAt.getTime(), config.timeZone)
  const cutoff = atLocalTime(local, config.simpleCutoff)
  const day = local < cutoff ? local : addDays(local, 1)
  return new Date(endOfDay(day).getTime())
}

/**
 * Moves a deadline later by the time spent waiting for the resident. A pause counts if it began before
 * the (already extended) deadline; an open one stops the clock, so the deadline is unknown (null).
 */
export function extendByPauses(deadline: Date, pauses: readonly Pause[]): Date | null {
  let due = deadline.getTime()
  const sorted = [...pauses].sort((a, b) => a.start.getTime() - b.start.getTime())
  for (const pause of sorted) {
    if (pause.start.getTime() >= due) break
    if (pause.end === null) return null
    due += Math.max(0, pause.end.getTime() - pause.start.getTime())
  }
  return new Date(due)
}

export function computeDeadlines(input: DeadlineInput): Deadlines {
  const config = resolveConfig(input.config)
  const pauses = input.pauses ?? []
  const acceptBy = addWorkingMinutes(input.filedAt, config.acceptWithinMinutes, config)
  if (input.severity === 'simple') {
    return {
      acceptBy: extendByPauses(acceptBy, pauses),
      replyBy: null,
      resolveBy: extendByPauses(simpleResolveBy(input.filedAt, config), pauses),
    }
  }
  const replyBy = addHours(input.filedAt, config.complexReplyHours)
  return {
    acceptBy: extendByPauses(acceptBy, pauses),
    replyBy: extendByPauses(replyBy, pauses),
    resolveBy: input.promisedAt ? extendByPauses(input.promisedAt, pauses) : null,
  }
}

/** What filing a request now owes the resident first: a simple one's resolution, a complex one's reply. */
export interface FilingPromise {
  owed: 'resolve' | 'reply'
  by: Date
}

/**
 * The promise a request of `severity` filed at `filedAt` carries, by the same rules that set its
 * deadlines: a simple request filed after the cut-off is due at the end of the next day, not today.
 */
export function filingPromise(
  severity: Severity,
  filedAt: Date,
  config: Partial<DeadlineConfig> = {},
): FilingPromise {
  const deadlines = computeDeadlines({ filedAt, severity, config })
  // Without pauses every deadline of a new request is known.
  return severity === 'simple'
    ? { owed: 'resolve', by: deadlines.resolveBy! }
    : { owed: 'reply', by: deadlines.replyBy! }
}

/**
 * The first promise of a request in words with its date, for clients that show no countdown (Open311's
 * `service_notice`): 「简单问题：12月6日 23:59 前办结」. `by` is the deadline the request carries.
 */
export function promiseNotice(severity: Severity, by: Date | null, config: Partial<DeadlineConfig> = {}): string {
  const label = SEVERITY_LABELS[severity]
  const owed = severity === 'simple' ? '办结' : '答复'
  if (!by) return `${label}：${severity === 'simple' ? '当日办结' : '3日内答复'}`
  return `${label}：${monthDayTime(by, resolveConfig(config).timeZone)} 前${owed}`
}

/** The latest date a reply may promise, unless a supervisor extends it. */
export function latestPromiseDate(repliedAt: Date, config: Partial<DeadlineConfig> = {}): Date {
  return addDays(repliedAt, resolveConfig(config).maxPromiseDays)
}

/** When the handler is warned: `warnAtFraction` of the way from the window's start to its deadline. */
export function warningAt(windowStart: Date, deadline: Date, config: Partial<DeadlineConfig> = {}): Date {
  const { warnAtFraction } = resolveConfig(config)
  const span = deadline.getTime() - windowStart.getTime()
  return new Date(windowStart.getTime() + Math.max(0, span) * warnAtFraction)
}

export function autoCloseAt(resolvedAt: Date, config: Partial<DeadlineConfig> = {}): Date {
  return addDays(resolvedAt, resolveConfig(config).autoCloseDays)
}

/**
 * Escalation level of an overdue request: 1 when the deadline passes, one more for every further 24 h.
 * A chase on an overdue request adds one level at once (the caller adds it).
 */
export function overdueLevel(deadline: Date, now: Date): number {
  const late = now.getTime() - deadline.getTime()
  if (late < 0) return 0
  return 1 + Math.floor(late / (24 * 3_600_000))
}
