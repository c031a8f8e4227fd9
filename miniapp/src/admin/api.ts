/**
 * The admin console's API calls, typed and checked with the shared schemas. Only admin pages import
 * this module, so its code (and zod) stays in the admin subpackage.
 */
import {
  AccessLogPageSchema,
  PlaceImportResultSchema,
  PlaceListSchema,
  PlaceViewSchema,
  QrReissueResultSchema,
  StaffImportResultSchema,
  StaffListSchema,
  StaffViewSchema,
  type AccessLogPage,
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

export async function accessLog(query: { before?: string; staffId?: string; limit?: number }): Promise<AccessLogPage> {
  return parseWith(AccessLogPageSchema, await staffCall({ path: '/api/admin/access-log', query }))
}
