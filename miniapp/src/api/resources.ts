/**
 * The resources list (资源清单) of a compound and the matches of resources to requests and needs. Contacts
 * come masked in lists; `resourceDetail` shows them in full to the compound's 网格长, 物业 and 自管小组 (the
 * server logs each such read).
 */
import type {
  MatchCreateInput,
  MatchSubject,
  ResourceCompounds,
  ResourceCreateInput,
  ResourceImportResult,
  ResourceKind,
  ResourceList,
  ResourceMatch,
  ResourceMatchList,
  ResourceUpdateBody,
  ResourceView,
} from '@mq/shared'
import {
  ResourceCompoundsSchema,
  ResourceImportResultSchema,
  ResourceListSchema,
  ResourceMatchListSchema,
  ResourceMatchSchema,
  ResourceViewSchema,
} from '@mq/shared/schemas'
import { staffCall } from './auth'
import { ApiError, parseWith } from './client'

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

export async function resourceCompounds(): Promise<ResourceCompounds> {
  return parseWith(ResourceCompoundsSchema, await staffCall({ path: '/api/resources/compounds' }))
}

export async function resourceList(compoundId: string, filter: { kind?: ResourceKind; q?: string } = {}): Promise<ResourceList> {
  const query = { compoundId, kind: filter.kind, q: filter.q?.trim() || undefined }
  return parseWith(ResourceListSchema, await staffCall({ path: '/api/resources', query }))
}

export async function resourceDetail(id: string): Promise<ResourceView> {
  return parseWith(ResourceViewSchema, await staffCall({ path: `/api/resources/${encodeURIComponent(id)}` }))
}

export async function createResource(input: ResourceCreateInput): Promise<ResourceView> {
  return parseWith(ResourceViewSchema, await staffCall({ method: 'POST', path: '/api/resources', json: input }))
}

export async function updateResource(id: string, input: ResourceUpdateBody): Promise<ResourceView> {
  return parseWith(ResourceViewSchema, await staffCall({ method: 'PATCH', path: `/api/resources/${encodeURIComponent(id)}`, json: input }))
}

export interface SheetFile {
  name: string
  bytes: ArrayBuffer
}

/** Resources of a compound from an XLSX or CSV file; all or nothing (a 400 lists every bad row in `details`). */
export async function importResources(compoundId: string, file: SheetFile): Promise<ResourceImportResult> {
  const lower = file.name.toLowerCase()
  const contentType = lower.endsWith('.xlsx') ? XLSX_TYPE : lower.endsWith('.csv') ? 'text/csv' : null
  if (!contentType) throw new ApiError('UNSUPPORTED_MEDIA_TYPE', '请选择 .xlsx 或 .csv 文件', 0)
  const path = `/api/resources/compounds/${encodeURIComponent(compoundId)}/import`
  return parseWith(ResourceImportResultSchema, await staffCall({ method: 'POST', path, body: file.bytes, contentType }))
}

/** The import template's bytes (XLSX). */
export async function resourceTemplate(): Promise<ArrayBuffer> {
  return (await staffCall({ path: '/api/resources/import-template.xlsx', binary: true })) as ArrayBuffer
}

export async function resourceMatches(subject: MatchSubject, subjectId: string): Promise<ResourceMatchList> {
  return parseWith(ResourceMatchListSchema, await staffCall({ path: '/api/resources/matches', query: { subject, subjectId } }))
}

export async function matchResources(input: MatchCreateInput): Promise<ResourceMatchList> {
  return parseWith(ResourceMatchListSchema, await staffCall({ method: 'POST', path: '/api/resources/matches', json: input }))
}

export async function tickMatch(id: string, note: string): Promise<ResourceMatch> {
  return parseWith(ResourceMatchSchema, await staffCall({ method: 'POST', path: `/api/resources/matches/${encodeURIComponent(id)}/done`, json: { note } }))
}
