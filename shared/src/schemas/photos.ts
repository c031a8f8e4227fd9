import { z } from 'zod'
import { PHOTO_CONTENT_TYPES } from '../media'
import { InstantSchema } from './common'

export { PHOTO_CONTENT_TYPES, PHOTO_FIELD, PHOTO_MAX_BYTES, type PhotoContentType } from '../media'

/** An uploaded photo, not yet (or already) attached to a request. */
export const PhotoUploadSchema = z.object({
  id: z.uuid(),
  contentType: z.enum(PHOTO_CONTENT_TYPES),
  size: z.number().int().positive(),
  createdAt: InstantSchema,
})
export type PhotoUpload = z.infer<typeof PhotoUploadSchema>
