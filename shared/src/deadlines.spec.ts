import {
  addWorkingMinutes,
  autoCloseAt,
  computeDeadlines,
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
