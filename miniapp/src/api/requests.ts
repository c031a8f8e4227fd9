/**
 * The resident's calls: filing a request (with an Idempotency-Key), photos, my requests, one request,
 * duplicates in the building, chase, rating, follow, and WeChat subscription consents.
 *
 * Responses are checked structurally rather than with the shared zod schemas, so zod stays out of the
 * mini-program's main package (residents download it on their first scan).
 */
import Taro from '@tarojs/taro'
import {
  RESIDENT_NOTIFICATION_TYPES,
  type CategoryCode,
  type ConsentStatus,
  type PublicRequest,
  type RateTicketInput,
  type TicketListItem,
  type TicketPublicView,
  type TicketView,
} from '@mq/shared'
import { residentCall } from './auth'
import { API_BASE, ApiError, bodyOf, isRecord, send, urlFor, type RawResponse } from './client'
import { withSession } from './session'

/**
 * shared/src/schemas/photos.ts PHOTO_FIELD and PHOTO_MAX_BYTES, restated: importing that module would
 * bring its zod schemas (and zod) into the main package. requests.spec.ts checks they agree.
 */
export const PHOTO_FIELD = 'file'
export const PHOTO_MAX_BYTES = 5 * 1024 * 1024

const BAD = () => new ApiError('BAD_RESPONSE', '服务返回的数据有误，请稍后重试', 200)

/** The fields every request answer carries, with its words in `text` (the description, or the public text). */
function hasRequestCore(value: unknown, text: 'description' | 'publicText'): boolean {
  return (
    isRecord(value) &&
    ['id', 'number', 'state', 'category', text, 'createdAt'].every((key) => typeof value[key] === 'string')
  )
}

function isPublicView(value: unknown): value is TicketPublicView {
  return hasRequestCore(value, 'description')
}

function isTicketView(value: unknown): value is TicketView {
  return (
    isPublicView(value) &&
    Array.isArray((value as Record<string, unknown>).timeline) &&
    isRecord((value as Record<string, unknown>).viewer) &&
    isRecord((value as Record<string, unknown>).photos)
  )
}

function ticketView(data: unknown): TicketView {
  if (!isTicketView(data)) throw BAD()
  return data
}

export interface MinePage {
  items: TicketListItem[]
  total: number
}

/** My requests and the ones I follow, newest first. */
export async function getMine(page = 1, pageSize = 50): Promise<MinePage> {
  const data = await residentCall({ path: '/api/requests/mine', query: { page, pageSize } })
  if (!isRecord(data) || !Array.isArray(data.items) || !data.items.every(isPublicView)) throw BAD()
  return { items: data.items as TicketListItem[], total: typeof data.total === 'number' ? data.total : data.items.length }
}

export async function getRequest(id: string): Promise<TicketView> {
  return ticketView(await residentCall({ path: `/api/requests/${encodeURIComponent(id)}` }))
}

function isPublicRequest(value: unknown): value is PublicRequest {
  return hasRequestCore(value, 'publicText')
}

/**
 * Open requests in the building of the QR code from the last 14 days, as the public sees them: of
 * `category` (before filing), or of every category (the scan page), newest first, in one call.
 */
