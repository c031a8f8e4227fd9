/**
 * The admin console's calls for a place's danger list (words and categories that make a report urgent,
 * inherited by the places under it) and a compound's 物业 24-hour line, checked with the shared schemas.
 */
import type { UrgentListInput, UrgentListView } from '@mq/shared'
import { UrgentListViewSchema } from '@mq/shared/schemas'
import { staffCall } from '@/api/auth'
import { parseWith } from '@/api/client'

const listPath = (placeId: string) => `/api/admin/places/${encodeURIComponent(placeId)}/urgent-list`

export async function urgentList(placeId: string): Promise<UrgentListView> {
  return parseWith(UrgentListViewSchema, await staffCall({ path: listPath(placeId) }))
}

/** Replaces the place's own changes and, for a compound, its line (null: none). */
export async function saveUrgentList(placeId: string, input: UrgentListInput): Promise<UrgentListView> {
  return parseWith(UrgentListViewSchema, await staffCall({ method: 'PUT', path: listPath(placeId), json: input }))
}
