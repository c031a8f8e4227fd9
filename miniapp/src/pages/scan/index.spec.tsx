import { fireEvent, render, screen } from '@testing-library/react'
import type { ScanView } from '@mq/shared'
import { SERVICE_PROMISE } from '@mq/shared'
import { setRouterParams, storage, taroMock } from '../../../test/__mocks__/taro'
import { serve } from '../../../test/fake-api'
import { ticketView } from '../../../test/fixtures'
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
  openInBuilding: 0,
}

function respond(statusCode: number, data: unknown) {
  taroMock.request.mockResolvedValueOnce({ statusCode, data, header: {}, cookies: [], errMsg: 'request:ok' })
}

function requestedUrls(): string[] {
  return taroMock.request.mock.calls.map(([option]: [{ url: string }]) => option.url)
}

describe('scan page', () => {
  it('draws the place in its first render from the view the QR URL put into the page (H5), asking nothing', () => {
    const platform = process.env.TARO_ENV
    process.env.TARO_ENV = 'h5'
    const holder = globalThis as { __mqScanView?: unknown }
    holder.__mqScanView = { token: TOKEN, view: VIEW }
    try {
      setRouterParams({ token: TOKEN })
      render(<ScanPage />)
      // Synchronously: no loading card first, no request for the view.
      expect(screen.getByTestId('scan-place')).toHaveTextContent('幸福里小区')
      expect(screen.queryByTestId('scan-loading')).not.toBeInTheDocument()
      expect(screen.getByTestId('scan-report')).toBeInTheDocument()
      expect(requestedUrls()).toEqual([])
      expect(holder.__mqScanView).toBeUndefined()
    } finally {
      if (platform === undefined) Reflect.deleteProperty(process.env, 'TARO_ENV')
      else process.env.TARO_ENV = platform
      delete holder.__mqScanView
    }
  })

  it('shows the place in words and its handlers, never the code itself', async () => {
    setRouterParams({ token: TOKEN })
    respond(200, VIEW)

    render(<ScanPage />)

    expect(screen.getByTestId('scan-loading')).toBeInTheDocument()

    const place = await screen.findByTestId('scan-place')
    expect(place).toHaveTextContent('幸福里小区')
    expect(place).toHaveTextContent('3号楼 · 2单元')
    expect(screen.getByTestId('scan-page')).not.toHaveTextContent(TOKEN)
    expect(screen.getByTestId('scan-page')).not.toHaveTextContent('二维码编号')
    expect(requestedUrls()).toEqual([`/api/places/by-token/${TOKEN}`])

    const handlers = screen.getAllByTestId('scan-handler')
    expect(handlers.map((h) => h.textContent)).toEqual([
      '网格长王**负责：邻里纠纷、生活需求与助老、其他',
      '物业李**负责：环境卫生、公共设施报修、房屋漏水、消防通道与安全隐患',
    ])
    expect(screen.getByTestId('scan-promise')).toHaveTextContent(SERVICE_PROMISE)
    // Nothing open in the building: no list, and no sign-in just for looking.
    expect(screen.queryByTestId('scan-building-open')).not.toBeInTheDocument()
    // The public board of the compound is one tap away.
    fireEvent.click(screen.getByTestId('scan-board-open'))
    expect(taroMock.navigateTo).toHaveBeenCalledWith({ url: `/pages/board/index?compoundId=${VIEW.compound.id}` })
    expect(screen.queryByTestId('scan-loading')).not.toBeInTheDocument()
  })

  it("extracts the token from WeChat's q parameter (the URL-encoded QR URL)", async () => {
    setRouterParams({ q: encodeURIComponent(`http://localhost:3000/q/${TOKEN}`), scancode_time: '1700000000' })
    respond(200, VIEW)

    render(<ScanPage />)

    expect(await screen.findByTestId('scan-place')).toHaveTextContent('幸福里小区')
    expect(screen.getByTestId('scan-page')).not.toHaveTextContent(TOKEN)
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
    expect(taroMock.request).not.toHaveBeenCalled()
  })

  it('rejects a malformed token locally, without echoing it', () => {
    setRouterParams({ token: 'abcxyz' })

    render(<ScanPage />)

    expect(screen.getByTestId('scan-invalid')).toHaveTextContent('二维码无效')
    expect(screen.getByTestId('scan-page')).not.toHaveTextContent('abcxyz')
    expect(taroMock.request).not.toHaveBeenCalled()
  })

  it('rejects a q that is not one of our QR URLs', () => {
    setRouterParams({ q: encodeURIComponent('https://example.com/some/other/page') })

    render(<ScanPage />)

    expect(screen.getByTestId('scan-invalid')).toHaveTextContent('二维码无效')
    expect(screen.getByTestId('scan-page')).not.toHaveTextContent('example.com')
    expect(taroMock.request).not.toHaveBeenCalled()
  })

  it('「我要反映问题」 opens the report form for this code; 「我反映过的问题」 my requests', async () => {
    setRouterParams({ token: TOKEN })
    respond(200, VIEW)

    render(<ScanPage />)

    fireEvent.click(await screen.findByRole('button', { name: '我要反映问题' }))
    expect(taroMock.navigateTo).toHaveBeenCalledWith({ url: `/pages/report/index?token=${TOKEN}` })
    fireEvent.click(screen.getByTestId('scan-mine'))
    expect(taroMock.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/mine/index' })
  })

  it("lists the building's open requests of every category from one call, grouped by category, with 「我也遇到了」", async () => {
    setRouterParams({ token: TOKEN })
    storage.set('mq.session.resident', { accessToken: 'access-1', refreshToken: 'refresh-1', me: null })
    const publicRequest = (over: Record<string, unknown>) => ({
      id: '5d6e7f80-1a2b-4c3d-8e9f-0a1b2c3d4e5f',
      number: 'MQ000007',
      category: 'facilities',
      severity: 'simple',
      state: 'accepted',
      reopened: false,
      compoundName: '幸福里小区',
      buildingName: '3号楼',
      unitName: '2单元',
      publicText: '我是***，住***，3幢2单元楼道灯坏了',
      createdAt: '2026-11-21T01:00:00.000Z',
      replyBy: null,
      nextDueAt: '2026-11-21T15:59:59.999Z',
      promise: null,
      resolution: null,
      followerCount: 1,
      ...over,
    })
    const open = publicRequest({})
    const older = publicRequest({ id: '5d6e7f80-1a2b-4c3d-8e9f-0a1b2c3d4e60', number: 'MQ000005', publicText: '单元门关不上', createdAt: '2026-11-20T01:00:00.000Z', followerCount: 0 })
    const litter = publicRequest({ id: '5d6e7f80-1a2b-4c3d-8e9f-0a1b2c3d4e61', number: 'MQ000008', category: 'sanitation', publicText: '垃圾两天没人收', createdAt: '2026-11-21T02:00:00.000Z', followerCount: 0 })
    const calls = serve((call) => {
      if (call.url.startsWith('/api/places/by-token/')) return { statusCode: 200, data: { ...VIEW, openInBuilding: 3 } }
      if (call.url.startsWith('/api/requests/duplicates')) return { statusCode: 200, data: { items: [older, litter, open] } }
      if (call.url.startsWith('/api/requests/mine')) return { statusCode: 200, data: { items: [], page: 1, pageSize: 50, total: 0 } }
      if (call.url === `/api/requests/${open.id}/follow`) {
        return {
          statusCode: 200,
          data: ticketView({
            id: open.id,
            number: open.number,
            state: 'accepted',
            createdAt: open.createdAt,
            description: '3幢2单元楼道灯坏了',
            followerCount: 2,
            viewer: { relation: 'follower', commands: ['chase'], nextChaseAt: null },
          }),
        }
      }
      return { statusCode: 404, data: { code: 'ROUTE_NOT_FOUND', message: 'no', requestId: 'r' } }
    })

    render(<ScanPage />)

    await screen.findAllByTestId('follow-item')
    const items = screen.getAllByTestId('follow-item')
    expect(screen.getByTestId('scan-building-open')).toHaveTextContent('本楼正在处理的问题：3 件')
    // Grouped in the order of the 责任清单 (环境卫生 before 公共设施报修), newest first within a category.
    expect(screen.getByTestId('scan-building-kinds')).toHaveTextContent('环境卫生 1 件 · 公共设施报修 2 件')
    expect(items.map((i) => i.getAttribute('data-id'))).toEqual([litter.id, open.id, older.id])
    expect(items[1]).toHaveTextContent('公共设施报修')
    expect(items[1]).toHaveTextContent('我是***，住***，3幢2单元楼道灯坏了')
    expect(items[1]).toHaveTextContent('1 人也遇到了')
    // One call for the whole building: no category in it.
    const lists = calls.filter((c) => c.url.startsWith('/api/requests/duplicates'))
    expect(lists.map((c) => c.url)).toEqual([`/api/requests/duplicates?unitToken=${TOKEN}`])

    fireEvent.click(screen.getAllByTestId('follow-button')[1])

    expect(await screen.findByTestId('follow-done')).toHaveTextContent('已关注')
    expect(screen.getAllByTestId('follow-item')[1]).toHaveTextContent('2 人也遇到了')
    // The follow carries the QR token the page was opened with: the server's proof the resident is in the building.
    const follows = calls.filter((c) => c.method === 'POST' && c.url === `/api/requests/${open.id}/follow`)
    expect(follows.map((c) => c.data)).toEqual([{ token: TOKEN }])
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
