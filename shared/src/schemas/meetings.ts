import { z } from 'zod'
import {
  AGENDA_REASONS,
  AGENDA_SOURCES,
  DECISION_DONE_NOTE_MAX,
  DECISION_NOTE_MAX,
  DECISION_STATUSES,
  DECISION_SUMMARY_MAX,
  MEETING_KINDS,
  MEETING_PLACE_MAX,
  MEETING_STATUSES,
  MEETING_TITLE_MAX,
} from '../meetings'
import { ROLES } from '../roles'
import { LocalDateSchema } from './calendar-overrides'
import { InstantSchema } from './common'

/**
 * Joint meetings (联席会议). Staff read meetings with the names of the staff invited and owning decisions;
 * the public reads decisions only as PublicMeetingDecision: a public summary (redacted), an owner role, a
 * target date, never a person.
 */
const text = (what: string, min: number, max: number) =>
  z
    .string({ message: `请填写${what}` })
    .trim()
    .min(min, `请填写${what}`)
    .max(max, `${what}不能超过${max}字`)

export const MeetingCompoundsSchema = z.object({
  compounds: z.array(
    z.object({ id: z.uuid(), name: z.string(), communityName: z.string(), mayOrganise: z.boolean() }),
  ),
})
export type MeetingCompounds = z.infer<typeof MeetingCompoundsSchema>

export const MeetingListQuerySchema = z.object({ compoundId: z.uuid() }).strict()
export type MeetingListQuery = z.infer<typeof MeetingListQuerySchema>

export const CreateMeetingInputSchema = z
  .object({
    compoundId: z.uuid(),
    kind: z.enum(MEETING_KINDS, { message: '请选择会议类型' }),
    title: text('会议名称', 2, MEETING_TITLE_MAX),
    startsAt: InstantSchema,
    place: text('开会地点', 2, MEETING_PLACE_MAX),
    attendeeRoles: z.array(z.enum(ROLES, { message: '参会角色不对' })).min(1, '请至少选一个参会角色').max(ROLES.length),
  })
  .strict()
export type CreateMeetingInput = z.infer<typeof CreateMeetingInputSchema>

export const AddAgendaInputSchema = z
  .object({ source: z.enum(AGENDA_SOURCES, { message: '议题来源须为 request 或 need' }), id: z.uuid() })
  .strict()
export type AddAgendaInput = z.infer<typeof AddAgendaInputSchema>

/** A decision: on an agenda item (or general, null), owned by a role (and optionally one of its holders). */
export const RecordDecisionInputSchema = z
  .object({
    agendaItemId: z.uuid().nullable(),
    ownerRole: z.enum(ROLES, { message: '请选择负责方' }),
    ownerStaffId: z.uuid().nullable().optional(),
    targetDate: LocalDateSchema,
    publicSummary: text('公示内容', 4, DECISION_SUMMARY_MAX),
    internalNote: z.string().trim().max(DECISION_NOTE_MAX, `内部备注不能超过${DECISION_NOTE_MAX}字`).optional(),
  })
  .strict()
export type RecordDecisionInput = z.infer<typeof RecordDecisionInputSchema>

export const DecisionDoneInputSchema = z.object({ note: text('落实情况', 2, DECISION_DONE_NOTE_MAX) }).strict()
export type DecisionDoneInput = z.infer<typeof DecisionDoneInputSchema>

/** Something that may go on an agenda: an open request that is complex, escalated or co-handled, or a need. */
export const AgendaCandidateSchema = z.object({
  source: z.enum(AGENDA_SOURCES),
  id: z.uuid(),
  /** The request's number (e.g. MQ-000123); null for a need. */
  number: z.string().nullable(),
  /** Public words only: the request's public text, or the need's title. */
  title: z.string(),
  reasons: z.array(z.enum(AGENDA_REASONS)),
  /** Already on this meeting's agenda. */
  onAgenda: z.boolean(),
})
export type AgendaCandidate = z.infer<typeof AgendaCandidateSchema>

