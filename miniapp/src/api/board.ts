/** The public board (公示) of a compound: no login, no personal data. */
import type { Board, QuarterlyReport } from '@mq/shared'
import { BoardSchema, QuarterlyReportSchema } from '@mq/shared/schemas'
import { bodyOf, parseWith, send } from './client'
import { loadSession } from './session'

/**
 * The board needs no login; a signed-in resident's token goes along only so that the server reads it from
 * a database at least as new as the one their own pages read (never an older state of their own request
 * than they just saw, with a read replica). The server does not check it on this route.
 */
const residentToken = (): string | undefined => loadSession('resident')?.accessToken

export async function getBoard(compoundId: string, page = 1): Promise<Board> {
  const res = await send({ path: `/api/board/${encodeURIComponent(compoundId)}`, query: { page: String(page) }, token: residentToken() })
  return parseWith(BoardSchema, bodyOf(res))
}

/** The quarterly 公开承诺 report (default: this quarter): figures by party and the adopted 重点问题. */
export async function getBoardReport(compoundId: string, quarter?: string): Promise<QuarterlyReport> {
  const res = await send({ path: `/api/board/${encodeURIComponent(compoundId)}/report`, query: { quarter }, token: residentToken() })
  return parseWith(QuarterlyReportSchema, bodyOf(res))
}
