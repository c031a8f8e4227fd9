import { ConfigError, loadConfig } from '../config/config'

/** The configuration of the timers and the sender (config.ts): what it reads, and what it refuses. */
describe('workers and notification configuration', () => {
  const base = { NODE_ENV: 'development', DATABASE_URL: 'postgres://localhost/x' }

  it('runs the workers by default, but not under NODE_ENV=test unless WORKERS says so', () => {
    expect(loadConfig(base).workers).toEqual({
      enabled: true,
      deadlineScanIntervalMs: 5000,
      notifyIntervalMs: 2000,
    })
    expect(loadConfig({ ...base, NODE_ENV: 'test' }).workers.enabled).toBe(false)
    expect(loadConfig({ ...base, NODE_ENV: 'test', WORKERS: 'true' }).workers.enabled).toBe(true)
    expect(loadConfig({ ...base, WORKERS: '0' }).workers.enabled).toBe(false)
  })

  it('reads template ids per event and the sender’s limits', () => {
    const config = loadConfig({
      ...base,
      WECHAT_TEMPLATES: ' accepted=AbC-1_x , warning=Zz9 ',
      NOTIFY_MAX_ATTEMPTS: '5',
      NOTIFY_RETRY_BASE_MS: '1000',
    })
    expect(config.notifications).toEqual({
      templates: { accepted: 'AbC-1_x', warning: 'Zz9' },
      miniprogramState: 'formal',
      maxAttempts: 5,
      retryBaseMs: 1000,
      retryMaxMs: 3600000,
      leaseMs: 60000,
    })
    expect(loadConfig(base).notifications.templates).toEqual({})
  })

  it('refuses an unknown event, a malformed pair, and a lease shorter than a send can take', () => {
    expect(() => loadConfig({ ...base, WECHAT_TEMPLATES: 'birthday=abc' })).toThrow(ConfigError)
    expect(() => loadConfig({ ...base, WECHAT_TEMPLATES: 'accepted' })).toThrow(
      /WECHAT_TEMPLATES must be event=templateId/,
    )
    expect(() => loadConfig({ ...base, NOTIFY_LEASE_MS: '10000', WECHAT_TIMEOUT_MS: '5000' })).toThrow(
      /NOTIFY_LEASE_MS must be at least 4 × WECHAT_TIMEOUT_MS/,
    )
    expect(() => loadConfig({ ...base, DEADLINE_SCAN_INTERVAL_MS: '10' })).toThrow(
      /DEADLINE_SCAN_INTERVAL_MS/,
    )
    // The page a message opens follows its recipient (the shared page table); the old setting is refused
    // rather than silently ignored.
    expect(() => loadConfig({ ...base, WECHAT_MESSAGE_PAGE: 'pages/request/index' })).toThrow(
      /WECHAT_MESSAGE_PAGE is no longer read/,
    )
  })
})
