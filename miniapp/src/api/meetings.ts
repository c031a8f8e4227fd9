/** Joint meetings (联席会议 / 议事会) of a compound: staff list, plan, set the agenda, decide and mark done. */
import type {
  AddAgendaInput,
  AgendaCandidates,
  CreateMeetingInput,
  MeetingCompounds,
  MeetingDetail,
  MeetingList,
  RecordDecisionInput,
} from '@mq/shared'
import {
  AgendaCandidatesSchema,
  MeetingCompoundsSchema,
  MeetingDetailSchema,
  MeetingListSchema,
} from '@mq/shared/schemas'
import { staffCall } from './auth'
import { parseWith } from './client'

const at = (id: string) => `/api/meetings/${encodeURIComponent(id)}`

export async function meetingCompounds(): Promise<MeetingCompounds> {
  return parseWith(MeetingCompoundsSchema, await staffCall({ path: '/api/meetings/compounds' }))
}

export async function meetingList(compoundId: string): Promise<MeetingList> {
  return parseWith(MeetingListSchema, await staffCall({ path: '/api/meetings', query: { compoundId } }))
}

export async function createMeeting(input: CreateMeetingInput): Promise<MeetingDetail> {
  return parseWith(MeetingDetailSchema, await staffCall({ method: 'POST', path: '/api/meetings', json: input }))
}

export async function meetingDetail(id: string): Promise<MeetingDetail> {
  return parseWith(MeetingDetailSchema, await staffCall({ path: at(id) }))
}

export async function agendaCandidates(id: string): Promise<AgendaCandidates> {
  return parseWith(AgendaCandidatesSchema, await staffCall({ path: `${at(id)}/candidates` }))
}

export async function addAgendaItem(id: string, input: AddAgendaInput): Promise<MeetingDetail> {
  return parseWith(MeetingDetailSchema, await staffCall({ method: 'POST', path: `${at(id)}/agenda`, json: input }))
}

export async function markMeetingHeld(id: string): Promise<MeetingDetail> {
  return parseWith(MeetingDetailSchema, await staffCall({ method: 'POST', path: `${at(id)}/held` }))
}

export async function recordDecision(id: string, input: RecordDecisionInput): Promise<MeetingDetail> {
  return parseWith(MeetingDetailSchema, await staffCall({ method: 'POST', path: `${at(id)}/decisions`, json: input }))
}

export async function markDecisionDone(decisionId: string, note: string): Promise<MeetingDetail> {
  return parseWith(
    MeetingDetailSchema,
    await staffCall({ method: 'POST', path: `/api/meetings/decisions/${encodeURIComponent(decisionId)}/done`, json: { note } }),
  )
}

/** The minutes PDF's address (the page downloads it with the staff session: see minutesDownload). */
export function minutesPath(id: string): string {
  return `${at(id)}/minutes.pdf`
}
