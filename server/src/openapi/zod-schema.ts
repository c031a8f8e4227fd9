import type { ApiResponseSchemaHost } from '@nestjs/swagger'
import { z } from 'zod'

type SchemaObject = ApiResponseSchemaHost['schema']

/** The OpenAPI schema of a shared zod schema: one definition gives the type, the check and the docs. */
export function zodSchema(schema: z.ZodType): SchemaObject {
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >
  return json as SchemaObject
}
