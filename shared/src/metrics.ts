/**
 * The four rates (三率 + 按时办结率) as pure functions, so the server and any test compute them
 * one way. A request contributes facts; facts add up per group; a rate is numerator / denominator,
 * shown beside both counts (null when nothing is due).
 *
 * - 响应率 (response): accepted no later than the acceptance deadline / requests due for acceptance.
 *   Due: the acceptance deadline has passed, or the request was accepted. Requests rejected or merged
 *   without acceptance left the queue another way and never come due; while a wait for the resident is
 *   open the deadline is unknown and the request is not yet due.
 * - 解决率 (resolution): resolved (or closed) and never reopened / received. Received: every request
 *   filed in the period except merged duplicates (the request they were merged into counts) and
 *   requests their reporter withdrew (撤回) before acceptance: those were never taken on.
 * - 满意率 (satisfaction): the latest rating has 4–5 stars / requests rated.
 * - 按时办结率 (on time): resolved no later than the resolution deadline / requests due for resolution.
 *   Due: the resolution deadline has passed, or the request was resolved against a deadline. Rejected,
 *   merged and withdrawn requests are not due.
 *
 * Beside them, two rates of handoffs that went wrong (lower is better):
 * - 回退率 (handoff): received requests transferred or reassigned away from a handler at least once (a
 *   转办 or a supervisor's 改派 from someone who held it; the first assignment of a request routed to nobody
 *   is not a handoff) / received.
 * - 重办率 (redo): requests reopened after a rating (1–2 stars) at least once / requests resolved at least
 *   once (resolved now, or reopened, which clears the resolution). A request reopened twice counts once.
 */
import { localInstant, localParts, type Instant } from './time'
import type { TicketState } from './tickets'

export const METRIC_GROUPINGS = ['role', 'person', 'category', 'building'] as const
export type MetricGrouping = (typeof METRIC_GROUPINGS)[number]

export const METRIC_KEYS = ['response', 'resolution', 'satisfaction', 'onTime', 'handoff', 'redo'] as const
export type MetricKey = (typeof METRIC_KEYS)[number]

export const METRIC_LABELS: Record<MetricKey, string> = {
  response: '响应率',
  resolution: '解决率',
  satisfaction: '满意率',
  onTime: '按时办结率',
  handoff: '回退率',
  redo: '重办率',
}

/** Rates where fewer is better: a ranking puts the lowest first. */
export const METRIC_LOWER_IS_BETTER: readonly MetricKey[] = ['handoff', 'redo']

/** What the rates need of one request. */
export interface MetricTicket {
  state: TicketState
  acceptBy: Date | null
  acceptedAt: Date | null
  resolveBy: Date | null
  resolvedAt: Date | null
  /** Times a 1–2 star rating reopened it. */
  reopenCount: number
  /** Stars of the latest rating, or null. */
  stars: number | null
  /** Transferred or reassigned away from a handler who held it, at least once. */
  handedOff: boolean
}

export type MetricCounts = Record<MetricKey, { numerator: number; denominator: number }>

export function emptyCounts(): MetricCounts {
  return {
    response: { numerator: 0, denominator: 0 },
    resolution: { numerator: 0, denominator: 0 },
    satisfaction: { numerator: 0, denominator: 0 },
    onTime: { numerator: 0, denominator: 0 },
    handoff: { numerator: 0, denominator: 0 },
    redo: { numerator: 0, denominator: 0 },
  }
}

const LEFT_ANOTHER_WAY: readonly TicketState[] = ['rejected', 'merged', 'withdrawn']
/** Not received: a duplicate counts in the request it joined; a withdrawn request was never taken on. */
export const NOT_RECEIVED: readonly TicketState[] = ['merged', 'withdrawn']
const at = (d: Date | null) => d?.getTime() ?? null

/** Adds one request's facts to `counts` (mutates and returns it), judged at `now`. */
export function countTicket(counts: MetricCounts, t: MetricTicket, now: Date): MetricCounts {
  const received = !NOT_RECEIVED.includes(t.state)
  const leftAnotherWay = LEFT_ANOTHER_WAY.includes(t.state)
  const acceptBy = at(t.acceptBy)
  const acceptedAt = at(t.acceptedAt)
  if (acceptBy !== null && (acceptedAt !== null || (!leftAnotherWay && acceptBy <= now.getTime()))) {
    counts.response.denominator++
    if (acceptedAt !== null && acceptedAt <= acceptBy) counts.response.numerator++
  }
  if (received) {
    counts.resolution.denominator++
    if (t.resolvedAt !== null && t.reopenCount === 0) counts.resolution.numerator++
    counts.handoff.denominator++
    if (t.handedOff) counts.handoff.numerator++
  }
  // Reopening clears the resolution: a reopened request was resolved once even while it is handled again.
  if (t.resolvedAt !== null || t.reopenCount > 0) {
    counts.redo.denominator++
    if (t.reopenCount > 0) counts.redo.numerator++
  }
  if (t.stars !== null) {
    counts.satisfaction.denominator++
    if (t.stars >= 4) counts.satisfaction.numerator++
  }
  const resolveBy = at(t.resolveBy)
  const resolvedAt = at(t.resolvedAt)
  if (!leftAnotherWay && resolveBy !== null && (resolvedAt !== null || resolveBy <= now.getTime())) {
    counts.onTime.denominator++
    if (resolvedAt !== null && resolvedAt <= resolveBy) counts.onTime.numerator++
  }
  return counts
}

