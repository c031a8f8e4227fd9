import { localDateString, localParts, localInstant, startOfLocalMonth } from '@mq/shared'

/** The counters' month key of the local month beginning at `start` ('2026-11-01'). */
export function monthKey(start: Date): string {
  return localDateString(start)
}

/**
 * How a period [from, to) is counted: the whole local months inside it from the counters
 * (`months`: [from, to) as month keys, null when none), and the part before and after them (`edges`,
 * instants) from the requests themselves.
 */
export interface SplitPeriod {
  months: { from: string; to: string; start: Date; end: Date } | null
  edges: { from: Date; to: Date }[]
}

export function splitPeriod(fromIso: string | Date, toIso: string | Date): SplitPeriod {
  const from = new Date(fromIso)
  const to = new Date(toIso)
  const startOfFrom = startOfLocalMonth(from)
  const p = localParts(from)
  const start = startOfFrom.getTime() === from.getTime() ? startOfFrom : localInstant({ year: p.year, month: p.month + 1 })
  const end = startOfLocalMonth(to)
  if (start.getTime() >= end.getTime()) return { months: null, edges: [{ from, to }] }
  const edges: SplitPeriod['edges'] = []
  if (from < start) edges.push({ from, to: start })
  if (end < to) edges.push({ from: end, to })
  return { months: { from: monthKey(start), to: monthKey(end), start, end }, edges }
}
