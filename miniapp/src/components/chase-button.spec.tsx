import { act, fireEvent, render, screen } from '@testing-library/react'
import { ChaseButton } from './chase-button'

const NOW = Date.parse('2026-11-21T10:00:00+08:00')

describe('ChaseButton: the 2-hour cooldown', () => {
  beforeEach(() => {
    jest.useFakeTimers()
    jest.setSystemTime(NOW)
  })
  afterEach(() => {
    jest.useRealTimers()
  })

  it('is enabled when the resident may chase now, and chases on tap', () => {
    const onChase = jest.fn()
    render(<ChaseButton nextChaseAt={null} onChase={onChase} />)

    const button = screen.getByTestId('chase-button')
    expect(button).not.toHaveAttribute('aria-disabled')
    expect(button).toHaveTextContent('催一催')
    expect(screen.getByTestId('chase-hint')).toHaveTextContent('每2小时可催一次')
    expect(screen.queryByTestId('chase-wait')).not.toBeInTheDocument()

    fireEvent.click(button)
    expect(onChase).toHaveBeenCalledTimes(1)
  })

  it('is disabled with the time left until the next chase, counting down to enabled', () => {
    const onChase = jest.fn()
    // Chased 30 minutes ago: the next chase is allowed in 1 h 30 min.
    const nextChaseAt = new Date(NOW + 90 * 60_000).toISOString()
    render(<ChaseButton nextChaseAt={nextChaseAt} onChase={onChase} />)

    const button = screen.getByTestId('chase-button')
    expect(button).toHaveAttribute('aria-disabled', 'true')
    expect(screen.getByTestId('chase-wait')).toHaveTextContent('刚催过，1小时30分钟后可以再催')
    fireEvent.click(button)
    expect(onChase).not.toHaveBeenCalled()

    // An hour later the countdown has moved.
    act(() => {
      jest.advanceTimersByTime(60 * 60_000)
    })
    expect(screen.getByTestId('chase-wait')).toHaveTextContent('刚催过，30分钟后可以再催')

    // Under a minute left still counts as a minute: never "0分钟".
    act(() => {
      jest.advanceTimersByTime(29 * 60_000 + 30_000)
    })
    expect(screen.getByTestId('chase-wait')).toHaveTextContent('刚催过，1分钟后可以再催')

    // Past the time: enabled again, without a reload.
    act(() => {
      jest.advanceTimersByTime(60_000)
    })
    expect(screen.queryByTestId('chase-wait')).not.toBeInTheDocument()
    expect(screen.getByTestId('chase-button')).not.toHaveAttribute('aria-disabled')
    fireEvent.click(screen.getByTestId('chase-button'))
    expect(onChase).toHaveBeenCalledTimes(1)
  })

  it('shows hours and minutes for a long wait, and is disabled while a chase is being sent', () => {
    const nextChaseAt = new Date(NOW + 2 * 60 * 60_000).toISOString()
    const { rerender } = render(<ChaseButton nextChaseAt={nextChaseAt} onChase={jest.fn()} />)
    expect(screen.getByTestId('chase-wait')).toHaveTextContent('2小时后可以再催')

    rerender(<ChaseButton nextChaseAt={null} busy onChase={jest.fn()} />)
    expect(screen.getByTestId('chase-button')).toHaveAttribute('aria-disabled', 'true')
    expect(screen.getByTestId('chase-button')).toHaveTextContent('正在催办…')
  })
})
