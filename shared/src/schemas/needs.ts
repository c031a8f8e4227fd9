import { z } from 'zod'
import { NEED_DESCRIPTION_MAX, NEED_REASON_MAX, NEED_SOURCES, NEED_STATUSES, NEED_TITLE_MAX } from '../needs'
import { InstantSchema } from './common'
import { QrTokenSchema } from './places'

/**
 * Residents' needs (居民需求). The public view carries no personal data: no proposer, no supporter, no
 * room; its text is the public text (personal data redacted). Staff see where it came from, never who.
 */
export const PublicNeedSchema = z.object({
  id: z.uuid(),
  compoundId: z.uuid(),
  title: z.string(),
  /** The description with personal data redacted. */
  publicText: z.string(),
  status: z.enum(NEED_STATUSES),
  /** The public reason when not feasible, else null. */
  reason: z.string().nullable(),
  /** Households that support it (the proposer's included). */
  supportCount: z.number().int(),
  source: z.enum(NEED_SOURCES),
  createdAt: InstantSchema,
  statusChangedAt: InstantSchema,
})
export type PublicNeed = z.infer<typeof PublicNeedSchema>

export const PublicNeedListSchema = z.object({
  compoundName: z.string(),
  needs: z.array(PublicNeedSchema),
})
export type PublicNeedList = z.infer<typeof PublicNeedListSchema>

/** What staff see: the public view, where it came from, and the request it was turned from. */
export const StaffNeedSchema = PublicNeedSchema.extend({
  compoundName: z.string(),
  /** The building and unit it was proposed at (no room), or null. */
  unitLabel: z.string().nullable(),
  ticketId: z.uuid().nullable(),
})
export type StaffNeed = z.infer<typeof StaffNeedSchema>

export const StaffNeedListSchema = z.object({
  compounds: z.array(z.object({ id: z.uuid(), name: z.string() })),
  needs: z.array(StaffNeedSchema),
})
export type StaffNeedList = z.infer<typeof StaffNeedListSchema>

const Title = z
  .string({ message: '请填写需求' })
  .trim()
  .min(2, '需求至少写两个字')
  .max(NEED_TITLE_MAX, `需求标题不能超过${NEED_TITLE_MAX}字`)
const Description = z
  .string()
  .trim()
  .max(NEED_DESCRIPTION_MAX, `说明不能超过${NEED_DESCRIPTION_MAX}字`)
  .default('')
const Room = z.string().trim().max(20, '房号不能超过20字').nullable().optional()

/**
 * A resident proposes a need with the stairwell code they scanned (it places them in the compound); the
 * room, when given, counts their household.
 */
export const ProposeNeedInputSchema = z
  .object({ unitToken: QrTokenSchema, title: Title, description: Description, room: Room })
  .strict()
export type ProposeNeedInput = z.infer<typeof ProposeNeedInputSchema>

/** Staff enter a need for a compound (for a resident, e.g. by phone); unit and room count that household. */
export const StaffNeedInputSchema = z
  .object({ compoundId: z.uuid(), unitId: z.uuid().nullable().optional(), room: Room, title: Title, description: Description })
  .strict()
export type StaffNeedInput = z.infer<typeof StaffNeedInputSchema>

/**
 * +1, with the stairwell code the resident scanned (a code of the need's compound: only its residents
 * support it). With a room it counts once per household (unit, room), else once per account.
 */
export const SupportNeedInputSchema = z.object({ unitToken: QrTokenSchema, room: Room }).strict()
export type SupportNeedInput = z.infer<typeof SupportNeedInputSchema>

export const SupportNeedResultSchema = z.object({
  supportCount: z.number().int(),
  supported: z.boolean(),
  /** False when the caller's household had supported it already (nothing counted twice). */
  counted: z.boolean(),
})
export type SupportNeedResult = z.infer<typeof SupportNeedResultSchema>

/** The needs of a compound the calling resident proposed or supported (for 已支持 marks). */
export const MyNeedsSchema = z.object({ supported: z.array(z.uuid()), proposed: z.array(z.uuid()) })
export type MyNeeds = z.infer<typeof MyNeedsSchema>

export const MyNeedsQuerySchema = z.object({ compoundId: z.uuid() }).strict()
export type MyNeedsQuery = z.infer<typeof MyNeedsQuerySchema>

export const NeedStatusInputSchema = z
  .object({
    status: z.enum(NEED_STATUSES),
    reason: z.string().trim().max(NEED_REASON_MAX, `原因不能超过${NEED_REASON_MAX}字`).nullable().optional(),
  })
  .strict()
export type NeedStatusInput = z.infer<typeof NeedStatusInputSchema>

/** Turning a request into a need: its title (the request's public text is the description). */
export const NeedFromRequestInputSchema = z.object({ title: Title }).strict()
export type NeedFromRequestInput = z.infer<typeof NeedFromRequestInputSchema>
