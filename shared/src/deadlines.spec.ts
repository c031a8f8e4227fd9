import {
  addWorkingMinutes,
  autoCloseAt,
  calendarFor,
  computeDeadlines,
  dayTypeOf,
  promiseDateProblem,
  DEFAULT_DEADLINE_CONFIG,
  extendByPauses,
  filingPromise,
  promiseNotice,
  latestPromiseDate,
  overdueLevel,
  resolveConfig,
  warningAt,
} from './deadlines'

/** A Shanghai wall-clock time as an instant. */
const sh = (local: string) => new Date(`${local.replace(' ', 'T')}:00+08:00`)
const shEnd = (day: string) => new Date(`${day}T23:59:59.999+08:00`)

describe('acceptance deadline (2 working hours, 08:00–20:00)', () => {
  it.each([
    ['2026-03-10 07:59', '2026-03-10 10:00'], // before the window: counts from 08:00
    ['2026-03-10 08:00', '2026-03-10 10:00'],
    ['2026-03-10 16:59', '2026-03-10 18:59'],
    ['2026-03-10 17:00', '2026-03-10 19:00'],
    ['2026-03-10 17:01', '2026-03-10 19:01'],
    ['2026-03-10 18:00', '2026-03-10 20:00'], // exactly fits the window
    ['2026-03-10 19:59', '2026-03-11 09:59'], // 1 minute tonight, 119 tomorrow
    ['2026-03-10 20:00', '2026-03-11 10:00'], // night: by 10:00 next morning
    ['2026-03-10 23:59', '2026-03-11 10:00'],
    ['2026-03-31 23:59', '2026-04-01 10:00'], // month end
    ['2026-02-28 21:00', '2026-03-01 10:00'], // February end (not a leap year)
    ['2028-02-28 21:00', '2028-02-29 10:00'], // leap day
    ['2026-12-31 20:00', '2027-01-01 10:00'], // year end
    ['2026-12-31 19:30', '2027-01-01 09:30'],
  ])('filed %s → accept by %s', (filed, due) => {
    expect(computeDeadlines({ filedAt: sh(filed), severity: 'simple' }).acceptBy).toEqual(sh(due))
  })

  it('reads wall-clock time in Asia/Shanghai whatever the instant’s UTC day', () => {
    // 2026-03-10 23:59 UTC is 2026-03-11 07:59 in Shanghai: before the window opens.
    expect(addWorkingMinutes(new Date('2026-03-10T23:59:00Z'), 120, DEFAULT_DEADLINE_CONFIG)).toEqual(
      sh('2026-03-11 10:00'),
    )
  })
})

describe('simple requests: resolved by the end of the day, or the next day after 17:00', () => {
  it.each([
    ['2026-03-10 07:59', '2026-03-10'],
    ['2026-03-10 08:00', '2026-03-10'],
    ['2026-03-10 16:59', '2026-03-10'],
    ['2026-03-10 17:00', '2026-03-11'],
    ['2026-03-10 17:01', '2026-03-11'],
    ['2026-03-10 19:59', '2026-03-11'],
    ['2026-03-10 20:00', '2026-03-11'],
    ['2026-03-10 23:59', '2026-03-11'],
    ['2026-04-30 17:00', '2026-05-01'], // month end
    ['2026-12-31 16:59', '2026-12-31'],
    ['2026-12-31 17:01', '2027-01-01'], // year end
    ['2027-01-01 00:00', '2027-01-01'],
  ])('filed %s → resolve by the end of %s', (filed, day) => {
    const d = computeDeadlines({ filedAt: sh(filed), severity: 'simple' })
    expect(d.resolveBy).toEqual(shEnd(day))
    expect(d.replyBy).toBeNull()
  })
})

