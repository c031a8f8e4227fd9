import published from 'chinese-days/dist/chinese-days.json'
import { CALENDAR_DATA_FIRST_YEAR, OFFICIAL_HOLIDAYS, OFFICIAL_WORKDAYS } from './calendar-data'
import {
  addDaysToDate,
  isFirstWorkingDayAfterHoliday,
  publishedYears,
  timeInWords,
  WorkingCalendar,
} from './calendar'

/** The State Council's 2026 schedule (国办发明电〔2025〕7号): days off and make-up workdays. */
const HOLIDAYS_2026: Array<[string, string[]]> = [
  ['元旦', ['2026-01-01', '2026-01-02', '2026-01-03']],
  ['春节', ['2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22', '2026-02-23']],
  ['清明', ['2026-04-04', '2026-04-05', '2026-04-06']],
  ['劳动节', ['2026-05-01', '2026-05-02', '2026-05-03', '2026-05-04', '2026-05-05']],
  ['端午', ['2026-06-19', '2026-06-20', '2026-06-21']],
  ['中秋', ['2026-09-25', '2026-09-26', '2026-09-27']],
  ['国庆节', ['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07']],
]
const MAKEUP_WORKDAYS_2026: Array<[string, string]> = [
  ['2026-01-04', '元旦'], // Sunday
  ['2026-02-14', '春节'], // Saturday
  ['2026-02-28', '春节'], // Saturday
  ['2026-05-09', '劳动节'], // Saturday
  ['2026-09-20', '国庆节'], // Sunday
  ['2026-10-10', '国庆节'], // Saturday
]

const calendar = new WorkingCalendar()

describe('China’s working calendar, 2026', () => {
  it.each(HOLIDAYS_2026.flatMap(([name, days]) => days.map((d) => [d, name] as const)))(
    '%s is a statutory day off (%s)',
    (date, name) => {
      expect(calendar.day(date)).toEqual({ date, working: false, kind: 'holiday', name })
      expect(calendar.isWorkingDay(date)).toBe(false)
    },
  )

  it.each(MAKEUP_WORKDAYS_2026)('%s is a make-up workday (%s) though a weekend', (date, name) => {
    expect(calendar.day(date)).toEqual({ date, working: true, kind: 'makeup_workday', name })
  })

  it('every other day of 2026: Monday to Friday worked, weekends off', () => {
    const special = new Set([...HOLIDAYS_2026.flatMap(([, d]) => d), ...MAKEUP_WORKDAYS_2026.map(([d]) => d)])
    let working = 0
    for (let date = '2026-01-01'; date <= '2026-12-31'; date = addDaysToDate(date, 1)) {
      const weekday = new Date(`${date}T00:00:00Z`).getUTCDay()
      if (!special.has(date)) expect([date, calendar.isWorkingDay(date)]).toEqual([date, weekday !== 0 && weekday !== 6])
      if (calendar.isWorkingDay(date)) working++
    }
    // 261 weekdays, 19 of them holidays, 6 make-up weekend days.
    expect(working).toBe(248)
  })

  it('next and previous working days step over holidays and onto make-up days', () => {
    expect(calendar.nextWorkingDay('2026-09-30')).toBe('2026-10-08')
    expect(calendar.previousWorkingDay('2026-10-08')).toBe('2026-09-30')
    expect(calendar.nextWorkingDay('2026-10-09')).toBe('2026-10-10') // the make-up Saturday
    expect(calendar.nextWorkingDay('2026-02-13')).toBe('2026-02-14')
    expect(calendar.nextWorkingDay('2026-02-14')).toBe('2026-02-24')
    expect(calendar.nextWorkingDay('2025-12-31')).toBe('2026-01-04')
    expect(calendar.previousWorkingDay('2026-01-05')).toBe('2026-01-04')
  })

  it('knows 节后第一个工作日: after a statutory holiday, not after a plain weekend', () => {
    expect(isFirstWorkingDayAfterHoliday(calendar, '2026-10-08')).toBe(true)
    expect(isFirstWorkingDayAfterHoliday(calendar, '2026-02-24')).toBe(true)
    expect(isFirstWorkingDayAfterHoliday(calendar, '2026-04-07')).toBe(true)
    expect(isFirstWorkingDayAfterHoliday(calendar, '2026-10-09')).toBe(false)
    expect(isFirstWorkingDayAfterHoliday(calendar, '2026-11-23')).toBe(false) // a Monday
    expect(isFirstWorkingDayAfterHoliday(calendar, '2026-10-03')).toBe(false) // a day off itself
  })
})

