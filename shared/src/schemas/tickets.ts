import { z } from 'zod'
import { CATEGORY_CODES } from '../categories'
import {
  CHANNELS,
  DESCRIPTION_MAX,
  HANDLING_TEXT_MAX,
  INBOX_FILTERS,
  MESSAGE_PHOTOS_MAX,
  MESSAGE_TEXT_MAX,
  PAGE_SIZE_MAX,
  PHOTOS_MAX,
  PROXY_CHANNELS,
  RATING_COMMENT_MAX,
  RATING_TAGS,
  SEVERITIES,
  TICKET_COMMANDS,
  TICKET_EVENT_TYPES,
  TICKET_STATES,
  WITHDRAW_REASON_MAX,
} from '../tickets'
import { ROLES } from '../roles'
import { PersonNameSchema, PhoneSchema } from './auth'
import { QrTokenSchema } from './places'
import { ErrorBodySchema, InstantSchema } from './common'
import { PublicRequestListSchema, PublicSummarySchema } from './public-request'

const RoomSchema = z.string().trim().min(1).max(20, '房号不能超过20字')
const DescriptionSchema = z
  .string()
  .trim()
  .min(1, '请描述问题')
  .max(DESCRIPTION_MAX, `描述不能超过${DESCRIPTION_MAX}字`)
const PhotoIdsSchema = z
  .array(z.uuid())
  .max(PHOTOS_MAX, `最多${PHOTOS_MAX}张照片`)
  .refine((ids) => new Set(ids).size === ids.length, '照片重复了')
  .default([])
const HandlingTextSchema = (what: string) =>
  z.string().trim().min(1, `请填写${what}`).max(HANDLING_TEXT_MAX, `${what}不能超过${HANDLING_TEXT_MAX}字`)

/**
 * The `Idempotency-Key` header every create carries: the same key and body again returns the original
 * request, the same key with another body is refused (422). A UUID from the app is typical.
 */
export const IdempotencyKeySchema = z
  .string({ message: '缺少 Idempotency-Key 请求头' })
  .regex(/^[A-Za-z0-9._:-]{8,128}$/, 'Idempotency-Key 须为8–128位字母、数字或 ._:-')

/** A resident files from a QR code (or a unit they chose). */
export const CreateTicketSchema = z
  .object({
    unitToken: QrTokenSchema.optional(),
    unitId: z.uuid().optional(),
    category: z.enum(CATEGORY_CODES),
    description: DescriptionSchema,
    photoIds: PhotoIdsSchema,
    /** The resident agrees to be phoned about it. */
    contactConsent: z.boolean().default(false),
    room: RoomSchema.optional(),
  })
  .strict()
  .refine((v) => Boolean(v.unitToken) !== Boolean(v.unitId), {
    message: '请提供二维码或单元（二选一）',
    path: ['unitToken'],
  })
export type CreateTicketInput = z.infer<typeof CreateTicketSchema>

/**
 * Proxy entry (代录): staff file for a resident without a smartphone and are the contact. `smsConsent`: the
 * resident agreed to be told of the request's progress by text message at `residentPhone` (never assumed).
 */
export const ProxyTicketSchema = z
  .object({
    unitId: z.uuid(),
    category: z.enum(CATEGORY_CODES),
    description: DescriptionSchema,
    photoIds: PhotoIdsSchema,
    channel: z.enum(PROXY_CHANNELS),
    residentName: PersonNameSchema,
    residentPhone: PhoneSchema.optional(),
    smsConsent: z.boolean().optional(),
    room: RoomSchema.optional(),
  })
  .strict()
  .refine((v) => !v.smsConsent || Boolean(v.residentPhone), {
    message: '要发短信通知，请填写居民的手机号',
    path: ['residentPhone'],
  })
export type ProxyTicketInput = z.infer<typeof ProxyTicketSchema>

/** Acceptance may correct the category and the severity; the deadlines follow. */
export const AcceptTicketSchema = z
  .object({ category: z.enum(CATEGORY_CODES).optional(), severity: z.enum(SEVERITIES).optional() })
  .strict()
export type AcceptTicketInput = z.infer<typeof AcceptTicketSchema>

/** The clear reply of a complex request: the plan and the promised date (the public commitment). */
export const ReplyTicketSchema = z
  .object({ plan: HandlingTextSchema('办理方案'), promisedAt: InstantSchema })
  .strict()
export type ReplyTicketInput = z.infer<typeof ReplyTicketSchema>

export const ResolveTicketSchema = z
  .object({ note: HandlingTextSchema('办结说明'), photoIds: PhotoIdsSchema })
  .strict()
