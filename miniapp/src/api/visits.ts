/**
 * Visits (走访与电话问候): the caller's schedule, a household with its visits, the visit log, and a request
 * or a need filed from a visit; the inbox card's counts and the supervisors' overdue figures.
 */
import type {
  CreateHouseholdInput,
  HouseholdDetail,
  HouseholdList,
  LogVisitInput,
  VisitDueCount,
  VisitFigures,
  VisitNeedInput,
  VisitRequestInput,
  VisitSchedule,
  VisitView,
} from '@mq/shared'
import {
  HouseholdDetailSchema,
  HouseholdListSchema,
  VisitDueCountSchema,
  VisitFiguresSchema,
  VisitScheduleSchema,
  VisitViewSchema,
} from '@mq/shared/schemas'
import { staffCall } from './auth'
import { parseWith } from './client'

export async function visitSchedule(): Promise<VisitSchedule> {
  return parseWith(VisitScheduleSchema, await staffCall({ path: '/api/visits/schedule' }))
}

export async function visitDueCount(): Promise<VisitDueCount> {
  return parseWith(VisitDueCountSchema, await staffCall({ path: '/api/visits/due' }))
}

export async function visitFigures(placeId: string): Promise<VisitFigures> {
  return parseWith(VisitFiguresSchema, await staffCall({ path: '/api/visits/figures', query: { placeId } }))
}

export async function household(id: string): Promise<HouseholdDetail> {
  return parseWith(HouseholdDetailSchema, await staffCall({ path: `/api/visits/households/${encodeURIComponent(id)}` }))
}

export async function logVisit(input: LogVisitInput): Promise<VisitView> {
  return parseWith(VisitViewSchema, await staffCall({ method: 'POST', path: '/api/visits', json: input }))
}

export async function fileVisitRequest(visitId: string, input: VisitRequestInput): Promise<VisitView> {
  return parseWith(
    VisitViewSchema,
    await staffCall({ method: 'POST', path: `/api/visits/${encodeURIComponent(visitId)}/request`, json: input }),
  )
}

export async function fileVisitNeed(visitId: string, input: VisitNeedInput): Promise<VisitView> {
  return parseWith(
    VisitViewSchema,
    await staffCall({ method: 'POST', path: `/api/visits/${encodeURIComponent(visitId)}/need`, json: input }),
  )
}

/** A compound's register as the caller may see it (in full, or masked). */
export async function householdList(compoundId: string): Promise<HouseholdList> {
  return parseWith(HouseholdListSchema, await staffCall({ path: '/api/visits/households', query: { compoundId } }))
}

export async function createHousehold(input: CreateHouseholdInput): Promise<HouseholdDetail> {
  return parseWith(HouseholdDetailSchema, await staffCall({ method: 'POST', path: '/api/visits/households', json: input }))
}

/** Takes a household off the register: its names, phones, room and notes are cleared at once. */
export async function leaveRegister(id: string): Promise<void> {
  await staffCall({ method: 'DELETE', path: `/api/visits/households/${encodeURIComponent(id)}` })
}
