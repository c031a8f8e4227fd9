import { z } from 'zod'
import { CATEGORY_CODES } from '../categories'
import { PAGE_SIZE_MAX, TICKET_STATES } from '../tickets'
import { InstantSchema } from './common'

/**
 * The public board (公示, SPEC §6): a compound's counts and its requests, for anyone, without login.
 * Nothing here may carry personal data: no reporter, no room, no description, no staff names.
 */
export const BoardQuerySchema = z
  .object({
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(PAGE_SIZE_MAX).default(20),
  })
  .strict()
export type BoardQuery = z.infer<typeof BoardQuerySchema>

export const BoardCountsSchema = z.object({
  /** Filed in the period (merged duplicates included). */
  received: z.number().int(),
  accepted: z.number().int(),
  /** Replied with a plan and a promised date. */
  committed: z.number().int(),
  /** Resolved at least once (closed ones included). */
  resolved: z.number().int(),
  closed: z.number().int(),
  /** Resolved no later than the resolution deadline. */
  onTime: z.number().int(),
  /** Of the latest rating of each rated request; null when none is rated. */
  averageRating: z.number().nullable(),
  rated: z.number().int(),
})
export type BoardCounts = z.infer<typeof BoardCountsSchema>

export const BoardItemSchema = z.object({
  number: z.string(),
  category: z.enum(CATEGORY_CODES),
  buildingName: z.string(),
  state: z.enum(TICKET_STATES),
  createdAt: InstantSchema,
  promise: z.object({ plan: z.string(), promisedAt: InstantSchema }).nullable(),
  resolution: z.object({ note: z.string(), resolvedAt: InstantSchema }).nullable(),
})
export type BoardItem = z.infer<typeof BoardItemSchema>

export const BoardSchema = z.object({
  compoundName: z.string(),
  /** The month counted as "this month", YYYY-MM in Asia/Shanghai. */
  month: z.string(),
  thisMonth: BoardCountsSchema,
  allTime: BoardCountsSchema,
  items: z.array(BoardItemSchema),
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int(),
})
export type Board = z.infer<typeof BoardSchema>

export const PUBLIC_SUMMARY_MAX = 300

const PublicSummaryText = (what: string) =>
  z
    .string({ message: `${what}须为文字或 null` })
    .trim()
    .min(1, `请填写${what}，或用 null 恢复原文`)
    .max(PUBLIC_SUMMARY_MAX, `${what}不能超过${PUBLIC_SUMMARY_MAX}字`)
    .nullable()

/**
 * Staff edit what the board shows of a request (PATCH /api/requests/{id}/public-summary). A field left
 * out stays as it is; null shows the original (reply plan / resolution note) again. The originals stay
 * unchanged and the edit is an internal timeline entry.
 */
export const PublicSummaryInputSchema = z
  .object({
    commitment: PublicSummaryText('公示承诺').optional(),
    resolution: PublicSummaryText('公示办理结果').optional(),
  })
  .strict()
  .refine((input) => input.commitment !== undefined || input.resolution !== undefined, {
    message: '请填写要修改的公示承诺或办理结果',
  })
export type PublicSummaryInput = z.infer<typeof PublicSummaryInputSchema>

/** What the board shows of a request now: the edited text where set, else the original; null when none. */
export const PublicSummarySchema = z.object({
  commitment: z.string().nullable(),
  resolution: z.string().nullable(),
  /** Some of it is staff's edited text rather than the original. */
  edited: z.boolean(),
})
export type PublicSummary = z.infer<typeof PublicSummarySchema>