export const AgendaCandidatesSchema = z.object({ candidates: z.array(AgendaCandidateSchema) })
export type AgendaCandidates = z.infer<typeof AgendaCandidatesSchema>

export const MeetingDecisionSchema = z.object({
  id: z.uuid(),
  agendaItemId: z.uuid().nullable(),
  ticketId: z.uuid().nullable(),
  ownerRole: z.enum(ROLES),
  /** The owning role as a label, with the staff member's name when one was named (staff only). */
  ownerLabel: z.string(),
  ownerStaffId: z.uuid().nullable(),
  ownerStaffName: z.string().nullable(),
  targetDate: z.string(),
  publicSummary: z.string(),
  internalNote: z.string(),
  status: z.enum(DECISION_STATUSES),
  overdue: z.boolean(),
  doneNote: z.string().nullable(),
  doneAt: InstantSchema.nullable(),
  createdAt: InstantSchema,
  /** Whether the caller may mark it done (its owner, or an organiser). */
  mayMarkDone: z.boolean(),
})
export type MeetingDecision = z.infer<typeof MeetingDecisionSchema>

export const AgendaItemSchema = z.object({
  id: z.uuid(),
  source: z.enum(AGENDA_SOURCES),
  ticketId: z.uuid().nullable(),
  needId: z.uuid().nullable(),
  number: z.string().nullable(),
  title: z.string(),
  reasons: z.array(z.enum(AGENDA_REASONS)),
})
export type AgendaItem = z.infer<typeof AgendaItemSchema>

export const MeetingAttendeeSchema = z.object({
  role: z.enum(ROLES),
  label: z.string(),
  /** The names of the compound's staff holding the role (staff only). */
  names: z.array(z.string()),
})
export type MeetingAttendee = z.infer<typeof MeetingAttendeeSchema>

export const MeetingSummarySchema = z.object({
  id: z.uuid(),
  compoundId: z.uuid(),
  kind: z.enum(MEETING_KINDS),
  title: z.string(),
  startsAt: InstantSchema,
  place: z.string(),
  status: z.enum(MEETING_STATUSES),
  agendaCount: z.number().int(),
  decisionCount: z.number().int(),
  openDecisions: z.number().int(),
  overdueDecisions: z.number().int(),
})
export type MeetingSummary = z.infer<typeof MeetingSummarySchema>

export const MeetingListSchema = z.object({
  compoundName: z.string(),
  mayOrganise: z.boolean(),
  meetings: z.array(MeetingSummarySchema),
})
export type MeetingList = z.infer<typeof MeetingListSchema>

export const MeetingDetailSchema = MeetingSummarySchema.extend({
  compoundName: z.string(),
  heldAt: InstantSchema.nullable(),
  attendees: z.array(MeetingAttendeeSchema),
  agenda: z.array(AgendaItemSchema),
  decisions: z.array(MeetingDecisionSchema),
  mayOrganise: z.boolean(),
  /** The staff who may be named owner, by role (the compound's holders of the attendee roles). */
  owners: z.array(z.object({ role: z.enum(ROLES), staffId: z.uuid(), name: z.string() })),
})
export type MeetingDetail = z.infer<typeof MeetingDetailSchema>

/** A decision as the public board shows it: public words, a role, dates; never a person. */
export const PublicMeetingDecisionSchema = z.object({
  id: z.uuid(),
  meetingTitle: z.string(),
  meetingKind: z.enum(MEETING_KINDS),
  /** The local date the meeting was held, 'YYYY-MM-DD'. */
  meetingDate: z.string(),
  /** The linked request's number, when the decision is on a request. */
  requestNumber: z.string().nullable(),
  ownerLabel: z.string(),
  targetDate: z.string(),
  publicSummary: z.string(),
  status: z.enum(DECISION_STATUSES),
  overdue: z.boolean(),
  doneNote: z.string().nullable(),
  doneAt: InstantSchema.nullable(),
})
export type PublicMeetingDecision = z.infer<typeof PublicMeetingDecisionSchema>
