import { useEffect, useRef, useState } from 'react'
import { Text, View } from '@tarojs/components'
import { ticketVoicePath, type VoiceRef } from '@mq/shared'
import { toApiError } from '@/api/client'
import type { Audience } from '@/api/session'
import { voiceForPlay } from '@/api/voice-upload'
import { Button } from '@/ui/button'
import { playVoice, type Playback } from '@/utils/play-voice'
import { voiceLength } from '@/utils/voice'
import './voice.scss'

/** A thread entry's voice note as the server showed it to this viewer, or null when it has none. */
export function voiceOf(data: Record<string, unknown>): VoiceRef | null {
  const voice = data.voice
  if (typeof voice !== 'object' || voice === null) return null
  const { id, durationMs, playable } = voice as Record<string, unknown>
  if (typeof durationMs !== 'number') return null
  if (playable === true && typeof id === 'string') return { id, durationMs, playable: true }
  return { durationMs, playable: false }
}

type State = 'idle' | 'loading' | 'playing' | 'failed'

/**
 * A voice note in a thread: a bubble with its length and a play/stop toggle, longer for a longer clip.
 * The clip is fetched with the viewer's token on the first tap. A viewer whose role may not hear the
 * resident's voice (personal data) is told so, with the length, instead of a button that cannot work.
 */
export function VoiceClip({
  audience,
  ticketId,
  voice,
  testId = 'voice-clip',
}: {
  audience: Audience
  ticketId: string
  voice: VoiceRef
  testId?: string
}) {
  const [state, setState] = useState<State>('idle')
  const [problem, setProblem] = useState<string | null>(null)
  const playback = useRef<Playback | null>(null)
  const mounted = useRef(true)
  useEffect(() => {
    mounted.current = true
    return () => {
      mounted.current = false
      playback.current?.stop()
    }
  }, [])

  const length = voiceLength(voice.durationMs)
  if (!voice.playable) {
    return (
      <View className='mq-voice-clip mq-voice-clip--locked' data-testid={testId} data-playable='false'>
        <Text className='mq-voice-clip__locked'>{`语音留言 ${length}（居民的声音属个人信息，仅网格长、物业、自管小组可收听）`}</Text>
      </View>
    )
  }
  const { id } = voice

  const toggle = () => {
    if (state === 'playing') {
      playback.current?.stop()
      return
    }
    if (state === 'loading') return
    setState('loading')
    setProblem(null)
    voiceForPlay(audience, ticketVoicePath(ticketId, id)).then(
      (local) => {
        if (!mounted.current) return
        setState('playing')
        playback.current = playVoice(local, (failed) => {
          playback.current = null
          if (!mounted.current) return
          setState(failed ? 'failed' : 'idle')
          if (failed) setProblem('这段语音播放不了，请稍后再试')
        })
      },
      (error: unknown) => {
        if (!mounted.current) return
        setState('failed')
        setProblem(toApiError(error).message || '语音加载失败，请再点一次')
      },
    )
  }

  // Wider for a longer clip, as chat apps draw them: 1″ is short, 60″ fills the line.
  const seconds = Math.min(60, Math.max(1, Math.round(voice.durationMs / 1000)))
  const width = `${Math.round(45 + (seconds / 60) * 55)}%`
  return (
    <View className='mq-voice-clip' data-testid={testId} data-playable='true' data-state={state}>
      <Button
        className={`mq-voice-clip__bubble${state === 'playing' ? ' mq-voice-clip__bubble--playing' : ''}`}
        style={{ width }}
        loading={state === 'loading'}
        onClick={toggle}
        aria-label={state === 'playing' ? `停止播放语音 ${length}` : `播放语音 ${length}`}
        data-testid={`${testId}-play`}
      >
        {`${state === 'playing' ? '■ 停止' : '▶ 播放'}  ${length}`}
      </Button>
      {problem ? (
        <Text className='mq-field-error' data-testid={`${testId}-problem`}>
          {problem}
        </Text>
      ) : null}
    </View>
  )
}
