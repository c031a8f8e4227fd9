import type { CategoryCode } from './categories'
import type { Severity, TicketState } from './tickets'
import type { PublicRequest, PublicSummary } from './schemas/public-request'

/**
 * Public text: what the public and other residents may read of a request (the scan page's open requests,
 * the board, Open311). By default the resident's own words with personal data redacted; staff may replace
 * it (the 公示 edit), and their edit is shown as written.
 *
 * Redaction masks, and keeps the words around the mask so the sentence still reads:
 * - mobile numbers (with spaces, dashes, +86), landlines (with or without area code), ID-card numbers,
 *   e-mail addresses, any other run of 9 or more digits, and licence plates become `***`;
 * - a room (`3-502`, `3幢502`, `3单元502`, `502室`, `住502`) becomes `***`, keeping the building and unit
 *   (`3幢***`): a building or a stairwell is public context, a flat is not; a floor is masked only where
 *   it points at a home (`住5楼`, `5楼东户`, `2单元5楼`) and becomes `*楼`;
 * - a name after 我是/我叫/叫/名叫/本人/联系人/姓名 loses every character (`我是王小明` → `我是***`),
 *   a surname after 姓 likewise (`姓张的` → `姓*的`), and a surname before a title or after 老/小 is
 *   masked (`王阿姨` → `*阿姨`, `老王家` → `老*家`).
 * Dates (`12月5日`, `2026-12-05`), times (`17:00`), amounts (`200元`) and buildings alone (`3号楼`) stay.
 *
 * The patterns avoid look-behind: this module ships in the mini-app bundle, and older WeChat engines
 * (iOS before 16.4) cannot parse it.
 */

const MASK = '***'

/** Common surnames (single and compound); names are recognised by a cue and a surname. */
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任' +
  '沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙陶黎贺顾毛郝龚邵万钱严覃武戴' +
  '莫孔汤常温康施牛樊葛邢齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅' +
  '童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝游辛靳柴蒙鲍华喻祁蒲滕屈饶解牟艾尤阳穆农卓古吉缪简项' +
  '芦麦褚娄窦戚岑景党宫费卜冷晏席米柏宗瞿桂全佟应臧闵苟邬卞姬仇栾隋商刁沙荣巫寇桑郎甄丛仲虞' +
  '敖巩明佘池查麻苑迟邝'
const COMPOUND_SURNAMES = ['欧阳', '司马', '诸葛', '上官', '司徒', '东方', '皇甫', '慕容', '令狐', '公孙']
const SURNAME = `(?:${COMPOUND_SURNAMES.join('|')}|[${SURNAMES}])`

/** Characters that do not occur in given names but do follow a cue in ordinary sentences (我是业主、我是楼上的). */
const NOT_IN_NAME =
  '层楼户主房室号栋幢单元道业民人家里边面区的了在这那个们住是有没不也都就还和与及或从给被把对向到说问想要会能' +
  '已经过着吗呢吧啊呀哦嗯多少几些每一二三四五六七八九十年月日天点分号楼梯间水电气灯门窗车位物管理服务社区街'
const GIVEN = `[^\\s\\d\\x00-\\x7f，。、；：？！“”‘’（）《》【】…—·${NOT_IN_NAME}]`

/** What may follow a name: the end, punctuation, a digit, or a word that starts a new clause. */
const AFTER_NAME = '(?=$|[\\s\\d，。,.!！?？;；:：、）)]|住|家|电话|手机|联系|的|在|反映|说|想|要|今|昨|前|这)'

const TITLES =
  '先生|女士|小姐|阿姨|大爷|大妈|大娘|大伯|大叔|大姐|大哥|师傅|老师|奶奶|爷爷|阿婆|老伯|伯伯|叔叔|婶婶|阿公|医生|经理|主任|书记|同志|老太|老头'

const HAN_DIGIT = '[0-9一二三四五六七八九十两]'
const PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼'
/** A character that does not belong to an ASCII number or word: the edge of a number. */
const EDGE = '(^|[^0-9A-Za-z])'
const END = '(?![0-9A-Za-z])'

/** Not a phone or a room when a quantity follows: 200-300元, 每层200元, 2025-2026年. */
const NOT_QUANTITY = '(?!\\s?(?:元|块|万|千|百|米|平|人|户|次|个|斤|克|年|天|小时|分钟|多|余|左右))'

const stars = (s: string) => '*'.repeat(Array.from(s).length)

type Rule = [RegExp, (match: string, ...groups: string[]) => string]

