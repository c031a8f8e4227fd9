import { z } from 'zod'
import { MOBILE_PATTERN } from '../masking'
import { PLACE_KINDS } from '../places'
import { ACTIONS, passwordProblem } from '../policy'
import { ROLES } from '../roles'

export const PhoneSchema = z.string().trim().regex(MOBILE_PATTERN, '请输入11位手机号')
export const PersonNameSchema = z.string().trim().min(1, '请填写姓名').max(20, '姓名不能超过20字')

/** A new password: the minimum policy of shared/src/policy.ts. */
export const PasswordSchema = z.string().superRefine((value, ctx) => {
  const problem = passwordProblem(value)
  if (problem) ctx.addIssue({ code: 'custom', message: problem })
})

/** `wx.login()`'s code; the server trades it for an openid (code2Session). */
export const WechatLoginSchema = z.object({ code: z.string().trim().min(1).max(128) }).strict()
export type WechatLoginInput = z.infer<typeof WechatLoginSchema>

/**
 * H5: a random secret the browser generated once and keeps (localStorage); the same secret is the same
 * resident. At least 32 base64url characters (192 bits) so it cannot be guessed.
 */
export const DeviceLoginSchema = z
  .object({ deviceSecret: z.string().regex(/^[A-Za-z0-9_-]{32,128}$/, '设备标识无效') })
  .strict()
export type DeviceLoginInput = z.infer<typeof DeviceLoginSchema>

/** Login takes any password up to the maximum: the policy applies when a password is set, not when used. */
export const StaffLoginSchema = z
  .object({ phone: PhoneSchema, password: z.string().min(1, '请输入密码').max(128) })
  .strict()
export type StaffLoginInput = z.infer<typeof StaffLoginSchema>

export const RefreshSchema = z.object({ refreshToken: z.string().min(1).max(256) }).strict()
export type RefreshInput = z.infer<typeof RefreshSchema>

export const ChangePasswordSchema = z
  .object({ currentPassword: z.string().min(1).max(128), newPassword: PasswordSchema })
  .strict()
export type ChangePasswordInput = z.infer<typeof ChangePasswordSchema>

/** What a resident may change about themself; null removes it. */
export const UpdateMeSchema = z
  .object({ phone: PhoneSchema.nullable().optional(), name: PersonNameSchema.nullable().optional() })
  .strict()
export type UpdateMeInput = z.infer<typeof UpdateMeSchema>

/** The product's own session: a short-lived access token and a rotating refresh token (seconds). */
export const TokenPairSchema = z.object({
  tokenType: z.literal('Bearer'),
  accessToken: z.string(),
  expiresIn: z.number().int().positive(),
  refreshToken: z.string(),
  refreshExpiresIn: z.number().int().positive(),
})
export type TokenPair = z.infer<typeof TokenPairSchema>

export const MembershipViewSchema = z.object({
  id: z.uuid(),
  role: z.enum(ROLES),
  roleLabel: z.string(),
  place: z.object({ id: z.uuid(), kind: z.enum(PLACE_KINDS), name: z.string() }),
})
export type MembershipView = z.infer<typeof MembershipViewSchema>

export const ResidentMeSchema = z.object({
  kind: z.literal('resident'),
  id: z.uuid(),
  name: z.string().nullable(),
  phone: z.string().nullable(),
  via: z.enum(['wechat', 'device']),
})

export const StaffMeSchema = z.object({
  kind: z.literal('staff'),
  id: z.uuid(),
  name: z.string(),
  phone: z.string(),
  memberships: z.array(MembershipViewSchema),
  /** Everything any of the memberships allows, so the app shows only what will succeed. */
  actions: z.array(z.enum(ACTIONS)),
})

/** Who the caller is: their own data, so it is never masked. */
export const MeSchema = z.discriminatedUnion('kind', [ResidentMeSchema, StaffMeSchema])
export type Me = z.infer<typeof MeSchema>

export const SessionSchema = TokenPairSchema.extend({ me: MeSchema })
export type Session = z.infer<typeof SessionSchema>
