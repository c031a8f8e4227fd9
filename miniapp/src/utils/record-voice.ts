/**
 * Recording one voice note on this device: WeChat's RecorderManager (AAC) in the mini-program, the
 * browser's MediaRecorder (utils/voice picks the format) in H5. Either stops itself at VOICE_MAX_MS.
 * A microphone the user has not allowed is a RecordError saying how to allow it.
 */
import Taro from '@tarojs/taro'
import { VOICE_MAX_MS } from '@mq/shared'
import { ensurePrivacyAuthorized } from '@/components/privacy'
import { browserRecordingType } from './voice'

/** A recorded clip: a Blob in the browser, a temp file in WeChat. */
export type VoiceSource = { kind: 'blob'; blob: Blob } | { kind: 'path'; path: string }

export interface RecordedClip {
  source: VoiceSource
  durationMs: number
  size: number
}

/**
 * Why recording did not start: `refused` (the microphone is not allowed; `message` says where to allow
 * it), `asked` (WeChat just showed its permission dialog, which took this press), `unsupported` (no
 * recorder here), `failed` (anything else).
 */
export type RecordFailure = 'refused' | 'asked' | 'unsupported' | 'failed'

export class RecordError extends Error {
  override readonly name = 'RecordError'
  constructor(
    readonly reason: RecordFailure,
    message: string,
  ) {
    super(message)
    Object.setPrototypeOf(this, RecordError.prototype)
  }
}

export interface Recording {
  /** The clip once recording ends (stop() or the time limit); null after cancel(). */
  readonly done: Promise<RecordedClip | null>
  stop(): void
  cancel(): void
}

const IS_H5 = process.env.TARO_ENV === 'h5'

export const REFUSED_IN_BROWSER =
  '没有麦克风权限。请点浏览器地址栏左边的图标，把「麦克风」改为「允许」，再按住说话。'
export const REFUSED_IN_WECHAT = '没有麦克风权限。请点右上角「···」→「设置」，打开「麦克风」，再按住说话。'
const UNSUPPORTED = '这个浏览器不能录音，请用文字或照片说明。'
const NO_MICROPHONE = '没有找到麦克风，请用文字或照片说明。'
const FAILED = '录音没有开始，请再按住说话试试。'

function inBrowser(): Promise<Recording> {
  const media = typeof navigator === 'undefined' ? undefined : navigator.mediaDevices
  if (!media?.getUserMedia || typeof MediaRecorder === 'undefined') {
    return Promise.reject(new RecordError('unsupported', UNSUPPORTED))
  }
  return media.getUserMedia({ audio: true }).then(
    (stream) => {
      const mimeType = browserRecordingType((type) => MediaRecorder.isTypeSupported(type))
      let recorder: MediaRecorder
      try {
        recorder = new MediaRecorder(stream, mimeType ? { mimeType } : undefined)
      } catch {
        stream.getTracks().forEach((track) => track.stop())
        throw new RecordError('unsupported', UNSUPPORTED)
      }
      const chunks: Blob[] = []
      let cancelled = false
      let started = Date.now()
      recorder.ondataavailable = (event) => {
        if (event.data.size > 0) chunks.push(event.data)
      }
      recorder.onstart = () => {
        started = Date.now()
      }
      const finish = () => {
        if (recorder.state !== 'inactive') recorder.stop()
      }
      const limit = setTimeout(finish, VOICE_MAX_MS)
      const done = new Promise<RecordedClip | null>((resolve) => {
        recorder.onstop = () => {
          clearTimeout(limit)
          stream.getTracks().forEach((track) => track.stop())
          if (cancelled) {
            resolve(null)
            return
          }
          // The container without its codec parameter: the server checks the bytes anyway.
          const type = (recorder.mimeType || mimeType || 'audio/webm').split(';')[0]
          const blob = new Blob(chunks, { type })
          resolve({ source: { kind: 'blob', blob }, durationMs: Math.min(VOICE_MAX_MS, Date.now() - started), size: blob.size })
        }
      })
      recorder.start()
      return {
        done,
        stop: finish,
        cancel: () => {
          cancelled = true
          finish()
        },
      }
    },
    (error: unknown) => {
      const name = error instanceof Error ? error.name : ''
      if (name === 'NotAllowedError' || name === 'SecurityError') throw new RecordError('refused', REFUSED_IN_BROWSER)
      if (name === 'NotFoundError' || name === 'OverconstrainedError') throw new RecordError('unsupported', NO_MICROPHONE)
      throw new RecordError('failed', FAILED)
    },
  )
}

/** WeChat: the privacy agreement, then the microphone permission (asked once; refused: the settings). */
async function microphoneInWechat(): Promise<void> {
  if (!(await ensurePrivacyAuthorized())) throw new RecordError('refused', REFUSED_IN_WECHAT)
  const setting = await Taro.getSetting().catch(() => null)
  const allowed = setting?.authSetting['scope.record']
  if (allowed === true) return
  if (allowed === false) throw new RecordError('refused', REFUSED_IN_WECHAT)
  try {
    await Taro.authorize({ scope: 'scope.record' })
  } catch {
    throw new RecordError('refused', REFUSED_IN_WECHAT)
  }
  // WeChat's dialog came up under the finger: that press is spent.
  throw new RecordError('asked', '可以录音了，请再按住说话')
}

async function inWechat(): Promise<Recording> {
  await microphoneInWechat()
  const manager = Taro.getRecorderManager()
  let cancelled = false
  let settle: (clip: RecordedClip | null) => void = () => undefined
  const done = new Promise<RecordedClip | null>((resolve) => {
    settle = resolve
  })
  await new Promise<void>((started, failed) => {
    manager.onStart(() => started())
    manager.onError(() => {
      failed(new RecordError('failed', FAILED))
      settle(null)
    })
    manager.onStop((res) => {
      if (cancelled || !res.tempFilePath) settle(null)
      else settle({ source: { kind: 'path', path: res.tempFilePath }, durationMs: Math.min(VOICE_MAX_MS, Math.round(res.duration)), size: res.fileSize })
    })
    manager.start({ duration: VOICE_MAX_MS, format: 'aac', sampleRate: 16000, numberOfChannels: 1, encodeBitRate: 48000 })
  })
  return {
    done,
    stop: () => manager.stop(),
    cancel: () => {
      cancelled = true
      manager.stop()
    },
  }
}

/** Starts recording from the microphone; rejects with a RecordError that says what to do. */
export function startRecording(): Promise<Recording> {
  return IS_H5 ? inBrowser() : inWechat()
}
