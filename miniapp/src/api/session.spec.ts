import { storage, taroMock } from '../../test/__mocks__/taro'
import { bearer, serve } from '../../test/fake-api'
import { residentCall, staffCall } from './auth'
import { ApiError, isApiError } from './client'
import { loadSession, onSessionEnded, refreshSession, saveSession } from './session'

const expired = { statusCode: 401, data: { code: 'TOKEN_EXPIRED', message: '登录已过期，请刷新登录', requestId: 'r-exp' } }

function pair(n: number) {
  return {
    tokenType: 'Bearer',
    accessToken: `access-${n}`,
    expiresIn: 900,
    refreshToken: `refresh-${n}`,
    refreshExpiresIn: 2592000,
  }
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise
  } catch (error) {
    if (isApiError(error)) return error
    throw error
  }
  throw new Error('expected the call to fail')
}

describe('staff session: bearer token and refresh on TOKEN_EXPIRED', () => {
  beforeEach(() => {
    saveSession('staff', { accessToken: 'access-1', refreshToken: 'refresh-1', me: null })
  })

  it('attaches the access token as a bearer header', async () => {
    const calls = serve(() => ({ statusCode: 200, data: { items: [] } }))
    await staffCall({ path: '/api/admin/staff' })
    expect(calls).toHaveLength(1)
    expect(calls[0].header.Authorization).toBe('Bearer access-1')
  })

  it('shares one refresh among concurrent requests that meet TOKEN_EXPIRED, then retries each once', async () => {
    const calls = serve((call) => {
      if (call.url === '/api/auth/refresh') return { statusCode: 200, data: pair(2) }
      return bearer(call) === 'access-2' ? { statusCode: 200, data: { url: call.url } } : expired
    })

    const results = await Promise.all([
      staffCall({ path: '/api/admin/places' }),
      staffCall({ path: '/api/admin/staff' }),
      staffCall({ path: '/api/admin/access-log' }),
    ])

    expect(results).toEqual([
      { url: '/api/admin/places' },
      { url: '/api/admin/staff' },
      { url: '/api/admin/access-log' },
    ])
    const refreshes = calls.filter((c) => c.url === '/api/auth/refresh')
    // The refresh token is single-use: a second refresh with it would revoke the session.
    expect(refreshes).toHaveLength(1)
    expect(refreshes[0].data).toEqual({ refreshToken: 'refresh-1' })
    expect(refreshes[0].header.Authorization).toBeUndefined()
    expect(calls.filter((c) => c.url !== '/api/auth/refresh').map(bearer).sort()).toEqual([
      'access-1',
      'access-1',
      'access-1',
      'access-2',
      'access-2',
      'access-2',
    ])
    expect(loadSession('staff')).toMatchObject({ accessToken: 'access-2', refreshToken: 'refresh-2' })
  })

  it('does not refresh again for a request that failed with a token already replaced', async () => {
    const calls = serve(() => ({ statusCode: 200, data: pair(2) }))
    await refreshSession('staff', 'access-1')
    expect(calls).toHaveLength(1)

    // A slow request sent with access-1 comes back expired after the refresh: it just uses access-2.
    const session = await refreshSession('staff', 'access-1')
    expect(session.accessToken).toBe('access-2')
    expect(calls).toHaveLength(1)
  })

  it('refreshes again later, with the rotated refresh token', async () => {
    let n = 1
    let valid = 'none yet'
    const calls = serve((call) => {
      if (call.url === '/api/auth/refresh') {
        n += 1
        valid = `access-${n}`
        return { statusCode: 200, data: pair(n) }
      }
      return bearer(call) === valid ? { statusCode: 200, data: {} } : expired
    })
    await staffCall({ path: '/api/admin/places' })
    // Time passes; access-2 expires too.
    valid = 'none'
    await staffCall({ path: '/api/admin/places' })
    const refreshes = calls.filter((c) => c.url === '/api/auth/refresh').map((c) => c.data)
    expect(refreshes).toEqual([{ refreshToken: 'refresh-1' }, { refreshToken: 'refresh-2' }])
    expect(loadSession('staff')).toMatchObject({ accessToken: 'access-3', refreshToken: 'refresh-3' })
  })

  it('ends the session when the refresh is refused, telling every waiting caller and the listeners once', async () => {
    const ended = jest.fn()
    const stop = onSessionEnded('staff', ended)
    const calls = serve((call) =>
      call.url === '/api/auth/refresh'
        ? {
            statusCode: 401,
            data: {
              code: 'UNAUTHENTICATED',
              message: '登录凭证已被使用过，为安全起见已退出登录，请重新登录',
              requestId: 'r-1',
            },
          }
        : expired,
    )

    const errors = await Promise.all([
      failure(staffCall({ path: '/api/admin/places' })),
      failure(staffCall({ path: '/api/admin/staff' })),
    ])
    stop()

    expect(errors.map((e) => e.code)).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED'])
    expect(calls.filter((c) => c.url === '/api/auth/refresh')).toHaveLength(1)
    expect(loadSession('staff')).toBeNull()
    expect(ended).toHaveBeenCalledTimes(1)
    expect(ended.mock.calls[0][0]).toMatchObject({ message: '登录凭证已被使用过，为安全起见已退出登录，请重新登录' })
  })

  it('keeps the session when the refresh cannot reach the server', async () => {
    taroMock.request
      .mockResolvedValueOnce({ statusCode: 401, data: expired.data, header: {} })
      .mockRejectedValueOnce({ errMsg: 'request:fail timeout' })
    const error = await failure(staffCall({ path: '/api/admin/places' }))
    expect(error.code).toBe('NETWORK_ERROR')
    expect(loadSession('staff')).toMatchObject({ refreshToken: 'refresh-1' })
  })

  it('ends the session when the server says it is over (revoked, or the account disabled)', async () => {
    const ended = jest.fn()
    const stop = onSessionEnded('staff', ended)
    serve(() => ({ statusCode: 403, data: { code: 'ACCOUNT_DISABLED', message: '该账号已停用，请联系社区管理员', requestId: 'r' } }))
    const error = await failure(staffCall({ path: '/api/admin/places' }))
    stop()
    expect(error.code).toBe('ACCOUNT_DISABLED')
    expect(ended).toHaveBeenCalledWith(expect.objectContaining({ code: 'ACCOUNT_DISABLED' }))
    expect(loadSession('staff')).toBeNull()
  })

  it('refuses locally when nobody is logged in', async () => {
    storage.clear()
    const error = await failure(staffCall({ path: '/api/admin/places' }))
    expect(error).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 })
    expect(taroMock.request).not.toHaveBeenCalled()
  })
})

