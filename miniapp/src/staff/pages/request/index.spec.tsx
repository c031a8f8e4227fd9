import { act, fireEvent, render, screen, within } from '@testing-library/react'
import { WITHDRAW_REASON_MAX, type TicketView } from '@mq/shared'
import { setRouterParams, storage, taroMock } from '../../../../test/__mocks__/taro'
import { serve, type FakeCall } from '../../../../test/fake-api'
import { StaffRequestPage } from './index'

const TICKET_ID = '29e5c407-b9f5-434f-9280-5c3bc7e0730d'
const PLACE_ID = '28ca2384-c499-4900-968b-689c3a429a19'

function me(role: 'grid_lead' | 'police') {
  return {
    kind: 'staff',
    id: '0eb6b577-cded-49f4-b415-fae766e74f88',
    name: role === 'grid_lead' ? '王丽' : '陈刚',
    phone: '13800000001',
    memberships: [
      { id: 'b14eaced-1f5b-4046-8d4f-6b9bb9f37025', role, roleLabel: '', place: { id: PLACE_ID, kind: 'compound', name: '石灰桥新村' } },
    ],
    actions: ['view_tickets', 'handle_tickets', 'file_proxy_tickets'],
  }
}

function view(overrides: Partial<TicketView> = {}): TicketView {
  return {
    id: TICKET_ID,
    number: 'MQ000006',
    category: 'public_security',
    severity: 'complex',
    state: 'submitted',
    channel: 'phone',
    description: '夜里楼道有陌生人徘徊。',
    compoundName: '石灰桥新村',
    buildingName: '4幢',
    unitName: '1单元',
    handlerRole: 'police',
    handlerName: '陈刚',
    acceptBy: '2026-11-21T06:08:00.000Z',
    replyBy: '2026-11-24T04:08:00.000Z',
    resolveBy: null,
    nextDueAt: '2026-11-21T06:08:00.000Z',
    promise: null,
    resolution: null,
    rejectionReason: null,
    mergedInto: null,
    followerCount: 0,
    chaseCount: 0,
    createdAt: '2026-11-21T04:08:00.000Z',
    reporter: { kind: 'proxy', masked: false, name: '刘秀兰', phone: '13911112222', openid: null, room: '201', contactConsent: true },
    coHandlers: [],
    photos: { report: [], resolution: [] },
    rating: null,
    publicSummary: { text: '夜里楼道有陌生人徘徊。', commitment: null, resolution: null, edited: false },
    timeline: [
      {
        id: '1',
        at: '2026-11-21T04:08:00.000Z',
        type: 'filed',
        public: true,
        actor: { kind: 'staff', role: 'grid_lead', name: '王丽' },
        data: { channel: 'phone', photos: 0 },
      },
      {
        id: '2',
        at: '2026-11-21T04:09:00.000Z',
        type: 'noted',
        public: false,
        actor: { kind: 'staff', role: 'police', name: '陈刚' },
        data: { text: '老人下午在家' },
      },
    ],
    viewer: { relation: 'handler', commands: ['accept', 'reject', 'transfer', 'co_handlers', 'merge', 'note'], nextChaseAt: null },
    ...overrides,
  }
}

function signIn(role: 'grid_lead' | 'police'): void {
  storage.set('mq.session.staff', { accessToken: 'a1', refreshToken: 'r1', me: me(role) })
}

const CANDIDATES = [
  { staffId: '0eb6b577-cded-49f4-b415-fae766e74f88', name: '陈刚', role: 'police', roleLabel: '辖区民警' },
  { staffId: '5d1f6c1e-3a57-4a43-9c3e-2b8f7f0f4b11', name: '冯涛', role: 'property_manager', roleLabel: '物业' },
]

function serveTicket(role: 'grid_lead' | 'police', ticket: TicketView, onAction?: (call: FakeCall) => TicketView): FakeCall[] {
  return serve((call) => {
    if (call.url === '/api/me') return { statusCode: 200, data: me(role) }
    if (call.url === `/api/requests/${TICKET_ID}` && call.method === 'GET') return { statusCode: 200, data: ticket }
    if (call.url === `/api/requests/${TICKET_ID}/candidates`) return { statusCode: 200, data: { candidates: CANDIDATES } }
    if (onAction && call.method === 'POST') return { statusCode: 200, data: onAction(call) }
    return { statusCode: 404, data: { code: 'ROUTE_NOT_FOUND', message: 'no route', requestId: 'r' } }
  })
}

