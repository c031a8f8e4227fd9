import { z } from 'zod'
import { CATEGORY_CODES } from '../categories'
import { HANDLER_ROLES, ROLES } from '../roles'
import { DESCRIPTION_MAX, SEVERITIES } from '../tickets'
import { InstantSchema } from './common'

/** A compound's rule for one category (the 责任清单 row): lead role, co-roles, severity. */
export const RoutingRuleInputSchema = z
  .object({
    leadRole: z.enum(HANDLER_ROLES),
    coRoles: z.array(z.enum(HANDLER_ROLES)).max(4, '最多4个联办岗位').default([]),
    severity: z.enum(SEVERITIES),
  })
  .strict()
  .refine((r) => new Set(r.coRoles).size === r.coRoles.length, {
    message: '联办岗位重复了',
    path: ['coRoles'],
  })
  .refine((r) => !r.coRoles.includes(r.leadRole), {
    message: '牵头岗位不能同时是联办岗位',
    path: ['coRoles'],
  })
export type RoutingRuleInput = z.infer<typeof RoutingRuleInputSchema>

export const RoutingRuleViewSchema = z.object({
  category: z.enum(CATEGORY_CODES),
  categoryLabel: z.string(),
  leadRole: z.enum(HANDLER_ROLES),
  coRoles: z.array(z.enum(HANDLER_ROLES)),
  severity: z.enum(SEVERITIES),
  /** `default`: the default table; `compound`: this compound's own rule. */
  source: z.enum(['default', 'compound']),
  updatedAt: InstantSchema.nullable(),
})
export type RoutingRuleView = z.infer<typeof RoutingRuleViewSchema>

export const RoutingRuleListSchema = z.object({
  compound: z.object({ id: z.uuid(), name: z.string() }),
  items: z.array(RoutingRuleViewSchema),
})
export type RoutingRuleList = z.infer<typeof RoutingRuleListSchema>

/**
 * A dry run: a category at a unit, filed at `at` (ISO 8601 with an offset, e.g. 2026-09-30T17:30:00+08:00;
 * now when left out), optionally with the words a resident would write (they may make it urgent).
 */
export const RoutingDryRunQuerySchema = z
  .object({
    unitId: z.uuid(),
    category: z.enum(CATEGORY_CODES),
    at: z.iso
      .datetime({ offset: true, message: '时间须为带时区的 ISO 8601 格式，如 2026-09-30T17:30:00+08:00' })
      .optional(),
    description: z.string().max(DESCRIPTION_MAX, `描述不能超过${DESCRIPTION_MAX}字`).optional(),
  })
  .strict()
export type RoutingDryRunQuery = z.infer<typeof RoutingDryRunQuerySchema>

const AssigneeSchema = z.object({
  staffId: z.uuid(),
  name: z.string(),
  role: z.enum(ROLES),
  roleLabel: z.string(),
  /** Where the membership that made them the pick sits. */
  place: z.object({ id: z.uuid(), kind: z.string(), name: z.string() }),
})

/** Who a request of this category at this unit would go to now, and why; nothing is written. */
export const RoutingDryRunSchema = z.object({
  rule: RoutingRuleViewSchema,
  handler: AssigneeSchema.nullable(),
  coHandlers: z.array(AssigneeSchema),
  /** One line per role tried, in order, for the admin to see why. */
  steps: z.array(z.string()),
  reason: z.string(),
  /** The filing time the deadlines are computed for (`at`, or now). */
  at: InstantSchema,
  severity: z.enum(SEVERITIES),
  /** The urgent lane (category or words): acceptance within 30 minutes at any hour. */
  urgent: z.boolean(),
  /** The deadlines a request filed at `at` would get. */
  deadlines: z.object({
    acceptBy: InstantSchema.nullable(),
    replyBy: InstantSchema.nullable(),
    resolveBy: InstantSchema.nullable(),
  }),
})
export type RoutingDryRun = z.infer<typeof RoutingDryRunSchema>
