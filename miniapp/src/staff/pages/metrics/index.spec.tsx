import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { storage, taroMock } from '../../../../test/__mocks__/taro'
import { errorReply, serve, type FakeCall } from '../../../../test/fake-api'
import { CATEGORIES, type MetricsHeat } from '@mq/shared'
import { heatShade } from './format'
import { HeatTable, StaffMetricsPage } from './index'

const COMPOUND = '28ca2384-c499-4900-968b-689c3a429a19'
const B1 = '0f8e8f43-5b1e-4c86-9d0c-000000000001'
const B2 = '0f8e8f43-5b1e-4c86-9d0c-000000000002'
const OVERDUE_ID = '29e5c407-b9f5-434f-9280-5c3bc7e0730d'

function me(role: 'grid_lead' | 'admin' | 'liaison_elsewhere') {
  return {
    kind: 'staff',
    id: '0eb6b577-cded-49f4-b415-fae766e74f88',
    name: role === 'admin' ? '社区管理员' : '王丽',
    phone: '13800000001',
    // An account whose only membership was ended has no place to look at.
    memberships:
      role === 'liaison_elsewhere'
        ? []
        : [{ id: 'b14eaced-1f5b-4046-8d4f-6b9bb9f37025', role, roleLabel: '', place: { id: COMPOUND, kind: 'compound', name: '石灰桥新村' } }],
    actions:
      role === 'admin'
        ? ['manage_places', 'view_metrics']
        : role === 'grid_lead'
          ? ['view_tickets', 'view_metrics', 'handle_tickets', 'file_proxy_tickets']
          : [],
  }
}

const ratio = (numerator: number, denominator: number) => ({
  numerator,
  denominator,
  rate: denominator === 0 ? null : numerator / denominator,
})

function rates(received: number, r: [number, number], s: [number, number], sat: [number, number], o: [number, number]) {
  // 回退率 and 重办率: a fixed share, the page shows them like the others.
  const handoff = ratio(Math.floor(received / 10), received)
  const redo = ratio(1, Math.max(1, s[0]))
  return { received, response: ratio(...r), resolution: ratio(...s), satisfaction: ratio(...sat), onTime: ratio(...o), handoff, redo }
}

function summary(query: URLSearchParams) {
  const groupBy = query.get('groupBy')
  const groups =
    groupBy === 'person'
      ? [
          { key: 'a', label: '冯涛', ...rates(30, [28, 30], [20, 30], [9, 10], [18, 22]) },
          { key: 'b', label: '陈刚', ...rates(20, [18, 20], [12, 20], [3, 5], [7, 10]) },
        ]
      : [{ key: 'property_manager', label: '物业', ...rates(50, [46, 50], [32, 50], [12, 15], [25, 32]) }]
  return {
    placeId: COMPOUND,
    from: query.get('from'),
    to: query.get('to'),
    groupBy,
    total: rates(50, [46, 50], [32, 50], [12, 15], [25, 32]),
    groups,
  }
}

const WEEKLY = {
  placeId: COMPOUND,
  weeks: [
    { weekStart: '2026-11-01T16:00:00.000Z', ...rates(12, [11, 12], [6, 12], [2, 3], [5, 6]) },
    { weekStart: '2026-11-08T16:00:00.000Z', ...rates(30, [27, 30], [20, 30], [8, 9], [15, 20]) },
    { weekStart: '2026-11-15T16:00:00.000Z', ...rates(8, [8, 8], [6, 8], [2, 3], [5, 6]) },
  ],
}

const HEAT = {
  placeId: COMPOUND,
  buildings: [
    { id: B1, name: '1幢' },
    { id: B2, name: '2幢' },
  ],
  categories: [
    { code: 'leak', label: '房屋漏水' },
    { code: 'parking', label: '停车与出入口交通' },
  ],
  cells: [
    { buildingId: B1, category: 'leak', count: 9 },
    { buildingId: B1, category: 'parking', count: 2 },
    { buildingId: B2, category: 'parking', count: 3 },
  ],
  max: 9,
}

