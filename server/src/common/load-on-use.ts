import { createRequire } from 'node:module'

const load = createRequire(__filename)

/**
 * A large CommonJS dependency loaded the first time it is used rather than at start: ExcelJS, pdfkit,
 * fontkit, resvg and qrcode (posters, exports) and the AWS SDK (PHOTO_STORE=s3 only) cost most processes
 * (and every test file that boots the app) time and memory for routes few requests take. A plain require, so it behaves the same in the build and under jest.
 */
export function loadOnUse<T>(id: string): () => T {
  let loaded: T | undefined
  return () => (loaded ??= load(id) as T)
}
