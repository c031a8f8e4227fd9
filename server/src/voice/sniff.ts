import type { VoiceContentType } from '@mq/shared'

/** ISO base media brands of still images (HEIC, AVIF): an `ftyp` box, but a photo, not a recording. */
const IMAGE_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1', 'avif', 'avis'])

/**
 * The audio type from the first bytes of the file (its magic number), never from its name or the
 * Content-Type the client claims. Null: not one of the recorders' formats (WeChat's RecorderManager: AAC
 * in ADTS frames or MP3; browsers' MediaRecorder: WebM, Ogg or MP4).
 */
export function sniffAudioType(bytes: Buffer): VoiceContentType | null {
  if (bytes.length < 4) return null
  const ascii = (from: number, to: number) => bytes.subarray(from, to).toString('latin1')
  // EBML header: WebM (MediaRecorder in Chromium and Firefox).
  if (bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3) return 'audio/webm'
  if (ascii(0, 4) === 'OggS') return 'audio/ogg'
  // An ISO base media file: `ftyp` box at offset 4 (MediaRecorder in Safari, M4A).
  if (bytes.length >= 12 && ascii(4, 8) === 'ftyp') {
    return IMAGE_BRANDS.has(ascii(8, 12)) ? null : 'audio/mp4'
  }
  // An MP3 with an ID3v2 tag in front.
  if (ascii(0, 3) === 'ID3') return 'audio/mpeg'
  if (bytes[0] !== 0xff) return null
  // ADTS (AAC): 12 sync bits, then MPEG version (either), layer 00, protection bit (either): FFF0/1/8/9.
  if ((bytes[1] & 0xf6) === 0xf0) return 'audio/aac'
  // An MPEG audio frame: 11 sync bits, a version that is not reserved (01), a layer that is not 00 (ADTS
  // above), and a bitrate index that is not 1111 and a sample rate that is not 11.
  const version = (bytes[1] >> 3) & 0b11
  const layer = (bytes[1] >> 1) & 0b11
  const bitrate = bytes[2] >> 4
  const sampleRate = (bytes[2] >> 2) & 0b11
  if (
    (bytes[1] & 0xe0) === 0xe0 &&
    version !== 0b01 &&
    layer !== 0 &&
    bitrate !== 0b1111 &&
    sampleRate !== 0b11
  ) {
    return 'audio/mpeg'
  }
  return null
}