async function settle(): Promise<void> {
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 30))
  })
}

describe('staff handling screen', () => {
  beforeEach(() => setRouterParams({ id: TICKET_ID }))

  it('shows a masked reporter as the server sends it, with no call button', async () => {
    signIn('police')
    serveTicket('police', view({ reporter: { kind: 'proxy', masked: true, name: '刘**', phone: '139****2222', openid: null, room: '***', contactConsent: true } }))
    render(<StaffRequestPage />)
    await settle()
    expect(screen.getByTestId('request-reporter')).toHaveAttribute('data-masked', 'true')
    expect(screen.getByTestId('reporter-phone')).toHaveTextContent('139****2222')
    expect(screen.getByTestId('reporter-masked')).toBeInTheDocument()
    expect(screen.queryByTestId('reporter-call')).toBeNull()
    // Whom to ask instead: the staff member who filed the proxy entry.
    expect(screen.getByTestId('reporter-filer')).toHaveTextContent('网格长 王丽')
  })

  it('calls an unmasked number with the phone', async () => {
    signIn('grid_lead')
    serveTicket('grid_lead', view())
    render(<StaffRequestPage />)
    await settle()
    fireEvent.click(screen.getByTestId('reporter-call'))
    expect(taroMock.makePhoneCall).toHaveBeenCalledWith({ phoneNumber: '13911112222' })
  })

  it('shows the full timeline with internal notes marked', async () => {
    signIn('grid_lead')
    serveTicket('grid_lead', view())
    render(<StaffRequestPage />)
    await settle()
    const items = screen.getAllByTestId('timeline-item')
    expect(items.map((i) => i.getAttribute('data-type'))).toEqual(['filed', 'noted'])
    expect(within(items[1]).getByText('内部')).toBeInTheDocument()
    expect(items[1]).toHaveTextContent('老人下午在家')
  })

  it('accepts with a corrected severity, then offers the next legal steps', async () => {
    signIn('police')
    const calls = serveTicket('police', view(), () =>
      view({ state: 'accepted', severity: 'simple', viewer: { relation: 'handler', commands: ['resolve', 'wait', 'transfer', 'co_handlers', 'reject', 'merge', 'note'], nextChaseAt: null } }),
    )
    render(<StaffRequestPage />)
    await settle()
    fireEvent.click(screen.getByTestId('action-accept'))
    fireEvent.click(screen.getByTestId('accept-severity-simple'))
    fireEvent.click(screen.getByTestId('action-submit'))
    await settle()
    const post = calls.find((c) => c.method === 'POST')!
    expect(post.url).toBe(`/api/requests/${TICKET_ID}/accept`)
    expect(post.data).toEqual({ severity: 'simple' })
    expect(screen.getByTestId('action-done')).toHaveTextContent('已受理')
    expect(screen.getByTestId('request')).toHaveAttribute('data-state', 'accepted')
    expect(screen.queryByTestId('action-accept')).toBeNull()
    expect(screen.getByTestId('action-resolve')).toBeInTheDocument()
  })

  it.each([
    // Filed 12:08 in Shanghai, seen at 13:00: due today; filed 18:30, after the 17:00 cut-off: due tomorrow.
    ['2026-11-21T04:08:00.000Z', '2026-11-21T13:00:00+08:00', '简单问题（今天 23:59 前办结）', '复杂问题（11月24日 12:08 前答复）'],
    ['2026-11-21T10:30:00.000Z', '2026-11-21T19:00:00+08:00', '简单问题（明天 23:59 前办结）', '复杂问题（11月24日 18:30 前答复）'],
  ])('the accept form says what each severity owes a request filed at %s, by the deadline rules', async (createdAt, now, simple, complex) => {
    const clock = jest.spyOn(Date, 'now').mockReturnValue(Date.parse(now))
    signIn('police')
    serveTicket('police', view({ createdAt }))
    render(<StaffRequestPage />)
    await settle()
    fireEvent.click(screen.getByTestId('action-accept'))
    expect(screen.getByTestId('accept-severity-simple')).toHaveTextContent(simple)
    expect(screen.getByTestId('accept-severity-complex')).toHaveTextContent(complex)
    clock.mockRestore()
  })

  it('adds a co-handler picked from the staff who may handle the unit (never the handler)', async () => {
    signIn('police')
    const calls = serveTicket('police', view(), (call) =>
      view({ coHandlers: [{ staffId: (call.data as { staffId: string }).staffId, role: 'property_manager', name: '冯涛' }] }),
    )
    render(<StaffRequestPage />)
    await settle()
    fireEvent.click(screen.getByTestId('action-co_handlers'))
    await settle()
    const options = screen.getByTestId('co-handler-candidates')
    expect(options).toHaveTextContent('冯涛（物业）')
    expect(options).not.toHaveTextContent('陈刚') // the handler himself
    fireEvent.click(within(options).getByText('冯涛（物业）'))
    fireEvent.click(screen.getByTestId('co-handler-add'))
    await settle()
    const post = calls.find((c) => c.method === 'POST')!
    expect(post.url).toBe(`/api/requests/${TICKET_ID}/co-handlers`)
    expect(post.data).toEqual({ staffId: CANDIDATES[1].staffId })
  })
})

