import { browserRecordingType, pressOutcome, secondsLeft, slidToCancel, voiceLength } from './voice'

describe('the recorder rules', () => {
  it('writes a length in whole seconds, never 0″', () => {
    expect(voiceLength(12_400)).toBe('12″')
    expect(voiceLength(12_600)).toBe('13″')
    expect(voiceLength(300)).toBe('1″')
    expect(voiceLength(60_000)).toBe('60″')
  })

  it('counts down the seconds left of the minute', () => {
    expect(secondsLeft(0)).toBe(60)
    expect(secondsLeft(50_100)).toBe(10)
    expect(secondsLeft(59_999)).toBe(1)
    expect(secondsLeft(61_000)).toBe(0)
  })

  it('cancels only when the finger is well above where it pressed', () => {
    expect(slidToCancel(600, 590)).toBe(false)
    expect(slidToCancel(600, 545)).toBe(false)
    expect(slidToCancel(600, 540)).toBe(true)
    // Sliding down is not a cancel.
    expect(slidToCancel(600, 700)).toBe(false)
  })

  it('keeps a clip of a second or more, drops a slip, and a cancel wins', () => {
    expect(pressOutcome(999, false)).toBe('too-short')
    expect(pressOutcome(1_000, false)).toBe('attach')
    expect(pressOutcome(30_000, true)).toBe('cancelled')
  })

  it('records Opus in WebM where it can, else AAC in MP4 (Safari), else Ogg', () => {
    expect(browserRecordingType(() => true)).toBe('audio/webm;codecs=opus')
    expect(browserRecordingType((t) => t === 'audio/mp4' || t === 'audio/ogg')).toBe('audio/mp4')
    expect(browserRecordingType((t) => t.startsWith('audio/ogg'))).toBe('audio/ogg;codecs=opus')
    expect(browserRecordingType(() => false)).toBeUndefined()
  })
})
