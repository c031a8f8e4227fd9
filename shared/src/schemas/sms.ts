import { z } from 'zod'
import { PhoneSchema } from './auth'

/** Ask for a code texted to this number. */
export const MobileCodeRequestSchema = z.object({ phone: PhoneSchema }).strict()
export type MobileCodeRequestInput = z.infer<typeof MobileCodeRequestSchema>

/** The code from the text, for the same number it was sent to. */
export const MobileVerifySchema = z
  .object({
    phone: PhoneSchema,
    code: z.string().trim().regex(/^\d{6}$/, '请输入短信中的6位验证码'),
  })
  .strict()
export type MobileVerifyInput = z.infer<typeof MobileVerifySchema>

/** The resident's own number: shown in full, to them only. */
export const ResidentMobileSchema = z.object({
  phone: z.string().nullable(),
  verifiedAt: z.string().nullable(),
})
export type ResidentMobileView = z.infer<typeof ResidentMobileSchema>

export const MobileCodeSentSchema = z.object({
  /** When the code stops working. */
  expiresAt: z.string(),
  /** Seconds before another code may be asked for this number. */
  resendAfter: z.number().int(),
})
export type MobileCodeSent = z.infer<typeof MobileCodeSentSchema>
