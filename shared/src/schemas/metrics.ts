import { z } from 'zod'
import { CATEGORY_CODES } from '../categories'
import { COMPOSITE_KEYS, METRIC_GROUPINGS, RANKING_KEYS, RANKING_PERIOD_PATTERN } from '../metrics'
import { PLACE_KINDS } from '../places'
import { ROLES } from '../roles'
import { TICKET_STATES } from '../tickets'
import { InstantSchema, UuidSchema } from './common'

/** The longest period the trend and the heat table may span (two years and a leap day). */
export const METRICS_MAX_SPAN_DAYS = 731
const MAX_SPAN_MS = METRICS_MAX_SPAN_DAYS * 24 * 60 * 60 * 1000

const spanOk = (q: { from: string; to: string }) =>
  new Date(q.to).getTime() - new Date(q.from).getTime() <= MAX_SPAN_MS
const onePlace = (q: { compoundId?: string; placeId?: string }) =>
  (q.compoundId === undefined) !== (q.placeId === undefined)
const ONE_PLACE = { message: '请指定 compoundId 或 placeId 其中之一' }
const FROM_BEFORE_TO = { message: '开始时间须早于结束时间' }
const SPAN = { message: `统计区间不能超过${METRICS_MAX_SPAN_DAYS}天`, path: ['to'] }

/** Staff metrics: requests filed in [from, to) under one place the caller may view. */
export const MetricsQuerySchema = z
  .object({
    compoundId: UuidSchema.optional(),
    placeId: UuidSchema.optional(),
    from: InstantSchema,
    to: InstantSchema,
    groupBy: z.enum(METRIC_GROUPINGS).optional(),
  })
  .strict()
  .refine(onePlace, ONE_PLACE)
  .refine((q) => new Date(q.from).getTime() < new Date(q.to).getTime(), FROM_BEFORE_TO)
export type MetricsQuery = z.infer<typeof MetricsQuerySchema>

/** The weekly trend and the heat table: one place, requests filed in [from, to). */
export const MetricsPeriodQuerySchema = z
  .object({
    compoundId: UuidSchema.optional(),
    placeId: UuidSchema.optional(),
    from: InstantSchema,
    to: InstantSchema,
  })
  .strict()
  .refine(onePlace, ONE_PLACE)
  .refine((q) => new Date(q.from).getTime() < new Date(q.to).getTime(), FROM_BEFORE_TO)
  .refine(spanOk, SPAN)
export type MetricsPeriodQuery = z.infer<typeof MetricsPeriodQuerySchema>

export const METRICS_ATTENTION_LIMIT_MAX = 100

/** Overdue and escalated open requests under one place, now. */
export const MetricsAttentionQuerySchema = z
  .object({
    compoundId: UuidSchema.optional(),
    placeId: UuidSchema.optional(),
    limit: z.coerce.number().int().min(1).max(METRICS_ATTENTION_LIMIT_MAX).default(50),
  })
  .strict()
  .refine(onePlace, ONE_PLACE)
export type MetricsAttentionQuery = z.infer<typeof MetricsAttentionQuerySchema>

export const MetricRateSchema = z.object({
  numerator: z.number().int(),
  denominator: z.number().int(),
  rate: z.number().nullable(),
})
export type MetricRate = z.infer<typeof MetricRateSchema>
const Ratio = MetricRateSchema

export const MetricRatesSchema = z.object({
  received: z.number().int(),
  response: Ratio,
  resolution: Ratio,
  satisfaction: Ratio,
  onTime: Ratio,
  handoff: Ratio,
  redo: Ratio,
})
export type MetricRates = z.infer<typeof MetricRatesSchema>

export const MetricsSchema = z.object({
  placeId: UuidSchema,
  from: InstantSchema,
  to: InstantSchema,
  groupBy: z.enum(METRIC_GROUPINGS).nullable(),
  total: MetricRatesSchema,
  /** Per group, by key: a role, a staff id (unassigned: null), a category or a building id. */
  groups: z.array(MetricRatesSchema.extend({ key: z.string().nullable(), label: z.string() })),
})
export type Metrics = z.infer<typeof MetricsSchema>

/** The work ledger (工作台账) export: requests filed in [from, to) under one place. */
export const LedgerQuerySchema = z
  .object({ placeId: UuidSchema, from: InstantSchema, to: InstantSchema })
  .strict()
  .refine((q) => new Date(q.from).getTime() < new Date(q.to).getTime(), { message: '开始时间须早于结束时间' })
export type LedgerQuery = z.infer<typeof LedgerQuerySchema>

/**
 * The trend by week: every week (Monday 00:00 Asia/Shanghai) that overlaps [from, to) appears, empty
 * ones too, counting the requests filed in that week and inside [from, to). Oldest week first.
 */
export const MetricsWeekSchema = z.object({
  /** ISO instant of the week's Monday 00:00 in Asia/Shanghai. */
  weekStart: InstantSchema,
  received: z.number().int(),
  response: MetricRateSchema,
  resolution: MetricRateSchema,
  satisfaction: MetricRateSchema,
  onTime: MetricRateSchema,
  handoff: MetricRateSchema,
  redo: MetricRateSchema,
})
export type MetricsWeek = z.infer<typeof MetricsWeekSchema>

