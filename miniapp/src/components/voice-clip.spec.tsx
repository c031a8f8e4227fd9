import { render, screen } from '@testing-library/react'
import { VoiceClip, voiceOf } from './voice-clip'

const TICKET = '5b0c3c1e-8d3f-4e0a-9a51-1f2f6d6f0a01'
const VOICE = '0f6d1c2a-3b4c-4d5e-8f60-718293a4b5c6'

describe('VoiceClip', () => {
  it('reads a thread entry’s voice as the server showed it', () => {
    expect(voiceOf({ text: '' })).toBeNull()
    expect(voiceOf({ voice: { id: VOICE, durationMs: 12_000, playable: true } })).toEqual({ id: VOICE, durationMs: 12_000, playable: true })
    expect(voiceOf({ voice: { durationMs: 12_000, playable: false } })).toEqual({ durationMs: 12_000, playable: false })
    // Playable without an id cannot be fetched: shown as not playable rather than a dead button.
    expect(voiceOf({ voice: { durationMs: 5_000, playable: true } })).toEqual({ durationMs: 5_000, playable: false })
    expect(voiceOf({ voice: { id: VOICE } })).toBeNull()
  })

  it('plays from a bubble with its length for those who may hear it', () => {
    render(<VoiceClip audience='staff' ticketId={TICKET} voice={{ id: VOICE, durationMs: 12_400, playable: true }} />)
    expect(screen.getByTestId('voice-clip')).toHaveAttribute('data-playable', 'true')
    expect(screen.getByTestId('voice-clip-play')).toHaveTextContent('12″')
    expect(screen.getByTestId('voice-clip-play')).toHaveTextContent('播放')
  })

  it('tells a masked role who may hear it, with no button', () => {
    render(<VoiceClip audience='staff' ticketId={TICKET} voice={{ durationMs: 8_000, playable: false }} />)
    expect(screen.getByTestId('voice-clip')).toHaveAttribute('data-playable', 'false')
    expect(screen.getByTestId('voice-clip')).toHaveTextContent('语音留言 8″')
    expect(screen.getByTestId('voice-clip')).toHaveTextContent('仅网格长、物业、自管小组可收听')
    expect(screen.queryByTestId('voice-clip-play')).not.toBeInTheDocument()
  })
})
