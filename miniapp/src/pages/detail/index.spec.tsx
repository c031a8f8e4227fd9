import { act, fireEvent, render, screen } from '@testing-library/react'
import type { TicketView } from '@mq/shared'
import { setRouterParams, storage } from '../../../test/__mocks__/taro'
import { serve, type FakeCall } from '../../../test/fake-api'
import { ticketView } from '../../../test/fixtures'
import { DetailPage } from './index'

const ID = '0b7e3c1a-52d4-4c1b-9f3e-6a1d2c3b4e5f'

async function settle(): Promise<void> {
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 30))
  })
}

function serveDetail(ticket: TicketView, onPost: (call: FakeCall) => { statusCode: number; data: unknown }): FakeCall[] {
  return serve((call) => {
    if (call.method === 'GET' && call.url === `/api/requests/${ID}`) return { statusCode: 200, data: ticket }
    if (call.method === 'POST') return onPost(call)
    return { statusCode: 404, data: { code: 'ROUTE_NOT_FOUND', message: 'no route', requestId: 'r' } }
  })
}

const waiting = ticketView({
  id: ID,
  state: 'waiting_resident',
  nextDueAt: null,
  timeline: [
    {
      id: '5',
      at: '2026-11-21T05:00:00.000Z',
      type: 'waiting',
      public: true,
      actor: { kind: 'staff', role: 'property_manager', name: '冯涛' },
      data: { question: '请问是几楼的灯？' },
    },
  ],
  viewer: { relation: 'reporter', commands: ['chase', 'message'], nextChaseAt: null },
})

describe('the resident’s detail page: the thread and 撤回', () => {
  beforeEach(() => {
    setRouterParams({ id: ID })
    storage.set('mq.session.resident', { accessToken: 'access-1', refreshToken: 'refresh-1', me: null })
  })

  it('asks in the resident’s words and sends the answer under the question', async () => {
    const answered = ticketView({
      ...waiting,
      state: 'accepted',
      timeline: [
        ...waiting.timeline,
        {
          id: '6',
          at: '2026-11-21T06:00:00.000Z',
          type: 'message',
          public: false,
          actor: { kind: 'resident', role: null, name: null },
          data: { kind: 'answer', text: '三楼', photoIds: [] },
        },
      ],
    })
    const calls = serveDetail(waiting, () => ({ statusCode: 200, data: answered }))
    render(<DetailPage />)
    await settle()
    expect(screen.getByTestId('state-badge')).toHaveTextContent('等您补充')
    expect(screen.getByTestId('detail-question')).toHaveTextContent('请问是几楼的灯？')
    // Nothing typed: nothing sent, and it says what is missing.
    fireEvent.click(screen.getByTestId('answer-send'))
    expect(screen.getByTestId('answer-missing')).toHaveTextContent('请写几句话，或者附上照片')
    fireEvent.change(screen.getByTestId('answer-text'), { target: { value: ' 三楼 ' } })
    fireEvent.click(screen.getByTestId('answer-send'))
    await settle()
    const post = calls.find((c) => c.method === 'POST')!
    expect(post.url).toBe(`/api/requests/${ID}/messages`)
    expect(post.data).toEqual({ text: '三楼', photoIds: [] })
    expect(screen.getByTestId('state-badge')).toHaveTextContent('处理中')
    expect(screen.getByTestId('thread-item')).toHaveTextContent('我 · 回复')
    expect(screen.getByTestId('addition-box')).toBeInTheDocument()
  })

  it('withdraws after the dialog, with the reason; a refusal shows the server’s words', async () => {
    const submitted = ticketView({ id: ID, state: 'submitted', viewer: { relation: 'reporter', commands: ['chase', 'message', 'withdraw'], nextChaseAt: null } })
    const calls = serveDetail(submitted, () => ({
      statusCode: 409,
      data: { code: 'ILLEGAL_TRANSITION', message: '这条诉求已受理，不能撤回了', requestId: 'r1' },
    }))
    render(<DetailPage />)
    await settle()
    expect(screen.getByTestId('state-badge')).toHaveTextContent('待受理')
    expect(screen.getByTestId('detail-next')).toHaveTextContent('受理前您可以撤回')
    fireEvent.click(screen.getByTestId('withdraw-open'))
    fireEvent.change(screen.getByTestId('withdraw-reason'), { target: { value: '已经好了' } })
    fireEvent.click(screen.getByTestId('withdraw-confirm'))
    await settle()
    const post = calls.find((c) => c.method === 'POST')!
    expect(post.url).toBe(`/api/requests/${ID}/withdraw`)
    expect(post.data).toEqual({ reason: '已经好了' })
    expect(screen.getByTestId('withdraw-dialog-error')).toHaveTextContent('不能撤回了')
  })

  it('shows a follower no thread and no box', async () => {
    serveDetail(ticketView({ ...waiting, viewer: { relation: 'follower', commands: ['chase'], nextChaseAt: null } }), () => ({
      statusCode: 500,
      data: null,
    }))
    render(<DetailPage />)
    await settle()
    expect(screen.getByTestId('state-badge')).toHaveTextContent('等待补充')
    expect(screen.queryByTestId('answer-box')).toBeNull()
    expect(screen.queryByTestId('detail-thread')).toBeNull()
  })
})
