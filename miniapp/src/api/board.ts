/**
 * The public board (公示) of a compound: no login, no personal data. Checked structurally, like the
 * other resident calls, so zod stays out of the main package.
 */
import type { Board } from '@mq/shared'
import { ApiError, bodyOf, isRecord, send } from './client'

function isCounts(value: unknown): boolean {
  return isRecord(value) && typeof value.received === 'number' && typeof value.resolved === 'number'
}

function isBoard(value: unknown): value is Board {
  return (
    isRecord(value) &&
    typeof value.compoundName === 'string' &&
    isCounts(value.thisMonth) &&
    isCounts(value.allTime) &&
    Array.isArray(value.items) &&
    typeof value.total === 'number'
  )
}

export async function getBoard(compoundId: string, page = 1): Promise<Board> {
  const data = bodyOf(
    await send({ path: `/api/board/${encodeURIComponent(compoundId)}`, query: { page: String(page) } }),
  )
  if (!isBoard(data)) throw new ApiError('BAD_RESPONSE', '服务返回的数据有误，请稍后重试', 200)
  return data
}
