import { tzOffset } from '@date-fns/tz'
import {
  addLocalDays,
  DEFAULT_TIME_ZONE,
  endOfLocalDate,
  endOfLocalDay,
  fullDateTime,
  isoWithOffset,
  localClock,
  localDateString,
  localDateTime,
  localDateTimeSeconds,
  localDayNumber,
  localInstant,
  localMonthString,
  localParts,
  monthDayTime,
  offsetString,
  startOfLocalDate,
  startOfLocalDay,
  startOfLocalMonth,
  startOfLocalWeek,
  utcOffsetMinutes,
} from './time'
import { DEFAULT_DEADLINE_CONFIG } from './deadlines'

const utc = (iso: string) => new Date(iso)

describe('the service time zone', () => {
  it('is the deadline rules’ default zone', () => {
    expect(DEFAULT_DEADLINE_CONFIG.timeZone).toBe(DEFAULT_TIME_ZONE)
    expect(DEFAULT_TIME_ZONE).toBe('Asia/Shanghai')
  })

  it('is eight hours ahead of UTC all year', () => {
    expect(utcOffsetMinutes(utc('2026-01-15T00:00:00Z'))).toBe(480)
    expect(utcOffsetMinutes(utc('2026-07-15T00:00:00Z'))).toBe(480)
    expect(offsetString(0)).toBe('+08:00')
  })

  it('answers from the fixed offset since 1992 exactly as the zone data does, and asks the zone data before', () => {
    // Every 6 days and 7 hours from 1992 to 2040: both sides of every month and hour of the day.
    for (let ms = Date.UTC(1992, 0, 1); ms < Date.UTC(2040, 0, 1); ms += (6 * 24 + 7) * 3_600_000) {
      expect([ms, utcOffsetMinutes(ms)]).toEqual([ms, tzOffset(DEFAULT_TIME_ZONE, new Date(ms))])
    }
    // China's last summer time (1986–1991): UTC+9 in July 1991, from the zone data.
    expect(utcOffsetMinutes(utc('1991-07-15T00:00:00Z'))).toBe(tzOffset(DEFAULT_TIME_ZONE, utc('1991-07-15T00:00:00Z')))
    expect(utcOffsetMinutes(utc('1991-07-15T00:00:00Z'))).toBe(540)
  })

  it('still knows Shanghai where the runtime has no zone data', () => {
    const intl = jest.spyOn(Intl, 'DateTimeFormat').mockImplementation(() => {
      throw new RangeError('time zones are not supported')
    })
    try {
      jest.isolateModules(() => {
        // A fresh copy, so no formatter is cached from the tests before.
        const fresh = jest.requireActual<typeof import('./time')>('./time')
        expect(fresh.localDateTime(utc('2026-03-01T16:30:00Z'))).toBe('2026-03-02 00:30')
        expect(() => fresh.utcOffsetMinutes(0, 'Europe/Paris')).toThrow(/unknown time zone/)
      })
      expect(intl).toHaveBeenCalled()
    } finally {
      intl.mockRestore()
    }
  })

  it('refuses a zone nobody knows', () => {
    expect(() => utcOffsetMinutes(0, 'Mars/Olympus_Mons')).toThrow(/unknown time zone/)
  })
})

describe('local readings of an instant', () => {
  // 2026-03-01 16:30:15 UTC is already Monday 2 March 00:30:15 in Shanghai.
  const at = utc('2026-03-01T16:30:15.123Z')

  it('reads the Shanghai wall clock, not the UTC one', () => {
    expect(localParts(at)).toEqual({ year: 2026, month: 3, day: 2, hour: 0, minute: 30, second: 15, weekday: 0 })
    expect(localDateString(at)).toBe('2026-03-02')
    expect(localMonthString(utc('2026-11-30T17:00:00Z'))).toBe('2026-12')
    expect(localClock(at)).toBe('00:30')
    expect(localDateTime(at)).toBe('2026-03-02 00:30')
    expect(localDateTimeSeconds(at)).toBe('2026-03-02 00:30:15')
  })

  it('writes the forms messages use', () => {
    expect(monthDayTime(at)).toBe('3月2日 00:30')
    expect(fullDateTime(utc('2026-03-02T04:00:00Z'))).toBe('2026年3月2日 12:00')
  })

  it('writes ISO 8601 with the offset, to the second', () => {
    expect(isoWithOffset(at)).toBe('2026-03-02T00:30:15+08:00')
    expect(isoWithOffset('2026-03-01T00:00:00Z')).toBe('2026-03-01T08:00:00+08:00')
    expect(new Date(isoWithOffset(at)).getTime()).toBe(Math.floor(at.getTime() / 1000) * 1000)
  })

  it('accepts a Date, epoch milliseconds or an ISO string alike', () => {
    expect(localDateTime(at.getTime())).toBe(localDateTime(at))
    expect(localDateTime(at.toISOString())).toBe(localDateTime(at))
  })

  it('reads another zone when asked', () => {
    expect(localDateTime(at, 'UTC')).toBe('2026-03-01 16:30')
    expect(offsetString(at, 'America/New_York')).toBe('-05:00')
    expect(offsetString(utc('2026-07-01T12:00:00Z'), 'America/New_York')).toBe('-04:00')
  })
})

