/**
 * The recorder's rules that need no device: how a clip's length reads, how far up a finger must slide to
 * cancel, which format a browser records in, and what a held press comes to when it ends.
 */
import { VOICE_MAX_MS, VOICE_MIN_MS } from '@mq/shared'

/** A clip's length as chat apps write it: whole seconds with a double prime (12″), at least 1″. */
export function voiceLength(ms: number): string {
  return `${Math.max(1, Math.round(ms / 1000))}″`
}

/** Whole seconds left before the recorder stops itself. */
export function secondsLeft(elapsedMs: number): number {
  return Math.max(0, Math.ceil((VOICE_MAX_MS - elapsedMs) / 1000))
}

/** A finger this far (CSS px) above where it pressed means 取消: far enough that a wobble does not count. */
export const CANCEL_SLIDE_PX = 60

export function slidToCancel(startY: number, currentY: number): boolean {
  return startY - currentY >= CANCEL_SLIDE_PX
}

/**
 * What the browser's MediaRecorder records in, most preferred first: Opus in WebM (Chromium, Firefox), AAC
 * in MP4 (Safari), Opus in Ogg. The server recognises each by its first bytes.
 */
export const BROWSER_RECORDING_TYPES = ['audio/webm;codecs=opus', 'audio/webm', 'audio/mp4', 'audio/ogg;codecs=opus', 'audio/ogg'] as const

export function browserRecordingType(isSupported: (type: string) => boolean): string | undefined {
  return BROWSER_RECORDING_TYPES.find((type) => isSupported(type))
}

/** How a press of 按住说话 ended: a clip to attach, a slip too short to keep, or a cancel. */
export type PressOutcome = 'attach' | 'too-short' | 'cancelled'

export function pressOutcome(durationMs: number, cancelled: boolean): PressOutcome {
  if (cancelled) return 'cancelled'
  return durationMs < VOICE_MIN_MS ? 'too-short' : 'attach'
}
