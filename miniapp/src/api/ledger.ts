/**
 * The work ledger (工作台账) export: the places the account may export, the periods offered, and the
 * download with its progress. The server streams the file as it writes it and says first how many
 * requests it holds (LEDGER_ROWS_HEADER); the app shows that and the bytes received so far. In the
 * browser the file is saved through a blob URL; in WeChat it is downloaded with the staff token and
 * opened (Taro.openDocument), from where it can be forwarded or saved.
 */
import Taro from '@tarojs/taro'
import {
  LEDGER_ROWS_HEADER,
  addLocalDays,
  canSeePersonalData,
  localInstant,
  localParts,
  mayExportLedgerAs,
  startOfLocalDay,
} from '@mq/shared'
import { saveInBrowser } from '@/admin/save-file'
import type { StaffMe } from './auth'
import { ApiError, errorFromResponse, urlFor, type RawResponse } from './client'
import { withSession } from './session'

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

export interface LedgerPlace {
  id: string
  name: string
}

/** The places of the account's memberships that may export the ledger (roles that read requests, admins). */
export function ledgerPlaces(me: StaffMe): LedgerPlace[] {
  const seen = new Map<string, LedgerPlace>()
  for (const m of me.memberships) {
    if (mayExportLedgerAs(m.role) && !seen.has(m.place.id)) seen.set(m.place.id, { id: m.place.id, name: m.place.name })
  }
  return [...seen.values()]
}

/** Whether any of the account's roles sees residents' personal data in full (in its own compound). */
export function seesPersonalData(me: StaffMe): boolean {
  return me.memberships.some((m) => canSeePersonalData(m.role))
}

export type LedgerPeriodKind = 'this_month' | 'last_month' | 'this_year'

export const LEDGER_PERIOD_LABELS: Record<LedgerPeriodKind, string> = {
  this_month: '本月',
  last_month: '上月',
  this_year: '今年',
}

export interface LedgerPeriod {
  kind: LedgerPeriodKind
  /** [from, to) as ISO instants. */
  from: string
  to: string
  /** "2026年11月", "2026年". */
  label: string
}

/** Calendar months and years in local (Asia/Shanghai) time; the current ones end with today. */
export function ledgerPeriod(kind: LedgerPeriodKind, now: number): LedgerPeriod {
  const { year, month } = localParts(now)
  const tomorrow = addLocalDays(startOfLocalDay(now), 1)
  if (kind === 'last_month') {
    const start = localInstant({ year, month: month - 1 })
    const last = localParts(start)
    return { kind, from: start.toISOString(), to: localInstant({ year, month }).toISOString(), label: `${last.year}年${last.month}月` }
  }
  const from = kind === 'this_year' ? localInstant({ year, month: 1 }) : localInstant({ year, month })
  return { kind, from: from.toISOString(), to: tomorrow.toISOString(), label: kind === 'this_year' ? `${year}年` : `${year}年${month}月` }
}

export interface LedgerScope {
  placeId: string
  from: string
  to: string
}

/** What the download has reached: the requests in the file (once the server has said) and bytes so far. */
export interface LedgerProgress {
  rows: number | null
  bytes: number
}

export interface LedgerResult {
  rows: number | null
  bytes: number
  filename: string
}

const PATH = '/api/ledger.xlsx'

function rowsOf(value: string | null | undefined): number | null {
  const n = Number.parseInt(value ?? '', 10)
  return Number.isFinite(n) && n >= 0 ? n : null
}

function headerValue(header: unknown, name: string): string | null {
  if (typeof header !== 'object' || header === null) return null
  for (const [key, value] of Object.entries(header as Record<string, unknown>)) {
    if (key.toLowerCase() === name) return String(value)
  }
  return null
}

async function inBrowser(scope: LedgerScope, filename: string, onProgress: (p: LedgerProgress) => void): Promise<LedgerResult> {
  const url = urlFor(PATH, { ...scope })
  let result: LedgerResult | null = null
  const res = await withSession('staff', async (token): Promise<RawResponse> => {
    const reply = await fetch(url, { headers: { Authorization: `Bearer ${token}` } }).catch(() => {
      throw new ApiError('NETWORK_ERROR', '网络连接失败，请检查网络后重试', 0)
    })
    const header = { 'content-type': reply.headers.get('content-type') ?? '' }
    if (!reply.ok || !reply.body) {
      const text = await reply.text()
      let data: unknown = null
      try {
        data = JSON.parse(text) as unknown
      } catch {
        // not our error body
      }
      return { status: reply.status, data, header }
    }
    const rows = rowsOf(reply.headers.get(LEDGER_ROWS_HEADER))
    const chunks: Uint8Array[] = []
    let bytes = 0
    onProgress({ rows, bytes })
    const reader = reply.body.getReader()
    for (;;) {
      const { done, value } = await reader.read().catch(() => {
        throw new ApiError('NETWORK_ERROR', '台账下载中断，请重试', 0)
      })
      if (done) break
      chunks.push(value)
      bytes += value.byteLength
      onProgress({ rows, bytes })
    }
    saveInBrowser(new Blob(chunks as BlobPart[], { type: XLSX_TYPE }), XLSX_TYPE, filename)
    result = { rows, bytes, filename }
    return { status: reply.status, data: null, header }
  })
  if (!result) throw errorFromResponse(res)
  return result
}

async function inMiniProgram(scope: LedgerScope, filename: string, onProgress: (p: LedgerProgress) => void): Promise<LedgerResult> {
  let rows: number | null = null
  let bytes = 0
  let filePath = ''
  const res = await withSession('staff', async (token): Promise<RawResponse> => {
    const task = Taro.downloadFile({ url: urlFor(PATH, { ...scope }), header: { Authorization: `Bearer ${token}` } })
    task.onHeadersReceived((h) => {
      rows = rowsOf(headerValue(h.header, LEDGER_ROWS_HEADER))
      onProgress({ rows, bytes })
    })
    task.onProgressUpdate((p) => {
      bytes = p.totalBytesWritten
      onProgress({ rows, bytes })
    })
    const file = await task.catch(() => {
      throw new ApiError('NETWORK_ERROR', '网络连接失败，请检查网络后重试', 0)
    })
    if (file.statusCode === 200) filePath = file.tempFilePath
    // A failed download's body is a file too: read the server's error from it.
    let data: unknown = null
    if (file.statusCode !== 200) {
      try {
        data = JSON.parse(Taro.getFileSystemManager().readFileSync(file.tempFilePath, 'utf8') as string) as unknown
      } catch {
        data = null
      }
    }
    return { status: file.statusCode, data, header: {} }
  })
  if (!filePath) throw errorFromResponse(res)
  await Taro.openDocument({ filePath, fileType: 'xlsx', showMenu: true })
  return { rows, bytes, filename }
}

/** Downloads the ledger of a place and period, reporting progress; resolves when it is saved or opened. */
export function downloadLedger(
  scope: LedgerScope,
  filename: string,
  onProgress: (p: LedgerProgress) => void,
): Promise<LedgerResult> {
  return process.env.TARO_ENV === 'h5' ? inBrowser(scope, filename, onProgress) : inMiniProgram(scope, filename, onProgress)
}
