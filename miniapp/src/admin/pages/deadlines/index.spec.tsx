import { act, fireEvent, render, screen } from '@testing-library/react'
import { DEFAULT_DEADLINE_CONFIG } from '@mq/shared'
import { setRouterParams, storage } from '../../../../test/__mocks__/taro'
import { errorReply, serve, type FakeCall } from '../../../../test/fake-api'
import { validateDeadlineForm, formFromOverrides } from './form'
import { DeadlinesPage } from './index'

const COMPOUND = '7c0c7a4e-3f1b-4f5e-9a55-1d2a3b4c5d10'
const COMMUNITY = '7c0c7a4e-3f1b-4f5e-9a55-1d2a3b4c5d03'

const ADMIN_ME = {
  kind: 'staff',
  id: '7c0c7a4e-3f1b-4f5e-9a55-1d2a3b4c5d01',
  name: '社区管理员',
  phone: '13800000014',
  memberships: [
    { id: '7c0c7a4e-3f1b-4f5e-9a55-1d2a3b4c5d02', role: 'admin', roleLabel: '社区管理员', place: { id: COMMUNITY, kind: 'community', name: '石灰桥社区' } },
  ],
  actions: ['manage_staff', 'manage_places', 'view_access_log', 'manage_notifications'],
}

const PLACES = {
  places: [
    { id: COMMUNITY, kind: 'community', parentId: null, name: '石灰桥社区', sortOrder: 0, retired: false, qrToken: null },
    { id: COMPOUND, kind: 'compound', parentId: COMMUNITY, name: '石灰桥新村', sortOrder: 0, retired: false, qrToken: null },
  ],
}

const SETTINGS_URL = `/api/admin/compounds/${COMPOUND}/deadline-settings`

function settings(overrides: Record<string, unknown>) {
  return {
    compoundId: COMPOUND,
    defaults: DEFAULT_DEADLINE_CONFIG,
    overrides,
    effective: { ...DEFAULT_DEADLINE_CONFIG, ...overrides },
    updatedAt: Object.keys(overrides).length > 0 ? '2026-11-20T02:00:00.000Z' : null,
  }
}

function fakeServer(initial: Record<string, unknown>, onPut?: (call: FakeCall) => ReturnType<typeof errorReply>): FakeCall[] {
  storage.set('mq.session.staff', { accessToken: 'a1', refreshToken: 'r1', me: ADMIN_ME })
  return serve((call) => {
    if (call.url === '/api/me') return { statusCode: 200, data: ADMIN_ME }
    if (call.url === '/api/admin/places') return { statusCode: 200, data: PLACES }
    if (call.url === SETTINGS_URL && call.method === 'GET') return { statusCode: 200, data: settings(initial) }
    if (call.url === SETTINGS_URL && call.method === 'PUT') {
      return onPut ? onPut(call) : { statusCode: 200, data: settings(call.data as Record<string, unknown>) }
    }
    return errorReply(404, 'ROUTE_NOT_FOUND', '没有这个接口')
  })
}

async function settle(): Promise<void> {
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 60))
  })
  // The page loads in steps (account, places, then the settings): wait for the form.
  await screen.findByTestId('deadline-form', {}, { timeout: 3000 })
}

function type(key: string, value: string): void {
  fireEvent.change(screen.getByTestId(`deadline-input-${key}`), { target: { value } })
}

const puts = (calls: FakeCall[]) => calls.filter((c) => c.method === 'PUT')