describe('complex requests: a clear reply within 72 hours, resolution by the promised date', () => {
  it.each([
    ['2026-03-10 07:59', '2026-03-13 07:59'],
    ['2026-03-10 17:00', '2026-03-13 17:00'],
    ['2026-03-10 20:00', '2026-03-13 20:00'],
    ['2026-03-10 23:59', '2026-03-13 23:59'],
    ['2026-03-30 12:00', '2026-04-02 12:00'], // month end
    ['2026-12-30 23:59', '2027-01-02 23:59'], // year end
  ])('filed %s → reply by %s', (filed, due) => {
    const d = computeDeadlines({ filedAt: sh(filed), severity: 'complex' })
    expect(d.replyBy).toEqual(sh(due))
    expect(d.resolveBy).toBeNull() // no promise yet
  })

  it('resolves by the promised date once replied', () => {
    const d = computeDeadlines({
      filedAt: sh('2026-03-10 09:00'),
      severity: 'complex',
      promisedAt: sh('2026-03-20 18:00'),
    })
    expect(d.resolveBy).toEqual(sh('2026-03-20 18:00'))
  })

  it('limits the promise to 30 days after the reply', () => {
    expect(latestPromiseDate(sh('2026-12-15 10:00'))).toEqual(sh('2027-01-14 10:00'))
  })

  it('counts those 30 days as local days, the wall clock kept across a change of offset', () => {
    // Berlin goes to summer time on 2026-03-29: 30 local days after 10:00 on 03-15 is 10:00 on 04-14,
    // 23 hours of the clock fewer than 30 × 24.
    const repliedAt = new Date('2026-03-15T09:00:00Z') // 10:00 CET
    expect(latestPromiseDate(repliedAt, { timeZone: 'Europe/Berlin' })).toEqual(
      new Date('2026-04-14T08:00:00Z'), // 10:00 CEST
    )
  })
})

describe('waiting for the resident stops the clock', () => {
  const filedAt = sh('2026-03-10 09:00')

  it('adds a closed pause back to every deadline it began before', () => {
    const pauses = [{ start: sh('2026-03-10 09:30'), end: sh('2026-03-10 13:30') }]
    const d = computeDeadlines({ filedAt, severity: 'complex', pauses })
    expect(d.acceptBy).toEqual(sh('2026-03-10 15:00')) // 11:00 + 4 h
    expect(d.replyBy).toEqual(sh('2026-03-13 13:00')) // 09:00 + 72 h + 4 h
  })

  it('ignores a pause that began after the deadline had passed', () => {
    const pauses = [{ start: sh('2026-03-10 12:00'), end: sh('2026-03-10 14:00') }]
    const d = computeDeadlines({ filedAt, severity: 'simple', pauses })
    expect(d.acceptBy).toEqual(sh('2026-03-10 11:00'))
    expect(d.resolveBy).toEqual(new Date(shEnd('2026-03-10').getTime() + 2 * 3_600_000))
  })

  it('counts several pauses, including one the first pause pushed the deadline past', () => {
    const deadline = sh('2026-03-10 11:00')
    const pauses = [
      { start: sh('2026-03-10 11:30'), end: sh('2026-03-10 12:00') }, // after 11:00, but 11:00 moves first
      { start: sh('2026-03-10 10:00'), end: sh('2026-03-10 11:00') },
    ]
    expect(extendByPauses(deadline, pauses)).toEqual(sh('2026-03-10 12:30'))
  })

  it('has no deadline while a pause is still open', () => {
    const pauses = [{ start: sh('2026-03-10 10:00'), end: null }]
    const d = computeDeadlines({ filedAt, severity: 'simple', pauses })
    expect(d.acceptBy).toBeNull()
    expect(d.resolveBy).toBeNull()
  })

  it('a pause across the year end moves the deadline into the new year', () => {
    const pauses = [{ start: sh('2026-12-31 10:00'), end: sh('2027-01-02 10:00') }]
    const d = computeDeadlines({ filedAt: sh('2026-12-31 09:00'), severity: 'simple', pauses })
    expect(d.resolveBy).toEqual(new Date(shEnd('2026-12-31').getTime() + 48 * 3_600_000))
  })
})

describe('warnings, auto-close and escalation levels', () => {
  it('warns at 75% of the window', () => {
    expect(warningAt(sh('2026-03-10 09:00'), sh('2026-03-10 11:00'))).toEqual(sh('2026-03-10 10:30'))
  })

  it('auto-closes 7 days after resolution', () => {
    expect(autoCloseAt(sh('2026-12-28 15:00'))).toEqual(sh('2027-01-04 15:00'))
  })

  it('escalates one level at the deadline and one more per further 24 h', () => {
    const due = sh('2026-03-10 11:00')
    expect(overdueLevel(due, sh('2026-03-10 10:59'))).toBe(0)
    expect(overdueLevel(due, due)).toBe(1)
    expect(overdueLevel(due, sh('2026-03-11 10:59'))).toBe(1)
    expect(overdueLevel(due, sh('2026-03-11 11:00'))).toBe(2)
    expect(overdueLevel(due, sh('2026-03-13 11:00'))).toBe(4)
  })
})

