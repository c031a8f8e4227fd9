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

  it.each([
    [{ PORT: 'abc' }, /^Invalid configuration: PORT .*\(got "abc"\)$/],
    [{ PORT: '70000' }, /^Invalid configuration: PORT must be between 1 and 65535/],
    [{ DATABASE_URL: 'mysql://x' }, /^Invalid configuration: DATABASE_URL must be a postgres:\/\/ URL/],
    [{ DEMO: 'yes' }, /^Invalid configuration: DEMO must be true, false, 1 or 0/],
    [{ PUBLIC_URL: 'not a url' }, /^Invalid configuration: PUBLIC_URL must be an absolute URL/],
  ])('rejects %j with a one-line message naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message)
    try {
      loadConfig(env)
    } catch (error) {
      expect((error as Error).message).not.toContain('\n')
    }
  })
})
