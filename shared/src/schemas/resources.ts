import { z } from 'zod'
import {
  CONTACT_PHONE_PATTERN,
  MATCH_NOTE_MAX,
  MATCH_RESOURCES_MAX,
  MATCH_STATUSES,
  MATCH_SUBJECTS,
  RESOURCE_ADDRESS_MAX,
  RESOURCE_AVAILABILITY_MAX,
  RESOURCE_CONTACT_NAME_MAX,
  RESOURCE_HOURS_MAX,
  RESOURCE_KINDS,
  RESOURCE_NAME_MAX,
  RESOURCE_TAG_MAX,
  RESOURCE_TAGS_MAX,
} from '../resources'
import { ROLES } from '../roles'
import { LocalDateSchema } from './calendar-overrides'
import { InstantSchema, UuidSchema } from './common'

const text = (what: string, max: number) => z.string().trim().max(max, `${what}不能超过${max}字`).nullable()
const phone = z
  .string()
  .trim()
  .refine((v) => v === '' || CONTACT_PHONE_PATTERN.test(v), '联系电话须为手机号或带区号的座机号')
  .nullable()
const tags = z
  .array(z.string().trim().min(1, '技能不能为空').max(RESOURCE_TAG_MAX, `每项技能不能超过${RESOURCE_TAG_MAX}字`))
  .max(RESOURCE_TAGS_MAX, `技能或服务最多${RESOURCE_TAGS_MAX}项`)
  .transform((list) => [...new Set(list)])

/** Left out or blank: null. */
const optionalText = (what: string, max: number) =>
  text(what, max)
    .default(null)
    .transform((v) => (v ? v : null))
/** Left out: unchanged (undefined); blank: cleared (null). */
const changedText = <T extends z.ZodType<string | null>>(schema: T) =>
  schema.optional().transform((v) => (v === undefined ? undefined : v ? v : null))

const ResourceFields = {
  kind: z.enum(RESOURCE_KINDS, { message: '类型须为 单位、志愿者 或 场地' }),
  name: z
    .string({ message: '请填写名称' })
    .trim()
    .min(1, '请填写名称')
    .max(RESOURCE_NAME_MAX, `名称不能超过${RESOURCE_NAME_MAX}字`),
  /** Skills (志愿者) or services (单位, 场地): what staff search by. */
  tags: tags.default([]),
  openingHours: optionalText('开放时间', RESOURCE_HOURS_MAX),
  address: optionalText('地址或说明', RESOURCE_ADDRESS_MAX),
  contactName: optionalText('联系人', RESOURCE_CONTACT_NAME_MAX),
  contactPhone: phone.default(null).transform((v) => (v ? v : null)),
  availability: optionalText('可用情况', RESOURCE_AVAILABILITY_MAX),
}

/** A new resource of a compound (POST /api/resources). */
export const ResourceCreateSchema = z.object({ compoundId: z.uuid({ message: '请选择小区' }), ...ResourceFields }).strict()
export type ResourceCreateInput = z.infer<typeof ResourceCreateSchema>

/**
 * Changes to a resource (PATCH): only the fields sent change, so an editor who sees the contact masked
 * can leave it as it is. `active: false` takes it off the list and clears its contact at once.
 */
export const ResourceUpdateSchema = z
  .object({
    kind: ResourceFields.kind.optional(),
    name: ResourceFields.name.optional(),
    tags: tags.optional(),
    openingHours: changedText(text('开放时间', RESOURCE_HOURS_MAX)),
    address: changedText(text('地址或说明', RESOURCE_ADDRESS_MAX)),
    contactName: changedText(text('联系人', RESOURCE_CONTACT_NAME_MAX)),
    contactPhone: changedText(phone),
    availability: changedText(text('可用情况', RESOURCE_AVAILABILITY_MAX)),
    active: z.boolean().optional(),
  })
  .strict()
export type ResourceUpdateInput = z.infer<typeof ResourceUpdateSchema>
/** What a client sends (fields left out stay as they are). */
export type ResourceUpdateBody = z.input<typeof ResourceUpdateSchema>

export const ResourceQuerySchema = z
  .object({
    compoundId: z.uuid({ message: '请选择小区' }),
    kind: z.enum(RESOURCE_KINDS).optional(),
    /** A skill, a service or part of a name. */
    q: z.string().trim().max(20).optional(),
    inactive: z.enum(['true', 'false']).optional(),
  })
  .strict()
export type ResourceQuery = z.infer<typeof ResourceQuerySchema>