export type ResolveTicketInput = z.infer<typeof ResolveTicketSchema>

/** The reason is shown to the resident. */
export const RejectTicketSchema = z.object({ reason: HandlingTextSchema('不予受理的理由') }).strict()
export type RejectTicketInput = z.infer<typeof RejectTicketSchema>

/** To a person, or to whoever holds a role at the request's place. */
export const TransferTicketSchema = z
  .object({
    toStaffId: z.uuid().optional(),
    toRole: z.enum(ROLES).optional(),
    reason: HandlingTextSchema('转办理由'),
  })
  .strict()
  .refine((v) => Boolean(v.toStaffId) !== Boolean(v.toRole), {
    message: '请选择转办给某人或某个岗位（二选一）',
    path: ['toStaffId'],
  })
export type TransferTicketInput = z.infer<typeof TransferTicketSchema>

export const CoHandlerInputSchema = z.object({ staffId: z.uuid() }).strict()
export type CoHandlerInput = z.infer<typeof CoHandlerInputSchema>

/** What the resident should supply; shown to them. The clock stops until the request resumes. */
export const WaitTicketSchema = z.object({ question: HandlingTextSchema('需要居民补充的内容') }).strict()
export type WaitTicketInput = z.infer<typeof WaitTicketSchema>

export const ResumeTicketSchema = z.object({ note: HandlingTextSchema('说明').optional() }).strict()
export type ResumeTicketInput = z.infer<typeof ResumeTicketSchema>

/** This request duplicates `intoId`; its reporter then follows that one. */
export const MergeTicketSchema = z.object({ intoId: z.uuid() }).strict()
export type MergeTicketInput = z.infer<typeof MergeTicketSchema>

/**
 * 我也遇到了 (+1): the stairwell QR token the resident scanned, as proof they stand in the request's
 * building; an unknown or replaced token, or one of another building, finds no request.
 */
export const FollowTicketSchema = z.object({ token: QrTokenSchema }).strict()
export type FollowTicketInput = z.infer<typeof FollowTicketSchema>

/** Internal: staff only. */
export const NoteTicketSchema = z.object({ text: HandlingTextSchema('备注') }).strict()
export type NoteTicketInput = z.infer<typeof NoteTicketSchema>

/**
 * A message in the thread (the reporter's answer or addition, or a handler's message to the reporter):
 * words, photos uploaded first (POST /api/photos), or both.
 */
export const MessageInputSchema = z
  .object({
    text: z.string().trim().max(MESSAGE_TEXT_MAX, `留言不能超过${MESSAGE_TEXT_MAX}字`).default(''),
    photoIds: z
      .array(z.uuid())
      .max(MESSAGE_PHOTOS_MAX, `每条留言最多${MESSAGE_PHOTOS_MAX}张照片`)
      .refine((ids) => new Set(ids).size === ids.length, '照片重复了')
      .default([]),
    /** A voice note uploaded first (POST /api/voice-notes). */
    voiceNoteId: z.uuid().optional(),
  })
  .strict()
  .refine((m) => m.text.length > 0 || m.photoIds.length > 0 || m.voiceNoteId !== undefined, {
    message: '请填写留言、附上照片或语音',
    path: ['text'],
  })
export type MessageInput = z.infer<typeof MessageInputSchema>

/** 撤回 before acceptance, with an optional reason the handler reads. */
export const WithdrawTicketSchema = z
  .object({
    reason: z.string().trim().max(WITHDRAW_REASON_MAX, `撤回原因不能超过${WITHDRAW_REASON_MAX}字`).optional(),
  })
  .strict()
export type WithdrawTicketInput = z.infer<typeof WithdrawTicketSchema>

export const RateTicketSchema = z
  .object({
    stars: z.number().int().min(1, '请选择1–5星').max(5, '请选择1–5星'),
    tags: z
      .array(z.enum(RATING_TAGS))
      .max(RATING_TAGS.length)
      .refine((tags) => new Set(tags).size === tags.length, '标签重复了')
      .default([]),
    comment: z.string().trim().max(RATING_COMMENT_MAX, `评价不能超过${RATING_COMMENT_MAX}字`).optional(),
  })
  .strict()
export type RateTicketInput = z.infer<typeof RateTicketSchema>

const page = z.coerce.number().int().min(1).max(10_000).default(1)
const pageSize = z.coerce.number().int().min(1).max(PAGE_SIZE_MAX).default(20)

export const InboxQuerySchema = z
  .object({ filter: z.enum(INBOX_FILTERS).default('all'), page, pageSize })
  .strict()
