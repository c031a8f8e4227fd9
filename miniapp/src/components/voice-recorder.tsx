import { useEffect, useRef, useState } from 'react'
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { VOICE_MAX_MS } from '@mq/shared'
import { toApiError } from '@/api/client'
import type { Audience } from '@/api/session'
import { isRefusedVoice, sendVoice } from '@/api/voice-upload'
import { Button } from '@/ui/button'
import { playVoice, type Playback } from '@/utils/play-voice'
import { startRecording, RecordError, type RecordedClip, type Recording } from '@/utils/record-voice'
import { pressOutcome, secondsLeft, slidToCancel, voiceLength } from '@/utils/voice'
import './voice.scss'

const IS_H5 = process.env.TARO_ENV === 'h5'

/** A recorded clip waiting to go with the message: uploaded as soon as it is recorded. */
export interface VoiceDraft {
  key: string
  clip: RecordedClip
  /** What 试听 plays: a blob URL or a temp file. */
  local: string
  progress: number
  /** The uploaded voice note's id (for `voiceNoteId`) once the server has it. */
  id: string | null
  /** Why it did not upload (the server's words); null while uploading or once uploaded. */
  failed: string | null
  /** Refused for what the clip is (too large, not audio): only 删除 helps. */
  refused: boolean
}

export type VoiceUpdate = (update: (draft: VoiceDraft | null) => VoiceDraft | null) => void

export const voiceUploading = (draft: VoiceDraft | null): boolean => Boolean(draft && !draft.id && !draft.failed)

type Phase = 'idle' | 'starting' | 'recording'

interface Notice {
  text: string
  /** Refused in WeChat: its settings page can allow the microphone. */
  settings?: boolean
}

let counter = 0

/** Where the finger is, from a WeChat touch event (its typings leave `touches` out of the common event). */
function touchY(event: object): number {
  const touches = (event as { touches?: ArrayLike<{ clientY?: number }> }).touches
  return touches?.[0]?.clientY ?? 0
}

/**
 * 按住说话: hold to record (up to 60 s, the seconds counting, stopping itself at the limit), release to
 * attach, slide up to cancel (松开手指，取消发送 while the finger is above the line). A slip under a
 * second is dropped with 说话时间太短; a refused microphone says how to allow it. The attached clip is a
 * chip with its length, 试听 and 删除, uploaded at once with its progress (`value`/`onChange` belong to
 * the form that sends it). Mouse, pen and touch in the browser (pointer events), touch in WeChat.
 */