describe('公示内容 on the handling screen', () => {
  beforeEach(() => setRouterParams({ id: TICKET_ID }))

  const replied = (summary: TicketView['publicSummary']) =>
    view({
      state: 'replied',
      promise: { plan: '周三前请施工队检修3单元屋面防水', promisedAt: '2026-11-25T10:00:00.000Z', repliedAt: '2026-11-21T05:00:00.000Z' },
      publicSummary: summary,
      // The 民警 handles this one: the server offers the edit.
      viewer: { relation: 'handler', commands: ['resolve', 'note', 'public_summary'], nextChaseAt: null },
    })

  function servePatch(initial: TicketView): FakeCall[] {
    return serve((call) => {
      if (call.url === '/api/me') return { statusCode: 200, data: me('police') }
      if (call.url === `/api/requests/${TICKET_ID}` && call.method === 'GET') return { statusCode: 200, data: initial }
      if (call.url === `/api/requests/${TICKET_ID}/public-summary` && call.method === 'PATCH') {
        const body = call.data as { commitment?: string | null }
        const commitment = body.commitment ?? initial.promise!.plan
        return { statusCode: 200, data: { ...initial, publicSummary: { text: '夜里楼道有陌生人徘徊。', commitment, resolution: null, edited: body.commitment != null } } }
      }
      return { statusCode: 404, data: { code: 'ROUTE_NOT_FOUND', message: 'no route', requestId: 'r' } }
    })
  }

  it('before a reply or resolution shows only the public description', async () => {
    signIn('police')
    serveTicket('police', view())
    render(<StaffRequestPage />)
    await settle()
    expect(screen.getByTestId('public-summary-text')).toHaveTextContent(view().publicSummary.text)
    expect(screen.queryByTestId('public-summary-commitment')).toBeNull()
    expect(screen.getByTestId('public-summary-none')).toBeInTheDocument()
    expect(screen.queryByTestId('public-summary-edit')).toBeNull()
  })

  it('offers no 编辑 to a 民警 whose edit the server would refuse (no public_summary command)', async () => {
    signIn('police')
    const calls = servePatch({
      ...replied({ text: '夜里楼道有陌生人徘徊。', commitment: '周三前请施工队检修3单元屋面防水', resolution: null, edited: false }),
      viewer: { relation: 'staff', commands: ['note'], nextChaseAt: null },
    })
    render(<StaffRequestPage />)
    await settle()
    expect(screen.getByTestId('public-summary-commitment')).toHaveTextContent('周三前请施工队检修3单元屋面防水')
    expect(screen.queryByTestId('public-summary-edit')).toBeNull()
    expect(screen.queryByTestId('public-summary-restore')).toBeNull()
    expect(calls.filter((c) => c.method === 'PATCH')).toHaveLength(0)
  })

  it('edits the public commitment: only the changed text is sent, the board text and the mark follow', async () => {
    signIn('police')
    const calls = servePatch(replied({ text: '夜里楼道有陌生人徘徊。', commitment: '周三前请施工队检修3单元屋面防水', resolution: null, edited: false }))
    render(<StaffRequestPage />)
    await settle()
    expect(screen.getByTestId('public-summary-commitment')).toHaveTextContent('周三前请施工队检修3单元屋面防水')
    expect(screen.queryByTestId('public-summary-resolution')).toBeNull()
    fireEvent.click(screen.getByTestId('public-summary-edit'))
    fireEvent.change(screen.getByTestId('public-summary-input-commitment'), { target: { value: '  本周内修好3单元屋面防水  ' } })
    fireEvent.click(screen.getByTestId('public-summary-save'))
    await settle()
    const patch = calls.filter((c) => c.method === 'PATCH')
    expect(patch.map((c) => c.data)).toEqual([{ commitment: '本周内修好3单元屋面防水' }])
    expect(screen.getByTestId('public-summary-commitment')).toHaveTextContent('本周内修好3单元屋面防水')
    expect(screen.getByTestId('public-summary')).toHaveAttribute('data-edited', 'true')
  })

  it('edits the public description: the text residents see instead of the redacted original', async () => {
    signIn('police')
    const calls = servePatch(replied({ text: '夜里楼道有陌生人徘徊。', commitment: '周三前请施工队检修3单元屋面防水', resolution: null, edited: false }))
    render(<StaffRequestPage />)
    await settle()
    fireEvent.click(screen.getByTestId('public-summary-edit'))
    fireEvent.change(screen.getByTestId('public-summary-input-text'), { target: { value: '夜间楼道有可疑人员' } })
    fireEvent.click(screen.getByTestId('public-summary-save'))
    await settle()
    expect(calls.filter((c) => c.method === 'PATCH').map((c) => c.data)).toEqual([{ text: '夜间楼道有可疑人员' }])
  })

  it('refuses an empty text in Chinese without sending it, and 恢复原文 sends null', async () => {
    signIn('police')
    const calls = servePatch(replied({ text: '夜里楼道有陌生人徘徊。', commitment: '本周内修好', resolution: null, edited: true }))
    render(<StaffRequestPage />)
    await settle()
    fireEvent.click(screen.getByTestId('public-summary-edit'))
    fireEvent.change(screen.getByTestId('public-summary-input-commitment'), { target: { value: '   ' } })
    fireEvent.click(screen.getByTestId('public-summary-save'))
    expect(screen.getByTestId('public-summary-problem-commitment')).toHaveTextContent('请填写公开承诺，或点「恢复原文」')
    fireEvent.click(screen.getByTestId('public-summary-cancel'))
    fireEvent.click(screen.getByTestId('public-summary-restore'))
    await settle()
    expect(calls.filter((c) => c.method === 'PATCH').map((c) => c.data)).toEqual([{ text: null, commitment: null }])
    expect(screen.getByTestId('public-summary-commitment')).toHaveTextContent('周三前请施工队检修3单元屋面防水')
    expect(screen.getByTestId('public-summary')).toHaveAttribute('data-edited', 'false')
  })
})

