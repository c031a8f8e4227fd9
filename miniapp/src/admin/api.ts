/**
 * The admin console's API calls, typed and checked with the shared schemas. Only admin pages import
 * this module, so its code stays in the admin subpackage.
 */
import {
  type AccessLogPage,
  type AccessLogSubject,
  type AdminNotification,
  type AdminNotificationPage,
  type CategoryCode,
  type DeadlineSettings,
  type DeadlineSettingsInput,
  type NotificationStatus,
  type RoutingDryRun,
  type RoutingRuleInput,
  type RoutingRuleList,
  type CreatePlaceInput,
  type CreateStaffInput,
  type MembershipInput,
  type PlaceImportResult,
  type PlaceView,
  type QrReissueResult,
  type StaffImportResult,
  type StaffView,
  type UpdatePlaceInput,
  type UpdateStaffInput,
} from '@mq/shared'
import {
  AccessLogPageSchema,
  AdminNotificationPageSchema,
  AdminNotificationSchema,
  DeadlineSettingsSchema,
  RoutingDryRunSchema,
  RoutingRuleListSchema,
  PlaceImportResultSchema,
  PlaceListSchema,
  PlaceViewSchema,
  QrReissueResultSchema,
  StaffImportResultSchema,
  StaffListSchema,
  StaffViewSchema,
} from '@mq/shared/schemas'
import { staffCall } from '@/api/auth'
import { ApiError, parseWith } from '@/api/client'

// ---------------------------------------------------------------------------------------------------
// Places

export async function listPlaces(): Promise<PlaceView[]> {
  return parseWith(PlaceListSchema, await staffCall({ path: '/api/admin/places' })).places
}

export async function createPlace(input: CreatePlaceInput): Promise<PlaceView> {
  return parseWith(PlaceViewSchema, await staffCall({ method: 'POST', path: '/api/admin/places', json: input }))
}

export async function updatePlace(id: string, input: UpdatePlaceInput): Promise<PlaceView> {
  const path = `/api/admin/places/${encodeURIComponent(id)}`
  return parseWith(PlaceViewSchema, await staffCall({ method: 'PATCH', path, json: input }))
}

export async function retirePlace(id: string): Promise<PlaceView> {
  const path = `/api/admin/places/${encodeURIComponent(id)}/retire`
  return parseWith(PlaceViewSchema, await staffCall({ method: 'POST', path }))
}

export async function reissueQr(unitId: string): Promise<QrReissueResult> {
  const path = `/api/admin/places/${encodeURIComponent(unitId)}/qr`
  return parseWith(QrReissueResultSchema, await staffCall({ method: 'POST', path }))
}

// ---------------------------------------------------------------------------------------------------
// Sheets (CSV / XLSX), sent as the raw request body

