import { z } from 'zod'
import { ACCESS_LOG_FIELDS } from '../policy'
import { ROLES } from '../roles'
import { InstantSchema } from './common'

export const AccessLogQuerySchema = z
  .object({
    ticketId: z.uuid().optional(),
    staffId: z.uuid().optional(),
    /** Cursor: entries older than this id (the previous page's nextBefore). */
    before: z
      .string()
      .regex(/^[1-9]\d{0,17}$/, '无效的游标')
      .optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict()
export type AccessLogQuery = z.infer<typeof AccessLogQuerySchema>

/** One unmasked read of personal data: who, when, which request, which fields. */
export const AccessLogEntrySchema = z.object({
  id: z.string(),
  at: InstantSchema,
  staff: z.object({ id: z.uuid(), name: z.string() }),
  role: z.enum(ROLES),
  ticket: z.object({ id: z.uuid(), number: z.string() }),
  compound: z.object({ id: z.uuid(), name: z.string() }),
  fields: z.array(z.enum(ACCESS_LOG_FIELDS)),
  requestId: z.string().nullable(),
})
export type AccessLogEntry = z.infer<typeof AccessLogEntrySchema>

export const AccessLogPageSchema = z.object({
  items: z.array(AccessLogEntrySchema),
  nextBefore: z.string().nullable(),
})
export type AccessLogPage = z.infer<typeof AccessLogPageSchema>
