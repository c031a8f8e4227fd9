import { z } from 'zod'
import { ACCESS_LOG_FIELDS, ACCESS_LOG_SUBJECTS } from '../policy'
import { ROLES } from '../roles'
import { InstantSchema } from './common'

export const AccessLogQuerySchema = z
  .object({
    /** Only entries about this kind of thing. */
    subject: z.enum(ACCESS_LOG_SUBJECTS).optional(),
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

/**
 * What was read in full: a request (by its number), a resource of the resources list (by its listed name),
 * or a household on the visit register (by its building and unit only: no resident's name or room).
 */
export const AccessLogSubjectSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ticket'), id: z.uuid(), number: z.string() }),
  z.object({ kind: z.literal('resource'), id: z.uuid(), name: z.string() }),
  z.object({ kind: z.literal('household'), id: z.uuid(), buildingName: z.string(), unitName: z.string() }),
])
export type AccessLogSubjectRef = z.infer<typeof AccessLogSubjectSchema>

/** One unmasked read of personal data: who, when, what was read, which fields. */
export const AccessLogEntrySchema = z.object({
  id: z.string(),
  at: InstantSchema,
  staff: z.object({ id: z.uuid(), name: z.string() }),
  role: z.enum(ROLES),
  subject: AccessLogSubjectSchema,
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
