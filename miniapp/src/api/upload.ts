/**
 * One multipart upload with progress, for photos and voice notes alike: WeChat's upload task for a temp
 * file, XMLHttpRequest for a browser Blob (fetch reports no upload progress). Resolves with whatever the
 * server answered; rejects only when no answer arrived, as NETWORK_ERROR saying what did not go up.
 */
import Taro from '@tarojs/taro'
import { ApiError, urlFor, type RawResponse } from './client'

/** Upload progress, 0–100. */
export type OnProgress = (percent: number) => void

export interface Upload {
  /** API path, e.g. /api/photos. */
  path: string
  token: string
  /** The multipart field of the file. */
  field: string
  /** Text fields, sent before the file (a streaming reader has them when the file arrives). */
  fields?: Record<string, string>
  file: { kind: 'blob'; blob: Blob; name: string } | { kind: 'path'; path: string }
  onProgress: OnProgress
  /** Said when no answer arrived (e.g. 网络不好，照片没有传上去，请重试). */
  networkMessage: string
}

const TIMEOUT_MS = 120_000

/**
 * A refusal of the file itself (too large, not what it claims, an empty or broken upload, a bad length):
 * sending it again gets the same answer, so the screen offers 删除. Anything else (no network, a busy
 * server, a rate limit) may pass on another try.
 */
export function isRefusedUpload(error: ApiError): boolean {
  return error.code === 'PAYLOAD_TOO_LARGE' || error.code === 'UNSUPPORTED_MEDIA_TYPE' || error.code === 'VALIDATION_FAILED'
}

/** A response body as JSON when it is JSON text (upload answers arrive as text), else as it came. */
export function parseJson(text: unknown): unknown {
  if (typeof text !== 'string') return text
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}

export function upload(request: Upload): Promise<RawResponse> {
  return request.file.kind === 'path' ? fromPath(request, request.file.path) : fromBlob(request, request.file.blob, request.file.name)
}

function fromPath(request: Upload, filePath: string): Promise<RawResponse> {
  const task = Taro.uploadFile({
    url: urlFor(request.path),
    filePath,
    name: request.field,
    formData: request.fields,
    header: { Authorization: `Bearer ${request.token}` },
    timeout: TIMEOUT_MS,
  })
  task.onProgressUpdate?.((res) => request.onProgress(res.progress))
  return task.then(
    (res) => ({ status: res.statusCode, data: parseJson(res.data), header: {} }),
    () => {
      throw new ApiError('NETWORK_ERROR', request.networkMessage, 0)
    },
  )
}

function fromBlob(request: Upload, blob: Blob, name: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', urlFor(request.path))
    xhr.setRequestHeader('Authorization', `Bearer ${request.token}`)
    xhr.timeout = TIMEOUT_MS
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) request.onProgress(Math.round((event.loaded / event.total) * 100))
    }
    xhr.onload = () =>
      resolve({
        status: xhr.status,
        data: parseJson(xhr.responseText),
        header: { 'retry-after': xhr.getResponseHeader('retry-after') ?? '' },
      })
    const failed = () => reject(new ApiError('NETWORK_ERROR', request.networkMessage, 0))
    xhr.onerror = failed
    xhr.ontimeout = failed
    const form = new FormData()
    for (const [key, value] of Object.entries(request.fields ?? {})) form.append(key, value)
    form.append(request.field, blob, name)
    xhr.send(form)
  })
}
