/** The category suggestion's learned phrases of a compound: public, words and counts only. */
import type { CategoryHints } from '@mq/shared'
import { CategoryHintsSchema } from '@mq/shared/schemas'
import { bodyOf, parseWith, send } from './client'

export async function getCategoryHints(compoundId: string): Promise<CategoryHints> {
  const res = await send({ path: '/api/category-hints', query: { compoundId } })
  return parseWith(CategoryHintsSchema, bodyOf(res))
}
