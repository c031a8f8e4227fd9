import { fireEvent, render, screen } from '@testing-library/react'
import type { ScanView } from '@mq/shared'
import { SERVICE_PROMISE } from '@mq/shared'
import { setRouterParams, storage, taroMock } from '../../../test/__mocks__/taro'
import { ElderModeProvider } from '@/elder/elder-mode'
import { ScanPage } from './index'

const TOKEN = 'abcDEF123456'

const VIEW: ScanView = {
  token: TOKEN,
  unit: { id: '7c0c7a4e-3f1b-4f5e-9a55-1d2a3b4c5d01', name: '2单元' },
  building: { id: '7c0c7a4e-3f1b-4f5e-9a55-1d2a3b4c5d02', name: '3号楼' },
  compound: { id: '7c0c7a4e-3f1b-4f5e-9a55-1d2a3b4c5d03', name: '幸福里小区' },
  handlers: [
    { role: 'grid_lead', roleLabel: '网格长', displayName: '王**' },
    { role: 'property_manager', roleLabel: '物业', displayName: '李**' },
  ],
  servicePromise: SERVICE_PROMISE,
  hotline: '12345',
  openInBuilding: 2,
}

function respond(statusCode: number, data: unknown) {
  taroMock.request.mockResolvedValueOnce({ statusCode, data, header: {}, cookies: [], errMsg: 'request:ok' })
}

function requestedUrls(): string[] {
  return taroMock.request.mock.calls.map(([option]: [{ url: string }]) => option.url)
}