export type InboxQuery = z.infer<typeof InboxQuerySchema>

export const MyTicketsQuerySchema = z.object({ page, pageSize }).strict()
export type MyTicketsQuery = z.infer<typeof MyTicketsQuerySchema>

/**
 * Open requests in the unit's building from the last 14 days: of one category (before filing), or of
 * every category at once (the scan page).
 */
export const DuplicatesQuerySchema = z
  .object({
    unitToken: QrTokenSchema.optional(),
    unitId: z.uuid().optional(),
    category: z.enum(CATEGORY_CODES).optional(),
  })
  .strict()
  .refine((v) => Boolean(v.unitToken) !== Boolean(v.unitId), {
    message: '请提供二维码或单元（二选一）',
    path: ['unitToken'],
  })
export type DuplicatesQuery = z.infer<typeof DuplicatesQuerySchema>

/**
 * A request as anyone who may know of it sees it: no personal data, no photos. Lists (my requests,
 * the inbox, duplicates) are made of these.
 */
export const TicketPublicViewSchema = z.object({
  id: z.uuid(),
  number: z.string(),
  category: z.enum(CATEGORY_CODES),
  severity: z.enum(SEVERITIES),
  state: z.enum(TICKET_STATES),
  channel: z.enum(CHANNELS),
  description: z.string(),
  compoundName: z.string(),
  buildingName: z.string(),
  unitName: z.string(),
  // Any role: routing falls back to the compound secretary when no handler holds the lead role.
  handlerRole: z.enum(ROLES).nullable(),
  handlerName: z.string().nullable(),
  acceptBy: InstantSchema.nullable(),
  replyBy: InstantSchema.nullable(),
  resolveBy: InstantSchema.nullable(),
  /** The deadline owed now (shared nextDeadline): null while waiting for the resident or when done. */
  nextDueAt: InstantSchema.nullable(),
  /** The public commitment of a complex request's reply. */
  promise: z.object({ plan: z.string(), promisedAt: InstantSchema, repliedAt: InstantSchema }).nullable(),
  resolution: z.object({ note: z.string(), resolvedAt: InstantSchema }).nullable(),
  rejectionReason: z.string().nullable(),
  /** Set when this request was merged into another as a duplicate. */
  mergedInto: z.object({ id: z.uuid(), number: z.string() }).nullable(),
  /** Residents who said "我也遇到了". */
  followerCount: z.number().int().nonnegative(),
  chaseCount: z.number().int().nonnegative(),
  /** A 1–2 star rating sent it back to be worked again (shared stateLabel() then says 重新办理). */
  reopened: z.boolean().optional(),
  /** In the urgent lane (紧急, shared urgent.ts): decided by the server at filing, shown as a tag. */
  urgent: z.boolean().optional(),
  createdAt: InstantSchema,
})
export type TicketPublicView = z.infer<typeof TicketPublicViewSchema>

/**
 * The reporter of a request as a staff member sees it: in full only for the roles that may see personal
 * data (shared/src/policy.ts personalDataRole), masked (`张*`, `138****1234`) for everyone else.
 */
export const ReporterViewSchema = z.object({
  /** A resident who filed themself, or a proxy entry (代录) made by staff. */
  kind: z.enum(['resident', 'proxy']),
  masked: z.boolean(),
  name: z.string().nullable(),
  phone: z.string().nullable(),
  openid: z.string().nullable(),
  room: z.string().nullable(),
  /** The resident agreed to be phoned (always true for a proxy entry: they gave the number to staff). */
  contactConsent: z.boolean(),
})
export type ReporterView = z.infer<typeof ReporterViewSchema>

export const TicketEventViewSchema = z.object({
  id: z.string(),
  at: InstantSchema,
  type: z.enum(TICKET_EVENT_TYPES),
  /** Internal entries reach staff only. */
  public: z.boolean(),
  /** Staff appear by role and display name (as on the poster); residents never by name. */
  actor: z.object({
    kind: z.enum(['resident', 'staff', 'system']),
    role: z.enum(ROLES).nullable(),
    name: z.string().nullable(),
  }),
  data: z.record(z.string(), z.unknown()),
})
export type TicketEventView = z.infer<typeof TicketEventViewSchema>

export const PhotoRefSchema = z.object({ id: z.uuid(), url: z.string() })
export type PhotoRef = z.infer<typeof PhotoRefSchema>

export const TICKET_RELATIONS = [
  'reporter',
  'follower',
  'handler',
  'co_handler',
  'coordinator',
  'proxy_filer',
  'supervisor',
  'staff',
] as const
export type TicketRelation = (typeof TICKET_RELATIONS)[number]