export const ResourceViewSchema = z.object({
  id: UuidSchema,
  compoundId: UuidSchema,
  kind: z.enum(RESOURCE_KINDS),
  name: z.string(),
  tags: z.array(z.string()),
  openingHours: z.string().nullable(),
  address: z.string().nullable(),
  /** Masked (张*, 138****1234) unless the caller is the compound's 网格长, 物业 or 自管小组 reading one resource. */
  contactName: z.string().nullable(),
  contactPhone: z.string().nullable(),
  contactMasked: z.boolean(),
  availability: z.string().nullable(),
  active: z.boolean(),
  /** Matches not yet ticked off. */
  openMatches: z.number().int(),
  updatedAt: InstantSchema,
})
export type ResourceView = z.infer<typeof ResourceViewSchema>

export const ResourceOwnerSchema = z.object({ staffId: UuidSchema, name: z.string(), role: z.enum(ROLES) })
export type ResourceOwner = z.infer<typeof ResourceOwnerSchema>

export const ResourceListSchema = z.object({
  compound: z.object({ id: UuidSchema, name: z.string() }),
  items: z.array(ResourceViewSchema),
  /** Whether the caller may add, edit and import here. */
  canManage: z.boolean(),
  /** Whether the caller may set resources to work on requests and needs here. */
  canMatch: z.boolean(),
  /** Whether opening one resource shows its contact in full (and is logged). */
  contactsInFull: z.boolean(),
  /** Staff who may own a match here (the compound's handlers). */
  owners: z.array(ResourceOwnerSchema),
})
export type ResourceList = z.infer<typeof ResourceListSchema>

export const ResourceCompoundsSchema = z.object({
  compounds: z.array(z.object({ id: UuidSchema, name: z.string(), canManage: z.boolean() })),
})
export type ResourceCompounds = z.infer<typeof ResourceCompoundsSchema>

export const ResourceImportResultSchema = z.object({ created: z.number().int(), updated: z.number().int() })
export type ResourceImportResult = z.infer<typeof ResourceImportResultSchema>

/** Who answers for a match: a staff member, or a role of the compound. */
export const MatchOwnerSchema = z.union([
  z.object({ staffId: z.uuid({ message: '请选择负责人' }) }).strict(),
  z.object({ role: z.enum(ROLES, { message: '请选择负责方' }) }).strict(),
])
export type MatchOwner = z.infer<typeof MatchOwnerSchema>

export const MatchCreateSchema = z
  .object({
    subject: z.enum(MATCH_SUBJECTS),
    /** The request's or the need's id. */
    subjectId: z.uuid(),
    resourceIds: z
      .array(z.uuid())
      .min(1, '请至少选择一项资源')
      .max(MATCH_RESOURCES_MAX, `一次最多匹配${MATCH_RESOURCES_MAX}项资源`)
      .refine((ids) => new Set(ids).size === ids.length, '资源不能重复'),
    owner: MatchOwnerSchema,
    /** A working day, today or later. */
    targetDate: LocalDateSchema,
    note: optionalText('说明', MATCH_NOTE_MAX),
  })
  .strict()
export type MatchCreateInput = z.infer<typeof MatchCreateSchema>

export const MatchDoneSchema = z
  .object({
    note: z
      .string({ message: '请填写办结说明' })
      .trim()
      .min(2, '请填写办结说明')
      .max(MATCH_NOTE_MAX, `办结说明不能超过${MATCH_NOTE_MAX}字`),
  })
  .strict()
export type MatchDoneInput = z.infer<typeof MatchDoneSchema>

export const MatchQuerySchema = z.object({ subject: z.enum(MATCH_SUBJECTS), subjectId: z.uuid() }).strict()
export type MatchQuery = z.infer<typeof MatchQuerySchema>

export const ResourceMatchSchema = z.object({
  id: UuidSchema,
  subject: z.enum(MATCH_SUBJECTS),
  subjectId: UuidSchema,
  resource: z.object({ id: UuidSchema, kind: z.enum(RESOURCE_KINDS), name: z.string() }),
  owner: z.object({ staffId: UuidSchema.nullable(), name: z.string().nullable(), role: z.enum(ROLES).nullable() }),
  targetDate: z.string(),
  note: z.string().nullable(),
  status: z.enum(MATCH_STATUSES),
  /** Past its target date and still open. */
  overdue: z.boolean(),
  createdBy: z.object({ id: UuidSchema, name: z.string() }),
  createdAt: InstantSchema,
  doneAt: InstantSchema.nullable(),
  doneNote: z.string().nullable(),
  doneBy: z.object({ id: UuidSchema, name: z.string() }).nullable(),
  /** Whether the caller may tick it off. */
  canTick: z.boolean(),
})
export type ResourceMatch = z.infer<typeof ResourceMatchSchema>

export const ResourceMatchListSchema = z.object({
  items: z.array(ResourceMatchSchema),
  /** Whether the caller may add matches to this request or need. */
  canMatch: z.boolean(),
})
export type ResourceMatchList = z.infer<typeof ResourceMatchListSchema>
