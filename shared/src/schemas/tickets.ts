import { z } from 'zod'
import { CATEGORY_CODES } from '../categories'
import { CHANNELS, DESCRIPTION_MAX, PHOTOS_MAX, SEVERITIES, TICKET_STATES } from '../tickets'
import { ROLES } from '../roles'
import { QrTokenSchema } from './places'
import { InstantSchema } from './common'

export const CreateTicketSchema = z
  .object({
    unitToken: QrTokenSchema.optional(),
    unitId: z.uuid().optional(),
    category: z.enum(CATEGORY_CODES),
    description: z.string().trim().min(1, '请描述问题').max(DESCRIPTION_MAX, `描述不能超过${DESCRIPTION_MAX}字`),
    photoIds: z.array(z.uuid()).max(PHOTOS_MAX, `最多${PHOTOS_MAX}张照片`).default([]),
    contactConsent: z.boolean().default(false),
  })
  .strict()
  .refine((v) => Boolean(v.unitToken) !== Boolean(v.unitId), {
    message: '请提供二维码或单元（二选一）',
    path: ['unitToken'],
  })
export type CreateTicketInput = z.infer<typeof CreateTicketSchema>

/** A request as the public and its reporter may see it: no personal data. */
export const TicketPublicViewSchema = z.object({
  id: z.uuid(),
  number: z.string(),
  category: z.enum(CATEGORY_CODES),
  severity: z.enum(SEVERITIES),
  state: z.enum(TICKET_STATES),
  channel: z.enum(CHANNELS),
  description: z.string(),
  compoundName: z.string(),
  buildingName: z.string(),
  unitName: z.string(),
  // Any role: routing falls back to the compound secretary when no handler holds the lead role.
  handlerRole: z.enum(ROLES).nullable(),
  handlerName: z.string().nullable(),
  acceptBy: InstantSchema.nullable(),
  replyBy: InstantSchema.nullable(),
  resolveBy: InstantSchema.nullable(),
  createdAt: InstantSchema,
})
export type TicketPublicView = z.infer<typeof TicketPublicViewSchema>

/**
 * The reporter of a request as a staff member sees it: in full only for the roles that may see personal
 * data (shared/src/policy.ts personalDataRole), masked (`张*`, `138****1234`) for everyone else.
 */
export const ReporterViewSchema = z.object({
  /** A resident who filed themself, or a proxy entry (代录) made by staff. */
  kind: z.enum(['resident', 'proxy']),
  masked: z.boolean(),
  name: z.string().nullable(),
  phone: z.string().nullable(),
  openid: z.string().nullable(),
  room: z.string().nullable(),
})
export type ReporterView = z.infer<typeof ReporterViewSchema>

/** A request as staff and its own reporter see it. `reporter` is null for residents (it is them). */
export const TicketViewSchema = TicketPublicViewSchema.extend({ reporter: ReporterViewSchema.nullable() })
export type TicketView = z.infer<typeof TicketViewSchema>
