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
/** A suggestion far behind the first is noise; the second and third need at least this much evidence. */
const RELATIVE_FLOOR = 0.2
const RUNNER_UP_MIN_SCORE = 0.5
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

/** A word written twice for one category keeps its strongest weight. */
function parseLexicon(): Entry[] {
  const byKey = new Map<string, Entry>()
  for (const code of CATEGORY_CODES) {
    for (const raw of SUGGEST_LEXICON[code].split(/\s+/)) {
      if (!raw) continue
      const strong = raw.endsWith('!')
      const weak = raw.endsWith('~')
      const word = normalise(strong || weak ? raw.slice(0, -1) : raw)
      if (!word) continue
      const factor = strong ? 2 : weak ? 0.5 : 1
      const entry = { word, code, weight: baseWeight([...word].length) * factor }
      const held = byKey.get(`${code}|${word}`)
      if (!held || held.weight < entry.weight) byKey.set(`${code}|${word}`, entry)
    }
  }
  // Longest first, so a longer word claims its span before the words inside it.
  return [...byKey.values()].sort((a, b) => b.word.length - a.word.length)
}

interface Model {
  entries: Entry[]
  /** Words of three characters, not weak, by their first and by their second character (for typo matches). */
  byFirst: Map<string, Entry[]>
  bySecond: Map<string, Entry[]>
  /** Characters that, met outside any known word, lean clearly to one category (see charCues). */
  chars: Map<string, { code: CategoryCode; weight: number }>
}

let model: Model | null = null
function buildModel(): Model {
  const all = parseLexicon()
  const byFirst = new Map<string, Entry[]>()
  const bySecond = new Map<string, Entry[]>()
  for (const e of all) {
    if (e.word.length !== 3 || e.weight < 1.5 || !CJK.test(e.word)) continue
    byFirst.set(e.word[0], [...(byFirst.get(e.word[0]) ?? []), e])
    bySecond.set(e.word[1], [...(bySecond.get(e.word[1]) ?? []), e])
  }
  return { entries: all, byFirst, bySecond, chars: charCues(all) }
}
const entries = () => (model ??= buildModel()).entries
const loaded = (): Model => (model ??= buildModel())

/** Spaces and punctuation out, letters lower-cased: residents type 「楼道 灯，坏了！」 as often as not. */
export function normalise(text: string): string {
  return text.toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '')
}

interface Match {
  entry: Entry
  start: number
  end: number
  weight: number
}

/** Words just before a match that say it did not happen (「幸好没丢」, 「不是漏水」): the match counts for little. */
const NEGATION = /(不是|没有被|没被|幸好没|好在没|还好没|并没有|并没)$/
const NEGATED = 0.3
/** A seeded word of three characters typed with one character wrong (声空灯 for 声控灯) counts this much. */
const TYPO = 0.5
/** Characters common enough that a word differing from a seeded one only there is another phrase, not a typo. */
const TYPO_STOP = new Set([
  ...('的了是在有人不一个我你他她它们家这那里上下大小多少好没就都也还又说要会能去来到和跟把被给让楼门口道边面头时' +
    '后前天年月日号层户单元东西南北左右外内中间着过得地很太真再才'),
])

/**
 * Every seeded word found, minus those lying wholly inside a longer word found (楼道灯 claims 灯) and
 * those overlapping a longer word of the same category (楼道里的灯 and 灯坏 in 楼道里的灯坏了 count once).
 * Then, where no word was found, the words of three characters typed with one character wrong; and a word
 * said not to have happened (「幸好没被撬」) counts for little.
 */
function lexiconMatches(text: string): Match[] {
  const found: Match[] = []
  for (const entry of entries()) {
    let from = 0
    for (;;) {
      const at = text.indexOf(entry.word, from)
      if (at < 0) break
      found.push({ entry, start: at, end: at + entry.word.length, weight: entry.weight })
      from = at + 1
    }
  }
  const kept = keepLongest(found)
  // A typo is looked for only where no word was found.
  const taken = new Uint8Array(text.length)
  for (const m of kept) taken.fill(1, m.start, m.end)
  const typos: Match[] = []
  const { byFirst, bySecond } = loaded()
  for (let i = 0; i + 3 <= text.length; i++) {
    const candidates = new Set([...(byFirst.get(text[i]) ?? []), ...(bySecond.get(text[i + 1]) ?? [])])
    for (const entry of candidates) {
      const end = i + entry.word.length
      if (end > text.length || taken.subarray(i, end).some((x) => x === 1)) continue
      let wrong = 0
      for (let k = 0; k < entry.word.length && wrong < 2; k++) if (text[i + k] !== entry.word[k]) wrong += 1
      if (wrong !== 1 || !CJK.test(text.slice(i, end))) continue
      const k = [...entry.word].findIndex((c, j) => text[i + j] !== c)
      // A common character in the odd place is a different phrase (楼道里 is not 楼道灯 mistyped).
      if (TYPO_STOP.has(text[i + k]) || TYPO_STOP.has(entry.word[k])) continue
      typos.push({ entry, start: i, end, weight: entry.weight * TYPO })
    }
  }
  const all = [...kept, ...keepLongest(typos)]
  for (const m of all) if (NEGATION.test(text.slice(Math.max(0, m.start - 4), m.start))) m.weight *= NEGATED
  return all
}

