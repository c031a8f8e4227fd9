import type { FastifyInstance } from 'fastify'

/** Content types of an uploaded sheet: the file itself is the request body (no multipart wrapping). */
export const SHEET_CONTENT_TYPES = [
  'text/csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/octet-stream',
] as const

/** Larger than the 1 MB JSON limit: a sheet of a thousand rows with formatting is a few hundred kB. */
const SHEET_BODY_LIMIT = 5 * 1024 * 1024

/**
 * Lets routes receive a CSV or XLSX file as a Buffer body. Idempotent, so every module that takes
 * uploads may call it.
 */
export function acceptSheetUploads(fastify: FastifyInstance): void {
  for (const type of SHEET_CONTENT_TYPES) {
    if (fastify.hasContentTypeParser(type)) continue
    fastify.addContentTypeParser(
      type,
      { parseAs: 'buffer', bodyLimit: SHEET_BODY_LIMIT },
      (_request, body, done) => done(null, body),
    )
  }
}
