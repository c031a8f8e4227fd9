import { loadConfig } from '../config/config'

const refusal = (env: Record<string, string>): string => {
  try {
    loadConfig(env)
  } catch (error) {
    return (error as Error).message
  }
  throw new Error('accepted')
}

describe('SMS configuration', () => {
  const production = {
    NODE_ENV: 'production',
    DATABASE_URL: 'postgres://mq@db.internal:5432/mq',
    PUBLIC_URL: 'https://mq.example.cn',
    TOKEN_SECRET: 'a-production-secret-that-is-long-enough-0123',
    WECHAT_APPID: 'wx0123456789abcdef',
    WECHAT_SECRET: 'an-app-secret',
  }
  const aliyun = {
    SMS_PROVIDER: 'aliyun',
    SMS_ACCESS_KEY_ID: 'LTAI5t',
    SMS_ACCESS_KEY_SECRET: 'the-sms-secret',
    SMS_SIGN_NAME: '民情直通',
    SMS_CODE_TEMPLATE: 'SMS_1',
    SMS_NOTICE_TEMPLATE: 'SMS_2',
  }

  it('logs messages outside production and sends none in production unless told', () => {
    expect(loadConfig({}).sms).toEqual({ provider: 'log', timeoutMs: 5000 })
    expect(loadConfig(production).sms).toEqual({ provider: 'off', timeoutMs: 5000 })
  })

  it('refuses the log provider in production, in one line', () => {
    expect(refusal({ ...production, SMS_PROVIDER: 'log' })).toBe(
      'Invalid configuration: SMS_PROVIDER must not be log in production (it writes verification codes into the log); use aliyun or off',
    )
  })

  it('aliyun needs its keys, sign name and templates, and never prints the secret', () => {
    expect(loadConfig({ ...production, ...aliyun }).sms).toMatchObject({
      provider: 'aliyun',
      apiBase: 'https://dysmsapi.aliyuncs.com',
      signName: '民情直通',
    })
    const { SMS_ACCESS_KEY_SECRET: _secret, ...withoutSecret } = aliyun
    expect(refusal({ ...production, ...withoutSecret })).toBe(
      'Invalid configuration: SMS_ACCESS_KEY_SECRET is required when SMS_PROVIDER=aliyun (not set: SMS_ACCESS_KEY_SECRET)',
    )
    expect(refusal({ ...aliyun, SMS_CODE_TEMPLATE: 'code' })).toBe(
      'Invalid configuration: SMS_CODE_TEMPLATE must be a template code such as SMS_123456789 (got "code")',
    )
    expect(refusal({ ...aliyun, SMS_ACCESS_KEY_SECRET: '' })).not.toContain('the-sms-secret')
  })

  it('reads the per-number limits', () => {
    expect(loadConfig({}).rateLimits).toMatchObject({
      smsCodePerNumberMinute: { points: 1, seconds: 60 },
      smsCodePerNumberDay: { points: 5, seconds: 86400 },
    })
  })
})
