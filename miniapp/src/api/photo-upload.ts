/**
 * One photo upload for residents and staff alike: shrunk on the device first (utils/shrink-photo), then
 * sent as multipart field `file` with progress (WeChat's upload task; XMLHttpRequest in the browser,
 * because fetch reports no upload progress). The server's refusal arrives as an ApiError in the
 * product's shape; `isRefusedPhoto` tells a refusal (retrying cannot help) from a failed attempt.
 */
import Taro from '@tarojs/taro'
import { PHOTO_FIELD, PHOTO_MAX_BYTES } from '@mq/shared'
import { shrinkFile, shrinkPath } from '@/utils/shrink-photo'
import { ApiError, bodyOf, urlFor, type RawResponse } from './client'
import { withSession, type Audience } from './session'

/** A photo chosen on this device: a browser File (or Blob with its name), or a WeChat temp file path. */
export type PhotoSource = { kind: 'file'; file: Blob; name?: string } | { kind: 'path'; path: string; size?: number }

/** Upload progress, 0–100. */
export type OnProgress = (percent: number) => void

const NETWORK_MESSAGE = '网络不好，照片没有传上去，请重试'
/** Said before sending what the server would refuse anyway (its own message says the same). */
export const TOO_LARGE_MESSAGE = `这张照片超过 ${PHOTO_MAX_BYTES / 1024 / 1024} MB，太大了，请删除后换一张`

/**
 * A refusal of this file itself (too large, not a photo, an empty or broken upload): sending it again
 * gets the same answer, so the screen offers 删除. Anything else (no network, a busy server, a rate
 * limit) may pass on another try.
 */
export function isRefusedPhoto(error: ApiError): boolean {
  return error.code === 'PAYLOAD_TOO_LARGE' || error.code === 'UNSUPPORTED_MEDIA_TYPE' || error.code === 'VALIDATION_FAILED'
}

function parseJson(text: unknown): unknown {
  if (typeof text !== 'string') return text
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}

function fromPath(path: string, token: string, onProgress: OnProgress): Promise<RawResponse> {
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
      throw new ApiError('NETWORK_ERROR', NETWORK_MESSAGE, 0)
    },
  )
}

function fromFile(file: Blob, name: string, token: string, onProgress: OnProgress): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', urlFor('/api/photos'))
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
    const failed = () => reject(new ApiError('NETWORK_ERROR', NETWORK_MESSAGE, 0))
    xhr.onerror = failed
    xhr.ontimeout = failed
    const form = new FormData()
    form.append(PHOTO_FIELD, file, name)
    xhr.send(form)
  })
}

/**
 * Shrinks and uploads one photo with the session of `audience`, reporting progress 0–100; answers the
 * server's body (the caller checks it with its schema). Still over 5 MB after shrinking (a file that is
 * no picture, or a phone that cannot shrink): PAYLOAD_TOO_LARGE without sending it.
 */
export async function sendPhoto(audience: Audience, source: PhotoSource, onProgress: OnProgress = () => undefined): Promise<unknown> {
  let res: RawResponse
  if (source.kind === 'file') {
    const ready = await shrinkFile(source.file, source.name ?? (source.file instanceof File ? source.file.name : undefined))
    if (ready.file.size > PHOTO_MAX_BYTES) throw new ApiError('PAYLOAD_TOO_LARGE', TOO_LARGE_MESSAGE, 413)
    res = await withSession(audience, (token) => fromFile(ready.file, ready.name, token, onProgress))
  } else {
    const ready = await shrinkPath(source.path, source.size)
    if (ready.size !== null && ready.size > PHOTO_MAX_BYTES) throw new ApiError('PAYLOAD_TOO_LARGE', TOO_LARGE_MESSAGE, 413)
    res = await withSession(audience, (token) => fromPath(ready.path, token, onProgress))
  }
  return bodyOf(res)
}