const ATTENTION = {
  overdue: [
    {
      id: OVERDUE_ID,
      number: 17,
      category: 'leak',
      categoryLabel: '房屋漏水',
      buildingName: '1幢',
      state: 'accepted',
      handlerRole: 'property_manager',
      handlerName: '冯涛',
      dueAt: '2026-11-19T04:00:00.000Z',
      overdueMinutes: 1590,
      escalationLevel: 2,
    },
  ],
  escalated: [],
}

function fakeServer(role: 'grid_lead' | 'admin' | 'liaison_elsewhere'): FakeCall[] {
  storage.set('mq.session.staff', { accessToken: 'a1', refreshToken: 'r1', me: me(role) })
  return serve((call) => {
    const url = new URL(call.url, 'http://app')
    if (url.pathname === '/api/me') return { statusCode: 200, data: me(role) }
    if (role !== 'grid_lead' && url.pathname === '/api/metrics/attention') return errorReply(403, 'FORBIDDEN', '没有权限')
    if (url.pathname === '/api/metrics') return { statusCode: 200, data: summary(url.searchParams) }
    if (url.pathname === '/api/metrics/weekly') return { statusCode: 200, data: WEEKLY }
    if (url.pathname === '/api/metrics/heat') return { statusCode: 200, data: HEAT }
    if (url.pathname === '/api/metrics/attention') return { statusCode: 200, data: ATTENTION }
    return errorReply(404, 'ROUTE_NOT_FOUND', '没有这个接口')
  })
}

async function settle(): Promise<void> {
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 40))
  })
}

/** The first load: account, then the four calls of the page. */
async function loaded(): Promise<void> {
  await screen.findByTestId('metrics-heat', {}, { timeout: 3000 })
  await settle()
}

const paths = (calls: FakeCall[]) => calls.map((c) => new URL(c.url, 'http://app').pathname)

