/**
 * The resident's own number for text messages: see it, ask for a code, verify it, remove it. Answers are
 * checked with the shared schemas, so a wrong payload fails as an ApiError like every other call.
 */
import type { MobileCodeSent, ResidentMobileView } from '@mq/shared'
import { MobileCodeSentSchema, ResidentMobileSchema } from '@mq/shared/schemas'
import { residentCall } from './auth'
import { parseWith } from './client'

const PATH = '/api/sms/mobile'

export async function getMobile(): Promise<ResidentMobileView> {
  return parseWith(ResidentMobileSchema, await residentCall({ path: PATH }))
}

/** Texts a 6-digit code to the number; the answer says how long before another may be asked for. */
export async function requestMobileCode(phone: string): Promise<MobileCodeSent> {
  return parseWith(MobileCodeSentSchema, await residentCall({ method: 'POST', path: `${PATH}/code`, json: { phone } }))
}

export async function verifyMobile(phone: string, code: string): Promise<ResidentMobileView> {
  return parseWith(ResidentMobileSchema, await residentCall({ method: 'POST', path: `${PATH}/verify`, json: { phone, code } }))
}

export async function removeMobile(): Promise<ResidentMobileView> {
  return parseWith(ResidentMobileSchema, await residentCall({ method: 'DELETE', path: PATH }))
}
