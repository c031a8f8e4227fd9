import { fireEvent, render, screen } from '@testing-library/react'
import { SERVICE_PROMISE, type ScanView } from '@mq/shared'
import { setRouterParams, storage } from '../../../test/__mocks__/taro'
import { serve } from '../../../test/fake-api'
import { ReportPage } from './index'

const TOKEN = 'abcDEF123456'
const VIEW: ScanView = {
  token: TOKEN,
  unit: { id: '7c0c7a4e-3f1b-4f5e-9a55-1d2a3b4c5d01', name: '2单元' },
  building: { id: '7c0c7a4e-3f1b-4f5e-9a55-1d2a3b4c5d02', name: '3幢' },
  compound: { id: '7c0c7a4e-3f1b-4f5e-9a55-1d2a3b4c5d03', name: '石灰桥新村' },
  handlers: [],
  servicePromise: SERVICE_PROMISE,
  hotline: '0571-87000000',
  openInBuilding: 0,
}

describe('report form: the emergency sheet', () => {
  beforeEach(() => {
    setRouterParams({ token: TOKEN })
    storage.set('mq.session.resident', { accessToken: 'access-1', refreshToken: 'refresh-1', me: null })
    serve((call) => {
      if (call.url.startsWith('/api/places/by-token/')) return { statusCode: 200, data: VIEW }
      if (call.url.startsWith('/api/requests/duplicates')) return { statusCode: 200, data: { items: [] } }
      return { statusCode: 404, data: { code: 'ROUTE_NOT_FOUND', message: 'no', requestId: 'r' } }
    })
  })

  const type = (text: string) => fireEvent.change(screen.getByTestId('report-description'), { target: { value: text } })

  it('stays away for an ordinary report', async () => {
    render(<ReportPage />)
    await screen.findByText('石灰桥新村 3幢 2单元')
    fireEvent.click(screen.getByTestId('category-facilities'))
    type('楼下火锅店油烟太大')
    expect(screen.queryByTestId('emergency-sheet')).not.toBeInTheDocument()
    expect(screen.queryByTestId('report-urgent')).not.toBeInTheDocument()
  })

  it('shows the emergency numbers and the compound line when the words signal danger; the resident may go on', async () => {
    render(<ReportPage />)
    await screen.findByText('石灰桥新村 3幢 2单元')
    fireEvent.click(screen.getByTestId('category-facilities'))
    type('电梯困人了')
    const sheet = await screen.findByTestId('emergency-sheet')
    expect(sheet).toHaveTextContent('您提到「电梯困人」')
    const calls = screen.getAllByTestId('emergency-call')
    expect(calls.map((c) => c.getAttribute('data-number'))).toEqual(['119', '110', '120', '0571-87000000'])

    fireEvent.click(screen.getByTestId('emergency-continue'))
    expect(screen.queryByTestId('emergency-sheet')).not.toBeInTheDocument()
    expect(screen.getByTestId('report-urgent')).toHaveTextContent('30分钟内受理')
    // More words do not bring it back over the form; the button does.
    type('电梯困人了，还闻到燃气味')
    expect(screen.queryByTestId('emergency-sheet')).not.toBeInTheDocument()
    fireEvent.click(screen.getByTestId('report-urgent-numbers'))
    expect(screen.getByTestId('emergency-sheet')).toBeInTheDocument()
  })
})
