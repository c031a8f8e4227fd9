import { CATEGORY_CODES, type CategoryCode } from './categories'
import { SUGGEST_LEXICON } from './suggest-lexicon'

/**
 * A category suggested from a description, so a resident who does not know the 责任清单 still reaches the
 * right 长. Pure: the seeded words of each category (suggest-lexicon.ts) plus, per compound, what its staff
 * taught it by re-categorising requests (the description's short phrases → the category they chose). The
 * resident (or staff on a proxy entry) still chooses; a suggestion never picks for them.
 */
export interface CategorySuggestion {
  code: CategoryCode
  score: number
  /** The words of the description that point to the category, strongest first (the chip's 「因为：…」). */
  because: string[]
  /** Some of the score was learned from this compound's re-categorisations. */
  learned: boolean
}

/** One learned phrase: staff moved `count` requests whose description held `term` to `category`. */
export interface LearnedTerm {
  term: string
  category: CategoryCode
  count: number
}

export const SUGGEST_MAX = 3
/** Below this nothing is suggested: a lone weak word is no evidence. */
export const SUGGEST_MIN_SCORE = 1
/** A suggestion far behind the first is noise. */
const RELATIVE_FLOOR = 0.25
/** What one learned phrase adds per time staff chose it (capped), against ~1–4 for a seeded word. */
const LEARNED_WEIGHT = 0.6
const LEARNED_CAP = 5
/** At most this many phrases are learned from one description. */
export const LEARN_MAX_TERMS = 40

interface Entry {
  word: string
  code: CategoryCode
  weight: number
}

const baseWeight = (length: number) => (length <= 1 ? 0.6 : length === 2 ? 1 : length === 3 ? 1.5 : 2)

function parseLexicon(): Entry[] {
  const entries: Entry[] = []
  for (const code of CATEGORY_CODES) {
    for (const raw of SUGGEST_LEXICON[code].split(/\s+/)) {
      if (!raw) continue
      const strong = raw.endsWith('!')
      const weak = raw.endsWith('~')
      const word = normalise(strong || weak ? raw.slice(0, -1) : raw)
      const factor = strong ? 2 : weak ? 0.5 : 1
      entries.push({ word, code, weight: baseWeight([...word].length) * factor })
    }
  }
  // Longest first, so a longer word claims its span before the words inside it.
  return entries.sort((a, b) => b.word.length - a.word.length)
}

let lexicon: Entry[] | null = null
const entries = () => (lexicon ??= parseLexicon())

/** Spaces and punctuation out, letters lower-cased: residents type 「楼道 灯，坏了！」 as often as not. */
export function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '')
}

interface Match {
  entry: Entry
  start: number
  end: number
}

/**
 * Every seeded word found, minus those lying wholly inside a longer word found (楼道灯 claims 灯) and
 * those overlapping a longer word of the same category (楼道里的灯 and 灯坏 in 楼道里的灯坏了 count once).
 */
function lexiconMatches(text: string): Match[] {
  const found: Match[] = []
  for (const entry of entries()) {
    let from = 0
    for (;;) {
      const at = text.indexOf(entry.word, from)
      if (at < 0) break
      found.push({ entry, start: at, end: at + entry.word.length })
      from = at + 1
    }
  }
  const outside = found.filter(
    (m) => !found.some((o) => o.end - o.start > m.end - m.start && o.start <= m.start && o.end >= m.end),
  )
  // Longest first (entries are sorted so), each keeping its characters from shorter words of its category.
  const kept: Match[] = []
  for (const m of outside) {
    const overlaps = kept.some((k) => k.entry.code === m.entry.code && k.start < m.end && m.start < k.end)
    if (!overlaps) kept.push(m)
  }
  return kept
}

