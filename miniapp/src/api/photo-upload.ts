/**
 * One photo upload for residents and staff alike: shrunk on the device first (utils/shrink-photo), then
 * sent as multipart field `file` with progress (./upload). The server's refusal arrives as an ApiError
 * in the product's shape; `isRefusedPhoto` tells a refusal (retrying cannot help) from a failed attempt.
 */
import { PHOTO_FIELD, PHOTO_MAX_BYTES } from '@mq/shared'
import { shrinkFile, shrinkPath } from '@/utils/shrink-photo'
import { ApiError, bodyOf, type RawResponse } from './client'
import { withSession, type Audience } from './session'
import { isRefusedUpload, upload, type OnProgress, type Upload } from './upload'

export type { OnProgress } from './upload'

/** A photo chosen on this device: a browser File (or Blob with its name), or a WeChat temp file path. */
export type PhotoSource = { kind: 'file'; file: Blob; name?: string } | { kind: 'path'; path: string; size?: number }

const NETWORK_MESSAGE = '网络不好，照片没有传上去，请重试'
/** Said before sending what the server would refuse anyway (its own message says the same). */
export const TOO_LARGE_MESSAGE = `这张照片超过 ${PHOTO_MAX_BYTES / 1024 / 1024} MB，太大了，请删除后换一张`

/** A refusal of this photo itself (too large, not a photo, an empty or broken upload): 删除, not a retry. */
export const isRefusedPhoto = isRefusedUpload

function send(token: string, file: Upload['file'], onProgress: OnProgress): Promise<RawResponse> {
  return upload({ path: '/api/photos', token, field: PHOTO_FIELD, file, onProgress, networkMessage: NETWORK_MESSAGE })
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
    res = await withSession(audience, (token) => send(token, { kind: 'blob', blob: ready.file, name: ready.name }, onProgress))
  } else {
    const ready = await shrinkPath(source.path, source.size)
    if (ready.size !== null && ready.size > PHOTO_MAX_BYTES) throw new ApiError('PAYLOAD_TOO_LARGE', TOO_LARGE_MESSAGE, 413)
    res = await withSession(audience, (token) => send(token, { kind: 'path', path: ready.path }, onProgress))
  }
  return bodyOf(res)
}
