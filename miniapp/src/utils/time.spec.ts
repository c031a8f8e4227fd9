import { clockTime, dateTime, dateTimeSeconds } from './time'

describe('Shanghai time', () => {
  it('shows instants in UTC+8 whatever the device zone', () => {
    expect(clockTime('2026-11-21T02:35:00Z')).toBe('10:35')
    expect(dateTime('2026-11-21T16:05:00Z')).toBe('2026-11-22 00:05')
    expect(dateTimeSeconds(Date.parse('2026-12-31T23:59:07+08:00'))).toBe('2026-12-31 23:59:07')
  })
})
