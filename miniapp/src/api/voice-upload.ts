/**
 * Voice notes over the wire, for residents and staff alike. Upload: multipart field `file` with the
 * form field `durationMs` first, with progress (WeChat's upload task; XMLHttpRequest in the browser).
 * Listening: the clip needs the caller's token, which an audio element cannot send, so it is fetched
 * first (a blob URL in the browser, a downloaded temp file in WeChat) and kept for the next play.
 */
import Taro from '@tarojs/taro'
import { VOICE_DURATION_FIELD, VOICE_FIELD, VOICE_MAX_BYTES, type VoiceNoteUpload } from '@mq/shared'
import type { RecordedClip } from '@/utils/record-voice'
import { ApiError, bodyOf, errorFromResponse, parseAs, urlFor, type RawResponse } from './client'
import { withSession, type Audience } from './session'

const NETWORK_MESSAGE = '网络不好，语音没有传上去，请重试'
export const VOICE_TOO_LARGE_MESSAGE = `这段语音超过 ${VOICE_MAX_BYTES / 1024 / 1024} MB，太大了，请删除后说短一些`
const PATH = '/api/voice-notes'

/** A refusal of the clip itself (too large, not audio, a bad length): sending it again cannot help. */
export function isRefusedVoice(error: ApiError): boolean {
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

function fromPath(path: string, durationMs: number, token: string, onProgress: (percent: number) => void): Promise<RawResponse> {
  const task = Taro.uploadFile({
    url: urlFor(PATH),
    filePath: path,
    name: VOICE_FIELD,
    formData: { [VOICE_DURATION_FIELD]: String(durationMs) },
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

function extensionOf(type: string): string {
  if (type.includes('webm')) return 'webm'
  if (type.includes('ogg')) return 'ogg'
  if (type.includes('mp4')) return 'm4a'
  if (type.includes('mpeg')) return 'mp3'
  return 'aac'
}

function fromBlob(blob: Blob, durationMs: number, token: string, onProgress: (percent: number) => void): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', urlFor(PATH))
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
    // The length before the clip: a streaming multipart reader has it when the file arrives.
    form.append(VOICE_DURATION_FIELD, String(durationMs))
    form.append(VOICE_FIELD, blob, `voice.${extensionOf(blob.type)}`)
    xhr.send(form)
  })
}

/** Uploads a recorded clip with the session of `audience`, reporting progress 0–100. */
export async function sendVoice(
  audience: Audience,
  clip: RecordedClip,
  onProgress: (percent: number) => void = () => undefined,
): Promise<VoiceNoteUpload> {
  if (clip.size > VOICE_MAX_BYTES) throw new ApiError('PAYLOAD_TOO_LARGE', VOICE_TOO_LARGE_MESSAGE, 413)
  const { source, durationMs } = clip
  const res = await withSession(audience, (token) =>
    source.kind === 'blob' ? fromBlob(source.blob, durationMs, token, onProgress) : fromPath(source.path, durationMs, token, onProgress),
  )
  return parseAs((s) => s.VoiceNoteUploadSchema, bodyOf(res))
}

/** Fetched clips by audience and path: played again without another download. */
const fetched = new Map<string, Promise<string>>()

async function download(audience: Audience, path: string): Promise<string> {
  let local = ''
  if (process.env.TARO_ENV === 'h5') {
    const res = await withSession(audience, async (token) => {
      const reply = await fetch(urlFor(path), { headers: { Authorization: `Bearer ${token}` } }).catch(() => {
        throw new ApiError('NETWORK_ERROR', '网络不好，语音没有取到，请重试', 0)
      })
      if (reply.ok) local = URL.createObjectURL(await reply.blob())
      return { status: reply.status, data: reply.ok ? null : parseJson(await reply.text()), header: {} }
    })
    if (!local) throw errorFromResponse(res)
  } else {
    const res = await withSession(audience, (token) =>
      Taro.downloadFile({ url: urlFor(path), header: { Authorization: `Bearer ${token}` } }).then(
        (reply) => {
          if (reply.statusCode === 200) local = reply.tempFilePath
          return { status: reply.statusCode, data: null, header: {} }
        },
        () => {
          throw new ApiError('NETWORK_ERROR', '网络不好，语音没有取到，请重试', 0)
        },
      ),
    )
    if (!local) throw errorFromResponse(res)
  }
  return local
}

/** Something the player can open for a request's voice note (ticketVoicePath), fetched with the token. */
export function voiceForPlay(audience: Audience, path: string): Promise<string> {
  const key = `${audience} ${path}`
  let pending = fetched.get(key)
  if (!pending) {
    pending = download(audience, path)
    // A failure is not kept: the next tap tries again.
    pending.catch(() => fetched.delete(key))
    fetched.set(key, pending)
  }
  return pending
}
