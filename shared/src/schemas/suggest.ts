import { z } from 'zod'
import { CATEGORY_CODES } from '../categories'
import { UuidSchema } from './common'

/** Which compound's learned phrases to read. */
export const CategoryHintsQuerySchema = z.object({ compoundId: UuidSchema })
export type CategoryHintsQuery = z.infer<typeof CategoryHintsQuerySchema>

/**
 * What a compound's staff taught the category suggestion by re-categorising requests: short phrases of
 * descriptions (Chinese characters only) and how often staff moved a request holding them to a category.
 * Words and counts only: no request, person, number or date.
 */
export const CategoryHintsSchema = z.object({
  compoundId: UuidSchema,
  terms: z.array(
    z.object({
      term: z.string(),
      category: z.enum(CATEGORY_CODES),
      count: z.number().int().positive(),
    }),
  ),
})
export type CategoryHints = z.infer<typeof CategoryHintsSchema>
