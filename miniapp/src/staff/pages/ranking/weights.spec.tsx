import { fireEvent, render, screen, waitFor } from '@testing-library/react'
import { storage } from '../../../../test/__mocks__/taro'
import { errorReply, serve } from '../../../../test/fake-api'
import { WeightsForm } from './weights'

const DISTRICT = '5b0c3f8e-2a41-4c6f-9d1e-7a9b8c6d5e4f'

function type(key: 'response' | 'resolution' | 'satisfaction', value: string): void {
  const input = screen.getByTestId(`ranking-weight-${key}`).querySelector('input')!
  fireEvent.change(input, { target: { value } })
}

describe('the ranking weights form', () => {
  beforeEach(() => storage.set('mq.session.staff', { accessToken: 'a1', refreshToken: 'r1' }))

  it('shows the district’s weights, their sum as typed, and PUTs three whole numbers', async () => {
    const calls = serve((call) => ({ statusCode: 200, data: call.data as object }))
    const saved = jest.fn()
    render(<WeightsForm districtId={DISTRICT} weights={{ response: 30, resolution: 35, satisfaction: 35 }} onSaved={saved} />)
    expect(screen.getByTestId('ranking-weights-sum')).toHaveTextContent('合计 100%')
    type('response', '20')
    expect(screen.getByTestId('ranking-weights-sum')).toHaveTextContent('合计 90%')
    type('satisfaction', '45')
    expect(screen.getByTestId('ranking-weights-sum')).toHaveTextContent('合计 100%')
    fireEvent.click(screen.getByTestId('ranking-weights-save'))
    await screen.findByTestId('ranking-weights-saved', {}, { timeout: 3000 })
    expect(calls).toHaveLength(1)
    expect(calls[0]).toMatchObject({ method: 'PUT', url: expect.stringContaining(`/api/metrics/ranking-weights/${DISTRICT}`) })
    expect(JSON.parse(typeof calls[0].data === 'string' ? calls[0].data : JSON.stringify(calls[0].data))).toEqual({
      response: 20,
      resolution: 35,
      satisfaction: 45,
    })
    expect(saved).toHaveBeenCalledTimes(1)
  })

  it('shows the server’s refusal of a sum that is not 100', async () => {
    serve(() => errorReply(400, 'VALIDATION_FAILED', '提交的内容有误', [{ path: '', message: '三项权重之和须为100' }]))
    const saved = jest.fn()
    render(<WeightsForm districtId={DISTRICT} weights={{ response: 30, resolution: 35, satisfaction: 35 }} onSaved={saved} />)
    type('response', '50')
    fireEvent.click(screen.getByTestId('ranking-weights-save'))
    expect(await screen.findByText('三项权重之和须为100', {}, { timeout: 3000 })).toBeTruthy()
    expect(saved).not.toHaveBeenCalled()
    expect(screen.queryByTestId('ranking-weights-saved')).toBeNull()
  })

  it('refuses a field that is not a whole number 0–100 without asking the server', async () => {
    const calls = serve(() => ({ statusCode: 200, data: {} }))
    render(<WeightsForm districtId={DISTRICT} weights={{ response: 30, resolution: 35, satisfaction: 35 }} onSaved={jest.fn()} />)
    type('resolution', '3.5')
    fireEvent.click(screen.getByTestId('ranking-weights-save'))
    expect(screen.getByTestId('ranking-weights-typo')).toHaveTextContent('解决率请填写 0 到 100 的整数')
    await waitFor(() => expect(calls).toHaveLength(0))
  })
})
