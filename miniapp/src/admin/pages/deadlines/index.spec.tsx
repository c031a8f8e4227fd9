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
const CALENDAR_URL = (placeId: string) => `/api/admin/places/${placeId}/calendar`
const WARNING_2027 = '2027年的法定节假日安排尚未收录，2027年暂按周末休息计算；国务院公布后请升级日历数据'
const YEARS = [
  { year: 2026, published: true, warning: null },
  { year: 2027, published: false, warning: WARNING_2027 },
]

function settings(overrides: Record<string, unknown>) {
  const dayTypes = (overrides.dayTypes ?? {}) as Record<string, string>
  return {
    compoundId: COMPOUND,
    defaults: DEFAULT_DEADLINE_CONFIG,
    overrides,
    effective: { ...DEFAULT_DEADLINE_CONFIG, ...overrides, dayTypes: { ...DEFAULT_DEADLINE_CONFIG.dayTypes, ...dayTypes } },
    updatedAt: Object.keys(overrides).length > 0 ? '2026-11-20T02:00:00.000Z' : null,
    calendarYears: YEARS,
  }
}

const place = (id: string) => PLACES.places.find((p) => p.id === id)!
const view = (placeId: string, own: boolean, date: string, working: boolean, reason: string) => ({
  date,
  working,
  reason,
  place: { id: placeId, kind: place(placeId).kind, name: place(placeId).name },
  own,
  createdAt: '2026-12-01T02:00:00.000Z',
})

/** The calendar of each place: the community's typhoon day, which the compound inherits, plus what is added. */
function calendarServer() {
  const own: Record<string, { date: string; working: boolean; reason: string }[]> = {
    [COMMUNITY]: [{ date: '2026-12-08', working: false, reason: '台风停工' }],
    [COMPOUND]: [],
  }
  const chainOf = (id: string) => (id === COMPOUND ? [COMMUNITY, COMPOUND] : [COMMUNITY])
  const answer = (placeId: string) => ({
    place: { id: placeId, kind: place(placeId).kind, name: place(placeId).name },
    chain: chainOf(placeId).map((id) => ({ id, kind: place(id).kind, name: place(id).name })),
    overrides: chainOf(placeId)
      .flatMap((id) => own[id].map((o) => view(id, id === placeId, o.date, o.working, o.reason)))
      .sort((a, b) => a.date.localeCompare(b.date)),
    shadowed: [],
    years: YEARS,
  })
  return (call: FakeCall) => {
    const match = /^\/api\/admin\/places\/([^/]+)\/calendar(?:\/overrides(?:\/(.+))?)?$/.exec(call.url)
    if (!match) return null
    const placeId = match[1]
    if (call.method === 'POST') own[placeId].push(call.data as { date: string; working: boolean; reason: string })
    if (call.method === 'DELETE') own[placeId] = own[placeId].filter((o) => o.date !== match[2])
    return { statusCode: call.method === 'POST' ? 201 : 200, data: answer(placeId) }
  }
}

function fakeServer(initial: Record<string, unknown>, onPut?: (call: FakeCall) => ReturnType<typeof errorReply>): FakeCall[] {
  storage.set('mq.session.staff', { accessToken: 'a1', refreshToken: 'r1', me: ADMIN_ME })
  const calendar = calendarServer()
  return serve((call) => {
    if (call.url === '/api/me') return { statusCode: 200, data: ADMIN_ME }
    const calendarAnswer = calendar(call)
    if (calendarAnswer) return calendarAnswer
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

describe('deadlines page: calendar and day types', () => {
  beforeEach(() => setRouterParams({}))

  it('warns that 2027 has no official schedule yet', async () => {
    fakeServer({})
    render(<DeadlinesPage />)
    await settle()
    const warnings = await screen.findAllByTestId('calendar-warning')
    expect(warnings[0]).toHaveTextContent(WARNING_2027)
  })

  it('lists the inherited typhoon day, adds a day for the compound and removes it', async () => {
    const calls = fakeServer({})
    render(<DeadlinesPage />)
    await settle()
    const rows = await screen.findAllByTestId('calendar-row')
    expect(rows).toHaveLength(1)
    expect(rows[0]).toHaveTextContent('2026年12月8日 周二')
    expect(rows[0]).toHaveTextContent('台风停工')
    expect(rows[0]).toHaveTextContent('来自石灰桥社区（社区）')
    expect(screen.queryByTestId('calendar-remove')).toBeNull() // not the compound's own

    fireEvent.change(screen.getByTestId('calendar-date'), { target: { value: '2026-12-32' } })
    fireEvent.change(screen.getByTestId('calendar-reason'), { target: { value: '防汛' } })
    fireEvent.click(screen.getByTestId('calendar-submit'))
    await settle()
    expect(screen.getByTestId('calendar-error')).toHaveTextContent('请按 2026-12-08 的格式填写日期')

    fireEvent.change(screen.getByTestId('calendar-date'), { target: { value: '2026.12.12' } })
    fireEvent.click(screen.getByTestId('calendar-on'))
    fireEvent.click(screen.getByTestId('calendar-submit'))
    await settle()
    const posted = calls.filter((c) => c.method === 'POST')
    expect(posted.map((c) => [c.url, c.data])).toEqual([
      [CALENDAR_URL(COMPOUND) + '/overrides', { date: '2026-12-12', working: true, reason: '防汛' }],
    ])
    expect(screen.getByTestId('calendar-notice')).toHaveTextContent('已添加：2026年12月12日 周六上班（防汛）')
    expect(await screen.findAllByTestId('calendar-row')).toHaveLength(2)

    fireEvent.click(screen.getByTestId('calendar-remove'))
    await settle()
    expect(calls.filter((c) => c.method === 'DELETE').map((c) => c.url)).toEqual([CALENDAR_URL(COMPOUND) + '/overrides/2026-12-12'])
    expect(await screen.findAllByTestId('calendar-row')).toHaveLength(1)
  })

  it('saves day types per role with the compound’s saved window values, not the typed ones', async () => {
    const calls = fakeServer({ acceptWithinMinutes: 90 })
    render(<DeadlinesPage />)
    await settle()
    type('complexReplyHours', '48') // typed, not saved
    const row = screen.getAllByTestId('day-type-row').find((r) => r.getAttribute('data-role') === 'property_manager')!
    expect(row).toHaveAttribute('data-value', 'on_duty')
    fireEvent.click(row.querySelector('[data-testid="day-type-working"]')!)
    fireEvent.click(screen.getByTestId('day-types-save'))
    await settle()
    expect(puts(calls).map((c) => c.data)).toEqual([{ acceptWithinMinutes: 90, dayTypes: { property_manager: 'working' } }])
    expect(screen.getByTestId('deadline-notice')).toHaveTextContent('计时方式已保存')
    expect(screen.getByTestId('deadline-input-complexReplyHours')).toHaveValue('48')
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
