/**
 * The admin console's calls for a place's working calendar (days off and on with a reason, inherited by
 * the places under it), checked with the shared schemas.
 */
import type { CalendarOverrideInput, PlaceCalendar } from '@mq/shared'
import { PlaceCalendarSchema } from '@mq/shared/schemas'
import { staffCall } from '@/api/auth'
import { parseWith } from '@/api/client'

const calendarPath = (placeId: string) => `/api/admin/places/${encodeURIComponent(placeId)}/calendar`

/** The place's days off and on from today: its own and those it inherits; the years' schedule status. */
export async function placeCalendar(placeId: string): Promise<PlaceCalendar> {
  return parseWith(PlaceCalendarSchema, await staffCall({ path: calendarPath(placeId) }))
}

/** Adds a day off (`working: false`) or on; a date the place already set is refused (409). */
export async function addCalendarOverride(
  placeId: string,
  input: CalendarOverrideInput,
): Promise<PlaceCalendar> {
  const call = { method: 'POST' as const, path: `${calendarPath(placeId)}/overrides`, json: input }
  return parseWith(PlaceCalendarSchema, await staffCall(call))
}

/** Removes the place's own day of `date` (an inherited one belongs to the place above). */
export async function removeCalendarOverride(placeId: string, date: string): Promise<PlaceCalendar> {
  const path = `${calendarPath(placeId)}/overrides/${encodeURIComponent(date)}`
  return parseWith(PlaceCalendarSchema, await staffCall({ method: 'DELETE', path }))
}
