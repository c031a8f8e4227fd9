import { z } from 'zod'
import { ROLES } from '../roles'
import { MembershipViewSchema, PasswordSchema, PersonNameSchema, PhoneSchema } from './auth'
import { InstantSchema } from './common'

export const MembershipInputSchema = z.object({ placeId: z.uuid(), role: z.enum(ROLES) }).strict()
export type MembershipInput = z.infer<typeof MembershipInputSchema>

export const CreateStaffSchema = z
  .object({
    name: PersonNameSchema,
    phone: PhoneSchema,
    password: PasswordSchema,
    memberships: z.array(MembershipInputSchema).min(1, '至少设置一个岗位').max(20),
  })
  .strict()
export type CreateStaffInput = z.infer<typeof CreateStaffSchema>

export const UpdateStaffSchema = z
  .object({ name: PersonNameSchema.optional(), active: z.boolean().optional() })
  .strict()
  .refine((v) => v.name !== undefined || v.active !== undefined, { message: '没有要修改的内容' })
export type UpdateStaffInput = z.infer<typeof UpdateStaffSchema>

export const ResetPasswordSchema = z.object({ password: PasswordSchema }).strict()
export type ResetPasswordInput = z.infer<typeof ResetPasswordSchema>

/** A staff account as an admin sees it: only the memberships inside the admin's scope. */
export const StaffViewSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  phone: z.string(),
  active: z.boolean(),
  /** Set while the account is locked after failed logins. */
  lockedUntil: InstantSchema.nullable(),
  memberships: z.array(MembershipViewSchema),
  /** The account also holds memberships outside this admin's scope: only an admin over all of them may change it. */
  managedElsewhere: z.boolean(),
  createdAt: InstantSchema,
})
export type StaffView = z.infer<typeof StaffViewSchema>

export const StaffListSchema = z.object({ items: z.array(StaffViewSchema) })
export type StaffList = z.infer<typeof StaffListSchema>

/** The place an imported sheet belongs to (usually a compound); rows may narrow it to a building or unit. */
export const StaffImportQuerySchema = z.object({ placeId: z.uuid() }).strict()

/**
 * Columns of the staff import sheet (CSV or XLSX, first row is the header). Chinese or English headers;
 * the role is its Chinese label (网格长) or its code (grid_lead). One row per membership: a person with two
 * roles takes two rows with the same phone. An empty 初始密码 gets a generated one, returned once.
 */
export const STAFF_IMPORT_COLUMNS = {
  name: ['姓名', 'name'],
  phone: ['手机号', '手机', '电话', 'phone'],
  role: ['角色', '岗位', 'role'],
  building: ['楼栋', 'building'],
  unit: ['单元', 'unit'],
  password: ['初始密码', '密码', 'password'],
} as const
export type StaffImportColumn = keyof typeof STAFF_IMPORT_COLUMNS
export const STAFF_IMPORT_MAX_ROWS = 1000

export const StaffImportResultSchema = z.object({
  accounts: z.array(
    z.object({
      /** The first sheet row of this person. */
      row: z.number().int(),
      id: z.uuid(),
      name: z.string(),
      phone: z.string(),
      memberships: z.number().int(),
      /** Only when the sheet left the password empty: shown once, hand it over and ask them to change it. */
      initialPassword: z.string().nullable(),
    }),
  ),
})
export type StaffImportResult = z.infer<typeof StaffImportResultSchema>
