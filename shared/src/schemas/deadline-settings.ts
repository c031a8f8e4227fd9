import { z } from 'zod'
import { DAY_TYPES, type DeadlineConfig } from '../deadlines'
import { ROLES } from '../roles'
import { CATEGORY_CODES } from '../categories'
import { CalendarPlaceSchema, CalendarYearSchema } from './calendar-overrides'
import { InstantSchema, UuidSchema } from './common'

const LOCAL_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/
const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5))

/** Upper bounds of the per-compound deadline settings (the product's defaults sit well inside them). */
export const DEADLINE_SETTING_LIMITS = {
  acceptWithinMinutes: 7 * 24 * 60,
  complexReplyHours: 30 * 24,
  maxPromiseDays: 365,
  autoCloseDays: 90,
} as const

const LocalTimeSchema = (what: string) => z.string().regex(LOCAL_TIME, `${what}须为 HH:MM（如 08:00）`)
const PositiveInt = (what: string, max: number) =>
  z
    .number({ message: `${what}须为整数` })
    .int(`${what}须为整数`)
    .min(1, `${what}至少为1`)
    .max(max, `${what}不能超过${max}`)

/**
 * Problems of a complete configuration: the window must open before it closes and the cut-off of simple
 * requests must lie inside it. Empty when it is fine. The server checks the merged (effective) config
 * with this, since an override of one field may clash with a default of another.
 */
export function deadlineConfigProblems(
  config: Pick<DeadlineConfig, 'workdayStart' | 'workdayEnd' | 'simpleCutoff'>,
): Array<{ path: string; message: string }> {
  const problems: Array<{ path: string; message: string }> = []
  if (![config.workdayStart, config.workdayEnd, config.simpleCutoff].every((t) => LOCAL_TIME.test(t)))
    return problems
  const start = minutesOf(config.workdayStart)
  const end = minutesOf(config.workdayEnd)
  const cutoff = minutesOf(config.simpleCutoff)
  if (start >= end) problems.push({ path: 'workdayEnd', message: '工作时间的结束须晚于开始' })
  else if (cutoff <= start || cutoff > end) {
    problems.push({ path: 'simpleCutoff', message: '简单诉求的截止时刻须在工作时间之内' })
  }
  return problems
}

const DayTypeSchema = z.enum(DAY_TYPES, { message: '计时方式须为 working（按工作日）或 on_duty（按自然日）' })
const DayTypesSchema = z.partialRecord(z.enum(ROLES, { message: '没有这个角色' }), DayTypeSchema)

/** A day off or on that wins over the official calendar. */
export const CalendarOverrideSchema = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期须为 YYYY-MM-DD'),
  working: z.boolean(),
  reason: z.string().min(1).max(50),
})

/**
 * A compound's deadline overrides (PUT). Fields left out use the product's defaults; `{}` resets all of them.
 * The time zone is not settable.
 */
export const DeadlineSettingsInputSchema = z
  .object({
    workdayStart: LocalTimeSchema('工作开始时间').optional(),
    workdayEnd: LocalTimeSchema('工作结束时间').optional(),
    acceptWithinMinutes: PositiveInt(
      '受理时限（分钟）',
      DEADLINE_SETTING_LIMITS.acceptWithinMinutes,
    ).optional(),
    simpleCutoff: LocalTimeSchema('简单诉求截止时刻').optional(),
    complexReplyHours: PositiveInt(
      '复杂诉求答复时限（小时）',
      DEADLINE_SETTING_LIMITS.complexReplyHours,
    ).optional(),
    maxPromiseDays: PositiveInt('承诺办结最长天数', DEADLINE_SETTING_LIMITS.maxPromiseDays).optional(),
    autoCloseDays: PositiveInt('自动销号天数', DEADLINE_SETTING_LIMITS.autoCloseDays).optional(),
    warnAtFraction: z
      .number({ message: '预警比例须为数字' })
      .gt(0, '预警比例须大于0')
      .lt(1, '预警比例须小于1')
      .optional(),
    /** Per role: count working days (`working`) or every day (`on_duty`); roles left out keep the default. */
    dayTypes: DayTypesSchema.optional(),
  })
  .strict()
  .superRefine((input, ctx) => {
    // What can be judged from the input alone; the server checks the merged config again.
    if (input.workdayStart === undefined || input.workdayEnd === undefined) return
    const problems = deadlineConfigProblems({
      workdayStart: input.workdayStart,
      workdayEnd: input.workdayEnd,
      simpleCutoff: input.simpleCutoff ?? input.workdayEnd,
    })
    for (const p of problems) ctx.addIssue({ code: 'custom', path: [p.path], message: p.message })
  })