/** One request in full, as its reporter, a follower or staff in scope see it. */
export const TicketViewSchema = TicketPublicViewSchema.extend({
  /** Staff only; null for residents (it is them, or not theirs to know). */
  reporter: ReporterViewSchema.nullable(),
  coHandlers: z.array(z.object({ staffId: z.uuid().nullable(), role: z.enum(ROLES), name: z.string() })),
  /** Photos of the problem (the reporter and staff) and of the fix (everyone who sees the request). */
  photos: z.object({ report: z.array(PhotoRefSchema), resolution: z.array(PhotoRefSchema) }),
  rating: z
    .object({
      stars: z.number().int(),
      tags: z.array(z.string()),
      comment: z.string().nullable(),
      at: InstantSchema,
      /** `callback`: recorded by staff from a phone call (回访) on a proxy entry. */
      via: z.enum(['resident', 'callback']),
    })
    .nullable(),
  timeline: z.array(TicketEventViewSchema),
  /** What the public board shows of this request now (staff may edit it; see PublicSummaryInputSchema). */
  publicSummary: PublicSummarySchema,
  /** What the caller is to this request and what they may do now. */
  viewer: z.object({
    relation: z.enum(TICKET_RELATIONS),
    commands: z.array(z.enum(TICKET_COMMANDS)),
    /** When the caller may chase again (null: now, or never). */
    nextChaseAt: InstantSchema.nullable(),
  }),
})
export type TicketView = z.infer<typeof TicketViewSchema>

/** A row of "my requests" or of the inbox. */
export const TicketListItemSchema = TicketPublicViewSchema.extend({ relation: z.enum(TICKET_RELATIONS) })
export type TicketListItem = z.infer<typeof TicketListItemSchema>

export const TicketPageSchema = z.object({
  items: z.array(TicketListItemSchema),
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int(),
})
export type TicketPage = z.infer<typeof TicketPageSchema>

/** Open requests in a building, as the public sees them (the one public projection). */
export const DuplicateListSchema = PublicRequestListSchema
export type DuplicateList = z.infer<typeof DuplicateListSchema>

/** Staff who may handle a request's unit: whom it can be transferred to or shared with (难事联办). */
export const TicketCandidatesSchema = z.object({
  candidates: z.array(
    z.object({ staffId: z.uuid(), name: z.string(), role: z.enum(ROLES), roleLabel: z.string() }),
  ),
})
export type TicketCandidates = z.infer<typeof TicketCandidatesSchema>

/** How many requests one batch action takes at most (a page of the inbox and then some). */
export const BATCH_MAX = 50

/** The requests a batch action runs on: distinct ids, 1 to BATCH_MAX. */
export const BatchIdsSchema = z
  .array(z.uuid())
  .min(1, '请至少选择一条诉求')
  .max(BATCH_MAX, `一次最多处理${BATCH_MAX}条诉求`)
  .refine((ids) => new Set(ids).size === ids.length, '诉求重复了')

/**
 * Several requests at once: each runs as the single action would (its own transaction, checks, timeline
 * entry and messages), with `input` the single action's body.
 */
export const BatchAcceptSchema = z.object({ ids: BatchIdsSchema, input: AcceptTicketSchema.default({}) }).strict()
export type BatchAcceptInput = z.infer<typeof BatchAcceptSchema>

export const BatchTransferSchema = z.object({ ids: BatchIdsSchema, input: TransferTicketSchema }).strict()
export type BatchTransferInput = z.infer<typeof BatchTransferSchema>

export const BatchNoteSchema = z.object({ ids: BatchIdsSchema, input: NoteTicketSchema }).strict()
export type BatchNoteInput = z.infer<typeof BatchNoteSchema>

/**
 * One request's outcome in a batch: done, or the error the single action would have answered (a request
 * the caller may not know of is TICKET_NOT_FOUND, exactly as for a single action).
 */
export const BatchItemResultSchema = z.discriminatedUnion('ok', [
  z.object({ id: z.uuid(), ok: z.literal(true) }),
  z.object({
    id: z.uuid(),
    ok: z.literal(false),
    error: ErrorBodySchema.pick({ code: true, message: true }),
  }),
])
export type BatchItemResult = z.infer<typeof BatchItemResultSchema>

/** In the order the ids were sent. */
export const BatchResultSchema = z.object({
  results: z.array(BatchItemResultSchema),
  succeeded: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
})
export type BatchResult = z.infer<typeof BatchResultSchema>
