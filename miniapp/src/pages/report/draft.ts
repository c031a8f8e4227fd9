/**
 * The report form's draft, kept in Taro storage per QR code so it survives leaving the page (or the app
 * being killed). It carries the request's Idempotency-Key, generated once per draft: every retry of the
 * submit sends the same key, so a reply lost on the way back never files the request twice. While a
 * submit is unconfirmed (`pending`), the body sent is kept too and the form is locked to it, because
 * the same key with another body would be refused.
 */
import Taro from '@tarojs/taro'
import { DESCRIPTION_MAX, PHOTOS_MAX, isCategoryCode, type CategoryCode } from '@mq/shared'
import { isRecord } from '@/api/client'
import { newIdempotencyKey, type FileRequestBody } from '@/api/requests'

/**
 * A photo of the form: uploading, uploaded (has an id), failed on the way (another try may pass) or
 * refused by the server for what the file is (too large, not a photo: only removing it helps).
 */
export interface FormPhoto {
  localId: string
  /** What <Image> shows: a temp file path or a blob URL; null once it no longer exists (after a reload). */
  preview: string | null
  status: 'uploading' | 'done' | 'failed' | 'refused'
  progress: number
  id: string | null
  /** Why it failed or was refused, in the server's words. */
  error: string | null
}

export interface Draft {
  category: CategoryCode | null
  description: string
  photos: FormPhoto[]
  idempotencyKey: string
  /** The body of a submit whose answer never arrived; retried as is. */
  pending: FileRequestBody | null
}

export function emptyDraft(): Draft {
  return { category: null, description: '', photos: [], idempotencyKey: newIdempotencyKey(), pending: null }
}

const keyFor = (token: string) => `mq.draft.${token}`

function isPending(value: unknown): value is FileRequestBody {
  return (
    isRecord(value) &&
    typeof value.unitToken === 'string' &&
    isCategoryCode(value.category) &&
    typeof value.description === 'string' &&
    Array.isArray(value.photoIds)
  )
}

/** The stored draft for this QR code, or a fresh one. Only uploaded photos are kept. */
export function loadDraft(token: string): Draft {
  let value: unknown
  try {
    value = Taro.getStorageSync(keyFor(token))
  } catch {
    return emptyDraft()
  }
  if (!isRecord(value) || typeof value.idempotencyKey !== 'string') return emptyDraft()
  const photos = Array.isArray(value.photos) ? value.photos : []
  return {
    category: isCategoryCode(value.category) ? value.category : null,
    description: typeof value.description === 'string' ? value.description : '',
    photos: photos
      .filter((p): p is Record<string, unknown> => isRecord(p) && typeof p.id === 'string')
      .slice(0, PHOTOS_MAX)
      .map((p) => ({
        localId: typeof p.localId === 'string' ? p.localId : String(p.id),
        // A blob URL dies with the page that made it; a mini-program temp path may outlive it.
        preview: typeof p.preview === 'string' && !p.preview.startsWith('blob:') ? p.preview : null,
        status: 'done' as const,
        progress: 100,
        id: String(p.id),
        error: null,
      })),
    idempotencyKey: value.idempotencyKey,
    pending: isPending(value.pending) ? value.pending : null,
  }
}

export function saveDraft(token: string, draft: Draft): void {
  const stored = { ...draft, photos: draft.photos.filter((p) => p.status === 'done' && p.id) }
  try {
    Taro.setStorageSync(keyFor(token), stored)
  } catch {
    // Storage full or unavailable: the form still works, it just will not survive leaving the page.
  }
}

export function clearDraft(token: string): void {
  try {
    Taro.removeStorageSync(keyFor(token))
  } catch {
    // Nothing stored.
  }
}

/** Whether the draft has anything worth keeping. */
export function hasContent(draft: Draft): boolean {
  return Boolean(draft.category || draft.description.trim() || draft.photos.length > 0)
}

export interface DraftErrors {
  category?: string
  description?: string
  photos?: string
}

/** What stops the draft from being sent, by field; empty when it may be sent. */
export function validateDraft(draft: Draft): DraftErrors {
  const errors: DraftErrors = {}
  if (!draft.category) errors.category = '请选择问题类别'
  const length = draft.description.trim().length
  if (length === 0) errors.description = '请简单说说遇到了什么问题'
  else if (length > DESCRIPTION_MAX) errors.description = `描述不能超过${DESCRIPTION_MAX}字，现在是${length}字`
  if (draft.photos.length > PHOTOS_MAX) errors.photos = `最多${PHOTOS_MAX}张照片`
  else if (draft.photos.some((p) => p.status === 'uploading')) errors.photos = '照片还在上传，请稍等'
  else if (draft.photos.some((p) => p.status === 'refused')) errors.photos = '有照片传不上去，请先把它删除'
  else if (draft.photos.some((p) => p.status === 'failed')) errors.photos = '有照片没有传上去，请点「重试」，或删掉它'
  return errors
}

export function bodyOf(token: string, draft: Draft): FileRequestBody {
  return {
    unitToken: token,
    category: draft.category!,
    description: draft.description.trim(),
    photoIds: draft.photos.map((p) => p.id!).filter(Boolean),
  }
}
