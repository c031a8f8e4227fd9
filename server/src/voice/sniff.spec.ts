import { sniffAudioType } from './sniff'

const bytes = (...values: number[]) => Buffer.from(values)
const withTail = (head: Buffer) => Buffer.concat([head, Buffer.alloc(32, 0x11)])

describe('sniffAudioType', () => {
  it.each([
    ['ADTS AAC, MPEG-4 (FFF1)', bytes(0xff, 0xf1, 0x50, 0x80, 0x02, 0x1f, 0xfc), 'audio/aac'],
    ['ADTS AAC, MPEG-2 (FFF9)', bytes(0xff, 0xf9, 0x50, 0x80, 0x02, 0x1f, 0xfc), 'audio/aac'],
    ['MP3 with an ID3v2 tag', Buffer.concat([Buffer.from('ID3'), bytes(0x04, 0x00, 0x00)]), 'audio/mpeg'],
    ['MP3 frame, MPEG-1 layer III (FFFB)', bytes(0xff, 0xfb, 0x90, 0x64), 'audio/mpeg'],
    ['MP3 frame, MPEG-2 layer III (FFF3)', bytes(0xff, 0xf3, 0x84, 0xc4), 'audio/mpeg'],
    ['MP3 frame, MPEG-2.5 layer III (FFE3)', bytes(0xff, 0xe3, 0x18, 0xc4), 'audio/mpeg'],
    [
      'M4A (ftyp M4A )',
      Buffer.concat([bytes(0, 0, 0, 0x20), Buffer.from('ftypM4A '), bytes(0, 0, 0, 0)]),
      'audio/mp4',
    ],
    [
      'MP4 from MediaRecorder (ftyp iso5)',
      Buffer.concat([bytes(0, 0, 0, 0x18), Buffer.from('ftypiso5')]),
      'audio/mp4',
    ],
    ['WebM (EBML)', bytes(0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81), 'audio/webm'],
    ['Ogg', Buffer.concat([Buffer.from('OggS'), bytes(0x00, 0x02)]), 'audio/ogg'],
  ])('%s', (_, head, type) => {
    expect(sniffAudioType(withTail(head))).toBe(type)
  })

  it.each([
    ['a PDF renamed .aac', Buffer.from('%PDF-1.7\n%âãÏÓ\n')],
    ['a JPEG renamed .aac', bytes(0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46)],
    ['a PNG', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)],
    ['a WebP', Buffer.concat([Buffer.from('RIFF'), bytes(0x10, 0, 0, 0), Buffer.from('WEBPVP8 ')])],
    [
      'a WAV (not a recorder format)',
      Buffer.concat([Buffer.from('RIFF'), bytes(0x10, 0, 0, 0), Buffer.from('WAVEfmt ')]),
    ],
    ['a HEIC photo (ftyp heic)', Buffer.concat([bytes(0, 0, 0, 0x18), Buffer.from('ftypheic')])],
    ['an AVIF picture (ftyp avif)', Buffer.concat([bytes(0, 0, 0, 0x18), Buffer.from('ftypavif')])],
    ['a frame sync with a reserved MPEG version (FFEB)', bytes(0xff, 0xeb, 0x90, 0x64)],
    ['a frame sync with a bad bitrate index', bytes(0xff, 0xfb, 0xf0, 0x64)],
    ['text', Buffer.from('<svg onload=alert(1)>')],
    ['zip', bytes(0x50, 0x4b, 0x03, 0x04)],
  ])('refuses %s', (_, head) => {
    expect(sniffAudioType(withTail(head))).toBeNull()
  })

  it('refuses what is too short to tell', () => {
    expect(sniffAudioType(Buffer.alloc(0))).toBeNull()
    expect(sniffAudioType(bytes(0xff, 0xf1))).toBeNull()
    expect(sniffAudioType(Buffer.from('Ogg'))).toBeNull()
  })
})
