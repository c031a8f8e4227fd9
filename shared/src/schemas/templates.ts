import { z } from 'zod'
import { CATEGORY_CODES } from '../categories'
import {
  TEMPLATE_ACTIONS,
  TEMPLATE_PLACE_KINDS,
  TEMPLATE_PLACEHOLDERS,
  TEMPLATE_TEXT_MAX,
  TEMPLATE_TITLE_MAX,
  unknownPlaceholders,
} from '../templates'
import { InstantSchema, UuidSchema } from './common'

const PLACEHOLDER_LIST = Object.values(TEMPLATE_PLACEHOLDERS).join(' ')

const TemplateFields = {
  /** null: for every category. */
  category: z.enum(CATEGORY_CODES, { message: '没有这个问题类别' }).nullable().default(null),
  action: z.enum(TEMPLATE_ACTIONS, { message: '动作须为 受理、请居民补充、答复承诺、办结 或 不予受理' }),
  title: z
    .string()
    .trim()
    .min(1, '请填写标题')
    .max(TEMPLATE_TITLE_MAX, `标题不能超过${TEMPLATE_TITLE_MAX}字`),
  text: z
    .string()
    .trim()
    .min(1, '请填写回复内容')
    .max(TEMPLATE_TEXT_MAX, `回复内容不能超过${TEMPLATE_TEXT_MAX}字`)
    .superRefine((text, ctx) => {
      const unknown = unknownPlaceholders(text)
      if (unknown.length > 0) {
        ctx.addIssue({ code: 'custom', message: `不认识的占位符 ${unknown.join(' ')}；可用：${PLACEHOLDER_LIST}` })
      }
    }),
}

/** A new template, kept at a compound, community or street (POST). */
export const ReplyTemplateCreateSchema = z
  .object({ placeId: z.uuid({ message: '请选择小区、社区或街道' }), ...TemplateFields })
  .strict()
export type ReplyTemplateCreateInput = z.infer<typeof ReplyTemplateCreateSchema>

/** A template's new content; it stays where it is kept (PUT). */
export const ReplyTemplateUpdateSchema = z.object(TemplateFields).strict()
export type ReplyTemplateUpdateInput = z.infer<typeof ReplyTemplateUpdateSchema>

export const ReplyTemplateSchema = z.object({
  id: UuidSchema,
  placeId: UuidSchema,
  placeKind: z.enum(TEMPLATE_PLACE_KINDS),
  placeName: z.string(),
  category: z.enum(CATEGORY_CODES).nullable(),
  action: z.enum(TEMPLATE_ACTIONS),
  title: z.string(),
  text: z.string(),
  updatedAt: InstantSchema,
})
export type ReplyTemplate = z.infer<typeof ReplyTemplateSchema>

/**
 * The templates a compound's staff use (GET, admin): its own and those of its community and street, nearest
 * first, and those places (`manageable`: the caller may keep templates there).
 */
export const CompoundTemplatesSchema = z.object({
  compoundId: UuidSchema,
  places: z.array(
    z.object({ id: UuidSchema, kind: z.enum(TEMPLATE_PLACE_KINDS), name: z.string(), manageable: z.boolean() }),
  ),
  templates: z.array(ReplyTemplateSchema),
})
export type CompoundTemplates = z.infer<typeof CompoundTemplatesSchema>

/** Query of the staff read: which action's templates. */
export const TemplateQuerySchema = z.object({ action: z.enum(TEMPLATE_ACTIONS, { message: '动作须为 accept、wait、reply、resolve 或 reject' }) })
export type TemplateQuery = z.infer<typeof TemplateQuerySchema>

/**
 * The templates for one request and action, placeholders filled (GET, staff), and what resolving it asks
 * of photos: `beforePhotos` the resident's, `afterPhotoRequired` when its category needs an after photo.
 */
export const FilledTemplatesSchema = z.object({
  action: z.enum(TEMPLATE_ACTIONS),
  templates: z.array(
    z.object({
      id: UuidSchema,
      title: z.string(),
      text: z.string(),
      placeKind: z.enum(TEMPLATE_PLACE_KINDS),
      category: z.enum(CATEGORY_CODES).nullable(),
    }),
  ),
  afterPhoto: z.object({ beforePhotos: z.number().int(), required: z.boolean() }),
})
export type FilledTemplates = z.infer<typeof FilledTemplatesSchema>

/** Categories whose resolution needs an after photo when the request has before photos (PUT; `null`: the defaults). */
export const AfterPhotoSettingsInputSchema = z
  .object({
    categories: z
      .array(z.enum(CATEGORY_CODES, { message: '没有这个问题类别' }))
      .refine((list) => new Set(list).size === list.length, '类别重复了')
      .nullable(),
  })
  .strict()
export type AfterPhotoSettingsInput = z.infer<typeof AfterPhotoSettingsInputSchema>

export const AfterPhotoSettingsSchema = z.object({
  compoundId: UuidSchema,
  defaults: z.array(z.enum(CATEGORY_CODES)),
  /** The compound's own list, or null when it uses the defaults. */
  own: z.array(z.enum(CATEGORY_CODES)).nullable(),
  effective: z.array(z.enum(CATEGORY_CODES)),
  updatedAt: InstantSchema.nullable(),
})
export type AfterPhotoSettings = z.infer<typeof AfterPhotoSettingsSchema>