describe('the data cut from the chinese-days package', () => {
  it('is the package’s schedule from its first year on (regenerate with scripts/calendar-data.mjs after an upgrade)', () => {
    const recent = (entries: Record<string, string>) =>
      Object.fromEntries(
        Object.entries(entries)
          .filter(([date]) => Number(date.slice(0, 4)) >= CALENDAR_DATA_FIRST_YEAR)
          .map(([date, value]) => [date, value.split(',')[1]]),
      )
    expect(OFFICIAL_HOLIDAYS).toEqual(recent(published.holidays))
    expect(OFFICIAL_WORKDAYS).toEqual(recent(published.workdays))
  })
})

describe('a year without a published schedule', () => {
  it('the package has 2026 and not 2027 yet', () => {
    expect(calendar.hasPublishedSchedule(2026)).toBe(true)
    expect(calendar.hasPublishedSchedule(2027)).toBe(false)
    expect(publishedYears().at(-1)).toBe(2026)
  })

  it('2027 falls back to plain weekends: National Day is a working Friday until the schedule is out', () => {
    expect(calendar.day('2027-10-01')).toEqual({ date: '2027-10-01', working: true, kind: 'workday', name: null })
    expect(calendar.day('2027-10-02').kind).toBe('weekend')
    expect(calendar.day('2027-01-01').working).toBe(true) // a Friday
    expect(calendar.nextWorkingDay('2027-02-05')).toBe('2027-02-08')
  })
})

describe('overrides win over the package', () => {
  const typhoon = new WorkingCalendar([
    { date: '2026-09-15', working: false, reason: '台风停工' },
    { date: '2026-10-03', working: true, reason: '值班日' },
  ])

  it('a day off, a day on, with the reason', () => {
    expect(typhoon.day('2026-09-15')).toEqual({ date: '2026-09-15', working: false, kind: 'override_off', name: '台风停工' })
    expect(typhoon.day('2026-10-03')).toEqual({ date: '2026-10-03', working: true, kind: 'override_on', name: '值班日' })
    expect(typhoon.nextWorkingDay('2026-09-14')).toBe('2026-09-16')
    // The official calendar is untouched.
    expect(calendar.isWorkingDay('2026-09-15')).toBe(true)
  })

  it('refuses a malformed date', () => {
    expect(() => new WorkingCalendar([{ date: '2026-9-15', working: false, reason: 'x' }])).toThrow(/YYYY-MM-DD/)
  })
})

describe('times in words', () => {
  const sh = (local: string) => new Date(`${local.replace(' ', 'T')}:00+08:00`)
  it.each([
    ['2026-11-24 17:00', '2026-11-24 09:00', '今天 17:00'],
    ['2026-11-25 10:00', '2026-11-24 21:00', '明天 10:00'],
    ['2026-11-26 10:00', '2026-11-24 21:00', '后天 10:00'],
    ['2026-11-23 09:30', '2026-11-24 21:00', '昨天 09:30'],
    ['2026-10-08 10:00', '2026-09-30 19:00', '节后第一个工作日（10月8日）10:00'],
    ['2026-10-08 10:00', '2026-10-03 12:00', '节后第一个工作日（10月8日）10:00'],
    ['2026-10-08 10:00', '2026-10-07 12:00', '明天 10:00'],
    ['2026-02-24 23:59', '2026-02-15 10:00', '节后第一个工作日（2月24日）23:59'],
    ['2026-11-30 10:00', '2026-11-24 21:00', '11月30日 10:00'], // a Monday after a plain weekend
    ['2027-01-05 10:00', '2026-12-30 10:00', '2027年1月5日 10:00'],
  ])('%s seen at %s: %s', (at, now, words) => {
    expect(timeInWords(sh(at), sh(now))).toBe(words)
  })
})
