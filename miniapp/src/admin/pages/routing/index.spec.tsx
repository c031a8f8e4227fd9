import { act, fireEvent, render, screen, within } from '@testing-library/react'
import { CATEGORIES } from '@mq/shared'
import { setRouterParams, storage } from '../../../../test/__mocks__/taro'
import { errorReply, serve, type FakeCall } from '../../../../test/fake-api'
import { RoutingPage } from './index'

const COMMUNITY = '7c0c7a4e-3f1b-4f5e-9a55-1d2a3b4c5d03'
const COMPOUND = '7c0c7a4e-3f1b-4f5e-9a55-1d2a3b4c5d10'
const BUILDING = '7c0c7a4e-3f1b-4f5e-9a55-1d2a3b4c5d20'
const UNIT = '7c0c7a4e-3f1b-4f5e-9a55-1d2a3b4c5d30'
const STAFF = '7c0c7a4e-3f1b-4f5e-9a55-1d2a3b4c5d40'

const ADMIN_ME = {
  kind: 'staff',
  id: '7c0c7a4e-3f1b-4f5e-9a55-1d2a3b4c5d01',
  name: '社区管理员',
  phone: '13800000014',
  memberships: [{ id: '7c0c7a4e-3f1b-4f5e-9a55-1d2a3b4c5d02', role: 'admin', roleLabel: '', place: { id: COMMUNITY, kind: 'community', name: '石灰桥社区' } }],
  actions: ['manage_places'],
}

const place = (id: string, kind: string, parentId: string | null, name: string) => ({ id, kind, parentId, name, sortOrder: 0, retired: false, qrToken: null })
const PLACES = {
  places: [
    place(COMMUNITY, 'community', null, '石灰桥社区'),
    place(COMPOUND, 'compound', COMMUNITY, '石灰桥新村'),
    place(BUILDING, 'building', COMPOUND, '21幢'),
    place(UNIT, 'unit', BUILDING, '1单元'),
  ],
}

function rules(own: Record<string, { leadRole: string; coRoles: string[]; severity: string }> = {}) {
  return {
    compound: { id: COMPOUND, name: '石灰桥新村' },
    items: CATEGORIES.map((c) => ({
      category: c.code,
      categoryLabel: c.label,
      leadRole: own[c.code]?.leadRole ?? c.leadRole,
      coRoles: own[c.code]?.coRoles ?? [...c.coRoles],
      severity: own[c.code]?.severity ?? c.severity,
      source: own[c.code] ? 'compound' : 'default',
      updatedAt: own[c.code] ? '2026-11-21T05:00:00.000Z' : null,
    })),
  }
}

const DRY_RUN = {
  rule: rules().items.find((r) => r.category === 'leak'),
  handler: { staffId: STAFF, name: '冯涛', role: 'property_manager', roleLabel: '物业', place: { id: COMPOUND, kind: 'compound', name: '石灰桥新村' } },
  coHandlers: [],
  steps: ['物业：石灰桥新村的冯涛'],
  reason: '默认责任清单：房屋漏水由物业牵头',
  at: '2026-11-21T05:00:00.000Z',
  severity: 'complex',
  urgent: false,
  deadlines: { acceptBy: '2026-11-21T07:00:00.000Z', replyBy: '2026-11-24T05:00:00.000Z', resolveBy: null },
}

function fakeServer(): FakeCall[] {
  storage.set('mq.session.staff', { accessToken: 'a1', refreshToken: 'r1', me: ADMIN_ME })
  return serve((call) => {
    const url = new URL(call.url, 'http://app')
    if (url.pathname === '/api/me') return { statusCode: 200, data: ADMIN_ME }
    if (url.pathname === '/api/admin/places') return { statusCode: 200, data: PLACES }
    const base = `/api/admin/compounds/${COMPOUND}/routing`
    if (url.pathname === `${base}/rules`) return { statusCode: 200, data: rules() }
    if (url.pathname === `${base}/rules/leak` && call.method === 'PUT') {
      return { statusCode: 200, data: rules({ leak: call.data as { leadRole: string; coRoles: string[]; severity: string } }) }
    }
    if (url.pathname === `${base}/dry-run`) {
      return url.searchParams.get('unitId') === UNIT && url.searchParams.get('category') === 'leak'
        ? { statusCode: 200, data: DRY_RUN }
        : errorReply(404, 'PLACE_NOT_FOUND', '找不到这个单元')
    }
    return errorReply(404, 'ROUTE_NOT_FOUND', '没有这个接口')
  })
}

async function ready(): Promise<void> {
  await screen.findAllByTestId('routing-table-row', {}, { timeout: 3000 })
}

