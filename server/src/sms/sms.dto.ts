import { PhoneSchema } from '@mq/shared'
import { createZodDto } from 'nestjs-zod'
import { z } from 'zod'

export const MobileCodeRequestSchema = z.object({ phone: PhoneSchema }).strict()

export const MobileVerifySchema = z
  .object({
    phone: PhoneSchema,
    code: z.string().trim().regex(/^\d{6}$/, '请输入短信中的6位验证码'),
  })
  .strict()

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

export class MobileCodeRequestDto extends createZodDto(MobileCodeRequestSchema) {}
export class MobileVerifyDto extends createZodDto(MobileVerifySchema) {}
