/**
 * Voice notes over the wire, for residents and staff alike. Upload: multipart field `file` with the
 * form field `durationMs` first, with progress (WeChat's upload task; XMLHttpRequest in the browser).
 * Listening: the clip needs the caller's token, which an audio element cannot send, so it is fetched
 * first (a blob URL in the browser, a downloaded temp file in WeChat) and kept for the next play.
 */
import Taro from '@tarojs/taro'
import { VOICE_DURATION_FIELD, VOICE_FIELD, VOICE_MAX_BYTES, type VoiceNoteUpload } from '@mq/shared'
import type { RecordedClip } from '@/utils/record-voice'
import { ApiError, bodyOf, errorFromResponse, parseAs, urlFor } from './client'
import { withSession, type Audience } from './session'
import { isRefusedUpload, parseJson, upload, type Upload } from './upload'

const NETWORK_MESSAGE = '网络不好，语音没有传上去，请重试'
export const VOICE_TOO_LARGE_MESSAGE = `这段语音超过 ${VOICE_MAX_BYTES / 1024 / 1024} MB，太大了，请删除后说短一些`

/** A refusal of the clip itself (too large, not audio, a bad length): sending it again cannot help. */
export const isRefusedVoice = isRefusedUpload

function extensionOf(type: string): string {
  if (type.includes('webm')) return 'webm'
  if (type.includes('ogg')) return 'ogg'
  if (type.includes('mp4')) return 'm4a'
  if (type.includes('mpeg')) return 'mp3'
  return 'aac'
}

/** Uploads a recorded clip with the session of `audience`, reporting progress 0–100. */
export async function sendVoice(
  audience: Audience,
  clip: RecordedClip,
  onProgress: (percent: number) => void = () => undefined,
): Promise<VoiceNoteUpload> {
  if (clip.size > VOICE_MAX_BYTES) throw new ApiError('PAYLOAD_TOO_LARGE', VOICE_TOO_LARGE_MESSAGE, 413)
  const { source, durationMs } = clip
  const file: Upload['file'] =
    source.kind === 'blob' ? { kind: 'blob', blob: source.blob, name: `voice.${extensionOf(source.blob.type)}` } : source
  const res = await withSession(audience, (token) =>
    upload({
      path: '/api/voice-notes',
      token,
      field: VOICE_FIELD,
      fields: { [VOICE_DURATION_FIELD]: String(durationMs) },
      file,
      onProgress,
      networkMessage: NETWORK_MESSAGE,
    }),
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
