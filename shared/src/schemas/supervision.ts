import { z } from 'zod'
import { HANDLING_TEXT_MAX, PAGE_SIZE_MAX } from '../tickets'
import { SUPERVISOR_ROLES } from '../roles'
import { InstantSchema } from './common'
import { TicketPublicViewSchema, TransferTicketSchema } from './tickets'

/** A supervisor may move a promised date this many days past now at most (the handler: 30 after the reply). */
export const PROMISE_EXTENSION_MAX_DAYS = 180

/** A supervisor extends the promised date of a complex request's reply; the reason is public. */
export const ExtendPromiseSchema = z
  .object({
    promisedAt: InstantSchema,
    reason: z
      .string()
      .trim()
      .min(1, '请填写延期理由')
      .max(HANDLING_TEXT_MAX, `延期理由不能超过${HANDLING_TEXT_MAX}字`),
  })
  .strict()
export type ExtendPromiseInput = z.infer<typeof ExtendPromiseSchema>

/** A supervisor reassigns a request: to a person, or to whoever holds a role at its place, with a reason. */
export const ReassignTicketSchema = TransferTicketSchema
export type ReassignTicketInput = z.infer<typeof ReassignTicketSchema>

export const EscalationQuerySchema = z
  .object({
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(PAGE_SIZE_MAX).default(20),
  })
  .strict()
export type EscalationQuery = z.infer<typeof EscalationQuerySchema>

/** An escalated open request in a supervisor's places: the level it reached and whose desk that is. */
export const EscalationItemSchema = TicketPublicViewSchema.extend({
  escalation: z.object({ level: z.number().int().min(1), role: z.enum(SUPERVISOR_ROLES) }),
})
export type EscalationItem = z.infer<typeof EscalationItemSchema>

export const EscalationPageSchema = z.object({
  items: z.array(EscalationItemSchema),
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int(),
})
export type EscalationPage = z.infer<typeof EscalationPageSchema>
