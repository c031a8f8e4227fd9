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
 */
import type { TicketState } from './tickets'

export const METRIC_GROUPINGS = ['role', 'person', 'category', 'building'] as const
export type MetricGrouping = (typeof METRIC_GROUPINGS)[number]

export const METRIC_KEYS = ['response', 'resolution', 'satisfaction', 'onTime'] as const
export type MetricKey = (typeof METRIC_KEYS)[number]

export const METRIC_LABELS: Record<MetricKey, string> = {
  response: '响应率',
  resolution: '解决率',
  satisfaction: '满意率',
  onTime: '按时办结率',
}

/** What the rates need of one request. */
export interface MetricTicket {
  state: TicketState
  acceptBy: Date | null
  acceptedAt: Date | null
  resolveBy: Date | null
  resolvedAt: Date | null
  reopenCount: number
  /** Stars of the latest rating, or null. */
  stars: number | null
}

export type MetricCounts = Record<MetricKey, { numerator: number; denominator: number }>

export function emptyCounts(): MetricCounts {
  return {
    response: { numerator: 0, denominator: 0 },
    resolution: { numerator: 0, denominator: 0 },
    satisfaction: { numerator: 0, denominator: 0 },
    onTime: { numerator: 0, denominator: 0 },
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