const CJK = /^[\u4e00-\u9fff]+$/
/** Phrases too common to teach anything (they appear in any complaint). */
const STOP = new Set(
  ('我们 我家 你们 他们 小区 这个 那个 一个 一下 已经 好几 几天 几个 天了 了好 好久 现在 今天 昨天 每天 ' +
    '时候 什么 怎么 还是 还有 就是 不是 没有 有人 有个 是不 能不 不能 可以 一直 总是 经常 老是 麻烦 ' +
    '谢谢 请问 帮忙 处理 解决 问题 反映 希望 尽快 赶紧 一下吧 了一 的是 是我 我的 在我 了我 到我 ' +
    '这里 那里 这边 那边 里的 上的 下的 的人 的时 了吗 了啊 啊啊 呢呢').split(' '),
)

/** The description's 2- and 3-character Chinese phrases (no digits or letters: no room or phone numbers). */
export function phrasesOf(description: string): string[] {
  const out = new Set<string>()
  for (const run of normalise(description).split(/[^\u4e00-\u9fff]+/)) {
    const chars = [...run]
    for (const n of [2, 3]) {
      for (let i = 0; i + n <= chars.length; i++) {
        const phrase = chars.slice(i, i + n).join('')
        if (CJK.test(phrase) && !STOP.has(phrase) && ![...phrase].every((c) => c === phrase[0])) out.add(phrase)
      }
    }
  }
  return [...out].slice(0, LEARN_MAX_TERMS)
}

/**
 * Up to three categories for a description, best first, each with the words that point to it. `learned`
 * is the compound's re-categorisations (empty: the seeded words alone).
 */
export function suggestCategories(
  description: string,
  learned: readonly LearnedTerm[] = [],
  max = SUGGEST_MAX,
): CategorySuggestion[] {
  const text = normalise(description)
  if (!text) return []
  const scores = new Map<CategoryCode, { score: number; reasons: Map<string, number>; learned: boolean }>()
  const add = (code: CategoryCode, word: string, weight: number, fromLearning: boolean) => {
    const s = scores.get(code) ?? { score: 0, reasons: new Map<string, number>(), learned: false }
    s.score += weight
    s.reasons.set(word, (s.reasons.get(word) ?? 0) + weight)
    s.learned ||= fromLearning
    scores.set(code, s)
  }
  for (const m of lexiconMatches(text)) add(m.entry.code, m.entry.word, m.entry.weight, false)
  if (learned.length > 0) {
    const present = new Set(phrasesOf(text))
    for (const t of learned) {
      if (t.count > 0 && present.has(t.term)) {
        add(t.category, t.term, LEARNED_WEIGHT * Math.min(t.count, LEARNED_CAP) * ([...t.term].length === 3 ? 1.5 : 1), true)
      }
    }
  }
  const ranked = [...scores.entries()]
    .map(([code, s]) => ({
      code,
      score: Math.round(s.score * 100) / 100,
      because: [...s.reasons.entries()].sort((a, b) => b[1] - a[1] || b[0].length - a[0].length).map(([w]) => w),
      learned: s.learned,
    }))
    .filter((s) => s.score >= SUGGEST_MIN_SCORE)
    // Ties go to the category listed first in the 责任清单.
    .sort((a, b) => b.score - a.score || CATEGORY_CODES.indexOf(a.code) - CATEGORY_CODES.indexOf(b.code))
  const top = ranked[0]?.score ?? 0
  return ranked.filter((s) => s.score >= top * RELATIVE_FLOOR).slice(0, max)
}

/**
 * What staff moving a request to `to` teaches: its description's phrases, each once. The server adds them
 * to the compound's counts; the next suggestion there reads them.
 */
export function lessonOf(description: string, to: CategoryCode): LearnedTerm[] {
  return phrasesOf(description).map((term) => ({ term, category: to, count: 1 }))
}

/** The chip's words: 「公共设施报修（因为：路灯）」 takes the first two reasons. */
export function reasonText(suggestion: CategorySuggestion, words = 2): string {
  return suggestion.because.slice(0, words).join('、')
}
