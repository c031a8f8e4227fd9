import { z } from 'zod'
import { WorkingCalendar } from '../calendar'
import { PLACE_KINDS } from '../places'
import { startOfLocalDate } from '../time'
import { InstantSchema, UuidSchema } from './common'

/** The places an admin may give days off or on: everything above a building; compounds below inherit. */
export const CALENDAR_PLACE_KINDS = ['district', 'street', 'community', 'compound'] as const

/** How far ahead a day may be set: the package's data reaches about a year ahead too. */
export const CALENDAR_OVERRIDE_MAX_DAYS_AHEAD = 2 * 366

export const CALENDAR_OVERRIDE_REASON_MAX = 30

/** A real local date 'YYYY-MM-DD' (2月30日 is not). */
export const LocalDateSchema = z
  .string({ message: '日期须为 YYYY-MM-DD（如 2026-09-15）' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期须为 YYYY-MM-DD（如 2026-09-15）')
  .refine((date) => startOfLocalDate(date) !== null, '没有这一天，请检查日期')

/** An admin's day off (台风停工) or day on (补班) for a place: POST body. */
export const CalendarOverrideInputSchema = z
  .object({
    date: LocalDateSchema,
    working: z.boolean({ message: 'working 须为 true（上班）或 false（放假）' }),
    reason: z
      .string({ message: '请填写原因' })
      .trim()
      .min(1, '请填写原因（如 台风停工）')
      .max(CALENDAR_OVERRIDE_REASON_MAX, `原因不能超过${CALENDAR_OVERRIDE_REASON_MAX}个字`),
  })
  .strict()
export type CalendarOverrideInput = z.infer<typeof CalendarOverrideInputSchema>

export const CalendarPlaceSchema = z.object({
  id: UuidSchema,
  kind: z.enum(PLACE_KINDS),
  name: z.string(),
})
export type CalendarPlace = z.infer<typeof CalendarPlaceSchema>

/** One day off or on as an admin sees it: whose it is (the place itself, or a place above it). */
export const CalendarOverrideViewSchema = z.object({
  date: z.string(),
  working: z.boolean(),
  reason: z.string(),
  /** The place that set it. */
  place: CalendarPlaceSchema,
  /** Set by the place shown (removable there); false when inherited from a place above. */
  own: z.boolean(),
  createdAt: InstantSchema,
})
export type CalendarOverrideView = z.infer<typeof CalendarOverrideViewSchema>

/** Whether the State Council's schedule of a year is in the calendar data; a warning when it is not. */
export const CalendarYearSchema = z.object({
  year: z.number().int(),
  published: z.boolean(),
  /** For the admin console; null when the year is published. */
  warning: z.string().nullable(),
})
export type CalendarYear = z.infer<typeof CalendarYearSchema>

/**
 * A place's working calendar corrections from today on: its own and those it inherits, one per date (the
 * nearest place's wins), by date; and the current and next year's schedule status.
 */
export const PlaceCalendarSchema = z.object({
  place: CalendarPlaceSchema,
  /** The place and those above it that the calendar draws on, outermost first. */
  chain: z.array(CalendarPlaceSchema),
  overrides: z.array(CalendarOverrideViewSchema),
  /** Inherited days that a nearer place set otherwise (shown crossed out, for the record). */
  shadowed: z.array(CalendarOverrideViewSchema),
  years: z.array(CalendarYearSchema),
})
export type PlaceCalendar = z.infer<typeof PlaceCalendarSchema>

/** The warning for a year whose official schedule is not in the data. */
export function unpublishedScheduleWarning(year: number): string {
  return `${year}年的法定节假日安排尚未收录，${year}年暂按周末休息计算；国务院公布后请升级日历数据`
}

/** The schedule status of `years` (the current and the next, as the server asks). */
export function calendarYears(years: readonly number[]): CalendarYear[] {
  const calendar = new WorkingCalendar()
  return years.map((year) => {
    const published = calendar.hasPublishedSchedule(year)
    return { year, published, warning: published ? null : unpublishedScheduleWarning(year) }
  })
}
