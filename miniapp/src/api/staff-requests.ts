/**
 * The staff app's API calls: inbox, one request and every handling action, proxy entry (代录) and 回访,
 * photos, and in-app notifications. Typed and checked with the shared schemas; only staff pages import
 * this module, so its code stays in the staff subpackage.
 */
import Taro from '@tarojs/taro'
import {
  CATEGORY_CODES,
  INBOX_FILTERS,
  type AcceptTicketInput,
  type BatchResult,
  type CategoryCode,
  type ConsentStatus,
  type EscalationPage,
  type FilledTemplates,
  type InboxFilter,
  type MergeTicketInput,
  type NotificationPage,
  type PhotoUpload,
  type PublicSummaryInput,
  type ProxyTicketInput,
  type RateTicketInput,
  type ReplyTicketInput,
  type ResolveTicketInput,
  type TemplateAction,
  type TicketCandidates,
  type TicketPage,
  type TicketView,
  type TransferTicketInput,
  type WechatBinding,
} from '@mq/shared'
import {
  BatchResultSchema,
  ConsentStatusSchema,
  DuplicateListSchema,
  EscalationPageSchema,
  FilledTemplatesSchema,
  NotificationPageSchema,
  PhotoUploadSchema,
  TicketCandidatesSchema,
  TicketPageSchema,
  TicketViewSchema,
  UnreadCountSchema,
  WechatBindingSchema,
} from '@mq/shared/schemas'
import { staffCall } from './auth'
import { API_BASE, ApiError, bodyOf, isRecord, parseWith, send } from './client'
import { sendPhoto, type PhotoSource } from './photo-upload'
import { withSession } from './session'

const enc = encodeURIComponent

// ---------------------------------------------------------------------------------------------------
// Inbox

export async function inbox(filter: InboxFilter, page = 1, pageSize = 20): Promise<TicketPage> {
  return parseWith(TicketPageSchema, await staffCall({ path: '/api/requests/inbox', query: { filter, page, pageSize } }))
}

/** The number of requests under each inbox tab (one small query per tab; the server counts). */
export async function inboxCounts(): Promise<Record<InboxFilter, number>> {
  const totals = await Promise.all(INBOX_FILTERS.map((filter) => inbox(filter, 1, 1).then((p) => p.total)))
  return Object.fromEntries(INBOX_FILTERS.map((filter, i) => [filter, totals[i]])) as Record<InboxFilter, number>
}

/** Supervisors: escalated open requests in their places, with the level each reached. */
export async function escalations(page = 1, pageSize = 50): Promise<EscalationPage> {
  return parseWith(EscalationPageSchema, await staffCall({ path: '/api/escalations', query: { page, pageSize } }))
}

// ---------------------------------------------------------------------------------------------------
// One request and its handling

export async function getRequest(id: string): Promise<TicketView> {
  return parseWith(TicketViewSchema, await staffCall({ path: `/api/requests/${enc(id)}` }))
}

async function act(id: string, action: string, json: unknown = {}): Promise<TicketView> {
  const path = `/api/requests/${enc(id)}/${action}`
  return parseWith(TicketViewSchema, await staffCall({ method: 'POST', path, json }))
}

export const acceptRequest = (id: string, input: AcceptTicketInput) => act(id, 'accept', input)
export const replyRequest = (id: string, input: ReplyTicketInput) => act(id, 'reply', input)
export const resolveRequest = (id: string, input: ResolveTicketInput) => act(id, 'resolve', input)
export const rejectRequest = (id: string, reason: string) => act(id, 'reject', { reason })
export const transferRequest = (id: string, input: TransferTicketInput) => act(id, 'transfer', input)
export const addCoHandler = (id: string, staffId: string) => act(id, 'co-handlers', { staffId })
export const waitForResident = (id: string, question: string) => act(id, 'wait', { question })
export const resumeRequest = (id: string, note?: string) => act(id, 'resume', note ? { note } : {})
export const mergeRequest = (id: string, input: MergeTicketInput) => act(id, 'merge', input)
export const addNote = (id: string, text: string) => act(id, 'notes', { text })
/** A message to the reporter in the thread (they read it; followers do not); a voice note uploaded first. */
export const messageReporter = (id: string, text: string, photoIds: string[] = [], voiceNoteId?: string) =>
  act(id, 'staff-messages', voiceNoteId ? { text, photoIds, voiceNoteId } : { text, photoIds })
/** For a proxy entry, its filer speaks for the resident: an answer to 请居民补充 resumes the request. */
export const messageAsReporter = (id: string, text: string, photoIds: string[] = [], voiceNoteId?: string) =>
  act(id, 'messages', voiceNoteId ? { text, photoIds, voiceNoteId } : { text, photoIds })
