import { loadConfig } from './config'

describe('loadConfig', () => {
  it('applies defaults: embedded database and demo data', () => {
    const config = loadConfig({})
    expect(config.port).toBe(3000)
    expect(config.databaseUrl).toBeNull()
    expect(config.demo).toBe(true)
    expect(config.publicUrl).toBe('http://localhost:3000')
  })

  it('turns demo off by default on a real database', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u@127.0.0.1:5432/db' })
    expect(config.demo).toBe(false)
    expect(config.databaseUrl).toBe('postgres://u@127.0.0.1:5432/db')
  })

  it('auth and WeChat: 15-minute access tokens, 30-day refresh tokens, the real WeChat API by default', () => {
    const config = loadConfig({})
    expect(config.auth).toMatchObject({ accessTokenTtl: 900, refreshTokenTtl: 30 * 86400 })
    expect(config.auth.tokenSecret.length).toBeGreaterThanOrEqual(32)
    expect(config.wechat).toEqual({ apiBase: 'https://api.weixin.qq.com', appId: null, secret: null, timeoutMs: 5000 })
    const custom = loadConfig({ ACCESS_TOKEN_TTL: '5m', REFRESH_TOKEN_TTL: '12h', WECHAT_API_BASE: 'http://127.0.0.1:9/' })
    expect(custom.auth).toMatchObject({ accessTokenTtl: 300, refreshTokenTtl: 43200 })
    expect(custom.wechat.apiBase).toBe('http://127.0.0.1:9')
  })

  it('production needs its own token secret of at least 32 characters, and never echoes it', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      'Invalid configuration: TOKEN_SECRET is required in production (at least 32 random characters)',
    )
    expect(() => loadConfig({ NODE_ENV: 'production', TOKEN_SECRET: 'short-secret' })).toThrow(
      /^Invalid configuration: TOKEN_SECRET must be at least 32 characters$/,
    )
    const secret = 'a-production-secret-that-is-long-enough-0123'
    expect(loadConfig({ NODE_ENV: 'production', TOKEN_SECRET: secret }).auth.tokenSecret).toBe(secret)
  })

  it.each([
    [{ PORT: 'abc' }, /^Invalid configuration: PORT .*\(got "abc"\)$/],
    [{ PORT: '70000' }, /^Invalid configuration: PORT must be between 1 and 65535/],
    [{ DATABASE_URL: 'mysql://x' }, /^Invalid configuration: DATABASE_URL must be a postgres:\/\/ URL/],
    [{ DEMO: 'yes' }, /^Invalid configuration: DEMO must be true, false, 1 or 0/],
    [{ PUBLIC_URL: 'not a url' }, /^Invalid configuration: PUBLIC_URL must be an absolute URL/],
    [{ ACCESS_TOKEN_TTL: 'forever' }, /^Invalid configuration: ACCESS_TOKEN_TTL must be a duration/],
    [{ ACCESS_TOKEN_TTL: '0m' }, /^Invalid configuration: ACCESS_TOKEN_TTL must be longer than 0/],
    [{ WECHAT_APPID: 'wx123' }, /^Invalid configuration: WECHAT_SECRET must be set together/],
    [{ WECHAT_SECRET: 's3cret' }, /^Invalid configuration: WECHAT_APPID must be set together/],
    [{ WECHAT_TIMEOUT_MS: '10' }, /^Invalid configuration: WECHAT_TIMEOUT_MS must be between 100 and 60000/],
  ])('rejects %j with a one-line message naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message)
    try {
      loadConfig(env)
    } catch (error) {
      expect((error as Error).message).not.toContain('\n')
    }
  })
})
