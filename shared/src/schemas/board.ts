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
