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

  it('a read replica: none by default; a postgres:// URL beside DATABASE_URL', () => {
    expect(loadConfig({}).databaseReadUrl).toBeNull()
    const primary = 'postgres://u@127.0.0.1:5432/db'
    expect(loadConfig({ DATABASE_URL: primary, DATABASE_READ_URL: 'postgres://u@127.0.0.1:5433/db' }).databaseReadUrl).toBe(
      'postgres://u@127.0.0.1:5433/db',
    )
    expect(() => loadConfig({ DATABASE_READ_URL: 'postgres://u@127.0.0.1:5433/db' })).toThrow(
      'Invalid configuration: DATABASE_READ_URL is a replica of DATABASE_URL, which is not set',
    )
    expect(() => loadConfig({ DATABASE_URL: primary, DATABASE_READ_URL: 'mysql://x' })).toThrow(
      /^Invalid configuration: DATABASE_READ_URL must be a postgres:\/\/ URL/,
    )
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

  describe('production (NODE_ENV=production)', () => {
    const production = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://mq@db.internal:5432/mq',
      PUBLIC_URL: 'https://mq.example.cn',
      TOKEN_SECRET: 'a-production-secret-that-is-long-enough-0123',
      WECHAT_APPID: 'wx0123456789abcdef',
      WECHAT_SECRET: 'an-app-secret',
    }
    const refusal = (env: Record<string, string | undefined>): string => {
      try {
        loadConfig(env)
      } catch (error) {
        return (error as Error).message
      }
      throw new Error('loadConfig accepted it')
    }

    it('starts with everything set: no demo data, the secret as given', () => {
      const config = loadConfig(production)
      expect(config.env).toBe('production')
      expect(config.demo).toBe(false)
      expect(config.auth.tokenSecret).toBe(production.TOKEN_SECRET)
      expect(config.shutdown).toEqual({ delayMs: 0, timeoutMs: 30000 })
      expect(config.retention).toEqual({ years: 3 })
    })

    it('names everything missing in one line', () => {
      expect(refusal({ NODE_ENV: 'production' })).toBe(
        'Invalid configuration: NODE_ENV is production, which needs DATABASE_URL, PUBLIC_URL, TOKEN_SECRET, WECHAT_APPID, WECHAT_SECRET (not set)',
      )
      expect(refusal({ ...production, PUBLIC_URL: undefined, WECHAT_SECRET: undefined })).toBe(
        'Invalid configuration: NODE_ENV is production, which needs PUBLIC_URL, WECHAT_SECRET (not set)',
      )
    })

    it.each([
      [{ PUBLIC_URL: 'http://mq.example.cn' }, /^Invalid configuration: PUBLIC_URL must be an https:\/\/ URL in production/],
      [{ TOKEN_SECRET: 'short-secret' }, /^Invalid configuration: TOKEN_SECRET must be at least 32 characters$/],
      [{ TOKEN_SECRET: 'a'.repeat(40) }, /^Invalid configuration: TOKEN_SECRET is not random enough/],
      [{ TOKEN_SECRET: 'ab12'.repeat(10) }, /^Invalid configuration: TOKEN_SECRET is not random enough/],
      [
        { TOKEN_SECRET: 'mq-development-token-secret-never-use-in-production' },
        /^Invalid configuration: TOKEN_SECRET is the published development value$/,
      ],
      [{ DEMO: 'true' }, /^Invalid configuration: DEMO must not be true in production \(demo data and demo logins are for trying it out\)$/],
    ])('refuses %j, in one line that never echoes a secret', (change, message) => {
      const text = refusal({ ...production, ...change })
      expect(text).toMatch(message)
      expect(text).not.toContain('\n')
      if ('TOKEN_SECRET' in change) expect(text).not.toContain(change.TOKEN_SECRET)
    })

    it('accepts DEMO=false, and a hex secret from openssl rand -hex 32', () => {
      expect(loadConfig({ ...production, DEMO: 'false' }).demo).toBe(false)
      expect(loadConfig({ ...production, TOKEN_SECRET: '3f9a0c1be47d5e2f8a6b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f' }).env).toBe(
        'production',
      )
    })
  })

  it('shutdown and retention settings', () => {
    const config = loadConfig({ SHUTDOWN_DELAY_MS: '5000', SHUTDOWN_TIMEOUT_MS: '10000', RETENTION_YEARS: '5' })
    expect(config.shutdown).toEqual({ delayMs: 5000, timeoutMs: 10000 })
    expect(config.retention).toEqual({ years: 5 })
  })

  describe('photo store (PHOTO_STORE)', () => {
    const s3 = {
      PHOTO_STORE: 's3',
      S3_BUCKET: 'mq-photos',
      S3_ACCESS_KEY_ID: 'AKIAEXAMPLE',
      S3_SECRET_ACCESS_KEY: 'a-very-secret-key',
    }

    it('is local disk by default', () => {
      expect(loadConfig({}).photoStore).toEqual({ kind: 'local' })
    })

    it('s3: the bucket, its credentials, AWS endpoints and virtual-hosted addressing by default', () => {
      expect(loadConfig(s3).photoStore).toEqual({
        kind: 's3',
        endpoint: null,
        region: 'us-east-1',
        bucket: 'mq-photos',
        accessKeyId: 'AKIAEXAMPLE',
        secretAccessKey: 'a-very-secret-key',
        forcePathStyle: false,
      })
      const minio = loadConfig({
        ...s3,
        S3_ENDPOINT: 'http://127.0.0.1:9000',
        S3_REGION: 'cn-east-1',
        S3_FORCE_PATH_STYLE: 'true',
      })
      expect(minio.photoStore).toMatchObject({ endpoint: 'http://127.0.0.1:9000', region: 'cn-east-1', forcePathStyle: true })
    })

    it.each(['S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'])('s3 without %s → one line naming it', (name) => {
      expect(() => loadConfig({ ...s3, [name]: undefined })).toThrow(
        new Error(`Invalid configuration: ${name} is required when PHOTO_STORE=s3`),
      )
    })

    it.each([
      [{ PHOTO_STORE: 'ftp' }, /^Invalid configuration: PHOTO_STORE must be local or s3 \(got "ftp"\)$/],
      [{ S3_ENDPOINT: 'minio:9000' }, /^Invalid configuration: S3_ENDPOINT must be an absolute http\(s\) URL/],
      [{ S3_BUCKET: 'My_Bucket' }, /^Invalid configuration: S3_BUCKET must be an S3 bucket name/],
      [{ S3_FORCE_PATH_STYLE: 'yes' }, /^Invalid configuration: S3_FORCE_PATH_STYLE must be true, false, 1 or 0/],
      [{ S3_SECRET_ACCESS_KEY: '' }, /^Invalid configuration: S3_SECRET_ACCESS_KEY [^\n]*$/],
    ])('refuses %j in one line', (change, message) => {
      expect(() => loadConfig({ ...s3, ...change })).toThrow(message)
    })

    it('never echoes the secret key', () => {
      expect(() => loadConfig({ ...s3, S3_SECRET_ACCESS_KEY: '' })).toThrow(
        /^Invalid configuration: S3_SECRET_ACCESS_KEY [^(]*$/,
      )
    })
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
    [{ SHUTDOWN_TIMEOUT_MS: '10' }, /^Invalid configuration: SHUTDOWN_TIMEOUT_MS must be between 1000 and 600000/],
    [{ RETENTION_YEARS: '0' }, /^Invalid configuration: RETENTION_YEARS must be between 1 and 30/],
    [{ RETENTION_YEARS: '2.5' }, /^Invalid configuration: RETENTION_YEARS must be a whole number of years/],
  ])('rejects %j with a one-line message naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message)
    try {
      loadConfig(env)
    } catch (error) {
      expect((error as Error).message).not.toContain('\n')
    }
  })
})
