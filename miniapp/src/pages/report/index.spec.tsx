import { act, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { DEFAULT_DEADLINE_CONFIG, DESCRIPTION_MAX, SERVICE_PROMISE, type ScanView } from '@mq/shared'
import { setRouterParams, storage, taroMock } from '../../../test/__mocks__/taro'
import { serve, type FakeCall, type FakeReply } from '../../../test/fake-api'
import { ticketView } from '../../../test/fixtures'
import { ReportPage } from './index'
import { validateDraft, emptyDraft, type FormPhoto } from './draft'

const TOKEN = 'abcDEF123456'
const TICKET_ID = '0b7e3c1a-52d4-4c1b-9f3e-6a1d2c3b4e5f'
const VIEW: ScanView = {
  token: TOKEN,
  unit: { id: '7c0c7a4e-3f1b-4f5e-9a55-1d2a3b4c5d01', name: '2单元' },
  building: { id: '7c0c7a4e-3f1b-4f5e-9a55-1d2a3b4c5d02', name: '3幢' },
  compound: { id: '7c0c7a4e-3f1b-4f5e-9a55-1d2a3b4c5d03', name: '石灰桥新村' },
  handlers: [
    { role: 'grid_lead', roleLabel: '网格长', displayName: '王丽' },
    { role: 'property_manager', roleLabel: '物业', displayName: '冯涛' },
  ],
  servicePromise: SERVICE_PROMISE,
  hotline: null,
  openInBuilding: 0,
}

/** The filed request as the server answers it (only what the client checks). */
const FILED = ticketView({ id: TICKET_ID })

function signedIn(): void {
  storage.set('mq.session.resident', { accessToken: 'access-1', refreshToken: 'refresh-1', me: null })
}

/** The API behind Taro.request: the place, duplicates, and POST /api/requests answered by `file`. */
function api(file: (call: FakeCall) => FakeReply): FakeCall[] {
  return serve((call) => {
    if (call.url.startsWith(`/api/places/by-token/`)) return { statusCode: 200, data: VIEW }
    if (call.url.startsWith('/api/requests/duplicates')) return { statusCode: 200, data: { items: [] } }
    if (call.url === '/api/requests' && call.method === 'POST') return file(call)
    return { statusCode: 404, data: { code: 'ROUTE_NOT_FOUND', message: 'no', requestId: 'r' } }
  })
}

const posts = (calls: FakeCall[]) => calls.filter((c) => c.url === '/api/requests' && c.method === 'POST')

function type(text: string): void {
  fireEvent.change(screen.getByTestId('report-description'), { target: { value: text } })
}

describe('report form: validation', () => {
  beforeEach(() => {
    setRouterParams({ token: TOKEN })
    signedIn()
  })

  it('refuses to send without a category and a description, naming both, and sends nothing', async () => {
    const calls = api(() => ({ statusCode: 201, data: FILED }))
    render(<ReportPage />)
    await screen.findByText('石灰桥新村 3幢 2单元')

    fireEvent.click(screen.getByTestId('report-submit'))

    expect(screen.getByTestId('report-error-category')).toHaveTextContent('请选择问题类别')
    expect(screen.getByTestId('report-error-description')).toHaveTextContent('请简单说说遇到了什么问题')
    // Whitespace is not a description.
    type('   ')
    expect(screen.getByTestId('report-error-description')).toBeInTheDocument()

    // Errors clear as the fields are fixed.
    fireEvent.click(screen.getByTestId('category-facilities'))
    expect(screen.queryByTestId('report-error-category')).not.toBeInTheDocument()
    type('楼道灯坏了')
    expect(screen.queryByTestId('report-error-description')).not.toBeInTheDocument()
    await act(() => new Promise((r) => setTimeout(r, 20)))
    expect(posts(calls)).toHaveLength(0)
  })

  it('counts characters and refuses a description over 1000 characters', async () => {
    const calls = api(() => ({ statusCode: 201, data: FILED }))
    render(<ReportPage />)
    fireEvent.click(screen.getByTestId('category-sanitation'))

    type('楼道里有垃圾')
    expect(screen.getByTestId('report-counter')).toHaveTextContent(`6/${DESCRIPTION_MAX}`)
    expect(screen.getByTestId('report-counter')).not.toHaveClass('mq-counter--over')

    type('字'.repeat(DESCRIPTION_MAX + 1))
    expect(screen.getByTestId('report-counter')).toHaveTextContent(`1001/${DESCRIPTION_MAX}，请删去1字`)
    expect(screen.getByTestId('report-counter')).toHaveClass('mq-counter--over')
    fireEvent.click(screen.getByTestId('report-submit'))
    expect(screen.getByTestId('report-error-description')).toHaveTextContent('描述不能超过1000字，现在是1001字')

    type('字'.repeat(DESCRIPTION_MAX))
    expect(screen.queryByTestId('report-error-description')).not.toBeInTheDocument()
    await act(() => new Promise((r) => setTimeout(r, 20)))
    expect(posts(calls)).toHaveLength(0)
  })

  it('shows the severity and the promise of the chosen category before sending', async () => {
    // 10:00 in Shanghai: a simple request is due today.
    const clock = jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-11-21T10:00:00+08:00'))
    api(() => ({ statusCode: 201, data: FILED }))
    render(<ReportPage />)
    await screen.findByText('石灰桥新村 3幢 2单元')

    expect(screen.queryByTestId('report-promise')).not.toBeInTheDocument()
    fireEvent.click(screen.getByTestId('category-facilities'))
    expect(screen.getByTestId('report-promise-by')).toHaveTextContent('今天 23:59 前办结')
    expect(screen.getByTestId('report-promise')).toHaveTextContent('简单问题 · 由物业 冯涛负责')
    expect(screen.getByTestId('report-promise')).toHaveTextContent('17:00 以后提交的，第二天办结')

    fireEvent.click(screen.getByTestId('category-leak'))
    expect(screen.getByTestId('report-promise-by')).toHaveTextContent('11月24日 10:00 前答复')
    expect(screen.getByTestId('report-promise')).toHaveTextContent('3天内')
    expect(screen.getByTestId('report-promise')).toHaveTextContent('复杂问题')
    clock.mockRestore()
  })

  it("follows the compound's own cut-off from the scan view (15:30 here): at 16:00 the promise is tomorrow", async () => {
    const clock = jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-11-21T16:00:00+08:00'))
    serve((call) => {
      if (call.url.startsWith(`/api/places/by-token/`)) {
        return { statusCode: 200, data: { ...VIEW, deadlines: { ...DEFAULT_DEADLINE_CONFIG, simpleCutoff: '15:30' } } }
      }
      if (call.url.startsWith('/api/requests/duplicates')) return { statusCode: 200, data: { items: [] } }
      return { statusCode: 404, data: { code: 'ROUTE_NOT_FOUND', message: 'no', requestId: 'r' } }
    })
    render(<ReportPage />)
    await screen.findByText('石灰桥新村 3幢 2单元')
    fireEvent.click(screen.getByTestId('category-facilities'))
    expect(screen.getByTestId('report-promise-by')).toHaveTextContent('明天 23:59 前办结')
    expect(screen.getByTestId('report-promise')).toHaveTextContent('15:30 以后提交的，第二天办结')
    clock.mockRestore()
  })

  it('promises tomorrow, not today, for a simple request filed after 17:00', async () => {
    const clock = jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-11-21T17:30:00+08:00'))
    api(() => ({ statusCode: 201, data: FILED }))
    render(<ReportPage />)
    await screen.findByText('石灰桥新村 3幢 2单元')
    fireEvent.click(screen.getByTestId('category-facilities'))
    expect(screen.getByTestId('report-promise-by')).toHaveTextContent('明天 23:59 前办结')
    expect(screen.getByTestId('report-promise')).not.toHaveTextContent('今天')
    clock.mockRestore()
  })

  it('blocks sending while photos upload, after one failed (重试) or was refused (删除)', () => {
    const photo = (status: FormPhoto['status']): FormPhoto => ({
      localId: status,
      preview: null,
      status,
      progress: 40,
      id: status === 'done' ? '1b7e3c1a-52d4-4c1b-9f3e-6a1d2c3b4e5f' : null,
      error: null,
    })
    const base = { ...emptyDraft(), category: 'facilities' as const, description: '楼道灯坏了' }
    expect(validateDraft({ ...base, photos: [photo('done')] })).toEqual({})
    expect(validateDraft({ ...base, photos: [photo('done'), photo('uploading')] }).photos).toBe('照片还在上传，请稍等')
    expect(validateDraft({ ...base, photos: [photo('failed')] }).photos).toContain('重试')
    // A refused file is not worth another try: the form asks for it to be removed.
    expect(validateDraft({ ...base, photos: [photo('failed'), photo('refused')] }).photos).toBe('有照片传不上去，请先把它删除')
    expect(validateDraft({ ...base, photos: Array.from({ length: 7 }, () => photo('done')) }).photos).toBe('最多6张照片')
  })
})

describe('report form: sending', () => {
  beforeEach(() => {
    setRouterParams({ token: TOKEN })
    signedIn()
  })

  it('keeps the draft and its Idempotency-Key when the page is left and opened again', async () => {
    api(() => ({ statusCode: 201, data: FILED }))
    const first = render(<ReportPage />)
    fireEvent.click(screen.getByTestId('category-facilities'))
    type('3楼楼道灯坏了')
    const stored = storage.get(`mq.draft.${TOKEN}`) as { idempotencyKey: string; description: string }
    expect(stored.description).toBe('3楼楼道灯坏了')
    expect(stored.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/)
    first.unmount()

    render(<ReportPage />)
    expect(screen.getByTestId('report-description')).toHaveValue('3楼楼道灯坏了')
    expect(screen.getByTestId('category-facilities')).toHaveAttribute('aria-pressed', 'true')
    expect((storage.get(`mq.draft.${TOKEN}`) as { idempotencyKey: string }).idempotencyKey).toBe(stored.idempotencyKey)
  })

  it('retries a submit whose answer was lost with the same Idempotency-Key, then opens the request', async () => {
    let attempts = 0
    const calls = api(() => {
      attempts += 1
      // The first answer never arrives (the server may well have filed it).
      if (attempts === 1) throw Object.assign(new Error('request:fail'), { errMsg: 'request:fail' })
      return { statusCode: 200, data: FILED }
    })
    render(<ReportPage />)
    fireEvent.click(screen.getByTestId('category-facilities'))
    type('楼道灯坏了')
    fireEvent.click(screen.getByTestId('report-submit'))
    expect(screen.getByTestId('report-submit')).toHaveTextContent('正在提交…')

    await waitFor(() => expect(taroMock.redirectTo).toHaveBeenCalled(), { timeout: 3000 })
    expect(taroMock.redirectTo).toHaveBeenCalledWith({ url: `/pages/detail/index?id=${TICKET_ID}&filed=1` })
    const sent = posts(calls)
    expect(sent).toHaveLength(2)
    const keys = sent.map((c) => c.header['Idempotency-Key'])
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/)
    expect(keys[1]).toBe(keys[0])
    expect(sent[1].data).toEqual(sent[0].data)
    expect(sent[0].data).toEqual({ unitToken: TOKEN, category: 'facilities', description: '楼道灯坏了', photoIds: [] })
    // Filed: the draft is gone.
    expect(storage.has(`mq.draft.${TOKEN}`)).toBe(false)
  })

  it('after the retries run out, locks the form to what was sent and resends it with the same key', async () => {
    let online = false
    const calls = api(() => {
      if (!online) throw Object.assign(new Error('request:fail'), { errMsg: 'request:fail' })
      return { statusCode: 200, data: FILED }
    })
    const first = render(<ReportPage />)
    fireEvent.click(screen.getByTestId('category-facilities'))
    type('楼道灯坏了')
    fireEvent.click(screen.getByTestId('report-submit'))

    await screen.findByTestId('report-unconfirmed', undefined, { timeout: 4000 })
    expect(screen.getByTestId('report-submit')).toHaveTextContent('重新提交')
    expect(screen.getByTestId('report-description')).toBeDisabled()
    // Even after leaving the page, the unconfirmed submit is remembered.
    first.unmount()
    render(<ReportPage />)
    expect(screen.getByTestId('report-unconfirmed')).toBeInTheDocument()

    online = true
    fireEvent.click(screen.getByTestId('report-submit'))
    await waitFor(() => expect(taroMock.redirectTo).toHaveBeenCalled())
    const keys = new Set(posts(calls).map((c) => c.header['Idempotency-Key']))
    expect(posts(calls)).toHaveLength(4)
    expect(keys.size).toBe(1)
  })

  it('unlocks the form when the server refuses the request, with its message', async () => {
    api(() => ({
      statusCode: 400,
      data: { code: 'VALIDATION_FAILED', message: '描述不能超过1000字', requestId: 'r' },
    }))
    render(<ReportPage />)
    fireEvent.click(screen.getByTestId('category-facilities'))
    type('楼道灯坏了')
    fireEvent.click(screen.getByTestId('report-submit'))

    expect(await screen.findByTestId('report-submit-error')).toHaveTextContent('描述不能超过1000字')
    expect(screen.getByTestId('report-description')).toBeEnabled()
    expect(screen.getByTestId('report-submit')).toHaveTextContent('提交')
  })
})