describe('the thread on the handling screen', () => {
  beforeEach(() => setRouterParams({ id: TICKET_ID }))

  const answered = (relation: TicketView['viewer']['relation']) =>
    view({
      state: 'accepted',
      timeline: [
        {
          id: '7',
          at: '2026-11-21T05:00:00.000Z',
          type: 'message',
          public: false,
          actor: { kind: 'resident', role: null, name: null },
          data: { kind: 'answer', text: '是三楼的灯', photoIds: [] },
        },
      ],
      viewer: { relation, commands: ['message', 'note'], nextChaseAt: null },
    })

  it('shows the resident’s answer and sends a message to them', async () => {
    signIn('police')
    const calls = serveTicket('police', answered('handler'), () => answered('handler'))
    render(<StaffRequestPage />)
    await settle()
    expect(screen.getByTestId('request-thread-item')).toHaveTextContent('居民 · 回复补充')
    expect(screen.getByTestId('request-thread-item')).toHaveTextContent('是三楼的灯')
    fireEvent.change(screen.getByTestId('request-thread-text'), { target: { value: '  今天下午来修  ' } })
    fireEvent.click(screen.getByTestId('request-thread-send'))
    await settle()
    const post = calls.find((c) => c.method === 'POST')!
    expect(post.url).toBe(`/api/requests/${TICKET_ID}/staff-messages`)
    expect(post.data).toEqual({ text: '今天下午来修', photoIds: [] })
    expect(screen.getByTestId('action-done')).toHaveTextContent('已发送给居民')
  })

  it('lets the filer of a proxy entry write as the resident', async () => {
    signIn('grid_lead')
    const calls = serveTicket('grid_lead', answered('proxy_filer'), () => answered('proxy_filer'))
    render(<StaffRequestPage />)
    await settle()
    fireEvent.change(screen.getByTestId('request-thread-text'), { target: { value: '老人说是三楼' } })
    fireEvent.click(screen.getByTestId('request-thread-send'))
    await settle()
    expect(calls.find((c) => c.method === 'POST')!.url).toBe(`/api/requests/${TICKET_ID}/messages`)
  })
})

