/**
 * Photo limits as plain values, apart from their zod schemas (schemas/photos.ts re-exports them), so the
 * mini-app's upload code can read them without loading zod on pages that never validate an upload.
 */

/** Photos are JPEG, PNG or WebP, checked by their content (magic bytes), never by name. */
export const PHOTO_CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const
export type PhotoContentType = (typeof PHOTO_CONTENT_TYPES)[number]
export const PHOTO_MAX_BYTES = 5 * 1024 * 1024
/** The multipart field that carries the file (wx.uploadFile's `name`). */
export const PHOTO_FIELD = 'file'
