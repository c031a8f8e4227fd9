/**
 * Residents' needs (居民需求清单): the public list of a compound (no login), a resident's proposals and
 * +1s, and staff's list, entry, status and 转为需求 from a request.
 */
import type {
  MyNeeds,
  NeedStatusInput,
  ProposeNeedInput,
  PublicNeed,
  PublicNeedList,
  StaffNeed,
  StaffNeedInput,
  StaffNeedList,
  SupportNeedInput,
  SupportNeedResult,
} from '@mq/shared'
import {
  MyNeedsSchema,
  PublicNeedListSchema,
  PublicNeedSchema,
  StaffNeedListSchema,
  StaffNeedSchema,
  SupportNeedResultSchema,
} from '@mq/shared/schemas'
import { residentCall, staffCall } from './auth'
import { bodyOf, parseWith, send } from './client'

/** A compound's needs as anyone sees them: title, public text, status, support count. */
export async function publicNeeds(compoundId: string): Promise<PublicNeedList> {
  const res = await send({ path: `/api/compounds/${encodeURIComponent(compoundId)}/needs` })
  return parseWith(PublicNeedListSchema, bodyOf(res))
}

export async function myNeeds(compoundId: string): Promise<MyNeeds> {
  return parseWith(MyNeedsSchema, await residentCall({ path: '/api/needs/mine', query: { compoundId } }))
}

export async function proposeNeed(input: ProposeNeedInput): Promise<PublicNeed> {
  return parseWith(PublicNeedSchema, await residentCall({ method: 'POST', path: '/api/needs', json: input }))
}

export async function supportNeed(id: string, input: SupportNeedInput): Promise<SupportNeedResult> {
  return parseWith(
    SupportNeedResultSchema,
    await residentCall({ method: 'POST', path: `/api/needs/${encodeURIComponent(id)}/support`, json: input }),
  )
}

export async function staffNeeds(): Promise<StaffNeedList> {
  return parseWith(StaffNeedListSchema, await staffCall({ path: '/api/needs' }))
}

export async function enterNeed(input: StaffNeedInput): Promise<StaffNeed> {
  return parseWith(StaffNeedSchema, await staffCall({ method: 'POST', path: '/api/needs/staff', json: input }))
}

export async function setNeedStatus(id: string, input: NeedStatusInput): Promise<StaffNeed> {
  return parseWith(StaffNeedSchema, await staffCall({ method: 'POST', path: `/api/needs/${encodeURIComponent(id)}/status`, json: input }))
}

export async function needFromRequest(ticketId: string, title: string): Promise<StaffNeed> {
  return parseWith(
    StaffNeedSchema,
    await staffCall({ method: 'POST', path: `/api/needs/from-request/${encodeURIComponent(ticketId)}`, json: { title } }),
  )
}