describe('撤回 on the handling screen', () => {
  beforeEach(() => setRouterParams({ id: TICKET_ID }))

  const filed = view({ viewer: { relation: 'proxy_filer', commands: ['chase', 'withdraw', 'message'], nextChaseAt: null } })

  it('lets the proxy entry’s filer withdraw it after the dialog, with the reason, and then offers it no more', async () => {
    signIn('grid_lead')
    const calls = serveTicket('grid_lead', filed, () =>
      view({ state: 'withdrawn', viewer: { relation: 'proxy_filer', commands: [], nextChaseAt: null } }),
    )
    render(<StaffRequestPage />)
    await settle()
    expect(screen.getByTestId('request-withdraw')).toHaveTextContent('代录人')
    // Nothing is sent before the dialog is confirmed; 不撤回 sends nothing.
    fireEvent.click(screen.getByTestId('withdraw-open'))
    expect(screen.getByTestId('withdraw-dialog')).toBeInTheDocument()
    fireEvent.click(screen.getByTestId('withdraw-cancel'))
    expect(calls.filter((c) => c.method === 'POST')).toEqual([])
    fireEvent.click(screen.getByTestId('withdraw-open'))
    fireEvent.change(screen.getByTestId('withdraw-reason'), { target: { value: '  居民说已自行修好  ' } })
    fireEvent.click(screen.getByTestId('withdraw-confirm'))
    await settle()
    const posts = calls.filter((c) => c.method === 'POST')
    expect(posts.map((c) => [c.url, c.data])).toEqual([[`/api/requests/${TICKET_ID}/withdraw`, { reason: '居民说已自行修好' }]])
    expect(screen.getByTestId('request')).toHaveAttribute('data-state', 'withdrawn')
    expect(screen.getByTestId('action-done')).toHaveTextContent('已撤回')
    expect(screen.queryByTestId('request-withdraw')).toBeNull()
  })

  it('sends no reason when none is given, and shows the server’s refusal in the dialog', async () => {
    signIn('grid_lead')
    const calls = serve((call) => {
      if (call.url === '/api/me') return { statusCode: 200, data: me('grid_lead') }
      if (call.method === 'GET') return { statusCode: 200, data: filed }
      return { statusCode: 409, data: { code: 'ILLEGAL_TRANSITION', message: '这条诉求已受理，不能撤回了', requestId: 'r9' } }
    })
    render(<StaffRequestPage />)
    await settle()
    fireEvent.click(screen.getByTestId('withdraw-open'))
    fireEvent.click(screen.getByTestId('withdraw-confirm'))
    await settle()
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.data)).toEqual([{}])
    expect(screen.getByTestId('withdraw-dialog-error')).toHaveTextContent('不能撤回了')
    expect(screen.getByTestId('request')).toHaveAttribute('data-state', 'submitted')
  })

  it('refuses a reason over the limit before sending it', async () => {
    signIn('grid_lead')
    const calls = serveTicket('grid_lead', filed, () => filed)
    render(<StaffRequestPage />)
    await settle()
    fireEvent.click(screen.getByTestId('withdraw-open'))
    fireEvent.change(screen.getByTestId('withdraw-reason'), { target: { value: '很'.repeat(WITHDRAW_REASON_MAX + 3) } })
    expect(screen.getByTestId('withdraw-counter')).toHaveTextContent('请删去3字')
    fireEvent.click(screen.getByTestId('withdraw-confirm'))
    await settle()
    expect(calls.filter((c) => c.method === 'POST')).toEqual([])
  })

  it('offers nothing to withdraw to a handler, or once the server no longer offers it', async () => {
    signIn('police')
    serveTicket('police', view())
    const { unmount } = render(<StaffRequestPage />)
    await settle()
    expect(screen.getByTestId('request')).toBeInTheDocument()
    expect(screen.queryByTestId('request-withdraw')).toBeNull()
    unmount()
    signIn('grid_lead')
    serveTicket('grid_lead', view({ state: 'accepted', viewer: { relation: 'proxy_filer', commands: ['chase', 'message'], nextChaseAt: null } }))
    render(<StaffRequestPage />)
    await settle()
    expect(screen.getByTestId('request')).toHaveAttribute('data-state', 'accepted')
    expect(screen.queryByTestId('request-withdraw')).toBeNull()
  })
})