/** In order: longer and more specific patterns first, so a phone is not read as a room. */
const RULES: Rule[] = [
  // E-mail addresses.
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g, () => MASK],
  // ID-card numbers: 18 digits (the last may be X) or 15 digits.
  [new RegExp(`${EDGE}(\\d{17}[\\dXx]|\\d{15})${END}`, 'g'), (_m, before) => before + MASK],
  // Mobile numbers, with spaces or dashes between digits and an optional +86 / 0086 / 86.
  [
    new RegExp(`${EDGE}((?:(?:\\+|00)?86[\\s-]?)?1[3-9]\\d(?:[\\s-]?\\d){8})${END}`, 'g'),
    (_m, before) => before + MASK,
  ],
  // Landlines: an optional area code (0571-, (0571), 0571 ) and 7 or 8 digits, possibly split 4-4.
  [
    new RegExp(`${EDGE}((?:[(（]0\\d{2,3}[)）]\\s?|0\\d{2,3}[\\s-]?)?\\d{3,4}[\\s-]?\\d{4})${END}${NOT_QUANTITY}`, 'g'),
    (_m, before) => before + MASK,
  ],
  // Any other long number (QQ, bank card, member number).
  [new RegExp(`${EDGE}(\\d{9,})${END}`, 'g'), (_m, before) => before + MASK],
  // Licence plates: 浙A12345, 浙A·D12345 (new energy), 浙A 1234学.
  [
    new RegExp(`[${PROVINCES}][A-Za-z][\\s·•.-]?[A-Za-z0-9]{4,6}[挂学警]?${END}`, 'g'),
    (m) => (/\d/.test(m) ? MASK : m),
  ],
  // Rooms written with dashes: 3-502, 12-1-1502.
  [
    new RegExp(`${EDGE}(\\d{1,3}(?:-\\d{1,2})?-\\d{3,4})(?![0-9A-Za-z-])${NOT_QUANTITY}`, 'g'),
    (_m, before) => before + MASK,
  ],
  // A room after a building, unit or floor: 3幢502, 3号楼2单元502室, 5楼501.
  [
    new RegExp(`(幢|栋|号楼|楼|单元|层)\\s?(\\d{3,4})(?!\\d)${NOT_QUANTITY}(室|号|房间|房)?`, 'g'),
    (_m, place, _room, suffix) => place + MASK + (suffix ?? ''),
  ],
  // A room on its own: 502室, 1201房.
  [new RegExp(`${EDGE}(\\d{3,4})\\s?(室|房间|房)`, 'g'), (_m, before, _room, suffix) => before + MASK + suffix],
  // A room after living words: 住502, 家住在1201号, 我家是301.
  [
    new RegExp(`(住|住在|家在|我家是|我家|家是)\\s?(\\d{3,4})(?!\\d)(号)?`, 'g'),
    (_m, cue, _room, suffix) => cue + MASK + (suffix ?? ''),
  ],
  // A floor that points at a home: 住5楼, 我家五楼, 2单元5楼, 5楼东户.
  [
    new RegExp(`(住|住在|家在|我家|家住|单元)(${HAN_DIGIT}{1,2})(楼|层)`, 'g'),
    (_m, cue, _floor, unit) => `${cue}*${unit}`,
  ],
  [
    new RegExp(`${EDGE}(${HAN_DIGIT}{1,2})(楼|层)(东户|西户|中户|东边户|西边户|东边那户|西边那户|那户|那家|左手|右手|朝南|朝北)`, 'g'),
    (_m, before, _floor, unit, side) => `${before}*${unit}${side}`,
  ],
  // 姓名：张三 / 联系人王五 / 我是王小明 / 我叫李娟 / 本人陈建国.
  [
    new RegExp(`(姓名[:：]?\\s?|联系人[:：是]?\\s?|我是|我叫|名叫|叫做|叫|本人|我的名字是|名字是)(${SURNAME})(?!${TITLES})(${GIVEN}{1,2})${AFTER_NAME}`, 'g'),
    (_m, cue, surname, given) => cue + stars(surname + given),
  ],
  // A surname and a title: 王阿姨, 联系人：李女士 → *阿姨, *女士.
  [new RegExp(`(${SURNAME})(${TITLES})`, 'g'), (_m, surname, title) => stars(surname) + title],
  // 姓张 / 姓欧阳: the surname itself.
  [new RegExp(`姓(${SURNAME})(?!名)`, 'g'), (_m, surname) => `姓${stars(surname)}`],
  // 老王家, 小李说: a neighbour by surname.
  [
    new RegExp(`(老|小)(${SURNAME})(?=$|[\\s，。,.!！?？;；:：、]|家|说|他|她|们|一家|讲|让|叫|总是|经常|天天)`, 'g'),
    (_m, prefix, surname) => prefix + stars(surname),
  ],
]

const HAN_ONLY = /^[\u3400-\u9fff·]+$/