/** numerator / denominator, or null when nothing is counted. */
export function rate(c: { numerator: number; denominator: number }): number | null {
  return c.denominator === 0 ? null : c.numerator / c.denominator
}

/**
 * 考核排名: a supervisor ranks the places one level below theirs (or, in a compound, its handlers) for a
 * month or a quarter, by one rate or by the composite.
 * - The composite is the weighted mean of 响应率, 解决率 and 满意率 with the district's weights (percent,
 *   summing to 100; default 30 / 35 / 35), over the rates that have a denominator (a rate with nothing
 *   due leaves its weight out); null when none has.
 * - Fewer than RANKING_MIN_SAMPLE requests received: marked 样本不足 and given no rank; such rows come after
 *   every ranked row, so a small sample is never ranked first. Rows without a figure come last.
 * - Higher is better, except 回退率 and 重办率. Equal figures share a rank (1, 1, 3).
 */
export const RANKING_MIN_SAMPLE = 10
export const COMPOSITE_KEYS = ['response', 'resolution', 'satisfaction'] as const satisfies readonly MetricKey[]
export type CompositeKey = (typeof COMPOSITE_KEYS)[number]
export type RankingWeights = Record<CompositeKey, number>
export const DEFAULT_RANKING_WEIGHTS: RankingWeights = { response: 30, resolution: 35, satisfaction: 35 }
export const RANKING_KEYS = ['composite', ...METRIC_KEYS] as const
export type RankingKey = (typeof RANKING_KEYS)[number]
export const RANKING_LABELS: Record<RankingKey, string> = { composite: '综合得分', ...METRIC_LABELS }

/** The weighted mean of the composite's rates that have a figure, or null. */
export function compositeScore(rates: Record<CompositeKey, number | null>, weights: RankingWeights): number | null {
  let sum = 0
  let weight = 0
  for (const key of COMPOSITE_KEYS) {
    const r = rates[key]
    if (r === null || weights[key] === 0) continue
    sum += r * weights[key]
    weight += weights[key]
  }
  return weight === 0 ? null : sum / weight
}

export interface Rankable {
  label: string
  received: number
  score: number | null
}

/** Orders rows for a ranking (see above) and numbers the eligible ones. */
export function rankRows<T extends Rankable>(
  rows: readonly T[],
  key: RankingKey,
): (T & { rank: number | null; smallSample: boolean })[] {
  const lower = key !== 'composite' && METRIC_LOWER_IS_BETTER.includes(key)
  const group = (r: T) => (r.score === null ? 2 : r.received < RANKING_MIN_SAMPLE ? 1 : 0)
  const sorted = [...rows].sort(
    (a, b) =>
      group(a) - group(b) ||
      (a.score !== null && b.score !== null ? (lower ? a.score - b.score : b.score - a.score) : 0) ||
      a.label.localeCompare(b.label, 'zh-CN', { numeric: true }),
  )
  let rank = 0
  return sorted.map((row, i) => {
    const smallSample = row.received < RANKING_MIN_SAMPLE
    if (group(row) !== 0) return { ...row, rank: null, smallSample }
    if (i === 0 || sorted[i - 1].score !== row.score) rank = i + 1
    return { ...row, rank, smallSample }
  })
}

/** A ranking period: a month "2026-11" or a quarter "2026-Q4", in local time. */
export const RANKING_PERIOD_PATTERN = /^(\d{4})-(?:(0[1-9]|1[0-2])|Q([1-4]))$/

/** [from, to) and the label of a ranking period, or null when it is not one. */
export function rankingPeriod(period: string): { from: Date; to: Date; label: string } | null {
  const m = RANKING_PERIOD_PATTERN.exec(period)
  if (!m) return null
  const year = Number(m[1])
  if (m[2]) {
    const month = Number(m[2])
    return { from: localInstant({ year, month }), to: localInstant({ year, month: month + 1 }), label: `${year}年${month}月` }
  }
  const q = Number(m[3])
  const month = 3 * (q - 1) + 1
  return { from: localInstant({ year, month }), to: localInstant({ year, month: month + 3 }), label: `${year}年第${q}季度` }
}

/** The month and the quarter `at` falls in, as ranking periods. */
export function currentRankingPeriods(at: Instant): { month: string; quarter: string } {
  const { year, month } = localParts(at)
  return { month: `${year}-${String(month).padStart(2, '0')}`, quarter: `${year}-Q${Math.ceil(month / 3)}` }
}
