/**
 * Recurring problems (重点问题, 每月一题 / 未诉先办) and the quarterly 公开承诺 report's vocabulary: the
 * detection rule as a pure function, the three parties that handle requests, and quarters in Shanghai time.
 */
import { categoryOf, type CategoryCode } from './categories'
import type { Role } from './roles'
import { localInstant, localParts, type Instant } from './time'

/** A problem recurs when it comes up this many times … */
export const RECURRING_MIN_COUNT = 3
/** … within this many days (counted back from now). */
export const RECURRING_WINDOW_DAYS = 30
/**
 * Two public texts are "close" when the Dice coefficient of their character bigrams reaches this: about
 * half their two-character pieces are shared (「电梯又坏了」 and 「电梯又坏了，没人修」 are, 0.73; 「电梯坏了好几天」
 * is not, 0.36: close words, not the same topic, which the category rule catches).
 */
export const SIMILARITY_THRESHOLD = 0.5

export const RECURRING_KINDS = ['same_category', 'similar_text'] as const
/** same_category: one category in one building; similar_text: close descriptions anywhere in the compound. */
export type RecurringKind = (typeof RECURRING_KINDS)[number]

/** A request as detection reads it: where, what kind, when, and its public text (never the raw description). */
export interface RecurringTicket {
  id: string
  buildingId: string
  buildingName: string
  category: CategoryCode
  createdAt: Instant
  publicText: string
}

/** A proposed 重点问题: the rule that matched and its requests (oldest first). */
export interface RecurringCandidate {
  /** Stable while the problem recurs: a decision (adopt, dismiss) is kept under it. */
  key: string
  kind: RecurringKind
  buildingId: string | null
  buildingName: string | null
  category: CategoryCode | null
  ticketIds: string[]
  title: string
}

/** Character bigrams of a text, without spaces, punctuation, digits and the redaction's stars. */
export function bigrams(text: string): Set<string> {
  const chars = [...text.replace(/[\s\p{P}\p{S}\d*]/gu, '')]
  const out = new Set<string>()
  for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i] + chars[i + 1])
  return out
}

/** Dice coefficient of two texts' bigrams: 1 the same pieces, 0 nothing shared. */
export function textSimilarity(a: string, b: string): number {
  const x = bigrams(a)
  const y = bigrams(b)
  if (x.size === 0 || y.size === 0) return 0
  let shared = 0
  for (const piece of x) if (y.has(piece)) shared++
  return (2 * shared) / (x.size + y.size)
}

const excerpt = (text: string) => (text.length > 16 ? `${text.slice(0, 16)}…` : text)

/**
 * The recurring problems among a compound's requests, as of `now`: requests filed in the last
 * RECURRING_WINDOW_DAYS days (the caller leaves out withdrawn and merged ones), grouped
 * 1. by building and category: a group of RECURRING_MIN_COUNT or more is proposed;
 * 2. by close public text, anywhere in the compound: each request (oldest first) joins the first group whose
 *    first request is close enough (SIMILARITY_THRESHOLD), else starts one; a group of RECURRING_MIN_COUNT or
 *    more is proposed unless a building-and-category proposal already holds all its requests.
 */
export function detectRecurring(tickets: readonly RecurringTicket[], now: Instant): RecurringCandidate[] {
  const end = new Date(now).getTime()
  const start = end - RECURRING_WINDOW_DAYS * 24 * 3600_000
  const recent = tickets
    .filter((t) => {
      const at = new Date(t.createdAt).getTime()
      return at > start && at <= end
    })
    .sort((a, b) => new Date(a.createdAt).getTime() - new Date(b.createdAt).getTime() || a.id.localeCompare(b.id))

  const out: RecurringCandidate[] = []
  const byPlace = new Map<string, RecurringTicket[]>()
  for (const t of recent) {
    const key = `${t.buildingId}:${t.category}`
    byPlace.set(key, [...(byPlace.get(key) ?? []), t])
  }
  for (const [key, group] of byPlace) {
    if (group.length < RECURRING_MIN_COUNT) continue
    const first = group[0]
    out.push({
      key: `building:${key}`,
      kind: 'same_category',
      buildingId: first.buildingId,
      buildingName: first.buildingName,
      category: first.category,
      ticketIds: group.map((t) => t.id),
      title: `${first.buildingName}「${categoryOf(first.category).label}」${RECURRING_WINDOW_DAYS}天内${group.length}次`,
    })
  }

  const clusters: RecurringTicket[][] = []
  for (const t of recent) {
    const home = clusters.find((c) => textSimilarity(c[0].publicText, t.publicText) >= SIMILARITY_THRESHOLD)
    if (home) home.push(t)
    else clusters.push([t])
  }
  for (const group of clusters) {
    if (group.length < RECURRING_MIN_COUNT) continue
    const ids = group.map((t) => t.id)
    if (out.some((c) => ids.every((id) => c.ticketIds.includes(id)))) continue
    out.push({
      key: `text:${group[0].id}`,
      kind: 'similar_text',
      buildingId: null,
      buildingName: null,
      category: null,
      ticketIds: ids,
      title: `相近反映「${excerpt(group[0].publicText)}」${RECURRING_WINDOW_DAYS}天内${group.length}次`,
    })
  }
  return out
}

/**
 * The three parties of the 公开承诺 report. Each request counts for the party of the role that leads it
 * (its handler's role): 物业 for 物业; 业委会/自管小组 for the residents' own 自管小组组长 and 楼道长; 居委会/社区 for the
 * 网格长, 片长, the secretary and supervisors, and the departments the community calls in (民警, 交警, 城管,
 * 市场监管). A request nobody leads yet counts for 居委会/社区, where routing falls back.
 */
export const PARTIES = ['community', 'owners', 'property'] as const
export type Party = (typeof PARTIES)[number]

export const PARTY_LABELS: Record<Party, string> = {
  community: '居委会/社区',
  owners: '业委会/自管小组',
  property: '物业',
}

export const ROLE_PARTY: Record<Role, Party> = {
  grid_lead: 'community',
  police: 'community',
  traffic_police: 'community',
  city_management: 'community',
  market_supervision: 'community',
  building_lead: 'owners',
  self_management_lead: 'owners',
  property_manager: 'property',
  liaison: 'community',
  compound_secretary: 'community',
  community_supervisor: 'community',
  street_supervisor: 'community',
  district_supervisor: 'community',
  admin: 'community',
}

export function partyOf(role: Role | null): Party {
  return role ? ROLE_PARTY[role] : 'community'
}

/** A quarter as 'YYYY-QN' (2026-Q4), in Shanghai time. */
export const QUARTER_PATTERN = /^(\d{4})-Q([1-4])$/

export function quarterOf(at: Instant): string {
  const { year, month } = localParts(at)
  return `${year}-Q${Math.ceil(month / 3)}`
}

/** The quarter's first instant and the next quarter's first instant; null when `quarter` is not one. */
export function quarterRange(quarter: string): { start: Date; end: Date } | null {
  const m = QUARTER_PATTERN.exec(quarter)
  if (!m) return null
  const year = Number(m[1])
  const first = (Number(m[2]) - 1) * 3 + 1
  return { start: localInstant({ year, month: first }), end: localInstant({ year, month: first + 3 }) }
}

/** 2026年第4季度 */
export function quarterLabel(quarter: string): string {
  const m = QUARTER_PATTERN.exec(quarter)
  return m ? `${m[1]}年第${m[2]}季度` : quarter
}

/** Satisfaction as the report prints it: rated 4–5 of rated, in whole percent; null when none is rated. */
export function percent(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : Math.round((numerator / denominator) * 100)
}