function keepLongest(found: Match[]): Match[] {
  const outside = found.filter(
    (m) => !found.some((o) => o.end - o.start > m.end - m.start && o.start <= m.start && o.end >= m.end),
  )
  // Strongest first, each keeping its characters from weaker words of its category.
  const sorted = outside.sort((a, b) => b.weight - a.weight || b.end - b.start - (a.end - a.start))
  const kept: Match[] = []
  for (const m of sorted) {
    const overlaps = kept.some((k) => k.entry.code === m.entry.code && k.start < m.end && m.start < k.end)
    if (!overlaps) kept.push(m)
  }
  return kept
}

/**
 * A character outside every known word counts this much for the category it leans to, and no category gains
 * more than CHAR_CAP from such characters.
 */
const CHAR_WEIGHT = 0.4
const CHAR_CAP = 1.2
/** A character leans to a category when at least this share of the seeded words holding it are that category's. */
const CHAR_SHARE = 0.75
const CHAR_MIN_WORDS = 2
/** Characters too common in complaints of every kind to lean anywhere. */
const CHAR_STOP = new Set([
  ...'的了是在有人不一个我你他她它们家这那里上下大小多少好没就都也还又说要会能去来到和跟把被给让么怎啥什元号楼门口道',
])

/**
 * The back-off for words the lexicon does not know: each character's share of the seeded words per category
 * (盗 appears only in 治安安全's words, so 「被盗了」 leans there though 被盗 itself may be missing).
 */
function charCues(all: Entry[]): Map<string, { code: CategoryCode; weight: number }> {
  const counts = new Map<string, Map<CategoryCode, number>>()
  for (const e of all) {
    for (const ch of new Set(e.word)) {
      if (!/[\u4e00-\u9fff]/.test(ch) || CHAR_STOP.has(ch)) continue
      const perCode = counts.get(ch) ?? new Map<CategoryCode, number>()
      perCode.set(e.code, (perCode.get(e.code) ?? 0) + 1)
      counts.set(ch, perCode)
    }
  }
  const cues = new Map<string, { code: CategoryCode; weight: number }>()
  for (const [ch, perCode] of counts) {
    const total = [...perCode.values()].reduce((x, y) => x + y, 0)
    const [code, n] = [...perCode.entries()].sort((x, y) => y[1] - x[1])[0]
    if (n >= CHAR_MIN_WORDS && n / total >= CHAR_SHARE)
      cues.set(ch, { code, weight: CHAR_WEIGHT * (n / total) })
  }
  return cues
}

/**
 * Patterns that say what kind of request it is whatever it is about, each counted once:
 * - a proposal rather than a fault (「建议…多装」, 「能不能…加个」): the words after it still name what it is about
 *   (a 车位, a 垃圾桶), so that category stays among the three, behind 意见建议;
 * - something stolen or broken into: the act decides (治安安全), not the thing taken (an 电瓶 is no fire hazard);
 * - a head count in one home (「住了十几个人」): 群租;
 * - a resident's great age (「我今年八十五了」): 助老, whatever the help asked for;
 * - a plain question (「请问」, 「要带什么」): 其他, unless the words name a category's business more strongly.
 */