describe('staff metrics page', () => {
  it('shows each rate with its numerator and denominator, for the compound and this month', async () => {
    const calls = fakeServer('grid_lead')
    render(<StaffMetricsPage />)
    await loaded()
    expect(screen.getByTestId('metric-response')).toHaveTextContent('响应率92%(46/50)')
    expect(screen.getByTestId('metric-resolution')).toHaveTextContent('解决率64%(32/50)')
    expect(screen.getByTestId('metric-satisfaction')).toHaveTextContent('满意率80%(12/15)')
    expect(screen.getByTestId('metric-onTime')).toHaveTextContent('按时办结率78.1%(25/32)')
    expect(screen.getByTestId('metric-handoff')).toHaveTextContent(/^回退率\d+(\.\d)?%\(\d+\/\d+\)转办或改派走/)
    expect(screen.getByTestId('metric-redo')).toHaveTextContent(/^重办率/)
    expect(screen.getByTestId('metrics-received')).toHaveTextContent('收到诉求 50 件')

    const first = new URL(calls.find((c) => c.url.startsWith('/api/metrics?'))!.url, 'http://app').searchParams
    expect(first.get('placeId')).toBe(COMPOUND)
    expect(first.get('groupBy')).toBe('role')
    // This month in Shanghai: from its first day 00:00 (+08:00).
    expect(first.get('from')).toMatch(/-\d{2}-(01T00|\d{2}T16):00:00\.000Z$/)
    expect(new Date(first.get('from')!).getTime()).toBeLessThan(new Date(first.get('to')!).getTime())
    expect(paths(calls)).toEqual(expect.arrayContaining(['/api/metrics/weekly', '/api/metrics/heat', '/api/metrics/attention']))
  })

  it('switches the grouping and shows every group with its counts', async () => {
    const calls = fakeServer('grid_lead')
    render(<StaffMetricsPage />)
    await loaded()
    fireEvent.click(screen.getByTestId('metrics-group-person'))
    await screen.findByText('冯涛', {}, { timeout: 3000 })
    const last = calls.filter((c) => c.url.startsWith('/api/metrics?')).pop()!
    expect(new URL(last.url, 'http://app').searchParams.get('groupBy')).toBe('person')
    const rows = screen.getAllByTestId('metrics-group-row')
    expect(rows.map((r) => r.getAttribute('data-key'))).toEqual(['a', 'b'])
    expect(within(rows[0]).getAllByTestId('group-response')[0]).toHaveTextContent('响应率93.3%(28/30)')
    expect(within(rows[1]).getAllByTestId('group-satisfaction')[0]).toHaveTextContent('满意率60%(3/5)')
    expect(rows[1]).toHaveTextContent('陈刚')
  })

  it('draws the building × category heat table with every count visible and the busiest cell darkest', async () => {
    fakeServer('grid_lead')
    render(<StaffMetricsPage />)
    await loaded()
    const heat = screen.getByTestId('metrics-heat')
    expect(within(heat).getAllByTestId('heat-category').map((c) => c.textContent)).toEqual(['房屋漏水', '停车与出入口交通'])
    const cells = within(heat).getAllByTestId('heat-cell')
    expect(cells.map((c) => c.textContent)).toEqual(['9', '2', '·', '3'])
    const cell = (building: string, category: string) =>
      cells.find((c) => c.getAttribute('data-building') === building && c.getAttribute('data-category') === category)!
    expect(cell(B2, 'leak')).toHaveAttribute('data-count', '0')
    const alpha = (el: HTMLElement) => Number(/rgba\(179, 38, 30, ([\d.]+)\)/.exec(el.style.background)?.[1] ?? 0)
    expect(alpha(cell(B1, 'leak'))).toBeGreaterThan(alpha(cell(B2, 'parking')))
    expect(alpha(cell(B2, 'parking'))).toBeGreaterThan(alpha(cell(B1, 'parking')))
    expect(cell(B2, 'leak').style.background).toMatch(/255, 255, 255|#ffffff/i)
  })

  it('plots a bar per week and lists overdue requests that open the handling screen', async () => {
    fakeServer('grid_lead')
    render(<StaffMetricsPage />)
    await loaded()
    const weeks = screen.getAllByTestId('metrics-week')
    expect(weeks).toHaveLength(3)
    expect(weeks.map((w) => w.textContent)).toEqual(['12件11/2起', '30件11/9起', '8件11/16起'])
    fireEvent.click(screen.getByTestId('metrics-series-onTime'))
    expect(screen.getAllByTestId('metrics-week')[1]).toHaveTextContent('75%(15/20)')

    const overdue = screen.getByTestId('metrics-overdue')
    expect(overdue).toHaveTextContent('已超时（1）')
    expect(overdue).toHaveTextContent('MQ000017')
    expect(overdue).toHaveTextContent('已超时 1天2小时')
    expect(overdue).toHaveTextContent('督办2级')
    fireEvent.click(within(overdue).getByTestId('attention-row'))
    expect(taroMock.navigateTo).toHaveBeenCalledWith({ url: `/staff/pages/request/index?id=${OVERDUE_ID}` })
    expect(screen.getByTestId('metrics-escalated')).toHaveTextContent('没有升级督办的诉求')
  })

  it('refuses a custom period that ends before it starts, without asking the server', async () => {
    const calls = fakeServer('grid_lead')
    render(<StaffMetricsPage />)
    await loaded()
    const before = calls.length
    fireEvent.click(screen.getByTestId('metrics-period-custom'))
    fireEvent.change(screen.getByTestId('metrics-from'), { target: { value: '2026-10-20' } })
    fireEvent.change(screen.getByTestId('metrics-to'), { target: { value: '2026-10-10' } })
    fireEvent.click(screen.getByTestId('metrics-custom-apply'))
    expect(screen.getByTestId('metrics-custom-error')).toHaveTextContent('开始日期不能晚于结束日期')
    await settle()
    expect(calls.length).toBe(before)

    fireEvent.change(screen.getByTestId('metrics-to'), { target: { value: '2026-10-31' } })
    fireEvent.click(screen.getByTestId('metrics-custom-apply'))
    await waitFor(() => expect(calls.filter((c) => c.url.includes('from=2026-10-19')).length).toBe(3), { timeout: 3000 })
    const last = new URL(calls.filter((c) => c.url.startsWith('/api/metrics?')).pop()!.url, 'http://app').searchParams
    expect(last.get('from')).toBe('2026-10-19T16:00:00.000Z')
    expect(last.get('to')).toBe('2026-10-31T16:00:00.000Z')
  })

  it('shows an admin the figures but not the lists of requests, and never asks for them', async () => {
    const calls = fakeServer('admin')
    render(<StaffMetricsPage />)
    await loaded()
    expect(screen.getByTestId('metric-response-counts')).toHaveTextContent('(46/50)')
    expect(screen.getByTestId('metrics-lists-hidden')).toHaveTextContent('管理员岗位只看统计数字')
    expect(screen.queryByTestId('metrics-overdue')).toBeNull()
    expect(paths(calls)).not.toContain('/api/metrics/attention')
  })

  it('gives an admin who came from the console one way back, to the console', async () => {
    fakeServer('admin')
    render(<StaffMetricsPage />)
    await loaded()
    expect(screen.getAllByText(/返回/).map((b) => b.textContent)).toEqual(['‹ 返回管理后台'])
    fireEvent.click(screen.getByTestId('staff-back'))
    expect(taroMock.reLaunch).toHaveBeenCalledWith({ url: '/admin/pages/places/index' })
  })

  it('goes back to the page behind when there is one, and says only 返回', async () => {
    taroMock.getCurrentPages.mockReturnValue([{ route: 'staff/pages/home/index' }, { route: 'staff/pages/metrics/index' }])
    fakeServer('admin')
    render(<StaffMetricsPage />)
    await loaded()
    expect(screen.getAllByText(/返回/).map((b) => b.textContent)).toEqual(['‹ 返回'])
    fireEvent.click(screen.getByTestId('staff-back'))
    expect(taroMock.navigateBack).toHaveBeenCalled()
    expect(taroMock.reLaunch).not.toHaveBeenCalled()
  })

  it('tells an account with no place in scope why there is nothing to see, and asks nothing', async () => {
    const calls = fakeServer('liaison_elsewhere')
    render(<StaffMetricsPage />)
    await screen.findByTestId('metrics-forbidden', {}, { timeout: 3000 })
    await settle()
    expect(screen.getByTestId('metrics-forbidden')).toHaveTextContent('没有可查看的统计')
    expect(paths(calls).filter((p) => p.startsWith('/api/metrics'))).toEqual([])
  })
})

describe('heat table width', () => {
  const heat = (categories: number): MetricsHeat => ({
    ...HEAT,
    categories: CATEGORIES.slice(0, categories).map((c) => ({ code: c.code, label: c.label })),
    cells: [],
  })

  it('at 320px with every category: says to swipe, fades the right edge, and keeps every column its width', () => {
    taroMock.getSystemInfoSync.mockReturnValue({ windowWidth: 320, windowHeight: 640 })
    render(<HeatTable data={heat(CATEGORIES.length)} />)
    expect(screen.getByTestId('metrics-heat-swipe')).toHaveTextContent('左右滑动')
    expect(screen.getByTestId('metrics-heat-frame')).toHaveAttribute('data-wide', 'true')
    expect(screen.getAllByTestId('heat-category')).toHaveLength(CATEGORIES.length)
  })

  it('says nothing about swiping when the table fits', () => {
    render(<HeatTable data={heat(2)} />)
    expect(screen.queryByTestId('metrics-heat-swipe')).toBeNull()
    expect(screen.getByTestId('metrics-heat-frame')).toHaveAttribute('data-wide', 'false')
  })
})

describe('heat shade', () => {
  it('is white for an empty cell and darkens with the count up to the busiest', () => {
    expect(heatShade(0, 9).background).toBe('#ffffff')
    expect(heatShade(9, 9)).toEqual({ background: 'rgba(179, 38, 30, 0.90)', color: '#ffffff' })
    expect(heatShade(1, 9).color).toBe('#1f2328')
  })
})