export interface SheetFile {
  name: string
  bytes: ArrayBuffer
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** The upload's content type from its name; null for what the server cannot read (.xls, .numbers…). */
export function sheetContentType(name: string): string | null {
  const lower = name.toLowerCase()
  if (lower.endsWith('.csv')) return 'text/csv'
  if (lower.endsWith('.xlsx')) return XLSX_TYPE
  return null
}

function sheetBody(file: SheetFile): { body: ArrayBuffer; contentType: string } {
  const contentType = sheetContentType(file.name)
  if (!contentType) throw new ApiError('UNSUPPORTED_MEDIA_TYPE', '请选择 .xlsx 或 .csv 文件', 0)
  return { body: file.bytes, contentType }
}

/** Buildings and units into a compound; all or nothing (a 400 lists every bad row in `details`). */
export async function importPlaces(compoundId: string, file: SheetFile): Promise<PlaceImportResult> {
  const path = `/api/admin/places/${encodeURIComponent(compoundId)}/import`
  return parseWith(PlaceImportResultSchema, await staffCall({ method: 'POST', path, ...sheetBody(file) }))
}

/** Staff accounts and memberships under a place; all or nothing, like importPlaces. */
export async function importStaff(placeId: string, file: SheetFile): Promise<StaffImportResult> {
  const call = { method: 'POST' as const, path: '/api/admin/staff/import', query: { placeId }, ...sheetBody(file) }
  return parseWith(StaffImportResultSchema, await staffCall(call))
}

// ---------------------------------------------------------------------------------------------------
// Staff

export async function listStaff(): Promise<StaffView[]> {
  return parseWith(StaffListSchema, await staffCall({ path: '/api/admin/staff' })).items
}

export async function getStaff(id: string): Promise<StaffView> {
  return parseWith(StaffViewSchema, await staffCall({ path: `/api/admin/staff/${encodeURIComponent(id)}` }))
}

export async function createStaff(input: CreateStaffInput): Promise<StaffView> {
  return parseWith(StaffViewSchema, await staffCall({ method: 'POST', path: '/api/admin/staff', json: input }))
}

/** Rename, deactivate (ends their sessions) or reactivate. */
export async function updateStaff(id: string, input: UpdateStaffInput): Promise<StaffView> {
  const path = `/api/admin/staff/${encodeURIComponent(id)}`
  return parseWith(StaffViewSchema, await staffCall({ method: 'PATCH', path, json: input }))
}

/** Sets a new password, unlocks the account and ends its sessions. */
export async function resetStaffPassword(id: string, password: string): Promise<void> {
  const path = `/api/admin/staff/${encodeURIComponent(id)}/password`
  await staffCall({ method: 'POST', path, json: { password } })
}

export async function addMembership(id: string, input: MembershipInput): Promise<StaffView> {
  const path = `/api/admin/staff/${encodeURIComponent(id)}/memberships`
  return parseWith(StaffViewSchema, await staffCall({ method: 'POST', path, json: input }))
}

export async function removeMembership(id: string, membershipId: string): Promise<void> {
  const path = `/api/admin/staff/${encodeURIComponent(id)}/memberships/${encodeURIComponent(membershipId)}`
  await staffCall({ method: 'DELETE', path })
}

// ---------------------------------------------------------------------------------------------------
// Personal-data access log

export async function accessLog(query: {
  before?: string
  staffId?: string
  subject?: AccessLogSubject
  limit?: number
}): Promise<AccessLogPage> {
  return parseWith(AccessLogPageSchema, await staffCall({ path: '/api/admin/access-log', query }))
}

// ---------------------------------------------------------------------------------------------------
// Routing rules (责任清单) of a compound, and the dry run

const compoundPath = (compoundId: string, rest: string) => `/api/admin/compounds/${encodeURIComponent(compoundId)}/${rest}`

export async function routingRules(compoundId: string): Promise<RoutingRuleList> {
  return parseWith(RoutingRuleListSchema, await staffCall({ path: compoundPath(compoundId, 'routing/rules') }))
}

export async function setRoutingRule(compoundId: string, category: CategoryCode, input: RoutingRuleInput): Promise<RoutingRuleList> {
  const path = compoundPath(compoundId, `routing/rules/${encodeURIComponent(category)}`)
  return parseWith(RoutingRuleListSchema, await staffCall({ method: 'PUT', path, json: input }))
}

/** Back to the default rule of the 责任清单. */
export async function resetRoutingRule(compoundId: string, category: CategoryCode): Promise<RoutingRuleList> {
  const path = compoundPath(compoundId, `routing/rules/${encodeURIComponent(category)}`)
  return parseWith(RoutingRuleListSchema, await staffCall({ method: 'DELETE', path }))
}

/** Who a request of this category at this unit would go to now; nothing is written. */
/** `at`: the filing time to try (ISO 8601 with an offset); now when left out. */
export async function routingDryRun(
  compoundId: string,
  unitId: string,
  category: CategoryCode,
  at?: string,
): Promise<RoutingDryRun> {
  const call = { path: compoundPath(compoundId, 'routing/dry-run'), query: { unitId, category, ...(at ? { at } : {}) } }
  return parseWith(RoutingDryRunSchema, await staffCall(call))
}

// ---------------------------------------------------------------------------------------------------
// Deadline settings of a compound

export async function deadlineSettings(compoundId: string): Promise<DeadlineSettings> {
  return parseWith(DeadlineSettingsSchema, await staffCall({ path: compoundPath(compoundId, 'deadline-settings') }))
}

/** The compound's own values; `{}` goes back to the defaults. New requests use them, filed ones keep theirs. */
export async function saveDeadlineSettings(compoundId: string, input: DeadlineSettingsInput): Promise<DeadlineSettings> {
  const call = { method: 'PUT' as const, path: compoundPath(compoundId, 'deadline-settings'), json: input }
  return parseWith(DeadlineSettingsSchema, await staffCall(call))
}

// ---------------------------------------------------------------------------------------------------
// Notifications that could not be delivered

export async function adminNotifications(status: NotificationStatus = 'failed', page = 1, pageSize = 50): Promise<AdminNotificationPage> {
  const call = { path: '/api/admin/notifications', query: { status, page, pageSize } }
  return parseWith(AdminNotificationPageSchema, await staffCall(call))
}

/** Back to the sender with a fresh set of attempts (a 409 for one that is not failed or skipped). */
export async function retryNotification(id: string): Promise<AdminNotification> {
  const path = `/api/admin/notifications/${encodeURIComponent(id)}/retry`
  return parseWith(AdminNotificationSchema, await staffCall({ method: 'POST', path }))
}
