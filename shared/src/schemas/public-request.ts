import { z } from 'zod'
import { CATEGORY_CODES } from '../categories'
import { SEVERITIES, TICKET_STATES } from '../tickets'
import { InstantSchema } from './common'

/**
 * The one public projection of a request (shared/src/public-text.ts toPublicRequest builds it): what the
 * scan page's open requests, the board and Open311 show. Places are the compound, the building and the
 * stairwell unit (never the room); `publicText` is staff's 公示 edit, else the description with personal
 * data redacted. No reporter, no raw description, no photos, no voice, no staff names.
 */
export const PublicRequestSchema = z.object({
  /** To follow it (我也遇到了) from the building's scan page. */
  id: z.uuid(),
  number: z.string(),
  category: z.enum(CATEGORY_CODES),
  severity: z.enum(SEVERITIES),
  state: z.enum(TICKET_STATES),
  /** Sent back by a 1–2 star rating at least once (shown as 重新办理 while open). */
  reopened: z.boolean(),
  compoundName: z.string(),
  buildingName: z.string(),
  unitName: z.string(),
  publicText: z.string(),
  createdAt: InstantSchema,
  replyBy: InstantSchema.nullable(),
  /** The deadline owed now: null while waiting for the resident or when done. */
  nextDueAt: InstantSchema.nullable(),
  /** The public commitment of a complex request's reply (staff's edit, else the plan redacted). */
  promise: z.object({ plan: z.string(), promisedAt: InstantSchema }).nullable(),
  resolution: z.object({ note: z.string(), resolvedAt: InstantSchema }).nullable(),
  /** Residents who said "我也遇到了". */
  followerCount: z.number().int().nonnegative(),
})
export type PublicRequest = z.infer<typeof PublicRequestSchema>

/** What the public sees of a request's words now (staff's edits where set, else redacted originals). */
export const PublicSummarySchema = z.object({
  /** The public text of the description. */
  text: z.string(),
  commitment: z.string().nullable(),
  resolution: z.string().nullable(),
  /** Some of it is staff's edited text rather than the original. */
  edited: z.boolean(),
})
export type PublicSummary = z.infer<typeof PublicSummarySchema>

/** Open requests in a building (of one category, or all), newest first, as the public sees them. */
export const PublicRequestListSchema = z.object({ items: z.array(PublicRequestSchema) })
export type PublicRequestList = z.infer<typeof PublicRequestListSchema>
