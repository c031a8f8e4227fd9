import { z } from 'zod'
import { PAGE_SIZE_MAX } from '../tickets'
import { PublicRequestSchema } from './public-request'
import { PublicMeetingDecisionSchema } from './meetings'

/**
 * The public board (公示): a compound's counts and its requests, for anyone, without login.
 * Nothing here may carry personal data: no reporter, no room, no raw description, no staff names.
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

/** A request on the board: the one public projection (public-request.ts). */
export const BoardItemSchema = PublicRequestSchema
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
  /** 议事会决定: decisions of the compound's held joint meetings, newest first (public words and roles). */
  decisions: z.array(PublicMeetingDecisionSchema),
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
 * Staff edit what the public reads of a request (PATCH /api/requests/{id}/public-summary): its text
 * (shown instead of the redacted description), the commitment and the resolution. A field left out stays
 * as it is; null shows the original (redacted) again. The originals stay unchanged and the edit is an
 * internal timeline entry.
 */
export const PublicSummaryInputSchema = z
  .object({
    text: PublicSummaryText('公示描述').optional(),
    commitment: PublicSummaryText('公示承诺').optional(),
    resolution: PublicSummaryText('公示办理结果').optional(),
  })
  .strict()
  .refine((input) => input.text !== undefined || input.commitment !== undefined || input.resolution !== undefined, {
    message: '请填写要修改的公示描述、承诺或办理结果',
  })
export type PublicSummaryInput = z.infer<typeof PublicSummaryInputSchema>

