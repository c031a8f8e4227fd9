/** The public board (公示) of a compound: no login, no personal data. */
import type { Board } from '@mq/shared'
import { BoardSchema } from '@mq/shared/schemas'
import { bodyOf, parseWith, send } from './client'

export async function getBoard(compoundId: string, page = 1): Promise<Board> {
  const res = await send({ path: `/api/board/${encodeURIComponent(compoundId)}`, query: { page: String(page) } })
  return parseWith(BoardSchema, bodyOf(res))
}