describe('resident session: signed in lazily', () => {
  const residentSession = (n: number) => ({ ...pair(n), me: { kind: 'resident', id: '7c0c7a4e-3f1b-4f5e-9a55-1d2a3b4c5d01', name: null, phone: null, via: 'device' } })

  it('in a browser, signs in once with a device secret it keeps, even for concurrent calls', async () => {
    const calls = serve((call) => {
      if (call.url === '/api/auth/device') return { statusCode: 200, data: residentSession(1) }
      return { statusCode: 200, data: { kind: 'resident' } }
    })

    await Promise.all([residentCall({ path: '/api/me' }), residentCall({ path: '/api/me' })])

    const logins = calls.filter((c) => c.url === '/api/auth/device')
    expect(logins).toHaveLength(1)
    const secret = (logins[0].data as { deviceSecret: string }).deviceSecret
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(storage.get('mq.deviceSecret')).toBe(secret)
    expect(calls.filter((c) => c.url === '/api/me').map(bearer)).toEqual(['access-1', 'access-1'])
  })

  it('signs in again with the same device secret when the session is gone', async () => {
    storage.set('mq.deviceSecret', 'a'.repeat(43))
    saveSession('resident', { accessToken: 'access-0', refreshToken: 'refresh-0', me: null })
    const calls = serve((call) => {
      if (call.url === '/api/auth/refresh') return { statusCode: 401, data: { code: 'UNAUTHENTICATED', message: 'x', requestId: 'r' } }
      if (call.url === '/api/auth/device') return { statusCode: 200, data: residentSession(1) }
      return bearer(call) === 'access-1' ? { statusCode: 200, data: { ok: true } } : expired
    })

    await expect(residentCall({ path: '/api/me' })).resolves.toEqual({ ok: true })
    expect(calls.map((c) => c.url)).toEqual(['/api/me', '/api/auth/refresh', '/api/auth/device', '/api/me'])
    expect(calls[2].data).toEqual({ deviceSecret: 'a'.repeat(43) })
  })

  it('in WeChat, trades a wx.login code, and tries one fresh code when WeChat refused the first', async () => {
    const env = process.env.TARO_ENV
    process.env.TARO_ENV = 'weapp'
    try {
      taroMock.login.mockResolvedValueOnce({ code: 'code-a' }).mockResolvedValueOnce({ code: 'code-b' })
      const calls = serve((call) => {
        if (call.url === '/api/auth/wechat') {
          return (call.data as { code: string }).code === 'code-a'
            ? { statusCode: 401, data: { code: 'WECHAT_CODE_INVALID', message: 'x', requestId: 'r' } }
            : { statusCode: 200, data: { ...residentSession(1), me: { ...residentSession(1).me, via: 'wechat' } } }
        }
        return { statusCode: 200, data: {} }
      })
      await residentCall({ path: '/api/me' })
      expect(calls.map((c) => [c.url, c.data])).toEqual([
        ['/api/auth/wechat', { code: 'code-a' }],
        ['/api/auth/wechat', { code: 'code-b' }],
        ['/api/me', undefined],
      ])
    } finally {
      if (env === undefined) Reflect.deleteProperty(process.env, 'TARO_ENV')
      else process.env.TARO_ENV = env
    }
  })
})

describe('session end', () => {
  it('is announced once when several requests learn of it', async () => {
    saveSession('staff', { accessToken: 'gone', refreshToken: 'gone', me: null })
    const ended = jest.fn()
    const stop = onSessionEnded('staff', ended)
    serve(() => ({ statusCode: 401, data: { code: 'UNAUTHENTICATED', message: '登录已失效，请重新登录', requestId: 'r' } }))
    const errors = await Promise.all([
      failure(staffCall({ path: '/api/me' })),
      failure(staffCall({ path: '/api/admin/places' })),
    ])
    stop()
    expect(errors.map((e) => e.code)).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED'])
    expect(ended).toHaveBeenCalledTimes(1)
  })
})
