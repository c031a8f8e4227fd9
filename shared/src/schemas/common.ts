import { z } from 'zod'
import { ERROR_STATUS, type ErrorCode } from '../errors'

export const ErrorBodySchema = z.object({
  code: z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]),
  message: z.string(),
  requestId: z.string(),
  details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
})
export type ErrorBody = z.infer<typeof ErrorBodySchema>

export const HealthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  database: z.enum(['up', 'down']),
  version: z.string(),
  uptimeSeconds: z.number(),
})
export type Health = z.infer<typeof HealthSchema>

export const UuidSchema = z.uuid()

/** Instants travel as ISO 8601 strings with an offset. */
export const InstantSchema = z.iso.datetime({ offset: true })
