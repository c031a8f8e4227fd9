import { dueInfo, friendlyTime } from './due'

// 2026-11-30 23:30 in Shanghai.
const now = Date.parse('2026-11-30T15:30:00Z')

describe('friendlyTime: an instant as residents read it, by the local calendar day', () => {
  it('names today, tomorrow, the day after and yesterday by the Shanghai date, not the UTC one', () => {
    expect(friendlyTime('2026-11-30T15:59:00Z', now)).toBe('今天 23:59')
    // 00:10 on 1 December in Shanghai, still 30 November in UTC.
    expect(friendlyTime('2026-11-30T16:10:00Z', now)).toBe('明天 00:10')
    expect(friendlyTime('2026-12-02T02:00:00Z', now)).toBe('后天 10:00')
    expect(friendlyTime('2026-11-29T01:30:00Z', now)).toBe('昨天 09:30')
  })

  it('gives the date further out, with the year only when it is another one', () => {
    expect(friendlyTime('2026-11-24T10:00:00Z', now)).toBe('11月24日 18:00')
    expect(friendlyTime('2027-01-03T10:00:00Z', now)).toBe('2027年1月3日 18:00')
  })
})

describe('dueInfo', () => {
  it('says what is owed by when, and how long is left', () => {
    const ticket = { state: 'submitted', severity: 'simple', replyBy: null, nextDueAt: '2026-11-30T15:59:00.000Z' } as const
    expect(dueInfo(ticket, now)).toEqual({ by: '今天 23:59 前受理', left: '还剩 29分钟', overdue: false })
  })
})

describe('dates in words on China’s working calendar', () => {
  it('names the first working day after a holiday, and plain days by their date', () => {
    const eve = Date.parse('2026-09-30T11:00:00Z') // 19:00 in Shanghai, the eve of National Day
    expect(friendlyTime('2026-10-08T01:00:00Z', eve)).toBe('节后第一个工作日（10月8日）09:00')
    expect(dueInfo({ state: 'submitted', severity: 'simple', replyBy: null, nextDueAt: '2026-10-08T01:00:00Z' }, eve)?.by).toBe(
      '节后第一个工作日（10月8日）09:00 前受理',
    )
    expect(friendlyTime('2026-10-01T01:00:00Z', eve)).toBe('明天 09:00')
  })
})
