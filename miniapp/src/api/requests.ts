/**
 * The resident's calls: filing a request (with an Idempotency-Key), photos, my requests, one request,
 * duplicates in the building, chase, rating, follow, the thread and 撤回, and WeChat subscription consents. Every answer is
 * checked with its shared schema (`@mq/shared/schemas`), so a wrong payload fails as an ApiError.
 */
import Taro from '@tarojs/taro'
import {
  RESIDENT_NOTIFICATION_TYPES,
  type CategoryCode,
  type MessageInput,
  type PublicRequest,
  type RateTicketInput,
  type TicketListItem,
  type TicketView,
} from '@mq/shared'
import { residentCall } from './auth'
import { API_BASE, ApiError, BAD_RESPONSE_MESSAGE, bodyOf, parseAs, send } from './client'
import { sendPhoto, type PhotoSource } from './photo-upload'
import { withSession } from './session'

const ticketView = (data: unknown): Promise<TicketView> => parseAs((s) => s.TicketViewSchema, data)

export interface MinePage {
  items: TicketListItem[]
  total: number
}

/** My requests and the ones I follow, newest first. */
export async function getMine(page = 1, pageSize = 50): Promise<MinePage> {
  const { items, total } = await parseAs((s) => s.TicketPageSchema, await residentCall({ path: '/api/requests/mine', query: { page, pageSize } }))
  return { items, total }
}

export async function getRequest(id: string): Promise<TicketView> {
  return ticketView(await residentCall({ path: `/api/requests/${encodeURIComponent(id)}` }))
}

/**
 * Open requests in the building of the QR code from the last 14 days, as the public sees them: of
 * `category` (before filing), or of every category (the scan page), newest first, in one call.
 */
async function openInBuilding(unitToken: string, category?: CategoryCode): Promise<PublicRequest[]> {
  const query = category ? { unitToken, category } : { unitToken }
  return (await parseAs((s) => s.PublicRequestListSchema, await residentCall({ path: '/api/requests/duplicates', query }))).items
}

/** Open requests of `category` in the building of the QR code, from the last 14 days. */
export function getDuplicates(unitToken: string, category: CategoryCode): Promise<PublicRequest[]> {
  return openInBuilding(unitToken, category)
}

/** Open requests of every category in the building of the QR code, from the last 14 days: one call. */
export function getBuildingOpen(unitToken: string): Promise<PublicRequest[]> {
  return openInBuilding(unitToken)
}

export interface FileRequestBody {
  unitToken: string
  category: CategoryCode
  description: string
  photoIds: string[]
}

/**
 * Files a request. The same `idempotencyKey` and body again returns the original request (200), so a
 * retry after a lost reply never files twice.
 */
export async function fileRequest(body: FileRequestBody, idempotencyKey: string): Promise<TicketView> {
  return ticketView(
    await residentCall({ method: 'POST', path: '/api/requests', json: body, header: { 'Idempotency-Key': idempotencyKey } }),
  )
}

export async function chaseRequest(id: string): Promise<TicketView> {
  return ticketView(await residentCall({ method: 'POST', path: `/api/requests/${encodeURIComponent(id)}/chase` }))
}

/** 我也遇到了 (+1), with the stairwell QR token the resident scanned: it proves they are in the building. */
export async function followRequest(id: string, token: string): Promise<TicketView> {
  return ticketView(
    await residentCall({ method: 'POST', path: `/api/requests/${encodeURIComponent(id)}/follow`, json: { token } }),
  )
}

export async function rateRequest(id: string, input: RateTicketInput): Promise<TicketView> {
  return ticketView(
    await residentCall({ method: 'POST', path: `/api/requests/${encodeURIComponent(id)}/rating`, json: input }),
  )
}

/** A random key for one draft (RFC 4122 v4 layout), kept with the draft until it is filed. */
export function newIdempotencyKey(): string {
  const bytes = new Uint8Array(16)
  if (typeof crypto !== 'undefined' && typeof crypto.getRandomValues === 'function') crypto.getRandomValues(bytes)
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256)
  bytes[6] = (bytes[6] & 0x0f) | 0x40
  bytes[8] = (bytes[8] & 0x3f) | 0x80
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