describe('deadline settings page', () => {
  beforeEach(() => setRouterParams({}))

  it('shows the defaults beside empty boxes and the compound’s own values in theirs', async () => {
    fakeServer({ acceptWithinMinutes: 90, warnAtFraction: 0.8 })
    render(<DeadlinesPage />)
    await settle()
    expect(screen.getByTestId('deadline-input-acceptWithinMinutes')).toHaveValue('90')
    expect(screen.getByTestId('deadline-input-warnAtFraction')).toHaveValue('80')
    expect(screen.getByTestId('deadline-input-workdayStart')).toHaveValue('')
    expect(screen.getByTestId('deadline-input-workdayStart')).toHaveAttribute('placeholder', '默认 08:00')
    expect(screen.getByTestId('deadline-field-acceptWithinMinutes')).toHaveTextContent('默认 120分钟，现行 90分钟')
    expect(screen.getByTestId('deadline-status')).toHaveTextContent('本小区改了 2 项')
  })

  it('names every problem beside its field in Chinese and sends nothing', async () => {
    const calls = fakeServer({})
    render(<DeadlinesPage />)
    await settle()
    type('workdayStart', '8点')
    type('acceptWithinMinutes', '1.5')
    type('complexReplyHours', '100000')
    type('autoCloseDays', '0')
    type('warnAtFraction', '100')
    fireEvent.click(screen.getByTestId('deadline-save'))
    await settle()
    expect(screen.getByTestId('deadline-error-workdayStart')).toHaveTextContent('请按 08:00 的格式填写工作时间开始')
    expect(screen.getByTestId('deadline-error-acceptWithinMinutes')).toHaveTextContent('受理时限请填写整数')
    expect(screen.getByTestId('deadline-error-complexReplyHours')).toHaveTextContent('复杂诉求答复时限不能超过 720小时')
    expect(screen.getByTestId('deadline-error-autoCloseDays')).toHaveTextContent('未评价自动销号至少为 1天')
    expect(screen.getByTestId('deadline-error-warnAtFraction')).toHaveTextContent('预警时点须在 1% 到 99% 之间')
    expect(screen.getByTestId('deadline-notice')).toHaveTextContent('有 5 处需要改正，没有保存')
    expect(puts(calls)).toHaveLength(0)
  })

  it('refuses a working day that ends before it starts, and a cut-off outside it, against the defaults', async () => {
    const calls = fakeServer({})
    render(<DeadlinesPage />)
    await settle()
    type('workdayEnd', '07:30') // default start 08:00
    fireEvent.click(screen.getByTestId('deadline-save'))
    await settle()
    expect(screen.getByTestId('deadline-error-workdayEnd')).toHaveTextContent('工作时间的结束须晚于开始')

    type('workdayEnd', '18:00')
    type('simpleCutoff', '19:00')
    fireEvent.click(screen.getByTestId('deadline-save'))
    await settle()
    expect(screen.queryByTestId('deadline-error-workdayEnd')).toBeNull()
    expect(screen.getByTestId('deadline-error-simpleCutoff')).toHaveTextContent('简单诉求的截止时刻须在工作时间之内')
    expect(puts(calls)).toHaveLength(0)
  })

  it('saves only the filled boxes, converted, and shows what applies now', async () => {
    const calls = fakeServer({})
    render(<DeadlinesPage />)
    await settle()
    type('workdayStart', '8:30')
    type('acceptWithinMinutes', '30')
    type('warnAtFraction', '60')
    fireEvent.click(screen.getByTestId('deadline-save'))
    await settle()
    expect(puts(calls).map((c) => c.data)).toEqual([{ workdayStart: '08:30', acceptWithinMinutes: 30, warnAtFraction: 0.6 }])
    expect(screen.getByTestId('deadline-notice')).toHaveTextContent('已保存')
    expect(screen.getByTestId('deadline-field-acceptWithinMinutes')).toHaveTextContent('现行 30分钟')
    expect(screen.getByTestId('deadline-form')).toHaveAttribute('data-overrides', '3')
  })

  it('shows the server’s refusal beside the field it names', async () => {
    fakeServer({}, () =>
      errorReply(400, 'VALIDATION_FAILED', '时限设置有误', [{ path: 'simpleCutoff', message: '简单诉求的截止时刻须在工作时间之内' }]),
    )
    render(<DeadlinesPage />)
    await settle()
    type('simpleCutoff', '17:30')
    fireEvent.click(screen.getByTestId('deadline-save'))
    await settle()
    expect(screen.getByTestId('deadline-error-simpleCutoff')).toHaveTextContent('简单诉求的截止时刻须在工作时间之内')
    expect(screen.getByTestId('deadline-notice')).toHaveTextContent('没有保存')
  })

  it('恢复默认 sends an empty body after the admin confirms', async () => {
    const calls = fakeServer({ complexReplyHours: 48 })
    render(<DeadlinesPage />)
    await settle()
    fireEvent.click(screen.getByTestId('deadline-reset'))
    // The kit's dialog asks first; nothing is sent until the admin confirms.
    const confirm = await screen.findByTestId('confirm-ok')
    expect(puts(calls)).toHaveLength(0)
    fireEvent.click(confirm)
    await settle()
    expect(puts(calls).map((c) => c.data)).toEqual([{}])
    expect(screen.getByTestId('deadline-input-complexReplyHours')).toHaveValue('')
    expect(screen.getByTestId('deadline-status')).toHaveTextContent('本小区使用默认时限')
  })
})

describe('validateDeadlineForm', () => {
  it('leaves empty boxes out and accepts a full-width colon', () => {
    const values = { ...formFromOverrides({}), simpleCutoff: '16：00' }
    expect(validateDeadlineForm(values, DEFAULT_DEADLINE_CONFIG)).toEqual({
      input: { simpleCutoff: '16:00' },
      errors: {},
    })
  })
})