const CUES: readonly { code: CategoryCode; pattern: RegExp; weight: number }[] = [
  {
    code: 'suggestion',
    pattern:
      /(建议|希望|能不能|可不可以|能否|可否|是否可以|是不是可以|可以考虑|我觉得可以|最好能|提个意见|提议|盼望).{0,8}?(?:多|加|增|添|装|建|设|种|搞|弄个|开个|开设|组织|放|配|改成|换成|公布|公开|公示|通知)/,
    weight: 2.5,
  },
  { code: 'public_security', pattern: /(偷|盗|撬|抢劫|被抢|扒窃|顺走)/, weight: 1.5 },
  // A neighbour making noise: 邻里纠纷 unless a shop or a building site is named.
  {
    code: 'neighbor_dispute',
    pattern: /(楼上|楼下|隔壁|对门|邻居)(?:.{0,10}?)(?:吵|响|声|叫|咚|噪)/,
    weight: 1.5,
  },
  {
    code: 'group_rental',
    pattern: /住(?:了|着)?.{0,4}?((?:十|二十|三十|几十|好几十)[几来多一二三四五六七八九]*个?.{0,3}?人)/,
    weight: 2.5,
  },
  { code: 'elderly_care', pattern: /((?:七|八|九)十(?:多|几|来|[一二三四五六七八九])?(?:岁|了))/, weight: 2 },
  {
    code: 'other',
    pattern:
      /(请问|想问|问一下|问下|问问|咨询|打听|想了解|请教|怎么办理|怎么申请|去哪里?办|在哪里?办|找谁|要带什么|带什么|要什么材料|啥材料|什么手续|啥手续)/,
    weight: 1.5,
  },
]

const CJK = /^[\u4e00-\u9fff]+$/
/** Phrases too common to teach anything (they appear in any complaint). */
const STOP = new Set(
  (
    '我们 我家 你们 他们 小区 这个 那个 一个 一下 已经 好几 几天 几个 天了 了好 好久 现在 今天 昨天 每天 ' +
    '时候 什么 怎么 还是 还有 就是 不是 没有 有人 有个 是不 能不 不能 可以 一直 总是 经常 老是 麻烦 ' +
    '谢谢 请问 帮忙 处理 解决 问题 反映 希望 尽快 赶紧 一下吧 了一 的是 是我 我的 在我 了我 到我 ' +
    '这里 那里 这边 那边 里的 上的 下的 的人 的时 了吗 了啊 啊啊 呢呢'
  ).split(' '),
)

/** The description's 2- and 3-character Chinese phrases (no digits or letters: no room or phone numbers). */
export function phrasesOf(description: string): string[] {
  const out = new Set<string>()
  for (const run of normalise(description).split(/[^\u4e00-\u9fff]+/)) {
    const chars = [...run]
    for (const n of [2, 3]) {
      for (let i = 0; i + n <= chars.length; i++) {
        const phrase = chars.slice(i, i + n).join('')
        if (CJK.test(phrase) && !STOP.has(phrase) && ![...phrase].every((c) => c === phrase[0]))
          out.add(phrase)
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
  const matches = lexiconMatches(text)
  for (const m of matches) add(m.entry.code, m.entry.word, m.weight, false)
  // Back-off: characters outside every word found, each leaning to one category, a little and capped.
  const covered = new Uint8Array(text.length)
  for (const m of matches) covered.fill(1, m.start, m.end)
  const fromChars = new Map<CategoryCode, number>()
  const { chars } = loaded()
  for (let i = 0; i < text.length; i++) {
    const cue = covered[i] ? undefined : chars.get(text[i])
    if (!cue) continue
    const weight = Math.min(cue.weight, CHAR_CAP - (fromChars.get(cue.code) ?? 0))
    if (weight <= 0) continue
    fromChars.set(cue.code, (fromChars.get(cue.code) ?? 0) + weight)
    add(cue.code, text[i], weight, false)
  }
  for (const cue of CUES) {
    const found = cue.pattern.exec(text)
    if (found) add(cue.code, found[1], cue.weight, false)
  }
  if (learned.length > 0) {
    const present = new Set(phrasesOf(text))
    for (const t of learned) {
      if (t.count > 0 && present.has(t.term)) {
        add(
          t.category,
          t.term,
          LEARNED_WEIGHT * Math.min(t.count, LEARNED_CAP) * ([...t.term].length === 3 ? 1.5 : 1),
          true,
        )
      }
    }
  }
  const ranked = [...scores.entries()]
    .map(([code, s]) => ({
      code,
      score: Math.round(s.score * 100) / 100,
      because: [...s.reasons.entries()]
        .sort((a, b) => b[1] - a[1] || b[0].length - a[0].length)
        .map(([w]) => w),
      learned: s.learned,
    }))
    // Ties go to the category listed first in the 责任清单.
    .sort((a, b) => b.score - a.score || CATEGORY_CODES.indexOf(a.code) - CATEGORY_CODES.indexOf(b.code))
  const top = ranked[0]?.score ?? 0
  if (top < SUGGEST_MIN_SCORE) return []
  return ranked.filter((s) => s.score >= Math.max(top * RELATIVE_FLOOR, RUNNER_UP_MIN_SCORE)).slice(0, max)
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
