/** The public board (公示) of a compound: no login, no personal data. */
import type { Board, QuarterlyReport } from '@mq/shared'
import { BoardSchema, QuarterlyReportSchema } from '@mq/shared/schemas'
import { bodyOf, parseWith, send } from './client'

export async function getBoard(compoundId: string, page = 1): Promise<Board> {
  const res = await send({ path: `/api/board/${encodeURIComponent(compoundId)}`, query: { page: String(page) } })
  return parseWith(BoardSchema, bodyOf(res))
}

/** The quarterly 公开承诺 report (default: this quarter): figures by party and the adopted 重点问题. */
export async function getBoardReport(compoundId: string, quarter?: string): Promise<QuarterlyReport> {
  const res = await send({ path: `/api/board/${encodeURIComponent(compoundId)}/report`, query: { quarter } })
  return parseWith(QuarterlyReportSchema, bodyOf(res))
}
