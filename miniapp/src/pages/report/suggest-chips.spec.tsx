import { fireEvent, render, screen } from '@testing-library/react'
import { SERVICE_PROMISE, type ScanView } from '@mq/shared'
import { setRouterParams, storage } from '../../../test/__mocks__/taro'
import { serve } from '../../../test/fake-api'
import { ReportPage } from './index'

const TOKEN = 'abcDEF123456'
const COMPOUND = '7c0c7a4e-3f1b-4f5e-9a55-1d2a3b4c5d03'
const VIEW: ScanView = {
  token: TOKEN,
  unit: { id: '7c0c7a4e-3f1b-4f5e-9a55-1d2a3b4c5d01', name: '2单元' },
  building: { id: '7c0c7a4e-3f1b-4f5e-9a55-1d2a3b4c5d02', name: '3幢' },
  compound: { id: COMPOUND, name: '石灰桥新村' },
  handlers: [{ role: 'property_manager', roleLabel: '物业', displayName: '冯涛' }],
  servicePromise: SERVICE_PROMISE,
  hotline: null,
  openInBuilding: 0,
}

function api(terms: { term: string; category: string; count: number }[] = []) {
  return serve((call) => {
    if (call.url.startsWith('/api/places/by-token/')) return { statusCode: 200, data: VIEW }
    if (call.url.startsWith('/api/requests/duplicates')) return { statusCode: 200, data: { items: [] } }
    if (call.url.startsWith('/api/category-hints')) return { statusCode: 200, data: { compoundId: COMPOUND, terms } }
    return { statusCode: 404, data: { code: 'ROUTE_NOT_FOUND', message: 'no', requestId: 'r' } }
  })
}

describe('report form: category suggestion', () => {
  beforeEach(() => {
    setRouterParams({ token: TOKEN })
    storage.set('mq.session.resident', { accessToken: 'access-1', refreshToken: 'refresh-1', me: null })
  })

  it('suggests after typing stops, with the reason; a tap chooses, nothing is chosen before', async () => {
    const calls = api()
    render(<ReportPage />)
    await screen.findByText('石灰桥新村 3幢 2单元')
    fireEvent.change(screen.getByTestId('report-description'), { target: { value: '楼道里的灯坏了好几天了' } })
    expect(screen.queryByTestId('report-suggest')).not.toBeInTheDocument()

    const chip = await screen.findByTestId('report-suggest-facilities')
    expect(chip).toHaveTextContent('公共设施报修')
    expect(chip).toHaveTextContent('（因为：楼道里的灯')
    expect(screen.getByTestId('category-facilities')).toHaveAttribute('aria-pressed', 'false')

    fireEvent.click(chip)
    expect(screen.getByTestId('category-facilities')).toHaveAttribute('aria-pressed', 'true')
    expect(calls.some((c) => c.url.includes(`/api/category-hints?compoundId=${COMPOUND}`))).toBe(true)
  })

  it("weighs the compound's lessons", async () => {
    api([{ term: '栅栏', category: 'public_security', count: 3 }])
    render(<ReportPage />)
    await screen.findByText('石灰桥新村 3幢 2单元')
    fireEvent.change(screen.getByTestId('report-description'), { target: { value: '后门的铁栅栏被人掰开了' } })
    const chip = await screen.findByTestId('report-suggest-public_security')
    expect(chip).toHaveAttribute('data-learned', 'true')
    expect(chip).toHaveTextContent('因为：栅栏')
  })
})