describe('scan page', () => {
  it('shows the token it was given, then the place and its handlers', async () => {
    setRouterParams({ token: TOKEN })
    respond(200, VIEW)

    render(<ScanPage />)

    expect(screen.getByTestId('scan-token')).toHaveTextContent(`二维码编号：${TOKEN}`)
    expect(screen.getByTestId('scan-loading')).toBeInTheDocument()

    const place = await screen.findByTestId('scan-place')
    expect(place).toHaveTextContent('幸福里小区')
    expect(place).toHaveTextContent('3号楼 2单元')
    expect(requestedUrls()).toEqual([`/api/places/by-token/${TOKEN}`])

    const handlers = screen.getAllByTestId('scan-handler')
    expect(handlers.map((h) => h.textContent)).toEqual(['网格长王**', '物业李**'])
    expect(screen.getByTestId('scan-promise')).toHaveTextContent(SERVICE_PROMISE)
    expect(screen.getByTestId('scan-promise')).toHaveTextContent('本楼正在处理的问题：2 件')
    expect(screen.queryByTestId('scan-loading')).not.toBeInTheDocument()
  })

  it("extracts the token from WeChat's q parameter (the URL-encoded QR URL)", async () => {
    setRouterParams({ q: encodeURIComponent(`http://localhost:3000/q/${TOKEN}`), scancode_time: '1700000000' })
    respond(200, VIEW)

    render(<ScanPage />)

    expect(screen.getByTestId('scan-token')).toHaveTextContent(`二维码编号：${TOKEN}`)
    expect(await screen.findByTestId('scan-place')).toHaveTextContent('幸福里小区')
    expect(requestedUrls()).toEqual([`/api/places/by-token/${TOKEN}`])
  })

  it('says the code was replaced on QR_REPLACED (410), with the server message', async () => {
    setRouterParams({ token: TOKEN })
    respond(410, {
      code: 'QR_REPLACED',
      message: '这个二维码已更换，请扫描新张贴的二维码，或拨打 12345',
      requestId: 'req-1',
    })

    render(<ScanPage />)

    const replaced = await screen.findByTestId('scan-replaced')
    expect(replaced).toHaveTextContent('此二维码已更换')
    expect(replaced).toHaveTextContent('或拨打 12345')
    expect(screen.queryByTestId('scan-place')).not.toBeInTheDocument()
    expect(screen.queryByText('重新加载')).not.toBeInTheDocument()
    expect(screen.queryByText('我要反映问题')).not.toBeInTheDocument()
  })

  it('says the code is invalid on QR_NOT_FOUND (404), with a hint where to get help', async () => {
    setRouterParams({ token: TOKEN })
    respond(404, { code: 'QR_NOT_FOUND', message: '这个二维码无效，请扫描楼道里张贴的二维码', requestId: 'req-2' })

    render(<ScanPage />)

    const invalid = await screen.findByTestId('scan-invalid')
    expect(invalid).toHaveTextContent('二维码无效')
    expect(invalid).toHaveTextContent('请扫描楼道里张贴的二维码')
    expect(screen.getByTestId('scan-hotline')).toHaveTextContent('如需帮助')
    expect(screen.queryByText('重新加载')).not.toBeInTheDocument()
  })

  it('offers a retry after a network error, and the retry loads the page', async () => {
    setRouterParams({ token: TOKEN })
    taroMock.request.mockRejectedValueOnce({ errMsg: 'request:fail timeout' })
    respond(200, VIEW)

    render(<ScanPage />)

    const failed = await screen.findByTestId('scan-failed')
    expect(failed).toHaveTextContent('网络不太顺畅')
    expect(screen.queryByTestId('scan-place')).not.toBeInTheDocument()

    fireEvent.click(screen.getByRole('button', { name: '重新加载' }))

    expect(await screen.findByTestId('scan-place')).toHaveTextContent('幸福里小区')
    expect(taroMock.request).toHaveBeenCalledTimes(2)
  })

  it('treats a server error without our error body as retryable', async () => {
    setRouterParams({ token: TOKEN })
    respond(502, '<html>Bad Gateway</html>')

    render(<ScanPage />)

    expect(await screen.findByTestId('scan-failed')).toHaveTextContent('暂时没有加载出来')
    expect(screen.getByRole('button', { name: '重新加载' })).toBeInTheDocument()
  })

  it('asks the resident to scan when no code was given, without calling the API', () => {
    setRouterParams({})

    render(<ScanPage />)

    expect(screen.getByTestId('scan-missing')).toHaveTextContent('请扫描楼道里的二维码')
    expect(screen.queryByTestId('scan-token')).not.toBeInTheDocument()
    expect(taroMock.request).not.toHaveBeenCalled()
  })

  it('rejects a malformed token locally, still showing what it was given', () => {
    setRouterParams({ token: 'abc' })

    render(<ScanPage />)

    expect(screen.getByTestId('scan-token')).toHaveTextContent('二维码编号：abc')
    expect(screen.getByTestId('scan-invalid')).toHaveTextContent('二维码无效')
    expect(taroMock.request).not.toHaveBeenCalled()
  })

  it('rejects a q that is not one of our QR URLs', () => {
    setRouterParams({ q: encodeURIComponent('https://example.com/some/other/page') })

    render(<ScanPage />)

    expect(screen.getByTestId('scan-invalid')).toHaveTextContent('二维码无效')
    expect(screen.queryByTestId('scan-token')).not.toBeInTheDocument()
    expect(taroMock.request).not.toHaveBeenCalled()
  })

  it('「我要反映问题」 opens the home page for now', async () => {
    setRouterParams({ token: TOKEN })
    respond(200, VIEW)

    render(<ScanPage />)

    fireEvent.click(await screen.findByRole('button', { name: '我要反映问题' }))
    expect(taroMock.navigateTo).toHaveBeenCalledWith({ url: '/pages/index/index' })
  })

  it('switches 长辈模式 from the header, remembers it on the device, and stays anonymous', () => {
    setRouterParams({})

    // The app wraps every page in the provider (src/app.ts).
    const app = () => (
      <ElderModeProvider>
        <ScanPage />
      </ElderModeProvider>
    )
    const { unmount } = render(app())
    const toggle = screen.getByTestId('elder-toggle')
    expect(toggle).toHaveAttribute('aria-pressed', 'false')
    expect(screen.getByTestId('scan-page')).not.toHaveClass('mq-elder')

    fireEvent.click(toggle)

    expect(screen.getByTestId('scan-page')).toHaveClass('mq-elder')
    expect(screen.getByTestId('elder-toggle')).toHaveAttribute('aria-pressed', 'true')
    expect(screen.getByTestId('elder-toggle')).toHaveTextContent('长辈模式：开')
    expect(storage.get('mq.elderMode')).toBe(true)

    // Next time the app opens, the page starts in 长辈模式.
    unmount()
    render(app())
    expect(screen.getByTestId('scan-page')).toHaveClass('mq-elder')
    // No sign-in for looking at a code.
    expect(taroMock.request).not.toHaveBeenCalled()
  })
})