export const MetricsWeeklySchema = z.object({
  placeId: UuidSchema,
  weeks: z.array(MetricsWeekSchema),
})
export type MetricsWeekly = z.infer<typeof MetricsWeeklySchema>

/**
 * Requests filed in the period per building × category (merged duplicates excluded), to spot recurring
 * problems. Only non-zero cells; buildings and categories with at least one request, by total, largest first.
 */
export const MetricsHeatSchema = z.object({
  placeId: UuidSchema,
  buildings: z.array(z.object({ id: UuidSchema, name: z.string() })),
  categories: z.array(z.object({ code: z.enum(CATEGORY_CODES), label: z.string() })),
  cells: z.array(z.object({ buildingId: UuidSchema, category: z.enum(CATEGORY_CODES), count: z.number().int() })),
  /** The largest cell count (0 when there are no cells). */
  max: z.number().int(),
})
export type MetricsHeat = z.infer<typeof MetricsHeatSchema>

/** An open request that needs attention. No resident data. */
export const AttentionItemSchema = z.object({
  id: UuidSchema,
  /** The serial number (shown as MQ000123). */
  number: z.number().int(),
  category: z.enum(CATEGORY_CODES),
  categoryLabel: z.string(),
  buildingName: z.string(),
  state: z.enum(TICKET_STATES),
  handlerRole: z.enum(ROLES).nullable(),
  handlerName: z.string().nullable(),
  /** The deadline owed now (null while waiting for the resident). */
  dueAt: InstantSchema.nullable(),
  /** Minutes past `dueAt` now; 0 when not overdue. */
  overdueMinutes: z.number().int(),
  escalationLevel: z.number().int(),
})
export type AttentionItem = z.infer<typeof AttentionItemSchema>

export const MetricsAttentionSchema = z.object({
  /** Open requests whose deadline owed now has passed, most overdue first. */
  overdue: z.array(AttentionItemSchema),
  /** Open requests escalated at least once, highest level first, then most overdue. */
  escalated: z.array(AttentionItemSchema),
})
export type MetricsAttention = z.infer<typeof MetricsAttentionSchema>

/** 考核排名: the places one level below `placeId` (in a compound: its handlers), for a month or a quarter. */
export const RankingQuerySchema = z
  .object({
    placeId: UuidSchema,
    /** "2026-11" (a month) or "2026-Q4" (a quarter), local time. */
    period: z.string().regex(RANKING_PERIOD_PATTERN, '请选择月份（2026-11）或季度（2026-Q4）'),
    by: z.enum(RANKING_KEYS).default('composite'),
    /**
     * `places`: the places one level below (a compound's buildings); `handlers`: the handlers of the
     * requests there (a compound or a building). Default: places, and handlers at a building.
     */
    of: z.enum(['places', 'handlers']).optional(),
  })
  .strict()
export type RankingQuery = z.infer<typeof RankingQuerySchema>

/** The composite's weights, in percent, summing to 100. */
const Percent = z.number().int().min(0).max(100)
export const RankingWeightsSchema = z
  .object({ response: Percent, resolution: Percent, satisfaction: Percent })
  .strict()
  .refine((w) => COMPOSITE_KEYS.reduce((sum, k) => sum + w[k], 0) === 100, { message: '三项权重之和须为100' })
export type RankingWeightsInput = z.infer<typeof RankingWeightsSchema>

export const RankingRowSchema = MetricRatesSchema.extend({
  /** A place id, or a staff id (a compound's handlers; null: not assigned to anyone). */
  key: z.string().nullable(),
  label: z.string(),
  /** The place's kind (tap to drill down), or null for a handler. */
  placeKind: z.enum(PLACE_KINDS).nullable(),
  composite: z.number().nullable(),
  /** The figure ranked by (`by`). */
  score: z.number().nullable(),
  /** 1 = best; null: 样本不足 or no figure. */
  rank: z.number().int().nullable(),
  /** Fewer than RANKING_MIN_SAMPLE requests received. */
  smallSample: z.boolean(),
})
export type RankingRow = z.infer<typeof RankingRowSchema>

export const RankingSchema = z.object({
  placeId: UuidSchema,
  placeName: z.string(),
  placeKind: z.enum(PLACE_KINDS),
  period: z.string(),
  periodLabel: z.string(),
  from: InstantSchema,
  to: InstantSchema,
  by: z.enum(RANKING_KEYS),
  /** What is ranked: the places one level below, or the handlers of the requests there. */
  of: z.enum(['places', 'handlers']),
  /** The place's ancestors the caller may view, then the place, oldest first (the drill-down's way back). */
  trail: z.array(z.object({ id: UuidSchema, name: z.string(), kind: z.enum(PLACE_KINDS) })),
  /** The district's weights (its own, or the default). */
  weights: z.object({ response: Percent, resolution: Percent, satisfaction: Percent }),
  weightsDefault: z.boolean(),
  minSample: z.number().int(),
  total: MetricRatesSchema.extend({ composite: z.number().nullable() }),
  rows: z.array(RankingRowSchema),
})
export type Ranking = z.infer<typeof RankingSchema>