describe('configuration per compound', () => {
  it('follows a compound’s own window and cutoff', () => {
    const config = { workdayStart: '09:00', workdayEnd: '18:00', simpleCutoff: '16:00' }
    const d = computeDeadlines({ filedAt: sh('2026-03-10 16:30'), severity: 'simple', config })
    expect(d.acceptBy).toEqual(sh('2026-03-11 09:30'))
    expect(d.resolveBy).toEqual(shEnd('2026-03-11'))
  })

  it('rejects a malformed or inverted window', () => {
    expect(() => resolveConfig({ workdayStart: '8:00' })).toThrow(/HH:MM/)
    expect(() => resolveConfig({ workdayStart: '20:00', workdayEnd: '08:00' })).toThrow(/before/)
  })
})

describe('filingPromise: what filing now promises, by the deadline rules', () => {
  it.each([
    ['2026-03-10 16:59', '2026-03-10'],
    ['2026-03-10 17:00', '2026-03-11'], // after the cut-off: tomorrow, not today
    ['2026-03-10 22:30', '2026-03-11'],
  ])('a simple request filed %s is to be resolved by the end of %s', (filed, day) => {
    expect(filingPromise('simple', sh(filed))).toEqual({ owed: 'resolve', by: shEnd(day) })
  })

  it('a complex request owes its reply 72 hours after filing', () => {
    expect(filingPromise('complex', sh('2026-03-10 17:30'))).toEqual({ owed: 'reply', by: sh('2026-03-13 17:30') })
  })

  it("follows a compound's own cut-off", () => {
    expect(filingPromise('simple', sh('2026-03-10 16:00'), { simpleCutoff: '15:30' }).by).toEqual(shEnd('2026-03-11'))
  })
})

describe('promiseNotice: the first promise in words, with its date in the compound time zone', () => {
  it('names the day and time a simple request is due, the next day after the cut-off', () => {
    const { by } = filingPromise('simple', sh('2026-03-10 17:05'))
    expect(promiseNotice('simple', by)).toBe('简单问题：3月11日 23:59 前办结')
  })

  it('names when a complex request owes its reply', () => {
    expect(promiseNotice('complex', sh('2026-03-13 17:30'))).toBe('复杂问题：3月13日 17:30 前答复')
  })

  it('falls back to the general promise while the clock is stopped', () => {
    expect(promiseNotice('simple', null)).toBe('简单问题：当日办结')
  })
})

