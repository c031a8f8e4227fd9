import { METRIC_KEYS, METRIC_LABELS, type MetricKey } from '@mq/shared'

export interface Ratio {
  numerator: number
  denominator: number
}

/** "92%", "66.7%", or "暂无" when nothing is due (0/0): computed from the counts shown beside it. */
export function percent({ numerator, denominator }: Ratio): string {
  if (denominator === 0) return '暂无'
  const tenths = Math.round((numerator / denominator) * 1000) / 10
  return `${Number.isInteger(tenths) ? tenths.toFixed(0) : tenths.toFixed(1)}%`
}

/** "(46/50)" */
export function counts({ numerator, denominator }: Ratio): string {
  return `(${numerator}/${denominator})`
}

/** "响应率 92% (46/50)" */
export function rateText(key: MetricKey, ratio: Ratio): string {
  return `${METRIC_LABELS[key]} ${percent(ratio)} ${counts(ratio)}`
}

/** What each rate counts, in the product's words, for the line under it. */
export const METRIC_HINTS: Record<MetricKey, string> = {
  response: '按时受理 / 应受理',
  resolution: '办结且未被退回重办 / 收到',
  satisfaction: '4–5 星 / 已评价',
  onTime: '按时办结 / 应办结',
  handoff: '转办或改派走 / 收到（越低越好）',
  redo: '评价后退回重办 / 办结过（越低越好）',
}

export { METRIC_KEYS, METRIC_LABELS }

/** A ticket number as people read it: the server's "MQ000123", or the bare number padded the same way. */
export function ticketNumber(value: string | number): string {
  return typeof value === 'number' ? `MQ${String(value).padStart(6, '0')}` : value
}

/** "3天2小时", "45分钟" */
export function overdueText(minutes: number): string {
  const m = Math.max(0, Math.round(minutes))
  const days = Math.floor(m / 1440)
  const hours = Math.floor((m % 1440) / 60)
  const mins = m % 60
  if (days > 0) return hours > 0 ? `${days}天${hours}小时` : `${days}天`
  if (hours > 0) return mins > 0 ? `${hours}小时${mins}分钟` : `${hours}小时`
  return `${mins}分钟`
}

/**
 * A heat cell's shade: from a pale tint (1 request) to the full colour (the busiest cell), so the
 * number on it stays readable; white text on the darker half.
 */
export function heatShade(count: number, max: number): { background: string; color: string } {
  if (count <= 0 || max <= 0) return { background: '#ffffff', color: '#57606a' }
  const share = Math.min(1, count / max)
  const alpha = 0.12 + 0.78 * share
  return { background: `rgba(179, 38, 30, ${alpha.toFixed(2)})`, color: alpha > 0.5 ? '#ffffff' : '#1f2328' }
}
