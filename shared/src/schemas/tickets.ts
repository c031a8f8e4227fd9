import { z } from 'zod'
import { CATEGORY_CODES } from '../categories'
import { CHANNELS, DESCRIPTION_MAX, PHOTOS_MAX, SEVERITIES, TICKET_STATES } from '../tickets'
import { HANDLER_ROLES } from '../roles'
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
  handlerRole: z.enum(HANDLER_ROLES).nullable(),
  handlerName: z.string().nullable(),
  acceptBy: InstantSchema.nullable(),
  replyBy: InstantSchema.nullable(),
  resolveBy: InstantSchema.nullable(),
  createdAt: InstantSchema,
})
export type TicketPublicView = z.infer<typeof TicketPublicViewSchema>
