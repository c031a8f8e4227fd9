import { dueOf, dueText, duration, escalationFromTimeline, escalationLevel, escalationText } from './due'
import { promiseRange, promisedAtFor } from './dates'

const NOW = Date.parse('2026-11-21T04:00:00.000Z') // 12:00 in Shanghai
const at = (ms: number) => new Date(NOW + ms).toISOString()
const HOUR = 3_600_000

const base = { acceptBy: null, replyBy: null, resolveBy: null }

describe('countdowns', () => {
  it('names the deadline owed now and the time left', () => {
    const due = dueOf({ ...base, state: 'submitted', acceptBy: at(2 * HOUR - 60_000), nextDueAt: at(2 * HOUR - 60_000) }, NOW)
    expect(due.kind).toBe('running')
    expect(dueText(due)).toBe('受理还剩 1小时59分')
  })

  it('turns overdue once the deadline has passed', () => {
    const due = dueOf({ ...base, state: 'accepted', replyBy: at(-3 * HOUR), nextDueAt: at(-3 * HOUR) }, NOW)
    expect(due.kind).toBe('overdue')
    expect(dueText(due)).toBe('答复已超时 3小时00分')
  })

  it('stops while waiting for the resident, and has nothing owed once done', () => {
    expect(dueText(dueOf({ ...base, state: 'waiting_resident', nextDueAt: null }, NOW))).toBe('计时暂停（等居民补充）')
    expect(dueOf({ ...base, state: 'resolved', nextDueAt: null }, NOW).kind).toBe('none')
  })

  it('reads durations the way people say them', () => {
    expect(duration(45 * 60_000)).toBe('45分钟')
    expect(duration(3 * HOUR + 5 * 60_000)).toBe('3小时05分')
    expect(duration(52 * HOUR)).toBe('2天4小时')
  })
})

describe('escalation level', () => {
  it('follows the shared rule: one level when overdue, one more every 24 h', () => {
    expect(escalationLevel({ nextDueAt: at(HOUR) }, NOW)).toBe(0)
    expect(escalationLevel({ nextDueAt: at(-HOUR) }, NOW)).toBe(1)
    expect(escalationLevel({ nextDueAt: at(-25 * HOUR) }, NOW)).toBe(2)
    expect(escalationText(2)).toBe('督办2级 · 社区')
  })

  it('never shows less than the server reports (a chase escalates at once)', () => {
    expect(escalationLevel({ nextDueAt: at(-HOUR) }, NOW, 2)).toBe(2)
    const timeline = [
      { id: '1', at: at(0), type: 'escalated' as const, public: false, actor: { kind: 'system' as const, role: null, name: null }, data: { level: 3 } },
    ]
    expect(escalationFromTimeline(timeline)).toBe(3)
    expect(escalationFromTimeline([])).toBeNull()
  })
})

describe('promised dates', () => {
  it('offers today to 30 days ahead, suggesting a week ahead on a working day', () => {
    // 2026-11-28 is a Saturday: the Monday after.
    expect(promiseRange(NOW)).toEqual({ start: '2026-11-21', end: '2026-12-21', suggested: '2026-11-30' })
    // A week after 2026-09-24 is National Day: the first working day after the holiday.
    expect(promiseRange(Date.parse('2026-09-24T02:00:00Z')).suggested).toBe('2026-10-08')
  })

  it('promises the end of the chosen day, but never beyond the latest allowed instant', () => {
    expect(promisedAtFor('2026-11-28', NOW)).toBe('2026-11-28T15:59:59.999Z')
    expect(Date.parse(promisedAtFor('2026-12-21', NOW))).toBeLessThan(Date.parse('2026-12-21T04:00:00.000Z'))
  })
})

describe('on China’s working calendar', () => {
  const eve = Date.parse('2026-09-30T11:00:00Z') // 19:00 in Shanghai, the eve of National Day
  it('a deadline on a later day reads as the date in words', () => {
    const due = dueOf({ ...base, state: 'submitted', acceptBy: '2026-10-08T01:00:00Z', nextDueAt: '2026-10-08T01:00:00Z' }, eve)
    expect(dueText(due)).toBe('受理：节后第一个工作日（10月8日）09:00 前')
  })
  it('a working-time handler’s level climbs by working days only', () => {
    const late = { nextDueAt: '2026-09-30T11:00:00Z' } // due 30 Sep 19:00
    const oct8 = Date.parse('2026-10-08T11:00:00Z') // 8 Oct 19:00: 5 h + 19 h of working time late
    expect(escalationLevel({ ...late, handlerRole: 'grid_lead' }, oct8)).toBe(2)
    expect(escalationLevel({ ...late, handlerRole: 'property_manager' }, oct8)).toBe(9)
  })
})
