import { z } from 'zod'
import { InstantSchema } from './common'

/**
 * Voice notes (按住说话) in a request's thread: recorded by WeChat's RecorderManager (AAC or MP3) or a
 * browser's MediaRecorder (WebM/Opus, Ogg/Opus or MP4/AAC), checked by their content (magic bytes).
 */
export const VOICE_CONTENT_TYPES = [
  'audio/aac',
  'audio/mpeg',
  'audio/mp4',
  'audio/webm',
  'audio/ogg',
] as const
export type VoiceContentType = (typeof VOICE_CONTENT_TYPES)[number]
export const VOICE_MAX_BYTES = 2 * 1024 * 1024
/** The longest clip the recorder takes; the server refuses a longer declared duration. */
export const VOICE_MAX_MS = 60_000
/** Shorter than this is a slip of the finger, not a message: the recorder drops it. */
export const VOICE_MIN_MS = 1_000
/** The multipart field that carries the clip (wx.uploadFile's `name`), and the one with its duration. */
export const VOICE_FIELD = 'file'
export const VOICE_DURATION_FIELD = 'durationMs'

/** An uploaded voice note, not yet (or already) attached to a message. */
export const VoiceNoteUploadSchema = z.object({
  id: z.uuid(),
  contentType: z.enum(VOICE_CONTENT_TYPES),
  size: z.number().int().positive(),
  durationMs: z.number().int().positive().max(VOICE_MAX_MS),
  createdAt: InstantSchema,
})
export type VoiceNoteUpload = z.infer<typeof VoiceNoteUploadSchema>

/**
 * A message's voice note as a viewer sees it: `playable` for the reporter's side and staff allowed the
 * reporter's personal data (they may fetch ticketVoicePath); others see that there is one, not its id.
 */
export type VoiceRef =
  { id: string; durationMs: number; playable: true } | { durationMs: number; playable: false }

/** Where a request's voice note is played. */
export function ticketVoicePath(ticketId: string, voiceId: string): string {
  return `/api/requests/${ticketId}/voice/${voiceId}`
}
