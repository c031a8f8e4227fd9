import { z } from 'zod'
import { HANDLER_ROLES } from '../roles'
import { QR_TOKEN_PATTERN } from '../places'

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
})
export type ScanView = z.infer<typeof ScanViewSchema>