async function settle(): Promise<void> {
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 60))
  })
}

describe('routing rules page', () => {
  beforeEach(() => setRouterParams({}))

  it('lists every category and saves a compound rule with lead, co-roles and severity', async () => {
    const calls = fakeServer()
    render(<RoutingPage />)
    await ready()
    expect(screen.getAllByTestId('routing-table-row')).toHaveLength(CATEGORIES.length)
    fireEvent.click(screen.getByTestId('routing-edit-leak'))
    fireEvent.click(screen.getByTestId('routing-lead-grid_lead'))
    fireEvent.click(screen.getByTestId('routing-co-property_manager'))
    fireEvent.click(screen.getByTestId('routing-co-city_management'))
    fireEvent.click(screen.getByTestId('routing-severity-simple'))
    fireEvent.click(screen.getByTestId('routing-save'))
    await screen.findByTestId('routing-notice', {}, { timeout: 3000 })
    const put = calls.find((c) => c.method === 'PUT')!
    expect(put.data).toEqual({ leadRole: 'grid_lead', coRoles: ['property_manager', 'city_management'], severity: 'simple' })
    const row = screen.getAllByTestId('routing-table-row').find((r) => r.textContent?.includes('房屋漏水'))!
    expect(within(row).getByTestId('routing-row-lead')).toHaveTextContent('网格长')
    expect(within(row).getByTestId('routing-row-own')).toHaveTextContent('本小区')
  })

  it('refuses more than four co-roles before asking the server', async () => {
    const calls = fakeServer()
    render(<RoutingPage />)
    await ready()
    fireEvent.click(screen.getByTestId('routing-edit-other'))
    for (const role of ['police', 'traffic_police', 'city_management', 'market_supervision', 'property_manager']) {
      fireEvent.click(screen.getByTestId(`routing-co-${role}`))
    }
    fireEvent.click(screen.getByTestId('routing-save'))
    await settle()
    expect(screen.getByTestId('routing-error')).toHaveTextContent('最多4个联办岗位')
    expect(calls.filter((c) => c.method === 'PUT')).toHaveLength(0)
  })

  it('dry-runs a unit and a category and shows who would get it, and why', async () => {
    const calls = fakeServer()
    render(<RoutingPage />)
    await ready()
    const dry = screen.getByTestId('routing-dry-run')
    expect(within(dry).getByTestId('dry-run-submit')).toHaveAttribute('aria-disabled', 'true')
    fireEvent.click(within(dry).getByText('21幢'))
    fireEvent.click(within(dry).getByText('1单元'))
    fireEvent.click(within(dry).getByTestId('dry-run-category-leak'))
    fireEvent.click(within(dry).getByTestId('dry-run-submit'))
    await screen.findByTestId('dry-run-result', {}, { timeout: 3000 })
    const get = calls.find((c) => c.url.includes('/dry-run'))!
    expect(new URL(get.url, 'http://app').searchParams.toString()).toBe(`unitId=${UNIT}&category=leak`)
    expect(screen.getByTestId('dry-run-handler')).toHaveTextContent('派给：物业 冯涛（小区 石灰桥新村）')
    expect(screen.getAllByTestId('dry-run-step').map((s) => s.textContent)).toEqual(['1. 物业：石灰桥新村的冯涛'])
  })

  it('dry-runs at a filing time written in Shanghai time, and refuses one it cannot read', async () => {
    const calls = fakeServer()
    render(<RoutingPage />)
    await ready()
    const dry = screen.getByTestId('routing-dry-run')
    fireEvent.click(within(dry).getByText('21幢'))
    fireEvent.click(within(dry).getByText('1单元'))
    fireEvent.click(within(dry).getByTestId('dry-run-category-leak'))
    const input = within(dry).getByTestId('dry-run-at')
    fireEvent.change(input, { target: { value: '9月30日' } })
    expect(await within(dry).findByTestId('dry-run-at-error')).toHaveTextContent('2026-09-30 17:30')
    expect(within(dry).getByTestId('dry-run-submit')).toHaveAttribute('aria-disabled', 'true')
    fireEvent.change(input, { target: { value: '2026-9-30 17:30' } })
    fireEvent.click(within(dry).getByTestId('dry-run-submit'))
    await screen.findByTestId('dry-run-result', {}, { timeout: 3000 })
    const get = calls.find((c) => c.url.includes('/dry-run'))!
    expect(new URL(get.url, 'http://app').searchParams.get('at')).toBe('2026-09-30T17:30:00+08:00')
    expect(screen.getByTestId('dry-run-result')).toHaveTextContent('复杂问题')
  })
})