async function openInBuilding(unitToken: string, category?: CategoryCode): Promise<PublicRequest[]> {
  const query = category ? { unitToken, category } : { unitToken }
  const data = await residentCall({ path: '/api/requests/duplicates', query })
  if (!isRecord(data) || !Array.isArray(data.items) || !data.items.every(isPublicRequest)) throw BAD()
  return data.items as PublicRequest[]
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

/** A photo to upload: a mini-program temp file path, or a browser File. */
export type PhotoSource = { kind: 'path'; path: string; size?: number } | { kind: 'file'; file: File }

export interface UploadedPhoto {
  id: string
}

function uploadedPhoto(data: unknown): UploadedPhoto {
  if (!isRecord(data) || typeof data.id !== 'string') throw BAD()
  return { id: data.id }
}

function parseJson(text: unknown): unknown {
  if (typeof text !== 'string') return text
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}

/** wx.uploadFile: multipart, progress from the upload task. */
function uploadFromPath(path: string, token: string, onProgress: (percent: number) => void): Promise<RawResponse> {
  const task = Taro.uploadFile({
    url: urlFor('/api/photos'),
    filePath: path,
    name: PHOTO_FIELD,
    header: { Authorization: `Bearer ${token}` },
    timeout: 120_000,
  })
  task.onProgressUpdate?.((res) => onProgress(res.progress))
  return task.then(
    (res) => ({ status: res.statusCode, data: parseJson(res.data), header: {} }),
    () => {
      throw new ApiError('NETWORK_ERROR', '照片上传失败，请检查网络后重试', 0)
    },
  )
}

/** The browser: XMLHttpRequest, because fetch reports no upload progress. */
function uploadFromFile(file: File, token: string, onProgress: (percent: number) => void): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', `${API_BASE}/api/photos`)
    xhr.setRequestHeader('Authorization', `Bearer ${token}`)
    xhr.timeout = 120_000
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(Math.round((event.loaded / event.total) * 100))
    }
    xhr.onload = () =>
      resolve({
        status: xhr.status,
        data: parseJson(xhr.responseText),
        header: { 'retry-after': xhr.getResponseHeader('retry-after') ?? '' },
      })
    const failed = () => reject(new ApiError('NETWORK_ERROR', '照片上传失败，请检查网络后重试', 0))
    xhr.onerror = failed
    xhr.ontimeout = failed
    const form = new FormData()
    form.append(PHOTO_FIELD, file, file.name || 'photo.jpg')
    xhr.send(form)
  })
}

/** Uploads one photo as the resident, reporting progress 0–100. Too large: PAYLOAD_TOO_LARGE before sending. */
export async function uploadPhoto(source: PhotoSource, onProgress: (percent: number) => void): Promise<UploadedPhoto> {
  const size = source.kind === 'file' ? source.file.size : source.size
  if (size !== undefined && size > PHOTO_MAX_BYTES) {
    throw new ApiError('PAYLOAD_TOO_LARGE', `照片不能超过 ${PHOTO_MAX_BYTES / 1024 / 1024} MB`, 413)
  }
  const res = await withSession('resident', (token) =>
    source.kind === 'file' ? uploadFromFile(source.file, token, onProgress) : uploadFromPath(source.path, token, onProgress),
  )
  return uploadedPhoto(bodyOf(res))
}

/**
 * Something an <Image> can show for a request's photo, which needs the resident's token: a blob URL in
 * the browser, a downloaded temp file in a mini-program.
 */
export async function photoDisplayUrl(url: string): Promise<string> {
  if (process.env.TARO_ENV === 'h5') {
    const res = await withSession('resident', (token) => send({ path: url, token, binary: true }))
    const data = bodyOf(res)
    if (!(data instanceof ArrayBuffer)) throw BAD()
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
  if (typeof path !== 'string') throw BAD()
  return path
}

// ---------------------------------------------------------------------------------------------------
// WeChat subscription messages (mini-program only)

function isConsentStatus(value: unknown): value is ConsentStatus {
  return isRecord(value) && typeof value.wechat === 'boolean' && Array.isArray(value.templates)
}

/** The templates a resident may subscribe to, most useful first (WeChat asks for at most 3 at once). */
export async function residentTemplates(): Promise<string[]> {
  const data = await residentCall({ path: '/api/notifications/consents' })
  if (!isConsentStatus(data)) throw BAD()
  if (!data.wechat) return []
  const order: readonly string[] = ['resolved', 'accepted', 'replied', 'rejected']
  return data.templates
    .filter((t) => (RESIDENT_NOTIFICATION_TYPES as readonly string[]).includes(t.type))
    .sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type))
    .map((t) => t.templateId)
    .slice(0, 3)
}

/** Tells the server which templates the resident accepted in wx.requestSubscribeMessage. */
export async function reportConsents(accepted: string[]): Promise<void> {
  if (accepted.length === 0) return
  await residentCall({ method: 'POST', path: '/api/notifications/consents', json: { accepted } })
}
