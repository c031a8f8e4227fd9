import { z } from 'zod'
import { CATEGORY_CODES } from '../categories'
import { PARTIES, QUARTER_PATTERN, RECURRING_KINDS } from '../recurring'
import { ROLES } from '../roles'
import { TICKET_STATES } from '../tickets'
import { LocalDateSchema } from './calendar-overrides'
import { InstantSchema } from './common'

/**
 * Recurring problems (重点问题) and the quarterly 公开承诺 report. Everything here is public text: a linked
 * request shows its public projection's words, an owner is a role, never a person.
 */
export const RecurringRequestSchema = z.object({
  id: z.uuid(),
  number: z.string(),
  category: z.enum(CATEGORY_CODES),
  buildingName: z.string(),
  state: z.enum(TICKET_STATES),
  publicText: z.string(),
  createdAt: InstantSchema,
})
export type RecurringRequest = z.infer<typeof RecurringRequestSchema>

/** Proposed by the rule, not yet decided by a supervisor. */
export const ProposedRecurringSchema = z.object({
  key: z.string(),
  kind: z.enum(RECURRING_KINDS),
  title: z.string(),
  category: z.enum(CATEGORY_CODES).nullable(),
  buildingName: z.string().nullable(),
  requests: z.array(RecurringRequestSchema),
})
export type ProposedRecurring = z.infer<typeof ProposedRecurringSchema>

export const RecurringProgressSchema = z.object({
  id: z.uuid(),
  note: z.string(),
  at: InstantSchema,
})
export type RecurringProgress = z.infer<typeof RecurringProgressSchema>

/** An adopted 重点问题 as the public board shows it. */
export const PublicRecurringSchema = z.object({
  id: z.uuid(),
  kind: z.enum(RECURRING_KINDS),
  title: z.string(),
  /** The role that owns it (物业, 网格长 …), as a label. */
  ownerLabel: z.string(),
  plan: z.string(),
  targetDate: z.string(),
  adoptedAt: InstantSchema,
  progress: z.array(RecurringProgressSchema),
  requests: z.array(RecurringRequestSchema),
})
export type PublicRecurring = z.infer<typeof PublicRecurringSchema>

/** What staff see of a decided problem: the public view and the decision. */
export const RecurringProblemSchema = PublicRecurringSchema.extend({
  key: z.string(),
  status: z.enum(['adopted', 'dismissed']),
  ownerRole: z.enum(ROLES).nullable(),
  dismissReason: z.string().nullable(),
  /** The role the supervisor who decided it holds in the compound's places (社区督办 …), as a label. */
  decidedByLabel: z.string(),
})
export type RecurringProblem = z.infer<typeof RecurringProblemSchema>

export const RecurringListSchema = z.object({
  compoundName: z.string(),
  proposed: z.array(ProposedRecurringSchema),
  adopted: z.array(RecurringProblemSchema),
  /** Proposals supervisors decided not to adopt, newest decision first, with the reason. */
  dismissed: z.array(RecurringProblemSchema),
})
export type RecurringList = z.infer<typeof RecurringListSchema>

export const RecurringQuerySchema = z.object({ compoundId: z.uuid() }).strict()
export type RecurringQuery = z.infer<typeof RecurringQuerySchema>

/** The compounds whose recurring problems the caller may decide: under any place it supervises. */
export const RecurringCompoundsSchema = z.object({
  compounds: z.array(z.object({ id: z.uuid(), name: z.string(), communityName: z.string() })),
})
export type RecurringCompounds = z.infer<typeof RecurringCompoundsSchema>

export const RECURRING_TEXT_MAX = 300

const text = (what: string) =>
  z
    .string({ message: `请填写${what}` })
    .trim()
    .min(2, `请填写${what}`)
    .max(RECURRING_TEXT_MAX, `${what}不能超过${RECURRING_TEXT_MAX}字`)

/** A supervisor adopts a proposed problem: who owns it (a role), the plan and the target date. */
export const AdoptRecurringInputSchema = z
  .object({
    compoundId: z.uuid(),
    key: z.string().min(1).max(200),
    ownerRole: z.enum(ROLES, { message: '请选择负责方' }),
    plan: text('整改计划'),
    targetDate: LocalDateSchema,
  })
  .strict()
export type AdoptRecurringInput = z.infer<typeof AdoptRecurringInputSchema>

export const DismissRecurringInputSchema = z
  .object({ compoundId: z.uuid(), key: z.string().min(1).max(200), reason: text('不列为重点问题的理由') })
  .strict()
export type DismissRecurringInput = z.infer<typeof DismissRecurringInputSchema>

export const RecurringProgressInputSchema = z.object({ note: text('进展') }).strict()
export type RecurringProgressInput = z.infer<typeof RecurringProgressInputSchema>

export const QuarterSchema = z.string().regex(QUARTER_PATTERN, '季度须为 YYYY-QN（如 2026-Q3）')

export const ReportQuerySchema = z.object({ quarter: QuarterSchema.optional() }).strict()
export type ReportQuery = z.infer<typeof ReportQuerySchema>

export const ReportFiguresSchema = z.object({
  /** Filed in the quarter (merged duplicates included, withdrawn ones not). */
  collected: z.number().int(),
  /** Replied with a plan and a promised date. */
  committed: z.number().int(),
  resolved: z.number().int(),
  /** Resolved no later than the resolution deadline. */
  onTime: z.number().int(),
  rated: z.number().int(),
  /** Rated 4–5 stars (latest rating). */
  satisfied: z.number().int(),
})
export type ReportFigures = z.infer<typeof ReportFiguresSchema>

/** The quarterly 公开承诺 report of a compound: public, no personal data. */
export const QuarterlyReportSchema = z.object({
  compoundName: z.string(),
  quarter: z.string(),
  label: z.string(),
  total: ReportFiguresSchema,
  parties: z.array(ReportFiguresSchema.extend({ party: z.enum(PARTIES), label: z.string() })),
  problems: z.array(PublicRecurringSchema),
})
export type QuarterlyReport = z.infer<typeof QuarterlyReportSchema>