// ---------------------------------------------------------------------------------------------------
// Photos

export type { PhotoSource } from './photo-upload'

export interface UploadedPhoto {
  id: string
}

/**
 * Uploads one photo as the resident, shrunk on the device first, reporting progress 0–100. A refusal
 * (too large, not a photo) is an ApiError for which `isRefusedPhoto` is true.
 */
export async function uploadPhoto(source: PhotoSource, onProgress: (percent: number) => void): Promise<UploadedPhoto> {
  return { id: (await parseAs((s) => s.PhotoUploadSchema, await sendPhoto('resident', source, onProgress))).id }
}

/**
 * Something an <Image> can show for a request's photo, which needs the resident's token: a blob URL in
 * the browser, a downloaded temp file in a mini-program.
 */
export async function photoDisplayUrl(url: string): Promise<string> {
  if (process.env.TARO_ENV === 'h5') {
    const res = await withSession('resident', (token) => send({ path: url, token, binary: true }))
    const data = bodyOf(res)
    if (!(data instanceof ArrayBuffer)) throw new ApiError('BAD_RESPONSE', BAD_RESPONSE_MESSAGE, res.status)
    return URL.createObjectURL(new Blob([data], { type: res.header['content-type'] || 'image/jpeg' }))
  }
  const res = await withSession('resident', (token) =>
    Taro.downloadFile({ url: `${API_BASE}${url}`, header: { Authorization: `Bearer ${token}` } }).then(
      (r) => ({ status: r.statusCode, data: r.tempFilePath, header: {} }),
      () => {
        throw new ApiError('NETWORK_ERROR', '照片加载失败', 0)
      },
    ),
  )
  const path = bodyOf(res)
  if (typeof path !== 'string') throw new ApiError('BAD_RESPONSE', BAD_RESPONSE_MESSAGE, res.status)
  return path
}

// ---------------------------------------------------------------------------------------------------
// WeChat subscription messages (mini-program only)

/** The templates a resident may subscribe to, most useful first (WeChat asks for at most 3 at once). */
export async function residentTemplates(): Promise<string[]> {
  const data = await parseAs((s) => s.ConsentStatusSchema, await residentCall({ path: '/api/notifications/consents' }))
  if (!data.wechat) return []
  // WeChat asks for at most 3 at once: the news a resident waits for first, then what asks them to act.
  // A type missing here (a new one) comes after these, never ahead of them.
  const order: readonly string[] = ['resolved', 'asked', 'accepted', 'replied', 'messaged', 'rejected']
  const rank = (type: string) => (order.includes(type) ? order.indexOf(type) : order.length)
  return data.templates
    .filter((t) => (RESIDENT_NOTIFICATION_TYPES as readonly string[]).includes(t.type))
    .sort((a, b) => rank(a.type) - rank(b.type))
    .map((t) => t.templateId)
    .slice(0, 3)
}

/** Tells the server which templates the resident accepted in wx.requestSubscribeMessage. */
export async function reportConsents(accepted: string[]): Promise<void> {
  if (accepted.length === 0) return
  await residentCall({ method: 'POST', path: '/api/notifications/consents', json: { accepted } })
}

// ---------------------------------------------------------------------------------------------------
// The thread and 撤回

/**
 * Writes in the request's thread: while 等您补充 it is the answer (the request resumes at once), else an
 * addition the handler is told of. Photos are uploaded first (uploadPhoto) and named by id.
 */
export async function sendMessage(id: string, input: MessageInput): Promise<TicketView> {
  return ticketView(
    await residentCall({ method: 'POST', path: `/api/requests/${encodeURIComponent(id)}/messages`, json: input }),
  )
}

/** 撤回 while nobody has accepted the request yet (after that the server answers 409). */
export async function withdrawRequest(id: string, reason: string): Promise<TicketView> {
  const json = reason.trim() ? { reason: reason.trim() } : {}
  return ticketView(
    await residentCall({ method: 'POST', path: `/api/requests/${encodeURIComponent(id)}/withdraw`, json }),
  )
}