/** For a proxy entry, the staff member who filed it chases on the resident's behalf. */
export const chaseRequest = (id: string) => act(id, 'chase')
/** For a proxy entry, its filer 撤回 it for the resident before anyone accepted it; the reason is optional. */
export const withdrawRequest = (id: string, reason: string) =>
  act(id, 'withdraw', reason.trim() ? { reason: reason.trim() } : {})
/** 回访: the rating a proxy entry's resident gave on the phone. */
export const recordCallbackRating = (id: string, input: RateTicketInput) => act(id, 'rating', input)

/**
 * What the public board shows of this request: `commitment` and `resolution` replace the reply's plan
 * and the resolution note there (null shows the original again; the originals stay in the timeline).
 */
export async function editPublicSummary(id: string, input: PublicSummaryInput): Promise<TicketView> {
  const path = `/api/requests/${enc(id)}/public-summary`
  return parseWith(TicketViewSchema, await staffCall({ method: 'PATCH', path, json: input }))
}

/** Staff who may handle this request's unit: for the transfer and co-handler pickers. */
export async function requestCandidates(id: string): Promise<TicketCandidates> {
  return parseWith(TicketCandidatesSchema, await staffCall({ path: `/api/requests/${enc(id)}/candidates` }))
}

/** 常用回复 for handling this request with `action`, filled in for it; and whether resolving needs an after photo. */
export async function requestTemplates(id: string, action: TemplateAction): Promise<FilledTemplates> {
  const path = `/api/requests/${enc(id)}/reply-templates`
  return parseWith(FilledTemplatesSchema, await staffCall({ path, query: { action } }))
}

export async function removeCoHandler(id: string, staffId: string): Promise<TicketView> {
  const path = `/api/requests/${enc(id)}/co-handlers/${enc(staffId)}`
  return parseWith(TicketViewSchema, await staffCall({ method: 'DELETE', path }))
}

// ---------------------------------------------------------------------------------------------------
// Several at once (≤ 50 ids): each runs as the single action; the answer says per id done or why not.

async function batch(action: 'accept' | 'transfer' | 'notes', ids: string[], input: unknown): Promise<BatchResult> {
  const data = await staffCall({ method: 'POST', path: `/api/requests/batch/${action}`, json: { ids, input } })
  return parseWith(BatchResultSchema, data)
}

export const acceptMany = (ids: string[], input: AcceptTicketInput = {}) => batch('accept', ids, input)
export const transferMany = (ids: string[], input: TransferTicketInput) => batch('transfer', ids, input)
export const noteMany = (ids: string[], text: string) => batch('notes', ids, { text })

// ---------------------------------------------------------------------------------------------------
// Proxy entry (代录)

/** A fresh Idempotency-Key: random enough to be unique per staff member, in any runtime. */
export function newIdempotencyKey(): string {
  const bytes = new Uint8Array(16)
  const cryptoApi = typeof crypto !== 'undefined' ? crypto : undefined
  if (cryptoApi?.getRandomValues) cryptoApi.getRandomValues(bytes)
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256)
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
  return `proxy-${Date.now().toString(36)}-${hex}`
}

/**
 * Files a request for a resident without a smartphone. `key` stays the same across retries of one form,
 * so a reply lost on the way back never files the request twice.
 */
export async function fileProxyRequest(input: ProxyTicketInput, key: string): Promise<TicketView> {
  const data = await staffCall({ method: 'POST', path: '/api/requests/proxy', json: input, header: { 'Idempotency-Key': key } })
  return parseWith(TicketViewSchema, data)
}

/** Open requests of the category in the unit's building from the last 14 days (before filing again). */
export async function duplicateList(unitId: string, category: CategoryCode) {
  return parseWith(DuplicateListSchema, await staffCall({ path: '/api/requests/duplicates', query: { unitId, category } })).items
}

export interface UnitChoice {
  id: string
  name: string
}

export interface BuildingChoice {
  name: string
  units: UnitChoice[]
}

/**
 * A compound's buildings and units, for the proxy entry's unit picker. The staff API has no such list
 * (the places API is for admins), so it is read from the public Open311 service definition, which lists
 * every active unit of a compound as `${building} ${unit}` with its id, in poster order. The server still
 * checks, when filing, that the unit is in the staff member's places.
 */
