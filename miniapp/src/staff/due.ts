/**
 * Deadlines as handlers read them: which deadline is owed now, how long is left (or how late it is), and
 * the escalation level an overdue request has reached.
 */
import {
  DEADLINE_WINDOW_LABELS,
  ROLE_LABELS,
  calendarFor,
  dayTypeOf,
  escalationRole,
  localDateString,
  overdueLevel,
  timeInWords,
  type DeadlineWindow,
  type Role,
  type TicketEventView,
  type TicketPublicView,
} from '@mq/shared'

type DueFields = Pick<TicketPublicView, 'state' | 'nextDueAt' | 'acceptBy' | 'replyBy' | 'resolveBy'>

export type Due =
  | { kind: 'none' }
  /** Waiting for the resident: the clock is stopped. */
  | { kind: 'paused' }
  | { kind: 'running' | 'overdue'; window: DeadlineWindow | null; at: string; ms: number }

/** Which of the request's deadlines `nextDueAt` is (the server stores the one owed now). */
function windowOf(t: DueFields): DeadlineWindow | null {
  if (!t.nextDueAt) return null
  const at = Date.parse(t.nextDueAt)
  const same = (other: string | null) => other !== null && Date.parse(other) === at
  if (same(t.acceptBy) && t.state === 'submitted') return 'accept'
  if (same(t.replyBy)) return 'reply'
  if (same(t.resolveBy)) return 'resolve'
  if (same(t.acceptBy)) return 'accept'
  return null
}

export function dueOf(t: DueFields, now: number): Due {
  if (t.state === 'waiting_resident') return { kind: 'paused' }
  if (!t.nextDueAt) return { kind: 'none' }
  const ms = Date.parse(t.nextDueAt) - now
  return { kind: ms < 0 ? 'overdue' : 'running', window: windowOf(t), at: t.nextDueAt, ms: Math.abs(ms) }
}

/** 45分钟 · 3小时05分 · 2天4小时 */
export function duration(ms: number): string {
  const minutes = Math.max(1, Math.floor(ms / 60_000))
  if (minutes < 60) return `${minutes}分钟`
  const hours = Math.floor(minutes / 60)
  if (hours < 24) return `${hours}小时${String(minutes % 60).padStart(2, '0')}分`
  return `${Math.floor(hours / 24)}天${hours % 24}小时`
}

/**
 * 受理还剩 1小时58分 (due today) · 受理：节后第一个工作日（10月8日）09:00 前 (a later day: the date in
 * words says more than "还剩 7天13小时" over a holiday) · 办结已超时 3小时05分 · 计时暂停
 */
export function dueText(due: Due): string {
  switch (due.kind) {
    case 'none':
      return '无待办时限'
    case 'paused':
      return '计时暂停（等居民补充）'
    case 'running': {
      const label = due.window ? DEADLINE_WINDOW_LABELS[due.window] : ''
      const now = Date.parse(due.at) - due.ms
      if (localDateString(due.at) === localDateString(now)) return `${label}还剩 ${duration(due.ms)}`
      return `${label}：${timeInWords(due.at, now)} 前`
    }
    case 'overdue':
      return `${due.window ? DEADLINE_WINDOW_LABELS[due.window] : ''}已超时 ${duration(due.ms)}`
  }
}

/**
 * The escalation level of a request: the one the server reports where it does (supervisors' escalation
 * list, `escalated` timeline entries), and never less than the shared rule gives for how late it is now
 * (one level when the deadline passes, one more every 24 h: of working days for a working-time handler,
 * by the product's default day types; one more every hour for an urgent request).
 */
export function escalationLevel(
  t: Pick<TicketPublicView, 'nextDueAt'> & { handlerRole?: Role | null; urgent?: boolean },
  now: number,
  known: number | null = null,
): number {
  const calendar = calendarFor({}, dayTypeOf(t.handlerRole))
  const rules = { urgent: t.urgent === true }
  const byTime = t.nextDueAt ? overdueLevel(new Date(t.nextDueAt), new Date(now), calendar, rules) : 0
  return Math.max(byTime, known ?? 0)
}

/** The highest level in the request's `escalated` timeline entries (staff see them), or null. */
export function escalationFromTimeline(timeline: readonly TicketEventView[]): number | null {
  let level: number | null = null
  for (const event of timeline) {
    const value = event.type === 'escalated' ? event.data.level : undefined
    if (typeof value === 'number') level = Math.max(level ?? 0, value)
  }
  return level
}

/** 督办1级 · 小区党委书记 */
export function escalationText(level: number): string {
  const role = escalationRole(level)
  return role ? `督办${level}级 · ${ROLE_LABELS[role]}` : ''
}
