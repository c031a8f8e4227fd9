import { compactLine, isHealthProbe, withoutBootChatter } from './logging'

const TIME = new Date(2026, 11, 5, 9, 4, 5).getTime()
const line = (entry: Record<string, unknown>) =>
  JSON.stringify({ level: 30, time: TIME, pid: 1, hostname: 'h', ...entry })

describe('compact development log lines', () => {
  it('writes a request as one line: method, path, status, duration', () => {
    const json = line({
      req: { id: 'abc', method: 'POST', path: '/api/requests' },
      res: { status: 201 },
      responseTime: 12,
      msg: 'request completed',
    })
    expect(compactLine(json)).toBe('09:04:05 INFO  POST /api/requests 201 12 ms\n')
  })

  it('names the context and appends other fields as key=value', () => {
    const json = JSON.stringify({
      level: 40,
      time: TIME,
      context: 'Notifications',
      notificationId: 'n1',
      error: 'timed out',
      msg: 'notification failed',
    })
    expect(compactLine(json)).toBe(
      '09:04:05 WARN  [Notifications] notification failed notificationId=n1 error="timed out"\n',
    )
  })

  it("keeps pino's level when a logged object carries a field named level", () => {
    const json = `{"level":30,"time":${TIME},"context":"DeadlineTimers","level":2,"msg":"warning timer fired"}`
    expect(compactLine(json)).toBe('09:04:05 INFO  [DeadlineTimers] warning timer fired level=2\n')
  })

  it("puts an error's stack under its line", () => {
    const json = JSON.stringify({
      level: 50,
      time: TIME,
      requestId: 'r1',
      err: { message: 'boom', stack: 'Error: boom\n    at f (x.ts:1:1)' },
    })
    expect(compactLine(json)).toBe('09:04:05 ERROR requestId=r1\n    Error: boom\n        at f (x.ts:1:1)\n')
  })

  it('colours the level only when asked', () => {
    expect(compactLine(line({ msg: 'hi' }), true)).toBe('09:04:05 \u001b[32mINFO \u001b[0m hi\n')
  })

  it('passes a line that is not JSON through unchanged', () => {
    expect(compactLine('plain text')).toBe('plain text\n')
  })
})

describe('the application logger without start-up chatter', () => {
  it("drops Nest's module and route lines at info, keeps everything else", () => {
    const seen: unknown[][] = []
    const record = (...args: unknown[]) => void seen.push(args)
    const logger = withoutBootChatter({ log: record, warn: record, error: record })
    logger.log('Mapped {/api/health, GET} route', 'RouterExplorer')
    logger.log('AppModule dependencies initialized', 'InstanceLoader')
    logger.log('demo data seeded', 'DemoSeeder')
    logger.warn('slow start', 'InstanceLoader')
    expect(seen).toEqual([
      ['demo data seeded', 'DemoSeeder'],
      ['slow start', 'InstanceLoader'],
    ])
  })
})

describe('request lines', () => {
  it('leave out the health probes, and only them', () => {
    expect(['/api/health', '/api/health/ready', '/api/health/live?x=1'].map(isHealthProbe)).toEqual([
      true,
      true,
      true,
    ])
    expect(['/api/healthy', '/api/requests', '/'].map(isHealthProbe)).toEqual([false, false, false])
  })
})
