import { fireEvent, render, screen, within } from '@testing-library/react'
import { storage } from '../../../../test/__mocks__/taro'
import { errorReply, serve, type FakeCall } from '../../../../test/fake-api'
import { AccessLogPage } from './index'

const COMMUNITY = '7c0c7a4e-3f1b-4f5e-9a55-1d2a3b4c5d03'
const ADMIN_ME = {
  kind: 'staff',
  id: '7c0c7a4e-3f1b-4f5e-9a55-1d2a3b4c5d01',
  name: '社区管理员',
  phone: '13800000014',
  memberships: [
    { id: '7c0c7a4e-3f1b-4f5e-9a55-1d2a3b4c5d02', role: 'admin', roleLabel: '', place: { id: COMMUNITY, kind: 'community', name: '石灰桥社区' } },
  ],
  actions: ['view_access_log'],
}
const LEAD = { id: '3f0c7a4e-3f1b-4f5e-9a55-1d2a3b4c5d11', name: '王丽' }
const COMPOUND = { id: '3f0c7a4e-3f1b-4f5e-9a55-1d2a3b4c5d12', name: '石灰桥新村' }

function entry(id: string, subject: Record<string, unknown>, fields: string[]) {
  return { id, at: '2026-12-05T02:03:04.000Z', staff: LEAD, role: 'grid_lead', subject, compound: COMPOUND, fields, requestId: null }
}

const ENTRIES = [
  entry('3', { kind: 'household', id: '3f0c7a4e-3f1b-4f5e-9a55-1d2a3b4c5d21', buildingName: '3幢', unitName: '1单元' }, ['name', 'phone', 'room', 'notes']),
  entry('2', { kind: 'resource', id: '3f0c7a4e-3f1b-4f5e-9a55-1d2a3b4c5d22', name: '理发志愿队' }, ['name', 'phone']),
  entry('1', { kind: 'ticket', id: '3f0c7a4e-3f1b-4f5e-9a55-1d2a3b4c5d23', number: 'MQ000123' }, ['phone', 'voice']),
]

function fakeServer(): FakeCall[] {
  storage.set('mq.session.staff', { accessToken: 'a1', refreshToken: 'r1', me: ADMIN_ME })
  return serve((call) => {
    const url = new URL(call.url, 'http://app')
    if (url.pathname === '/api/me') return { statusCode: 200, data: ADMIN_ME }
    if (url.pathname === '/api/admin/staff') return { statusCode: 200, data: { items: [] } }
    if (url.pathname === '/api/admin/access-log') {
      const subject = url.searchParams.get('subject')
      const items = ENTRIES.filter((e) => !subject || e.subject.kind === subject)
      return { statusCode: 200, data: { items, nextBefore: null } }
    }
    return errorReply(404, 'ROUTE_NOT_FOUND', '没有这个接口')
  })
}

describe('personal-data access log page', () => {
  it('names what was read in words (a request, a resource, a household by building and unit) and filters by kind', async () => {
    const calls = fakeServer()
    render(<AccessLogPage />)
    const rows = await screen.findAllByTestId('access-log-table-row', {}, { timeout: 3000 })
    expect(rows).toHaveLength(3)
    expect(rows[0]).toHaveTextContent('走访名册：3幢1单元')
    expect(rows[0]).toHaveTextContent('姓名、电话、房号、备注')
    expect(rows[0]).toHaveTextContent('王丽（网格长）')
    expect(rows[1]).toHaveTextContent('资源清单：理发志愿队')
    expect(rows[2]).toHaveTextContent('诉求 MQ000123')
    expect(rows[2]).toHaveTextContent('电话、语音留言')

    fireEvent.click(within(screen.getByTestId('access-log-subjects')).getByText('走访名册'))
    await waitForRows(1)
    expect(screen.getAllByTestId('access-log-table-row')[0]).toHaveTextContent('走访名册：3幢1单元')
    const asked = calls.filter((c) => c.url.startsWith('/api/admin/access-log')).map((c) => new URL(c.url, 'http://app').searchParams.get('subject'))
    expect(asked).toEqual([null, 'household'])
  })
})

async function waitForRows(n: number): Promise<void> {
  for (let i = 0; i < 60; i++) {
    if (screen.queryAllByTestId('access-log-table-row').length === n) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`expected ${n} rows, saw ${screen.queryAllByTestId('access-log-table-row').length}`)
}
