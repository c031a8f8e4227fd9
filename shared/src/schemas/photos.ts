import { z } from 'zod'
import { InstantSchema } from './common'

/** Photos are JPEG, PNG or WebP, checked by their content (magic bytes), never by name. */
export const PHOTO_CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const
export type PhotoContentType = (typeof PHOTO_CONTENT_TYPES)[number]
export const PHOTO_MAX_BYTES = 5 * 1024 * 1024
/** The multipart field that carries the file (wx.uploadFile's `name`). */
export const PHOTO_FIELD = 'file'

/** An uploaded photo, not yet (or already) attached to a request. */
export const PhotoUploadSchema = z.object({
  id: z.uuid(),
  contentType: z.enum(PHOTO_CONTENT_TYPES),
  size: z.number().int().positive(),
  createdAt: InstantSchema,
})
export type PhotoUpload = z.infer<typeof PhotoUploadSchema>
