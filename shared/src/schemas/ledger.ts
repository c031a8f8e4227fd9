/**
 * The work ledger (工作台账): who may export it, its columns, and the header that tells the app how many
 * rows are coming. The query is `LedgerQuerySchema` (schemas/metrics.ts): requests filed in [from, to)
 * under one place.
 */
import { can, covers, type ScopedMembership } from '../policy'

/**
 * The ledger's columns, in order. Personal data (反映人, 联系电话, 房号) is in full, masked or empty exactly
 * as the caller's view of the request says; 问题描述 is the request's words as staff read them, 公示内容 the
 * public text (staff's 公示 edit, else the words with personal data redacted). 回退 says whether the request
 * was handed away from someone who held it and 重办次数 how often a rating reopened it (回退率 and 重办率
 * of shared/src/metrics.ts count requests with these).
 */
export const LEDGER_COLUMNS = [
  { header: '编号', key: 'number', width: 11 },
  { header: '登记时间', key: 'filedAt', width: 17 },
  { header: '楼栋单元', key: 'unit', width: 14 },
  { header: '分类', key: 'category', width: 16 },
  { header: '问题描述', key: 'description', width: 40 },
  { header: '公示内容', key: 'publicText', width: 40 },
  { header: '渠道', key: 'channel', width: 10 },
  { header: '承办人', key: 'handler', width: 16 },
  { header: '受理时限', key: 'acceptBy', width: 17 },
  { header: '答复时限', key: 'replyBy', width: 17 },
  { header: '办结时限', key: 'resolveBy', width: 17 },
  { header: '状态', key: 'state', width: 10 },
  { header: '办理结果', key: 'resolution', width: 30 },
  { header: '沟通条数', key: 'messages', width: 9 },
  { header: '反映照片', key: 'reportPhotos', width: 9 },
  { header: '办结照片', key: 'resolutionPhotos', width: 9 },
  { header: '回退', key: 'handedOff', width: 6 },
  { header: '重办次数', key: 'reopens', width: 9 },
  { header: '评价', key: 'rating', width: 6 },
  { header: '反映人', key: 'reporterName', width: 10 },
  { header: '联系电话', key: 'reporterPhone', width: 14 },
  { header: '房号', key: 'room', width: 8 },
] as const
export type LedgerColumnKey = (typeof LEDGER_COLUMNS)[number]['key']

/** Sent before the file's bytes: the number of requests in it, so the app can say what it is waiting for. */
export const LEDGER_ROWS_HEADER = 'x-ledger-rows'

/**
 * Whether a membership lets its holder export the ledger of places it covers: every role that reads
 * requests, and admins (who read no single request; their file has personal data masked unless another
 * of their roles sees it in full for that compound).
 */
export function mayExportLedgerAs(role: ScopedMembership['role']): boolean {
  return role === 'admin' || can(role, 'view_tickets')
}

/** Whether any membership lets its holder export the ledger of the place at `targetPath` (its ancestors and itself). */
export function mayExportLedger(memberships: readonly ScopedMembership[], targetPath: readonly string[]): boolean {
  return memberships.some((m) => mayExportLedgerAs(m.role) && covers(m, targetPath))
}
