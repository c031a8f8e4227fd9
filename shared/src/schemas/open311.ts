import { z } from 'zod'
import { PLACE_KINDS } from '../places'
import { InstantSchema } from './common'

/**
 * Partner API keys for Open311 GeoReport v2 (`/open311/v2`): an admin issues one per partner (a hotline
 * system, a city dashboard) for a place under their own; the key then files requests into the compounds
 * under that place. The secret is shown once, when issued; the server keeps only its hash.
 */
export const CreateOpen311KeySchema = z
  .object({
    /** Who the partner is, e.g. "12345市民热线". */
    name: z.string().trim().min(1, '请填写合作方名称').max(50, '合作方名称不能超过50字'),
    /** A compound, or a community/street/district: the key files into every compound under it. */
    placeId: z.uuid(),
  })
  .strict()
export type CreateOpen311KeyInput = z.infer<typeof CreateOpen311KeySchema>

export const Open311KeyViewSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  place: z.object({ id: z.uuid(), kind: z.enum(PLACE_KINDS), name: z.string() }),
  /** The first characters of the key, to tell keys apart; never the whole key. */
  prefix: z.string(),
  /** The compounds the key may file into: their ids are the `jurisdiction_id` values. */
  jurisdictions: z.array(z.object({ id: z.uuid(), name: z.string() })),
  createdAt: InstantSchema,
  /** Display name of the admin who issued it. */
  createdBy: z.string().nullable(),
  revokedAt: InstantSchema.nullable(),
  lastUsedAt: InstantSchema.nullable(),
})
export type Open311KeyView = z.infer<typeof Open311KeyViewSchema>

export const Open311KeyListSchema = z.object({ keys: z.array(Open311KeyViewSchema) })
export type Open311KeyList = z.infer<typeof Open311KeyListSchema>

/** The answer to issuing a key: the only time the secret itself is shown. */
export const IssuedOpen311KeySchema = Open311KeyViewSchema.extend({ apiKey: z.string() })
export type IssuedOpen311Key = z.infer<typeof IssuedOpen311KeySchema>