/**
 * The description as the public may read it: personal data masked (see the rules above). `known` is the
 * personal data the caller knows belongs to the request (the reporter's name and phone, the room): each is
 * masked wherever it occurs, whatever the patterns would make of it (a name without a cue, an unusual
 * surname). Values shorter than a name (2 characters; 3 for others) are left to the patterns.
 */
export function redactPublicText(text: string, known: readonly (string | null | undefined)[] = []): string {
  let out = text
  const values = known
    .map((v) => v?.trim() ?? '')
    .filter((v) => (HAN_ONLY.test(v) ? v.length >= 2 : v.length >= 3))
    .sort((a, b) => b.length - a.length)
  for (const value of values) out = out.split(value).join(HAN_ONLY.test(value) ? stars(value) : MASK)
  for (const [pattern, replace] of RULES) out = out.replace(pattern, replace as (m: string, ...g: string[]) => string)
  return out
}

type Instant = Date | string

const isoOf = (d: Instant): string => (typeof d === 'string' ? new Date(d).toISOString() : d.toISOString())
const isoOrNull = (d: Instant | null | undefined): string | null => (d ? isoOf(d) : null)

/** What the public summary and text are made of: the originals and staff's edits (null: none). */
export interface PublicSummaryFacts {
  description: string
  publicText: string | null
  replyPlan: string | null
  promisedAt: Instant | null
  repliedAt: Instant | null
  resolutionNote: string | null
  resolvedAt: Instant | null
  publicCommitment: string | null
  publicResolution: string | null
  /** The reporter's name and phone and the room, masked wherever they occur (redactPublicText `known`). */
  personal?: readonly (string | null | undefined)[]
}

/**
 * A request's public text: staff's 公示 edit when set, else the description with personal data redacted
 * (`personal`: the reporter's name and phone and the room, masked wherever they occur).
 */
export function publicTextOf(t: Pick<PublicSummaryFacts, 'description' | 'publicText' | 'personal'>): string {
  return t.publicText !== null ? t.publicText : redactPublicText(t.description, t.personal)
}

/**
 * What the public sees of a request's words now: its text, the commitment of its reply and its
 * resolution note, each staff's edit where set, else the original with personal data redacted. No
 * commitment before a reply, no resolution before it is resolved.
 */
export function publicSummaryOf(t: PublicSummaryFacts): PublicSummary {
  const hasPromise = Boolean(t.replyPlan && t.promisedAt && t.repliedAt)
  const hasResolution = Boolean(t.resolutionNote && t.resolvedAt)
  const textEdited = t.publicText !== null
  const commitmentEdited = hasPromise && t.publicCommitment !== null
  const resolutionEdited = hasResolution && t.publicResolution !== null
  return {
    text: publicTextOf(t),
    commitment: hasPromise ? (commitmentEdited ? t.publicCommitment : redactPublicText(t.replyPlan!, t.personal)) : null,
    resolution: hasResolution
      ? resolutionEdited
        ? t.publicResolution
        : redactPublicText(t.resolutionNote!, t.personal)
      : null,
    edited: textEdited || commitmentEdited || resolutionEdited,
  }
}

/** A request's facts the public projection reads (a row or an entity, mapped by the server). */
export interface PublicRequestFacts extends PublicSummaryFacts {
  id: string
  number: string
  category: CategoryCode
  severity: Severity
  state: TicketState
  compoundName: string
  buildingName: string
  unitName: string
  createdAt: Instant
  replyBy: Instant | null
  nextDueAt: Instant | null
  followerCount: number
  reopenCount: number
}

/**
 * The one public projection of a request: where (compound, building, stairwell unit), what kind, its
 * state and dates, and its public text. Never the raw description, the reporter, the room, photos or voice.
 */
export function toPublicRequest(t: PublicRequestFacts): PublicRequest {
  const summary = publicSummaryOf(t)
  return {
    id: t.id,
    number: t.number,
    category: t.category,
    severity: t.severity,
    state: t.state,
    reopened: t.reopenCount > 0,
    compoundName: t.compoundName,
    buildingName: t.buildingName,
    unitName: t.unitName,
    publicText: summary.text,
    createdAt: isoOf(t.createdAt),
    replyBy: isoOrNull(t.replyBy),
    nextDueAt: isoOrNull(t.nextDueAt),
    promise:
      summary.commitment !== null && t.promisedAt
        ? { plan: summary.commitment, promisedAt: isoOf(t.promisedAt) }
        : null,
    resolution:
      summary.resolution !== null && t.resolvedAt
        ? { note: summary.resolution, resolvedAt: isoOf(t.resolvedAt) }
        : null,
    followerCount: t.followerCount,
  }
}
