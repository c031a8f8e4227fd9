import { DomainError } from './domain-error'
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
 * Lets routes receive a CSV or XLSX file as a Buffer body (registered once, in bootstrap).
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

/** Pipe for a sheet body: a non-empty upload, or 400 before any parsing. */
export const SheetBody = {
  transform(value: unknown): Buffer {
    if (!Buffer.isBuffer(value) || value.length === 0) {
      throw new DomainError(
        'VALIDATION_FAILED',
        `请上传 CSV 或 Excel 文件（Content-Type: ${SHEET_CONTENT_TYPES.slice(0, 2).join(' 或 ')}）`,
      )
    }
    return value
  },
}