describe('local days, weeks and months', () => {
  it('starts and ends the Shanghai day, whatever the UTC date', () => {
    expect(startOfLocalDay(utc('2026-03-01T23:30:00Z')).toISOString()).toBe('2026-03-01T16:00:00.000Z')
    expect(endOfLocalDay(utc('2026-03-01T23:30:00Z')).toISOString()).toBe('2026-03-02T15:59:59.999Z')
    expect(endOfLocalDay(utc('2026-03-01T15:59:59Z')).toISOString()).toBe('2026-03-01T15:59:59.999Z')
  })

  it('starts the week on Monday', () => {
    // Sunday 22 November 2026, 23:00 in Shanghai: its week began Monday the 16th.
    expect(startOfLocalWeek(utc('2026-11-22T15:00:00Z')).toISOString()).toBe('2026-11-15T16:00:00.000Z')
    // Monday the 23rd at 00:30 in Shanghai (still Sunday in UTC) begins a new week.
    expect(startOfLocalWeek(utc('2026-11-22T16:30:00Z')).toISOString()).toBe('2026-11-22T16:00:00.000Z')
  })

  it('starts the month in Shanghai', () => {
    expect(startOfLocalMonth(utc('2026-11-21T04:00:00Z')).toISOString()).toBe('2026-10-31T16:00:00.000Z')
    expect(startOfLocalMonth(utc('2026-11-30T17:00:00Z')).toISOString()).toBe('2026-11-30T16:00:00.000Z')
  })

  it('steps whole local days and overflows months like Date.UTC', () => {
    const monday = utc('2026-11-22T16:00:00Z')
    expect(addLocalDays(monday, 7).toISOString()).toBe('2026-11-29T16:00:00.000Z')
    expect(addLocalDays(monday, -1).toISOString()).toBe('2026-11-21T16:00:00.000Z')
    expect(localInstant({ year: 2026, month: 13 }).toISOString()).toBe('2026-12-31T16:00:00.000Z')
    expect(localInstant({ year: 2026, month: 3, day: 0 }).toISOString()).toBe('2026-02-27T16:00:00.000Z')
  })

  it('keeps local midnight across a change of offset in a zone with summer time', () => {
    // New York moved to summer time on Sunday 8 March 2026.
    const saturday = localInstant({ year: 2026, month: 3, day: 7 }, 'America/New_York')
    expect(saturday.toISOString()).toBe('2026-03-07T05:00:00.000Z')
    expect(addLocalDays(saturday, 2, 'America/New_York').toISOString()).toBe('2026-03-09T04:00:00.000Z')
  })

  it('counts calendar days between instants by the local date', () => {
    const lateEvening = utc('2026-03-01T15:30:00Z') // 23:30 on the 1st
    const earlyMorning = utc('2026-03-01T16:30:00Z') // 00:30 on the 2nd
    expect(localDayNumber(earlyMorning) - localDayNumber(lateEvening)).toBe(1)
  })
})

describe('a picked local date', () => {
  it('begins and ends in Shanghai', () => {
    expect(startOfLocalDate('2026-11-21')?.toISOString()).toBe('2026-11-20T16:00:00.000Z')
    expect(endOfLocalDate('2026-11-21')?.toISOString()).toBe('2026-11-21T15:59:59.999Z')
  })

  it('is no date when it does not exist or is not written YYYY-MM-DD', () => {
    expect(startOfLocalDate('2026-02-30')).toBeNull()
    expect(startOfLocalDate('2026-2-3')).toBeNull()
    expect(endOfLocalDate('tomorrow')).toBeNull()
  })
})
