import { act, fireEvent, render, screen } from '@testing-library/react'
import { storage, taroMock } from '../../../../test/__mocks__/taro'
import { loadSession } from '@/api/session'
import { StaffLoginPage } from './index'

const ADMIN_ME = {
  kind: 'staff',
  id: '7c0c7a4e-3f1b-4f5e-9a55-1d2a3b4c5d01',
  name: '社区管理员',
  phone: '13800000014',
  memberships: [
    {
      id: '7c0c7a4e-3f1b-4f5e-9a55-1d2a3b4c5d02',
      role: 'admin',
      roleLabel: '社区管理员',
      place: { id: '7c0c7a4e-3f1b-4f5e-9a55-1d2a3b4c5d03', kind: 'community', name: '石灰桥社区' },
    },
  ],
  actions: ['manage_staff', 'manage_places', 'view_access_log'],
}

const GRID_ME = {
  ...ADMIN_ME,
  name: '王丽',
  phone: '13800000001',
  memberships: [{ ...ADMIN_ME.memberships[0], role: 'grid_lead', roleLabel: '网格长' }],
  actions: ['view_tickets', 'handle_tickets', 'file_proxy_tickets'],
}

function session(me: unknown) {
  return { tokenType: 'Bearer', accessToken: 'a1', expiresIn: 900, refreshToken: 'r1', refreshExpiresIn: 2592000, me }
}

function respond(statusCode: number, data: unknown, header: Record<string, string> = {}) {
  taroMock.request.mockResolvedValueOnce({ statusCode, data, header, errMsg: 'request:ok' })
}

function fillAndSubmit(phone: string, password: string) {
  fireEvent.change(screen.getByTestId('login-phone'), { target: { value: phone } })
  fireEvent.change(screen.getByTestId('login-password'), { target: { value: password } })
  fireEvent.click(screen.getByTestId('login-submit'))
}

describe('staff login page', () => {
  afterEach(() => {
    jest.useRealTimers()
  })

  it('logs an admin in, keeps the session, and opens the admin console', async () => {
    respond(200, session(ADMIN_ME))
    render(<StaffLoginPage />)

    fillAndSubmit('13800000014', 'Demo@2026')

    await act(async () => {})
    expect(taroMock.request).toHaveBeenCalledWith(
      expect.objectContaining({
        url: '/api/auth/staff/login',
        method: 'POST',
        data: { phone: '13800000014', password: 'Demo@2026' },
      }),
    )
    expect(taroMock.redirectTo).toHaveBeenCalledWith({ url: '/admin/pages/places/index' })
    expect(loadSession('staff')).toMatchObject({ accessToken: 'a1', refreshToken: 'r1', me: { name: '社区管理员' } })
  })

  it('sends other staff to the staff home', async () => {
    respond(200, session(GRID_ME))
    render(<StaffLoginPage />)
    fillAndSubmit('13800000001', 'Demo@2026')
    await act(async () => {})
    expect(taroMock.redirectTo).toHaveBeenCalledWith({ url: '/staff/pages/home/index' })
  })

  it('says the phone or password is wrong, clears the password and warns about the lockout', async () => {
    respond(401, { code: 'INVALID_CREDENTIALS', message: '手机号或密码不正确', requestId: 'r-1' })
    render(<StaffLoginPage />)

    fillAndSubmit('13800000014', 'wrong-pass1')

    const error = await screen.findByTestId('login-error')
    expect(error).toHaveTextContent('手机号或密码不正确')
    expect(error).toHaveTextContent('连续输错 5 次，账号将锁定 15 分钟')
    expect(screen.getByTestId('login-password')).toHaveValue('')
    expect(screen.getByTestId('login-phone')).toHaveValue('13800000014')
    expect(screen.getByTestId('login-submit')).not.toHaveAttribute('aria-disabled')
    expect(taroMock.redirectTo).not.toHaveBeenCalled()
    expect(loadSession('staff')).toBeNull()
  })

  it('shows when a locked account unlocks (Retry-After), and keeps the button off until then', async () => {
    jest.useFakeTimers({ now: new Date('2026-11-21T02:20:00Z') })
    respond(
      423,
      { code: 'ACCOUNT_LOCKED', message: '密码错误次数过多，账号已锁定，请在 10:35 后再试（约15分钟）', requestId: 'r-2' },
      { 'Retry-After': '900' },
    )
    render(<StaffLoginPage />)

    fillAndSubmit('13800000014', 'wrong-pass5')

    const locked = await screen.findByTestId('login-locked')
    // 02:35 UTC is 10:35 in Shanghai, as the server's own message says.
    const hhmm = '10:35'
    expect(locked).toHaveTextContent('账号已暂时锁定')
    expect(screen.getByTestId('login-unlock-at')).toHaveTextContent(`请在 ${hhmm} 后再试（还有约 15 分钟）`)
    const button = screen.getByTestId('login-submit')
    expect(button).toHaveAttribute('aria-disabled', 'true')
    expect(button).toHaveTextContent(`${hhmm} 后可再登录`)

    // Ten minutes on, the countdown follows.
    act(() => {
      jest.advanceTimersByTime(10 * 60_000)
    })
    expect(screen.getByTestId('login-unlock-at')).toHaveTextContent('还有约 5 分钟')

    // When the lock runs out, the warning goes and the button comes back.
    act(() => {
      jest.advanceTimersByTime(5 * 60_000 + 5_000)
    })
    expect(screen.queryByTestId('login-locked')).not.toBeInTheDocument()
    expect(screen.getByTestId('login-submit')).not.toHaveAttribute('aria-disabled')
  })

  it('says a deactivated account is deactivated', async () => {
    respond(403, { code: 'ACCOUNT_DISABLED', message: '该账号已停用，请联系社区管理员', requestId: 'r-3' })
    render(<StaffLoginPage />)
    fillAndSubmit('13800000014', 'Demo@2026')
    expect(await screen.findByTestId('login-error')).toHaveTextContent('该账号已停用，请联系社区管理员')
  })

  it('checks the phone number before sending anything', () => {
    render(<StaffLoginPage />)
    fillAndSubmit('1380000', 'Demo@2026')
    expect(screen.getByTestId('login-field-error')).toHaveTextContent('请输入11位手机号')
    expect(taroMock.request).not.toHaveBeenCalled()
  })

  it('explains why the staff member is back at the login page after the session ended', () => {
    storage.set('mq.loginNotice', '登录已失效，请重新登录')
    render(<StaffLoginPage />)
    expect(screen.getByTestId('login-notice')).toHaveTextContent('登录已失效，请重新登录')
    expect(storage.has('mq.loginNotice')).toBe(false)
  })

  it('goes straight on when a stored session is still good (the app was restarted)', async () => {
    storage.set('mq.session.staff', { accessToken: 'a1', refreshToken: 'r1', me: ADMIN_ME })
    respond(200, ADMIN_ME)
    render(<StaffLoginPage />)
    await act(async () => {})
    expect(taroMock.request).toHaveBeenCalledWith(
      expect.objectContaining({ url: '/api/me', header: expect.objectContaining({ Authorization: 'Bearer a1' }) }),
    )
    expect(taroMock.redirectTo).toHaveBeenCalledWith({ url: '/admin/pages/places/index' })
  })
})
