import { z } from 'zod'
import { METRIC_GROUPINGS } from '../metrics'
import { InstantSchema, UuidSchema } from './common'

/** Staff metrics (SPEC §6): requests filed in [from, to) under one place the caller may view. */
export const MetricsQuerySchema = z
  .object({
    compoundId: UuidSchema.optional(),
    placeId: UuidSchema.optional(),
    from: InstantSchema,
    to: InstantSchema,
    groupBy: z.enum(METRIC_GROUPINGS).optional(),
  })
  .strict()
  .refine((q) => (q.compoundId === undefined) !== (q.placeId === undefined), {
    message: '请指定 compoundId 或 placeId 其中之一',
  })
  .refine((q) => new Date(q.from).getTime() < new Date(q.to).getTime(), { message: '开始时间须早于结束时间' })
export type MetricsQuery = z.infer<typeof MetricsQuerySchema>

const Ratio = z.object({ numerator: z.number().int(), denominator: z.number().int(), rate: z.number().nullable() })

export const MetricRatesSchema = z.object({
  received: z.number().int(),
  response: Ratio,
  resolution: Ratio,
  satisfaction: Ratio,
  onTime: Ratio,
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
