/**
 * Deadlines as residents read them: "今天 23:59 前办结 · 还剩 3小时12分钟", "节后第一个工作日（10月8日）10:00
 * 前受理", in local time (shared/time.ts) whatever the device's zone.
 */
import { useEffect, useState } from 'react'
import {
  timeInWords,
  type FilingPromise,
  type Instant,
  type TicketPublicView,
} from '@mq/shared'

const MINUTE = 60_000

/**
 * 今天 18:00 · 明天 10:00 · 昨天 09:30 · 节后第一个工作日（10月8日）10:00 · 11月24日 18:00 · 2027年1月3日 18:00
 * (shared timeInWords, on China's working calendar).
 */
export function friendlyTime(at: Instant, now: number): string {
  return timeInWords(at, now)
}

/** A length of time to the nearest minute, at least one: 1分钟 · 45分钟 · 3小时12分钟 · 2天5小时. */
export function duration(ms: number): string {
  const minutes = Math.max(1, Math.round(Math.max(0, ms) / MINUTE))
  if (minutes < 60) return `${minutes}分钟`
  const hours = Math.floor(minutes / 60)
  if (hours < 24) {
    const rest = minutes % 60
    return rest ? `${hours}小时${rest}分钟` : `${hours}小时`
  }
  const days = Math.floor(hours / 24)
  const restHours = hours % 24
  return restHours ? `${days}天${restHours}小时` : `${days}天`
}

/** What the deadline owed now is for. */
export function dueWhat(ticket: Pick<TicketPublicView, 'state' | 'severity' | 'replyBy'>): string {
  switch (ticket.state) {
    case 'submitted':
      return '受理'
    case 'accepted':
      return ticket.severity === 'complex' && ticket.replyBy ? '答复' : '办结'
    default:
      return '办结'
  }
}

export interface DueInfo {
  /** 今天 23:59 前办结 */
  by: string
  /** 还剩 3小时 · 已超时 2小时 */
  left: string
  overdue: boolean
}

/** The deadline the handler works against now, or null (waiting, done). */
export function dueInfo(
  ticket: Pick<TicketPublicView, 'state' | 'severity' | 'replyBy' | 'nextDueAt'>,
  now: number,
): DueInfo | null {
  if (!ticket.nextDueAt) return null
  const due = Date.parse(ticket.nextDueAt)
  const overdue = due <= now
  return {
    by: `${friendlyTime(due, now)} 前${dueWhat(ticket)}`,
    left: overdue ? `已超时 ${duration(now - due)}` : `还剩 ${duration(due - now)}`,
    overdue,
  }
}

/** The current time, ticking every `intervalMs` so countdowns move. */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs)
    return () => clearInterval(timer)
  }, [intervalMs])
  return now
}

/** A promise as residents read it: 明天 23:59 前办结 · 12月8日 15:40 前答复. */
export function promiseText(promise: { owed: FilingPromise['owed']; by: string | number | Date }, now: number): string {
  return `${friendlyTime(promise.by, now)} 前${promise.owed === 'resolve' ? '办结' : '答复'}`
}
