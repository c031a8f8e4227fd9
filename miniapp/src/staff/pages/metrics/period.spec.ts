import { customPeriod, lastMonth, thisMonth, weekLabel } from './period'

describe('metrics periods (Asia/Shanghai)', () => {
  it('this month runs from its first local midnight to the end of today', () => {
    // 2026-11-30 23:30 in Shanghai is still November there.
    const p = thisMonth(Date.parse('2026-11-30T15:30:00Z'))
    expect(p).toMatchObject({ from: '2026-10-31T16:00:00.000Z', to: '2026-11-30T16:00:00.000Z', label: '2026年11月' })
    // 00:30 on 1 December in Shanghai is already December.
    expect(thisMonth(Date.parse('2026-11-30T16:30:00Z'))).toMatchObject({
      from: '2026-11-30T16:00:00.000Z',
      to: '2026-12-01T16:00:00.000Z',
      label: '2026年12月',
    })
  })

  it('last month is the whole previous month, across a year end', () => {
    expect(lastMonth(Date.parse('2027-01-10T04:00:00Z'))).toMatchObject({
      from: '2026-11-30T16:00:00.000Z',
      to: '2026-12-31T16:00:00.000Z',
      label: '2026年12月',
    })
  })

  it('a custom period includes its last day and refuses impossible ones', () => {
    expect(customPeriod('2026-10-01', '2026-10-31')).toMatchObject({
      from: '2026-09-30T16:00:00.000Z',
      to: '2026-10-31T16:00:00.000Z',
      label: '2026-10-01 至 2026-10-31',
    })
    expect(customPeriod('2026-02-30', '2026-03-01')).toEqual({ error: '请选择开始和结束日期' })
    expect(customPeriod('2026-10-02', '2026-10-01')).toEqual({ error: '开始日期不能晚于结束日期' })
    expect(customPeriod('2023-01-01', '2026-01-01')).toEqual({ error: '统计时间最长两年，请缩短时间范围' })
  })

  it('labels a week by its Monday in Shanghai', () => {
    expect(weekLabel('2026-11-15T16:00:00.000Z')).toBe('11/16')
  })
})