export type DeadlineSettingsInput = z.infer<typeof DeadlineSettingsInputSchema>

export const DeadlineConfigSchema = z.object({
  timeZone: z.string(),
  workdayStart: z.string(),
  workdayEnd: z.string(),
  acceptWithinMinutes: z.number().int(),
  simpleCutoff: z.string(),
  complexReplyHours: z.number().int(),
  maxPromiseDays: z.number().int(),
  autoCloseDays: z.number().int(),
  warnAtFraction: z.number(),
  dayTypes: z.record(z.enum(ROLES), DayTypeSchema),
  calendarOverrides: z.array(CalendarOverrideSchema),
})

/** A compound's deadline settings: the product's defaults, its overrides, and what applies to new requests. */
export const DeadlineSettingsSchema = z.object({
  compoundId: UuidSchema,
  defaults: DeadlineConfigSchema,
  overrides: DeadlineConfigSchema.partial().extend({ dayTypes: DayTypesSchema.optional() }),
  /** defaults + overrides: what requests filed from now on in this compound use. */
  effective: DeadlineConfigSchema,
  /** When the overrides were last saved; null when never. */
  updatedAt: InstantSchema.nullable(),
  /** The current and next year: whether China's official schedule is in the data (else weekends only). */
  calendarYears: z.array(CalendarYearSchema),
})
export type DeadlineSettings = z.infer<typeof DeadlineSettingsSchema>

/** Limits of a place's danger list changes. */
export const URGENT_LIST_LIMITS = { words: 50, wordLength: 20 } as const

/** A 物业 24-hour line: digits and dashes, 3–20 characters (a landline with its area code, a mobile, 400-…). */
export const PROPERTY_PHONE_PATTERN = /^(?=.*\d)[\d-]{3,20}$/

const UrgentWordSchema = z
  .string({ message: '关键词须为文字' })
  .trim()
  .min(1, '关键词不能为空')
  .max(URGENT_LIST_LIMITS.wordLength, `关键词不能超过${URGENT_LIST_LIMITS.wordLength}个字`)
const UrgentWordsSchema = z
  .array(UrgentWordSchema)
  .max(URGENT_LIST_LIMITS.words, `关键词最多${URGENT_LIST_LIMITS.words}个`)
const UrgentCategoriesSchema = z.array(z.enum(CATEGORY_CODES, { message: '没有这个分类' }))

/**
 * A place's changes to the danger list (PUT, replacing the place's own): words and categories it adds or
 * drops; the places under it inherit them. `propertyPhone` is a compound's 物业 24-hour line shown on the
 * emergency sheet (null: none); only a compound has one.
 */
export const UrgentListInputSchema = z
  .object({
    addWords: UrgentWordsSchema.default([]),
    dropWords: UrgentWordsSchema.default([]),
    addCategories: UrgentCategoriesSchema.default([]),
    dropCategories: UrgentCategoriesSchema.default([]),
    propertyPhone: z
      .string({ message: '物业24小时电话须为文字' })
      .trim()
      .regex(PROPERTY_PHONE_PATTERN, '物业24小时电话只能含数字和短横线，3到20位')
      .nullable()
      .optional(),
  })
  .strict()
export type UrgentListInput = z.infer<typeof UrgentListInputSchema>

export const UrgentListChangeSchema = z.object({
  addWords: z.array(z.string()),
  dropWords: z.array(z.string()),
  addCategories: z.array(z.enum(CATEGORY_CODES)),
  dropCategories: z.array(z.enum(CATEGORY_CODES)),
})

export const UrgentRulesSchema = z.object({
  categories: z.array(z.enum(CATEGORY_CODES)),
  words: z.array(z.string()),
})

/** A place's danger list as its admins see it: the defaults, each level's changes, and what applies. */
export const UrgentListViewSchema = z.object({
  place: CalendarPlaceSchema,
  defaults: UrgentRulesSchema,
  /** The place and those above it, outermost first, each with its own changes (empty when none). */
  levels: z.array(z.object({ place: CalendarPlaceSchema, change: UrgentListChangeSchema })),
  /** What a report filed under the place is judged by. */
  effective: UrgentRulesSchema,
  /** A compound's 物业 24-hour line; null when none is set or the place is not a compound. */
  propertyPhone: z.string().nullable(),
  updatedAt: InstantSchema.nullable(),
})
export type UrgentListView = z.infer<typeof UrgentListViewSchema>

/** What the report page of a compound needs of the urgent lane: its danger list and the 物业 24-hour line. */
export const ScanUrgentSchema = UrgentRulesSchema.extend({ propertyPhone: z.string().nullable() })
export type ScanUrgent = z.infer<typeof ScanUrgentSchema>
