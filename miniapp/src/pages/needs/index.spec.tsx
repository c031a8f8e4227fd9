import { act, fireEvent, render, screen } from '@testing-library/react'
import type { PublicNeed } from '@mq/shared'
import { setRouterParams, storage } from '../../../test/__mocks__/taro'
import { serve, type FakeCall } from '../../../test/fake-api'
import { NeedsPage } from './index'

async function settle(): Promise<void> {
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 30))
  })
}

const COMPOUND = '7c0c7a4e-3f1b-4f5e-9a55-1d2a3b4c5d03'
const TOKEN = 'Abcdefgh12345'
const need = (id: string, title: string, status: PublicNeed['status'], supportCount: number): PublicNeed => ({
  id,
  compoundId: COMPOUND,
  title,
  publicText: '',
  status,
  reason: status === 'not_feasible' ? '暂无场地' : null,
  supportCount,
  source: 'resident',
  createdAt: '2026-12-01T02:00:00.000Z',
  statusChangedAt: '2026-12-01T02:00:00.000Z',
})
const SHED = need('9d6e7f80-1a2b-4c3d-8e9f-0a1b2c3d4e71', '增设自行车棚', 'collecting', 3)
const MEALS = need('9d6e7f80-1a2b-4c3d-8e9f-0a1b2c3d4e72', '老年助餐点', 'planned', 9)
const LOCKERS = need('9d6e7f80-1a2b-4c3d-8e9f-0a1b2c3d4e73', '快递柜', 'not_feasible', 2)
const bodyOf = (call: FakeCall): unknown => (typeof call.data === 'string' ? JSON.parse(call.data) : call.data)

describe('居民需求 page', () => {
  beforeEach(() => {
    storage.set('mq.session.resident', { accessToken: 'access-1', refreshToken: 'refresh-1', me: null })
  })

  it('lists the needs with status and count, +1 with the scanned code and room, then shows 已支持', async () => {
    setRouterParams({ compoundId: COMPOUND, token: TOKEN })
    const calls = serve((call) => {
      if (call.url === `/api/compounds/${COMPOUND}/needs`) return { statusCode: 200, data: { compoundName: '幸福里小区', needs: [MEALS, SHED, LOCKERS] } }
      if (call.url.startsWith('/api/needs/mine')) return { statusCode: 200, data: { supported: [MEALS.id], proposed: [] } }
      if (call.url === `/api/needs/${SHED.id}/support`) return { statusCode: 200, data: { supportCount: 4, supported: true, counted: true } }
      return { statusCode: 404, data: { code: 'ROUTE_NOT_FOUND', message: 'no route', requestId: 'r' } }
    })
    render(<NeedsPage />)
    await settle()
    expect(screen.getByTestId('needs-compound')).toHaveTextContent('幸福里小区居民需求')
    const [meals, shed, lockers] = screen.getAllByTestId('need-item')
    expect(meals).toHaveTextContent('老年助餐点已列入计划9 户支持已支持')
    expect(lockers).toHaveTextContent('原因：暂无场地')
    // A need judged not feasible takes no +1.
    expect(lockers.querySelector('[data-testid="need-support"]')).toBeNull()

    fireEvent.change(screen.getByTestId('needs-room'), { target: { value: '502' } })
    fireEvent.click(shed.querySelector('[data-testid="need-support"]')!)
    await settle()
    expect(bodyOf(calls.find((c) => c.url === `/api/needs/${SHED.id}/support`)!)).toEqual({ unitToken: TOKEN, room: '502' })
    expect(screen.getAllByTestId('need-item')[1]).toHaveTextContent('增设自行车棚征集中4 户支持已支持')
  })

  it('from the board (no code) shows the list without propose or +1', async () => {
    setRouterParams({ compoundId: COMPOUND })
    const calls = serve((call) =>
      call.url === `/api/compounds/${COMPOUND}/needs`
        ? { statusCode: 200, data: { compoundName: '幸福里小区', needs: [SHED] } }
        : { statusCode: 404, data: { code: 'ROUTE_NOT_FOUND', message: 'no route', requestId: 'r' } },
    )
    render(<NeedsPage />)
    await settle()
    expect(screen.getByTestId('need-item')).toHaveTextContent('增设自行车棚')
    expect(screen.queryByTestId('needs-propose')).toBeNull()
    expect(screen.queryByTestId('need-support')).toBeNull()
    expect(calls.map((c) => c.url)).toEqual([`/api/compounds/${COMPOUND}/needs`])
  })
})