export async function unitsOfCompound(compoundId: string): Promise<BuildingChoice[]> {
  const path = `/open311/v2/services/${CATEGORY_CODES[0]}.json`
  const data = bodyOf(await send({ path, query: { jurisdiction_id: compoundId } }))
  const attributes = isRecord(data) && Array.isArray(data.attributes) ? data.attributes : null
  const unitAttribute = attributes?.find((a): a is Record<string, unknown> => isRecord(a) && a.code === 'unit')
  if (!unitAttribute || !Array.isArray(unitAttribute.values)) {
    throw new ApiError('BAD_RESPONSE', '读取楼栋单元失败，请稍后重试', 200)
  }
  const buildings: BuildingChoice[] = []
  for (const value of unitAttribute.values) {
    if (!isRecord(value) || typeof value.key !== 'string' || typeof value.name !== 'string') continue
    const cut = value.name.lastIndexOf(' ')
    const building = cut > 0 ? value.name.slice(0, cut) : value.name
    const unit = cut > 0 ? value.name.slice(cut + 1) : value.name
    let group = buildings.find((b) => b.name === building)
    if (!group) {
      group = { name: building, units: [] }
      buildings.push(group)
    }
    group.units.push({ id: value.key, name: unit })
  }
  return buildings
}

// ---------------------------------------------------------------------------------------------------
// Photos

export type { PhotoSource } from './photo-upload'

/**
 * Uploads one photo as the staff member (shrunk on the device first; multipart field `file`, ≤ 5 MB),
 * reporting progress 0–100 when asked; its id then goes in `photoIds`. A refusal (too large, not a
 * photo) is an ApiError for which `isRefusedPhoto` is true.
 */
export async function uploadPhoto(source: PhotoSource, onProgress?: (percent: number) => void): Promise<PhotoUpload> {
  return parseWith(PhotoUploadSchema, await sendPhoto('staff', source, onProgress))
}

function decodeBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

/**
 * A request's photo as something an <Image> can show. Photos need the staff member's token, which an
 * image tag cannot send: in the browser the bytes become a blob URL, in WeChat a downloaded temp file.
 */
export async function photoForDisplay(photoUrl: string): Promise<string> {
  const url = `${API_BASE}${photoUrl}`
  let shown = ''
  if (process.env.TARO_ENV === 'h5') {
    await withSession('staff', async (token) => {
      const reply = await fetch(url, { headers: { Authorization: `Bearer ${token}` } })
      if (reply.ok) shown = URL.createObjectURL(await reply.blob())
      return { status: reply.status, data: reply.ok ? null : decodeBody(await reply.text()), header: {} }
    })
  } else {
    await withSession('staff', async (token) => {
      const reply = await Taro.downloadFile({ url, header: { Authorization: `Bearer ${token}` } })
      if (reply.statusCode === 200) shown = reply.tempFilePath
      return { status: reply.statusCode, data: null, header: {} }
    })
  }
  if (!shown) throw new ApiError('BAD_RESPONSE', '照片加载失败', 0)
  return shown
}

// ---------------------------------------------------------------------------------------------------
// Notifications

export async function notifications(page = 1, pageSize = 20): Promise<NotificationPage> {
  return parseWith(NotificationPageSchema, await staffCall({ path: '/api/notifications', query: { page, pageSize } }))
}

export async function unreadCount(): Promise<number> {
  return parseWith(NotificationPageSchema, await staffCall({ path: '/api/notifications', query: { unread: 'true', pageSize: 1 } }))
    .unread
}

export async function markNotificationRead(id: string): Promise<number> {
  const path = `/api/notifications/${enc(id)}/read`
  return parseWith(UnreadCountSchema, await staffCall({ method: 'POST', path })).unread
}

export async function markAllNotificationsRead(): Promise<number> {
  return parseWith(UnreadCountSchema, await staffCall({ method: 'POST', path: '/api/notifications/read-all' })).unread
}

export async function consentStatus(): Promise<ConsentStatus> {
  return parseWith(ConsentStatusSchema, await staffCall({ path: '/api/notifications/consents' }))
}

export async function addConsents(accepted: string[]): Promise<ConsentStatus> {
  const data = await staffCall({ method: 'POST', path: '/api/notifications/consents', json: { accepted } })
  return parseWith(ConsentStatusSchema, data)
}

export async function wechatBinding(): Promise<WechatBinding> {
  return parseWith(WechatBindingSchema, await staffCall({ path: '/api/notifications/wechat-binding' }))
}

/** Binds this WeChat account to the staff member (a wx.login code), so staff messages reach it. */
export async function bindWechat(code: string): Promise<WechatBinding> {
  const data = await staffCall({ method: 'POST', path: '/api/notifications/wechat-binding', json: { code } })
  return parseWith(WechatBindingSchema, data)
}
