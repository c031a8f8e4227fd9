import { fireEvent, render, screen, within } from '@testing-library/react'
import { storage } from '../../../../test/__mocks__/taro'
import { errorReply, serve, type FakeCall } from '../../../../test/fake-api'
import { NotificationsAdminPage } from './index'

const ADMIN_ME = {
  kind: 'staff',
  id: '7c0c7a4e-3f1b-4f5e-9a55-1d2a3b4c5d01',
  name: '社区管理员',
  phone: '13800000014',
  memberships: [
    { id: '7c0c7a4e-3f1b-4f5e-9a55-1d2a3b4c5d02', role: 'admin', roleLabel: '', place: { id: '7c0c7a4e-3f1b-4f5e-9a55-1d2a3b4c5d03', kind: 'community', name: '石灰桥社区' } },
  ],
  actions: ['manage_notifications'],
}

function item(id: string, overrides: Record<string, unknown> = {}) {
  return {
    id,
    type: 'assigned',
    recipientKind: 'staff',
    ticketId: '29e5c407-b9f5-434f-9280-5c3bc7e0730d',
    ticketNumber: `MQ00000${id}`,
    status: 'failed',
    attempts: 5,
    lastError: 'errcode 43101: user refuse to accept the msg',
    nextAttemptAt: '2026-11-21T05:00:00.000Z',
    sentAt: null,
    createdAt: '2026-11-21T04:00:00.000Z',
    ...overrides,
  }
}

function fakeServer(): FakeCall[] {
  storage.set('mq.session.staff', { accessToken: 'a1', refreshToken: 'r1', me: ADMIN_ME })
  return serve((call) => {
    const url = new URL(call.url, 'http://app')
    if (url.pathname === '/api/me') return { statusCode: 200, data: ADMIN_ME }
    if (url.pathname === '/api/admin/notifications') {
      const items = url.searchParams.get('status') === 'failed' ? [item('1'), item('2')] : []
      return { statusCode: 200, data: { items, page: 1, pageSize: 50, total: items.length } }
    }
    if (url.pathname === '/api/admin/notifications/1/retry') return { statusCode: 200, data: item('1', { status: 'pending', attempts: 0 }) }
    if (url.pathname === '/api/admin/notifications/2/retry') return errorReply(409, 'ILLEGAL_TRANSITION', '这条通知已在发送中，不能重试')
    return errorReply(404, 'ROUTE_NOT_FOUND', '没有这个接口')
  })
}

describe('failed notifications page', () => {
  it('lists failed messages with the reason and shows each retry’s result on its row', async () => {
    const calls = fakeServer()
    render(<NotificationsAdminPage />)
    const rows = await screen.findAllByTestId('notifications-table-row', {}, { timeout: 3000 })
    expect(rows).toHaveLength(2)
    expect(rows[0]).toHaveTextContent('新派单')
    expect(rows[0]).toHaveTextContent('43101')
    expect(new URL(calls.find((c) => c.url.startsWith('/api/admin/notifications'))!.url, 'http://app').searchParams.get('status')).toBe('failed')

    fireEvent.click(within(rows[0]).getByTestId('notification-retry'))
    expect(await within(rows[0]).findByTestId('notification-retry-result', {}, { timeout: 3000 })).toHaveTextContent('已重新排队（等待发送）')
    expect(within(rows[0]).queryByTestId('notification-retry')).toBeNull()

    fireEvent.click(within(rows[1]).getByTestId('notification-retry'))
    expect(await within(rows[1]).findByTestId('notification-retry-result', {}, { timeout: 3000 })).toHaveTextContent(
      '重试失败：这条通知已在发送中，不能重试',
    )
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.url)).toEqual([
      '/api/admin/notifications/1/retry',
      '/api/admin/notifications/2/retry',
    ])
  })

  it('says so when nothing failed', async () => {
    fakeServer()
    render(<NotificationsAdminPage />)
    fireEvent.click(await screen.findByTestId('notifications-status-skipped', {}, { timeout: 3000 }))
    expect(await screen.findByText('没有因无法送达而未发送的通知。', {}, { timeout: 3000 })).toBeInTheDocument()
  })
})
