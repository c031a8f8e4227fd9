import { everyDayCalendar } from './calendar'
import { calendarFor, computeDeadlines, overdueLevel } from './deadlines'
import { overdueStepAt, planTimers, type TimerTicket } from './timers'
import {
  DEFAULT_URGENT_RULES,
  isUrgentReport,
  NO_URGENT_CHANGE,
  urgentRulesOf,
  urgentAcceptBy,
  urgentSignal,
  type UrgentRules,
} from './urgent'

describe('urgent lane rule', () => {
  it.each([
    ['电梯困人了，有老人在里面', ['电梯困人']],
    ['楼道里有很大的燃气味', ['燃气']],
    ['闻到煤气味', ['煤气']],
    ['配电箱漏电，有火花', ['漏电']],
    ['3楼着火了', ['着火']],
    ['地下室水管爆裂，水漫出来', ['水管爆裂']],
    ['电 梯 困 人', ['电梯困人']],
  ])('"%s" is urgent by its words', (description, words) => {
    expect(urgentSignal({ category: 'facilities', description })).toEqual({ urgent: true, words, byCategory: false })
  })

  it.each([
    '楼道灯坏了，晚上看不清台阶',
    '楼下火锅店油烟太大',
    '最近有点上火，想咨询助医服务',
    '',
  ])('"%s" is not urgent', (description) => {
    expect(isUrgentReport({ category: 'shops', description })).toBe(false)
  })

  it('finds every word that matched', () => {
    expect(urgentSignal({ category: 'other', description: '燃气管漏了，还冒烟' }).words).toEqual(['燃气', '冒烟'])
  })

  it('makes a listed category urgent whatever the words, and no category is urgent by default', () => {
    const rules: UrgentRules = { ...DEFAULT_URGENT_RULES, categories: ['fire_safety'] }
    expect(urgentSignal({ category: 'fire_safety', description: '通道被堵' }, rules)).toEqual({
      urgent: true,
      words: [],
      byCategory: true,
    })
    expect(isUrgentReport({ category: 'fire_safety', description: '通道被堵' })).toBe(false)
    expect(isUrgentReport({ category: null, description: '通道被堵' }, rules)).toBe(false)
  })

  it('ignores an empty word in edited rules', () => {
    expect(isUrgentReport({ category: 'other', description: '路灯坏了' }, { categories: [], words: ['', ' '] })).toBe(false)
  })

  it('is due for acceptance 30 minutes after filing at any hour', () => {
    // 23:00 in Shanghai on a Saturday: no working window delays it.
    const filed = new Date('2026-10-03T15:00:00Z')
    expect(urgentAcceptBy(filed).toISOString()).toBe('2026-10-03T15:30:00.000Z')
  })
})

describe('urgent lane in the deadline rules', () => {
  // Saturday 3 October 2026, 23:00 in Shanghai: National Day holiday, night.
  const filed = new Date('2026-10-03T23:00:00+08:00')

  it('acceptance is due 30 minutes later even for a working-time handler on a holiday night', () => {
    const urgent = computeDeadlines({ filedAt: filed, severity: 'simple', config: { urgent: true }, dayType: 'working' })
    expect(urgent.acceptBy?.toISOString()).toBe('2026-10-03T15:30:00.000Z')
    const ordinary = computeDeadlines({ filedAt: filed, severity: 'simple', dayType: 'working' })
    expect(ordinary.acceptBy!.getTime()).toBeGreaterThan(filed.getTime() + 24 * 3_600_000)
  })

  it('warns at 75% of the 30 minutes and climbs the chain hourly once overdue', () => {
    const acceptBy = new Date('2026-10-03T15:30:00.000Z')
    const ticket: TimerTicket = {
      state: 'submitted',
      severity: 'simple',
      createdAt: filed,
      clockStartedAt: filed,
      repliedAt: null,
      resolvedAt: null,
      promisedAt: null,
      acceptBy,
      replyBy: null,
      resolveBy: null,
      pauses: [],
      dayType: 'working',
    }
    expect(planTimers(ticket, { urgent: true }).map((p) => [p.kind, p.step, p.fireAt.toISOString()])).toEqual([
      ['warning', 0, '2026-10-03T15:22:30.000Z'],
      ['overdue', 1, '2026-10-03T15:30:00.000Z'],
    ])
    expect(overdueStepAt(acceptBy, 2, everyDayCalendar(), { urgent: true }).toISOString()).toBe('2026-10-03T16:30:00.000Z')
    expect(overdueStepAt(acceptBy, 3, everyDayCalendar(), { urgent: true }).toISOString()).toBe('2026-10-03T17:30:00.000Z')
    expect(overdueStepAt(acceptBy, 2, everyDayCalendar()).toISOString()).toBe('2026-10-04T15:30:00.000Z')
  })

  it('counts an overdue urgent request late by the hour, as its steps fire, whatever the handler calendar', () => {
    const acceptBy = new Date('2026-10-03T15:30:00.000Z')
    const working = calendarFor({ urgent: true }, 'working')
    const at = (minutes: number) => new Date(acceptBy.getTime() + minutes * 60_000)
    expect(overdueLevel(acceptBy, at(-1), working, { urgent: true })).toBe(0)
    expect(overdueLevel(acceptBy, at(0), working, { urgent: true })).toBe(1)
    expect(overdueLevel(acceptBy, at(59), working, { urgent: true })).toBe(1)
    expect(overdueLevel(acceptBy, at(150), working, { urgent: true })).toBe(3)
    for (const step of [1, 2, 3, 4]) {
      const fires = overdueStepAt(acceptBy, step, working, { urgent: true })
      expect(overdueLevel(acceptBy, fires, working, { urgent: true })).toBe(step)
    }
    // The same lateness of an ordinary request on a holiday, for a working-time handler: still level 1.
    expect(overdueLevel(acceptBy, at(150), working)).toBe(1)
  })
})

describe('a place\'s danger list', () => {
  const change = (c: Partial<typeof NO_URGENT_CHANGE>) => ({ ...NO_URGENT_CHANGE, ...c })

  it('applies each level outermost first, so the nearest place wins for a word or category', () => {
    const district = change({ addWords: ['化粪池'], addCategories: ['fire_safety'] })
    const street = change({ dropWords: ['冒烟', '化粪池'] })
    const compound = change({ addWords: ['化粪池', '井盖 掉了'], dropCategories: ['fire_safety'] })
    const rules = urgentRulesOf([district, street, compound])
    expect(rules.words).toContain('化粪池')
    expect(rules.words).toContain('井盖 掉了')
    expect(rules.words).not.toContain('冒烟')
    expect(rules.categories).toEqual([])
    expect(urgentRulesOf([district, street]).words).not.toContain('化粪池')
    expect(urgentRulesOf([district]).categories).toEqual(['fire_safety'])
    expect(urgentSignal({ category: null, description: '5幢门口井盖掉了' }, rules).words).toEqual(['井盖 掉了'])
    expect(urgentSignal({ category: null, description: '楼下冒烟' }, rules).urgent).toBe(false)
  })

  it('is the defaults when no place changes it', () => {
    expect(urgentRulesOf([NO_URGENT_CHANGE, NO_URGENT_CHANGE])).toEqual(DEFAULT_URGENT_RULES)
  })
})