describe('deadlines on China’s working calendar: a working-time role (网格长) and an on-duty role (物业)', () => {
  /** "2026-10-08 23:59" is the end of that day; other times are to the minute. */
  const at = (local: string) => (local.endsWith('23:59') ? shEnd(local.slice(0, 10)) : sh(local))
  // filed, then for 网格长 (working days) and 物业 (every day): accept by, simple resolved by, complex reply by.
  // Before each 2026 holiday (the last working day, 19:00, after the cut-off), during it (its first day,
  // 10:00), right after it (the first working day, 09:00); the make-up workdays; 2027 without a schedule.
  const table: Array<[string, string, string, string, string, string, string]> = [
    ['2025-12-31 19:00', '2026-01-04 09:00', '2026-01-04 23:59', '2026-01-06 19:00', '2026-01-01 09:00', '2026-01-01 23:59', '2026-01-03 19:00'],
    ['2026-01-01 10:00', '2026-01-04 10:00', '2026-01-04 23:59', '2026-01-06 23:59', '2026-01-01 12:00', '2026-01-01 23:59', '2026-01-04 10:00'],
    ['2026-01-04 09:00', '2026-01-04 11:00', '2026-01-04 23:59', '2026-01-07 09:00', '2026-01-04 11:00', '2026-01-04 23:59', '2026-01-07 09:00'],
    ['2026-02-14 19:00', '2026-02-24 09:00', '2026-02-24 23:59', '2026-02-26 19:00', '2026-02-15 09:00', '2026-02-15 23:59', '2026-02-17 19:00'],
    ['2026-02-15 10:00', '2026-02-24 10:00', '2026-02-24 23:59', '2026-02-26 23:59', '2026-02-15 12:00', '2026-02-15 23:59', '2026-02-18 10:00'],
    ['2026-02-24 09:00', '2026-02-24 11:00', '2026-02-24 23:59', '2026-02-27 09:00', '2026-02-24 11:00', '2026-02-24 23:59', '2026-02-27 09:00'],
    ['2026-04-03 19:00', '2026-04-07 09:00', '2026-04-07 23:59', '2026-04-09 19:00', '2026-04-04 09:00', '2026-04-04 23:59', '2026-04-06 19:00'],
    ['2026-04-04 10:00', '2026-04-07 10:00', '2026-04-07 23:59', '2026-04-09 23:59', '2026-04-04 12:00', '2026-04-04 23:59', '2026-04-07 10:00'],
    ['2026-04-07 09:00', '2026-04-07 11:00', '2026-04-07 23:59', '2026-04-10 09:00', '2026-04-07 11:00', '2026-04-07 23:59', '2026-04-10 09:00'],
    ['2026-04-30 19:00', '2026-05-06 09:00', '2026-05-06 23:59', '2026-05-08 19:00', '2026-05-01 09:00', '2026-05-01 23:59', '2026-05-03 19:00'],
    ['2026-05-01 10:00', '2026-05-06 10:00', '2026-05-06 23:59', '2026-05-08 23:59', '2026-05-01 12:00', '2026-05-01 23:59', '2026-05-04 10:00'],
    ['2026-05-06 09:00', '2026-05-06 11:00', '2026-05-06 23:59', '2026-05-09 09:00', '2026-05-06 11:00', '2026-05-06 23:59', '2026-05-09 09:00'],
    ['2026-06-18 19:00', '2026-06-22 09:00', '2026-06-22 23:59', '2026-06-24 19:00', '2026-06-19 09:00', '2026-06-19 23:59', '2026-06-21 19:00'],
    ['2026-06-19 10:00', '2026-06-22 10:00', '2026-06-22 23:59', '2026-06-24 23:59', '2026-06-19 12:00', '2026-06-19 23:59', '2026-06-22 10:00'],
    ['2026-06-22 09:00', '2026-06-22 11:00', '2026-06-22 23:59', '2026-06-25 09:00', '2026-06-22 11:00', '2026-06-22 23:59', '2026-06-25 09:00'],
    ['2026-09-24 19:00', '2026-09-28 09:00', '2026-09-28 23:59', '2026-09-30 19:00', '2026-09-25 09:00', '2026-09-25 23:59', '2026-09-27 19:00'],
    ['2026-09-25 10:00', '2026-09-28 10:00', '2026-09-28 23:59', '2026-09-30 23:59', '2026-09-25 12:00', '2026-09-25 23:59', '2026-09-28 10:00'],
    ['2026-09-28 09:00', '2026-09-28 11:00', '2026-09-28 23:59', '2026-10-08 09:00', '2026-09-28 11:00', '2026-09-28 23:59', '2026-10-01 09:00'],
    ['2026-09-30 19:00', '2026-10-08 09:00', '2026-10-08 23:59', '2026-10-10 19:00', '2026-10-01 09:00', '2026-10-01 23:59', '2026-10-03 19:00'],
    ['2026-10-01 10:00', '2026-10-08 10:00', '2026-10-08 23:59', '2026-10-10 23:59', '2026-10-01 12:00', '2026-10-01 23:59', '2026-10-04 10:00'],
    ['2026-10-08 09:00', '2026-10-08 11:00', '2026-10-08 23:59', '2026-10-12 09:00', '2026-10-08 11:00', '2026-10-08 23:59', '2026-10-11 09:00'],
    // Make-up Saturdays (and a Sunday) are working days for both.
    ['2026-02-28 10:00', '2026-02-28 12:00', '2026-02-28 23:59', '2026-03-04 10:00', '2026-02-28 12:00', '2026-02-28 23:59', '2026-03-03 10:00'],
    ['2026-05-09 10:00', '2026-05-09 12:00', '2026-05-09 23:59', '2026-05-13 10:00', '2026-05-09 12:00', '2026-05-09 23:59', '2026-05-12 10:00'],
    ['2026-10-10 10:00', '2026-10-10 12:00', '2026-10-10 23:59', '2026-10-14 10:00', '2026-10-10 12:00', '2026-10-10 23:59', '2026-10-13 10:00'],
    ['2026-09-20 18:00', '2026-09-20 20:00', '2026-09-21 23:59', '2026-09-23 18:00', '2026-09-20 20:00', '2026-09-21 23:59', '2026-09-23 18:00'],
    // 2027 has no published schedule yet: plain weekends, so 1 October is a working Friday.
    ['2027-10-01 10:00', '2027-10-01 12:00', '2027-10-01 23:59', '2027-10-06 10:00', '2027-10-01 12:00', '2027-10-01 23:59', '2027-10-04 10:00'],
  ]

  it.each(table)(
    'filed %s → 网格长 accept %s, simple %s, reply %s; 物业 accept %s, simple %s, reply %s',
    (filed, wAccept, wSimple, wReply, dAccept, dSimple, dReply) => {
      const filedAt = sh(filed)
      const dayType = dayTypeOf('grid_lead')
      expect(dayType).toBe('working')
      expect(dayTypeOf('property_manager')).toBe('on_duty')
      const of = (severity: 'simple' | 'complex', type: 'working' | 'on_duty') =>
        computeDeadlines({ filedAt, severity, dayType: type })
      expect([of('simple', 'working').acceptBy, of('simple', 'working').resolveBy, of('complex', 'working').replyBy]).toEqual(
        [at(wAccept), at(wSimple), at(wReply)],
      )
      expect([of('simple', 'on_duty').acceptBy, of('simple', 'on_duty').resolveBy, of('complex', 'on_duty').replyBy]).toEqual(
        [at(dAccept), at(dSimple), at(dReply)],
      )
      // The report page's promise is the same rule.
      expect(filingPromise('simple', filedAt, {}, 'working').by).toEqual(at(wSimple))
      expect(filingPromise('complex', filedAt, {}, 'on_duty').by).toEqual(at(dReply))
    },
  )

  it('a compound may count a role the other way', () => {
    const config = { dayTypes: { property_manager: 'working' as const } }
    expect(dayTypeOf('property_manager', config)).toBe('working')
    expect(dayTypeOf('grid_lead', config)).toBe('working')
    expect(dayTypeOf(null)).toBe('on_duty')
    expect(resolveConfig(config).dayTypes.police).toBe('on_duty')
  })

  it('a day off set by an admin moves the deadline too (the seam for overrides)', () => {
    const config = { calendarOverrides: [{ date: '2026-11-24', working: false, reason: '台风停工' }] }
    const filedAt = sh('2026-11-23 19:00')
    expect(computeDeadlines({ filedAt, severity: 'simple', dayType: 'working', config }).acceptBy).toEqual(
      sh('2026-11-25 09:00'),
    )
    expect(computeDeadlines({ filedAt, severity: 'simple', dayType: 'working' }).acceptBy).toEqual(sh('2026-11-24 09:00'))
  })

  it('a pause on a working calendar adds back only its working time', () => {
    // Complex, filed Tue 29 Sep 09:00: reply due 9 Oct 09:00. A pause over the holiday adds nothing back,
    // a pause on a working day adds back all of it.
    const filedAt = sh('2026-09-29 09:00')
    const base = computeDeadlines({ filedAt, severity: 'complex', dayType: 'working' }).replyBy
    expect(base).toEqual(sh('2026-10-09 09:00'))
    const overHoliday = [{ start: sh('2026-10-02 10:00'), end: sh('2026-10-05 10:00') }]
    expect(computeDeadlines({ filedAt, severity: 'complex', dayType: 'working', pauses: overHoliday }).replyBy).toEqual(base)
    const onWorkday = [{ start: sh('2026-09-30 10:00'), end: sh('2026-09-30 16:00') }]
    expect(computeDeadlines({ filedAt, severity: 'complex', dayType: 'working', pauses: onWorkday }).replyBy).toEqual(
      sh('2026-10-09 15:00'),
    )
  })

  it('a promised date must be a working day for a working-time role', () => {
    expect(promiseDateProblem(sh('2026-10-03 17:00'), {}, 'working')).toBe(
      '承诺办结日期须是工作日：10月3日是国庆节，可改为10月8日',
    )
    expect(promiseDateProblem(sh('2026-11-28 17:00'), {}, 'working')).toBe(
      '承诺办结日期须是工作日：11月28日是周末，可改为11月30日',
    )
    expect(promiseDateProblem(sh('2026-10-10 17:00'), {}, 'working')).toBeNull() // make-up Saturday
    expect(promiseDateProblem(sh('2026-10-03 17:00'), {}, 'on_duty')).toBeNull()
  })

  it('overdue levels count working days for a working-time role', () => {
    const calendar = calendarFor({}, 'working')
    const due = sh('2026-09-30 19:00')
    expect(overdueLevel(due, sh('2026-10-07 19:00'), calendar)).toBe(1) // 5 h of 30 Sep only
    expect(overdueLevel(due, sh('2026-10-08 18:59'), calendar)).toBe(1)
    expect(overdueLevel(due, sh('2026-10-08 19:00'), calendar)).toBe(2)
    expect(overdueLevel(due, sh('2026-10-09 19:00'), calendar)).toBe(3)
    expect(overdueLevel(due, sh('2026-10-07 19:00'))).toBe(8)
  })
})
