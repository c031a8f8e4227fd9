import {
  DEFAULT_URGENT_RULES,
  isUrgentReport,
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
