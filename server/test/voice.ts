import { randomBytes } from 'node:crypto'
import type { Resident } from '../src/residents/resident.entity'
import type { Staff } from '../src/staff/staff.entity'
import type { TestApp } from './app'
import { authHeader } from './factories'

type TestContext = Pick<TestApp, 'app' | 'dataSource'>

/** The first bytes of a clip of each recorder format, padded: enough for the server's content check. */
const pad = (head: Buffer) => Buffer.concat([head, Buffer.alloc(64, 0x11)])
export const CLIPS = {
  aac: pad(Buffer.from([0xff, 0xf1, 0x50, 0x80, 0x02, 0x1f, 0xfc])),
  mp3: pad(Buffer.concat([Buffer.from('ID3'), Buffer.from([0x04, 0, 0, 0, 0, 0x0a])])),
  mp4: pad(Buffer.concat([Buffer.from([0, 0, 0, 0x1c]), Buffer.from('ftypiso5'), Buffer.from([0, 0, 2, 0])])),
  webm: pad(Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01])),
  ogg: pad(Buffer.concat([Buffer.from('OggS'), Buffer.from([0x00, 0x02])])),
}

/** A multipart/form-data body with the clip in `file` and its length in `durationMs` (either may be left out). */
export function voiceBody(
  clip: Buffer | null,
  durationMs: string | number | null = 3000,
  options: { filename?: string; contentType?: string; durationFirst?: boolean } = {},
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----mqvoice${randomBytes(8).toString('hex')}`
  const field =
    durationMs === null
      ? []
      : [
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="durationMs"\r\n\r\n${durationMs}\r\n`,
          ),
        ]
  const file =
    clip === null
      ? []
      : [
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${options.filename ?? 'voice.aac'}"\r\n` +
              `Content-Type: ${options.contentType ?? 'audio/aac'}\r\n\r\n`,
          ),
          clip,
          Buffer.from('\r\n'),
        ]
  const parts = options.durationFirst ? [...field, ...file] : [...file, ...field]
  return {
    payload: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  }
}

/** Uploads a voice note through the API as `who`; returns its id. */
export async function uploadVoice(
  t: TestContext,
  who: { staff: Staff } | { resident: Resident },
  clip: Buffer = CLIPS.aac,
  durationMs = 3000,
): Promise<string> {
  const body = voiceBody(clip, durationMs)
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/voice-notes',
    payload: body.payload,
    headers: { ...(await authHeader(t, who)), ...body.headers },
  })
  if (res.statusCode !== 201) throw new Error(`uploadVoice: ${res.statusCode} ${res.body}`)
  return (res.json() as { id: string }).id
}