export function VoiceRecorder({
  audience,
  value,
  onChange,
  testId,
}: {
  audience: Audience
  value: VoiceDraft | null
  onChange: VoiceUpdate
  testId: string
}) {
  const [phase, setPhase] = useState<Phase>('idle')
  const [elapsed, setElapsed] = useState(0)
  const [cancelling, setCancelling] = useState(false)
  const [notice, setNotice] = useState<Notice | null>(null)
  const [listening, setListening] = useState(false)
  const held = useRef(false)
  const startY = useRef(0)
  const cancelRef = useRef(false)
  const recording = useRef<Recording | null>(null)
  const ticker = useRef<ReturnType<typeof setInterval> | null>(null)
  const playback = useRef<Playback | null>(null)
  const mounted = useRef(true)

  useEffect(() => {
    mounted.current = true
    return () => {
      mounted.current = false
      if (ticker.current) clearInterval(ticker.current)
      recording.current?.cancel()
      playback.current?.stop()
    }
  }, [])

  // The local copy of a clip goes when the clip does (deleted, or sent with the message).
  const local = value?.local
  useEffect(
    () => () => {
      if (local?.startsWith('blob:')) URL.revokeObjectURL(local)
    },
    [local],
  )

  function upload(key: string, clip: RecordedClip): void {
    const mine = (change: Partial<VoiceDraft>) => onChange((d) => (d?.key === key ? { ...d, ...change } : d))
    sendVoice(audience, clip, (progress) => mine({ progress: Math.min(99, progress) })).then(
      (uploaded) => mine({ id: uploaded.id, progress: 100 }),
      (error: unknown) => {
        const failure = toApiError(error)
        mine({ failed: failure.message || '上传失败', refused: isRefusedVoice(failure) })
      },
    )
  }

  function finished(clip: RecordedClip | null): void {
    if (ticker.current) clearInterval(ticker.current)
    ticker.current = null
    recording.current = null
    if (!mounted.current) return
    setPhase('idle')
    setCancelling(false)
    const outcome = clip ? pressOutcome(clip.durationMs, false) : 'cancelled'
    if (outcome === 'cancelled') {
      setNotice({ text: '已取消，没有发送' })
    } else if (outcome === 'too-short' || !clip) {
      setNotice({ text: '说话时间太短' })
    } else {
      const key = `v${Date.now().toString(36)}${(counter++).toString(36)}`
      const local = clip.source.kind === 'blob' ? URL.createObjectURL(clip.source.blob) : clip.source.path
      setNotice(null)
      onChange(() => ({ key, clip, local, progress: 0, id: null, failed: null, refused: false }))
      upload(key, clip)
    }
  }

  function press(y: number): void {
    if (value || phase !== 'idle') return
    held.current = true
    startY.current = y
    cancelRef.current = false
    setCancelling(false)
    setNotice(null)
    setElapsed(0)
    setPhase('starting')
    startRecording().then(
      (started) => {
        if (!mounted.current) {
          started.cancel()
          return
        }
        recording.current = started
        const since = Date.now()
        setPhase('recording')
        ticker.current = setInterval(() => setElapsed(Math.min(VOICE_MAX_MS, Date.now() - since)), 200)
        void started.done.then(finished, () => finished(null))
        // Let go while the microphone was still starting: a slip, or a cancel.
        if (!held.current) {
          if (cancelRef.current) started.cancel()
          else started.stop()
        }
      },
      (error: unknown) => {
        if (!mounted.current) return
        setPhase('idle')
        const message = error instanceof RecordError ? error.message : '录音没有开始，请再按住说话试试。'
        setNotice({ text: message, settings: !IS_H5 && error instanceof RecordError && error.reason === 'refused' })
      },
    )
  }

  function move(y: number): void {
    if (!held.current) return
    const away = slidToCancel(startY.current, y)
    cancelRef.current = away
    setCancelling(away)
  }

  function release(cancel = false): void {
    if (!held.current) return
    held.current = false
    if (cancel) cancelRef.current = true
    const started = recording.current
    if (!started) return // still starting, or already stopped itself at the limit
    if (cancelRef.current) started.cancel()
    else started.stop()
  }

  function listen(): void {
    if (!value) return
    if (listening) {
      playback.current?.stop()
      return
    }
    setListening(true)
    playback.current = playVoice(value.local, () => {
      playback.current = null
      if (mounted.current) setListening(false)
    })
  }

  function remove(): void {
    playback.current?.stop()
    onChange(() => null)
  }

  function retry(): void {
    if (!value) return
    onChange((d) => (d ? { ...d, failed: null, progress: 0 } : d))
    upload(value.key, value.clip)
  }

  if (value) {
    const status = value.id ? 'done' : value.failed ? 'failed' : 'uploading'
    return (
      <View className='mq-voice-chip' data-testid={`${testId}-chip`} data-status={status}>
        <View className='mq-voice-chip__head'>
          <Text className='mq-voice-chip__length' data-testid={`${testId}-length`}>{`语音 ${voiceLength(value.clip.durationMs)}`}</Text>
          <Text className={`mq-voice-chip__state${value.failed ? ' mq-voice-chip__state--failed' : ''}`}>
            {status === 'done' ? '已准备好，随留言发送' : status === 'uploading' ? `上传中 ${value.progress}%` : ''}
          </Text>
        </View>
        {value.failed ? (
          <Text className='mq-field-error' data-testid={`${testId}-failed`}>
            {value.failed}
          </Text>
        ) : null}
        <View className='mq-voice-chip__actions'>
          <Button className='mq-voice-chip__action' onClick={listen} data-testid={`${testId}-listen`}>
            {listening ? '停止' : '试听'}
          </Button>
          {value.failed && !value.refused ? (
            <Button className='mq-voice-chip__action' onClick={retry} data-testid={`${testId}-retry`}>
              重新上传
            </Button>
          ) : null}
          <Button className='mq-voice-chip__action' type='danger' fill='outline' onClick={remove} data-testid={`${testId}-remove`}>
            删除
          </Button>
        </View>
      </View>
    )
  }

  const active = phase !== 'idle'
  const label = !active ? '按住 说话' : cancelling ? '松开手指，取消发送' : '松开 发送'
  const state = phase === 'recording' && cancelling ? 'cancelling' : phase
  const className = `mq-voice-hold${active ? ' mq-voice-hold--active' : ''}${cancelling ? ' mq-voice-hold--cancel' : ''}`
  const holdText = <Text className='mq-voice-hold__label'>{label}</Text>
  return (
    <View className='mq-voice'>
      {IS_H5 ? (
        <div
          className={className}
          role='button'
          aria-label='按住说话'
          data-testid={`${testId}-hold`}
          data-state={state}
          onPointerDown={(event) => {
            if (event.pointerType === 'mouse' && event.button !== 0) return
            event.preventDefault()
            event.currentTarget.setPointerCapture?.(event.pointerId)
            press(event.clientY)
          }}
          onPointerMove={(event) => move(event.clientY)}
          onPointerUp={() => release()}
          onPointerCancel={() => release(true)}
          onContextMenu={(event) => event.preventDefault()}
        >
          {holdText}
        </div>
      ) : (
        <View
          className={className}
          data-testid={`${testId}-hold`}
          data-state={state}
          catchMove
          onTouchStart={(event) => press(touchY(event))}
          onTouchMove={(event) => move(touchY(event))}
          onTouchEnd={() => release()}
          onTouchCancel={() => release(true)}
        >
          {holdText}
        </View>
      )}
      {notice ? (
        <View className='mq-voice__notice' data-testid={`${testId}-notice`}>
          <Text className='mq-field-error'>{notice.text}</Text>
          {notice.settings ? (
            <Button size='small' onClick={() => void Taro.openSetting({})} data-testid={`${testId}-settings`}>
              去设置
            </Button>
          ) : null}
        </View>
      ) : null}
      {active ? (
        <View className={`mq-voice-panel${cancelling ? ' mq-voice-panel--cancel' : ''}`} data-testid={`${testId}-panel`}>
          {cancelling ? <Text className='mq-voice-panel__glyph'>×</Text> : <View className='mq-voice-panel__dot' />}
          <Text className='mq-voice-panel__time' data-testid={`${testId}-elapsed`}>
            {phase === 'starting' ? '准备录音…' : `${Math.floor(elapsed / 1000)}″`}
          </Text>
          <Text className='mq-voice-panel__hint'>
            {cancelling
              ? '松开手指，取消发送'
              : secondsLeft(elapsed) <= 10
                ? `还能说 ${secondsLeft(elapsed)} 秒`
                : '松开发送，手指上滑取消'}
          </Text>
          <Text className='mq-voice-panel__limit'>{`最长 ${VOICE_MAX_MS / 1000} 秒`}</Text>
        </View>
      ) : null}
    </View>
  )
}
