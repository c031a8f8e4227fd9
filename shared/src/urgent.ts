import type { CategoryCode } from './categories'

/**
 * The urgent lane (紧急): a report whose category or words signal danger to life or property. The
 * resident is shown the emergency numbers first; if they still file, the request is urgent: accepted
 * within 30 minutes at any hour, its handler and the compound secretary told at once, and once overdue it
 * climbs the escalation chain hourly instead of daily. The client shows the sheet by this rule and the
 * server decides the flag by the same rule; a client's claim alone is never trusted.
 */
export interface UrgentRules {
  /** Categories that are urgent whatever the words. */
  categories: readonly CategoryCode[]
  /** Words (matched without spaces, case-insensitively) that make any report urgent. */
  words: readonly string[]
}

/**
 * The product's defaults. Fire is matched by words that mean a fire (着火, 起火 …) rather than the single
 * character 火, which a complaint about a 火锅 shop's fumes or 上火 would also contain. No category is
 * urgent by default: none of the 责任清单's categories is an emergency in itself.
 */
export const DEFAULT_URGENT_RULES: UrgentRules = {
  categories: [],
  words: [
    '电梯困人',
    '困电梯',
    '困在电梯',
    '关在电梯',
    '燃气',
    '煤气',
    '天然气',
    '漏电',
    '触电',
    '着火',
    '起火',
    '失火',
    '火灾',
    '冒烟',
    '水管爆裂',
    '水管爆了',
    '爆管',
  ],
}

const squash = (text: string) => text.replace(/\s+/g, '').toLowerCase()

/**
 * One place's changes to the danger list (a district, street, community or compound): words and
 * categories it adds, and ones it drops (a default word that misfires there, or one a place above added).
 */
export interface UrgentListChange {
  addWords: readonly string[]
  dropWords: readonly string[]
  addCategories: readonly CategoryCode[]
  dropCategories: readonly CategoryCode[]
}

export const NO_URGENT_CHANGE: UrgentListChange = { addWords: [], dropWords: [], addCategories: [], dropCategories: [] }

/**
 * The danger list of a place: the product's defaults with the changes of each place above it and itself
 * applied outermost first, so for each word or category the nearest place that mentions it wins (a
 * compound may add back a word its street dropped, or drop one its district added).
 */
export function urgentRulesOf(
  changes: readonly UrgentListChange[],
  base: UrgentRules = DEFAULT_URGENT_RULES,
): UrgentRules {
  const words = new Map(base.words.map((w) => [squash(w), w]))
  const categories = new Set<CategoryCode>(base.categories)
  for (const change of changes) {
    for (const w of change.dropWords) words.delete(squash(w))
    for (const w of change.addWords) if (squash(w)) words.set(squash(w), w)
    for (const c of change.dropCategories) categories.delete(c)
    for (const c of change.addCategories) categories.add(c)
  }
  return { categories: [...categories], words: [...words.values()] }
}

/** Acceptance of an urgent request is due this many minutes after filing, day or night, any day. */
export const URGENT_ACCEPT_MINUTES = 30
/** Hours between two escalation steps of an overdue urgent request (an ordinary one waits a day). */
export const URGENT_ESCALATION_STEP_HOURS = 1

export const URGENT_LABEL = '紧急'

export interface UrgentSignal {
  urgent: boolean
  /** The danger words found in the description (in the rules' spelling), for the sheet and the timeline. */
  words: string[]
  /** The category itself is on the list. */
  byCategory: boolean
}

/** Whether a report of `category` with `description` goes in the urgent lane, and why. */
export function urgentSignal(
  report: { category: CategoryCode | null | undefined; description: string },
  rules: UrgentRules = DEFAULT_URGENT_RULES,
): UrgentSignal {
  const text = squash(report.description)
  const words = text ? rules.words.filter((w) => squash(w) !== '' && text.includes(squash(w))) : []
  const byCategory = report.category ? rules.categories.includes(report.category) : false
  return { urgent: byCategory || words.length > 0, words, byCategory }
}

export function isUrgentReport(
  report: { category: CategoryCode | null | undefined; description: string },
  rules: UrgentRules = DEFAULT_URGENT_RULES,
): boolean {
  return urgentSignal(report, rules).urgent
}

/**
 * When an urgent request filed at `filedAt` must be accepted: 30 minutes of plain clock time (`fraction`
 * of them for the warning).
 */
export function urgentAcceptBy(filedAt: Date, fraction = 1): Date {
  return new Date(filedAt.getTime() + URGENT_ACCEPT_MINUTES * 60_000 * fraction)
}

/** When overdue step `step` (1-based) of an urgent request's deadline fires: hourly, at any hour. */
export function urgentOverdueStepAt(deadline: Date, step: number): Date {
  return new Date(deadline.getTime() + (step - 1) * URGENT_ESCALATION_STEP_HOURS * 3_600_000)
}

/** The public emergency numbers, in the order the sheet shows them. */
export const EMERGENCY_NUMBERS: ReadonlyArray<{ number: string; label: string; hint: string }> = [
  { number: '119', label: '火警', hint: '着火、燃气泄漏、有人被困' },
  { number: '110', label: '报警', hint: '危及人身安全' },
  { number: '120', label: '急救', hint: '有人受伤、触电、晕倒' },
]
