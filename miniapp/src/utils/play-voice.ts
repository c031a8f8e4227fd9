/**
 * Playing a voice clip from something local (a blob URL in the browser, a temp file in WeChat): an
 * `Audio` element in H5, an InnerAudioContext in the mini-program. One clip plays at a time; starting
 * another stops the one playing (its `onEnd` hears it).
 */
import Taro from '@tarojs/taro'

export interface Playback {
  stop(): void
}

/** `failed`: the clip could not be played (a broken file, a format the device lacks). */
type OnEnd = (failed: boolean) => void

const IS_H5 = process.env.TARO_ENV === 'h5'

let current: { stop(): void } | null = null

function inBrowser(url: string, onEnd: OnEnd): Playback {
  const audio = new Audio(url)
  let over = false
  const end = (failed: boolean) => {
    if (over) return
    over = true
    if (current === playback) current = null
    onEnd(failed)
  }
  audio.onended = () => end(false)
  audio.onerror = () => end(true)
  const playback: Playback = {
    stop: () => {
      audio.pause()
      end(false)
    },
  }
  audio.play().catch(() => end(true))
  return playback
}

function inWechat(url: string, onEnd: OnEnd): Playback {
  const context = Taro.createInnerAudioContext()
  // Residents often have the phone on silent; a message they chose to hear should still sound.
  context.obeyMuteSwitch = false
  let over = false
  const end = (failed: boolean) => {
    if (over) return
    over = true
    if (current === playback) current = null
    context.destroy()
    onEnd(failed)
  }
  context.onEnded(() => end(false))
  context.onError(() => end(true))
  context.src = url
  const playback: Playback = {
    stop: () => {
      context.stop()
      end(false)
    },
  }
  context.play()
  return playback
}

export function playVoice(url: string, onEnd: OnEnd): Playback {
  current?.stop()
  const playback = IS_H5 ? inBrowser(url, onEnd) : inWechat(url, onEnd)
  current = playback
  return playback
}
