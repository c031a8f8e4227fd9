import { z } from 'zod'
import { CATEGORY_CODES } from '../categories'
import { NEED_DESCRIPTION_MAX, NEED_TITLE_MAX } from '../needs'
import { DESCRIPTION_MAX } from '../tickets'
import {
  VISIT_DUE_STATES,
  VISIT_INTERVAL_MAX_DAYS,
  VISIT_INTERVAL_MIN_DAYS,
  VISIT_KINDS,
  VISIT_PEOPLE_MAX,
  VISIT_REASONS,
  WELLBEING,
} from '../visits'
import { PersonNameSchema, PhoneSchema } from './auth'
import { InstantSchema } from './common'

/**
 * The visit register (走访与电话问候): households to visit, their schedule and the visit log. People's names,
 * phones, the room and notes are personal data: in full only for the compound's 网格长/物业/自管小组.
 */
const NotesSchema = z.string().trim().max(200, '备注不能超过200字')
const RoomSchema = z.string().trim().min(1).max(20, '房号不能超过20字')

export const VisitPersonSchema = z.object({ name: PersonNameSchema, phone: PhoneSchema.optional() }).strict()

const HouseholdFields = {
  unitId: z.uuid(),
  room: RoomSchema,
  people: z.array(VisitPersonSchema).min(1, '请至少填写一位居民').max(VISIT_PEOPLE_MAX, `最多${VISIT_PEOPLE_MAX}位居民`),
  reasons: z
    .array(z.enum(VISIT_REASONS))
    .min(1, '请选择走访原因')
    .refine((r) => new Set(r).size === r.length, '原因重复了'),
  intervalDays: z
    .number()
    .int()
    .min(VISIT_INTERVAL_MIN_DAYS, `间隔至少${VISIT_INTERVAL_MIN_DAYS}天`)
    .max(VISIT_INTERVAL_MAX_DAYS, `间隔最多${VISIT_INTERVAL_MAX_DAYS}天`),
  /** The grid worker who visits: a 网格长, 物业 or 自管小组 member of the compound. */
  assigneeStaffId: z.uuid(),
  notes: NotesSchema.optional(),
}

export const CreateHouseholdSchema = z.object(HouseholdFields).strict()
export type CreateHouseholdInput = z.infer<typeof CreateHouseholdSchema>

export const UpdateHouseholdSchema = z
  .object({
    room: HouseholdFields.room.optional(),
    people: HouseholdFields.people.optional(),
    reasons: HouseholdFields.reasons.optional(),
    intervalDays: HouseholdFields.intervalDays.optional(),
    assigneeStaffId: HouseholdFields.assigneeStaffId.optional(),
    notes: NotesSchema.nullable().optional(),
  })
  .strict()
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: '没有要修改的内容' })
export type UpdateHouseholdInput = z.infer<typeof UpdateHouseholdSchema>

export const VisitDueSchema = z.object({
  dueDate: z.string(),
  state: z.enum(VISIT_DUE_STATES),
  daysOverdue: z.number().int(),
})

/** A household as the caller may see it: `full` with names, phones, room and notes; `masked` without. */
export const HouseholdViewSchema = z.object({
  id: z.uuid(),
  access: z.enum(['full', 'masked']),
  compoundId: z.uuid(),
  unitId: z.uuid(),
  buildingName: z.string(),
  unitName: z.string(),
  room: z.string().nullable(),
  people: z.array(z.object({ name: z.string(), phone: z.string().nullable() })),
  reasons: z.array(z.enum(VISIT_REASONS)),
  intervalDays: z.number().int(),
  assignee: z.object({ id: z.uuid(), name: z.string() }),
  notes: z.string().nullable(),
  lastContactAt: InstantSchema.nullable(),
  lastWellbeing: z.enum(WELLBEING).nullable(),
  due: VisitDueSchema,
})
export type HouseholdView = z.infer<typeof HouseholdViewSchema>

export const VisitViewSchema = z.object({
  id: z.uuid(),
  householdId: z.uuid(),
  at: InstantSchema,
  kind: z.enum(VISIT_KINDS),
  wellbeing: z.enum(WELLBEING),
  staffName: z.string(),
  /** The words the visitor wrote; null for masked callers. */
  needsFound: z.string().nullable(),
  /** The request filed from this visit (a proxy entry), if any. */
  ticket: z.object({ id: z.uuid(), number: z.string() }).nullable(),
  /** The need entered from this visit, if any. */
  needId: z.uuid().nullable(),
})
export type VisitView = z.infer<typeof VisitViewSchema>

export const HouseholdDetailSchema = HouseholdViewSchema.extend({ visits: z.array(VisitViewSchema) })
export type HouseholdDetail = z.infer<typeof HouseholdDetailSchema>

export const HouseholdListQuerySchema = z.object({ compoundId: z.uuid() }).strict()
export const HouseholdListSchema = z.object({
  compoundName: z.string(),
  households: z.array(HouseholdViewSchema),
})
export type HouseholdList = z.infer<typeof HouseholdListSchema>

/** A grid worker's schedule: the households assigned to them, overdue first, then by due date. */
export const VisitScheduleSchema = z.object({
  today: z.string(),
  households: z.array(HouseholdViewSchema),
})
export type VisitSchedule = z.infer<typeof VisitScheduleSchema>

/** The inbox card: how many of the caller's households are overdue or due today. No one's data. */
export const VisitDueCountSchema = z.object({ overdue: z.number().int(), dueToday: z.number().int() })
export type VisitDueCount = z.infer<typeof VisitDueCountSchema>

export const LogVisitSchema = z
  .object({
    householdId: z.uuid(),
    kind: z.enum(VISIT_KINDS),
    wellbeing: z.enum(WELLBEING),
    needsFound: z.string().trim().max(500, '不能超过500字').optional(),
  })
  .strict()
export type LogVisitInput = z.infer<typeof LogVisitSchema>

/** A request filed from a visit: a proxy entry for the household (the description defaults to the needs found). */
export const VisitRequestSchema = z
  .object({
    category: z.enum(CATEGORY_CODES),
    description: z.string().trim().min(1, '请描述问题').max(DESCRIPTION_MAX, `描述不能超过${DESCRIPTION_MAX}字`).optional(),
  })
  .strict()
export type VisitRequestInput = z.infer<typeof VisitRequestSchema>

/** A need (居民需求) entered from a visit for the household's compound (the description defaults to the needs found). */
export const VisitNeedSchema = z
  .object({
    title: z.string().trim().min(2, '需求至少写两个字').max(NEED_TITLE_MAX, `需求标题不能超过${NEED_TITLE_MAX}字`),
    description: z.string().trim().max(NEED_DESCRIPTION_MAX, `说明不能超过${NEED_DESCRIPTION_MAX}字`).optional(),
  })
  .strict()
export type VisitNeedInput = z.infer<typeof VisitNeedSchema>

/** Supervisors' figures: per compound under a place, households on the register and how many are overdue. */
export const VisitFiguresQuerySchema = z.object({ placeId: z.uuid() }).strict()
export const VisitFiguresSchema = z.object({
  compounds: z.array(
    z.object({ id: z.uuid(), name: z.string(), households: z.number().int(), overdue: z.number().int() }),
  ),
})
export type VisitFigures = z.infer<typeof VisitFiguresSchema>
