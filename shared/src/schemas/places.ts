import { z } from 'zod'
import { HANDLER_ROLES } from '../roles'
import { PLACE_KINDS, QR_TOKEN_PATTERN } from '../places'
import { DeadlineConfigSchema, ScanUrgentSchema } from './deadline-settings'

export const QrTokenSchema = z.string().regex(QR_TOKEN_PATTERN, '二维码无效')

/** What the scan page shows for a unit's QR code: public, no personal data. */
export const ScanViewSchema = z.object({
  token: z.string(),
  unit: z.object({ id: z.uuid(), name: z.string() }),
  building: z.object({ id: z.uuid(), name: z.string() }),
  compound: z.object({ id: z.uuid(), name: z.string() }),
  handlers: z.array(z.object({ role: z.enum(HANDLER_ROLES), roleLabel: z.string(), displayName: z.string() })),
  servicePromise: z.string(),
  hotline: z.string().nullable(),
  openInBuilding: z.number().int().nonnegative(),
  /**
   * The compound's deadline rules for a request filed now (its settings over the defaults), so the form
   * can promise the deadline the request will get. Absent from older servers: the defaults apply.
   */
  deadlines: DeadlineConfigSchema.optional(),
  /**
   * The compound's danger list (the defaults with its places' changes) and its 物业 24-hour line, for the
   * emergency sheet; filing judges by the same list. Absent from older servers: the defaults apply.
   */
  urgent: ScanUrgentSchema.optional(),
})
export type ScanView = z.infer<typeof ScanViewSchema>

const PlaceNameSchema = z.string().trim().min(1, '名称不能为空').max(40, '名称不能超过40字')

/** A place as admins manage it. */
export const PlaceViewSchema = z.object({
  id: z.uuid(),
  kind: z.enum(PLACE_KINDS),
  parentId: z.uuid().nullable(),
  name: z.string(),
  sortOrder: z.number().int(),
  retired: z.boolean(),
  /** Units only: the active QR token. */
  qrToken: z.string().nullable(),
})
export type PlaceView = z.infer<typeof PlaceViewSchema>

export const PlaceListSchema = z.object({ places: z.array(PlaceViewSchema) })
export type PlaceList = z.infer<typeof PlaceListSchema>

/** A child of `parentId`; its kind follows from the parent's (compound → building → unit). */
export const CreatePlaceSchema = z
  .object({ parentId: z.uuid(), name: PlaceNameSchema, sortOrder: z.number().int().min(0).max(9999).optional() })
  .strict()
export type CreatePlaceInput = z.infer<typeof CreatePlaceSchema>

export const UpdatePlaceSchema = z
  .object({ name: PlaceNameSchema.optional(), sortOrder: z.number().int().min(0).max(9999).optional() })
  .strict()
  .refine((v) => v.name !== undefined || v.sortOrder !== undefined, { message: '请提供新名称或排序' })
export type UpdatePlaceInput = z.infer<typeof UpdatePlaceSchema>

export const PlaceImportResultSchema = z.object({
  buildingsCreated: z.number().int(),
  unitsCreated: z.number().int(),
  unitsUnchanged: z.number().int(),
})
export type PlaceImportResult = z.infer<typeof PlaceImportResultSchema>

export const QrReissueResultSchema = z.object({ unitId: z.uuid(), token: z.string(), url: z.string() })
export type QrReissueResult = z.infer<typeof QrReissueResultSchema>
