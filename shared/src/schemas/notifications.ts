import { z } from 'zod'
import { NOTIFICATION_STATUSES, NOTIFICATION_TYPES } from '../notifications'
import { PAGE_SIZE_MAX } from '../tickets'
import { InstantSchema } from './common'

const page = z.coerce.number().int().min(1).max(10_000).default(1)
const pageSize = z.coerce.number().int().min(1).max(PAGE_SIZE_MAX).default(20)
const flag = z.enum(['true', 'false']).transform((v) => v === 'true')

/** A staff member's in-app notifications, newest first; `unread=true` for the unread ones only. */
export const NotificationListQuerySchema = z.object({ unread: flag.default(false), page, pageSize }).strict()
export type NotificationListQuery = z.infer<typeof NotificationListQuerySchema>

/** One notification as its recipient sees it in the app. `data` holds no personal data. */
export const NotificationItemSchema = z.object({
  id: z.string(),
  type: z.enum(NOTIFICATION_TYPES),
  title: z.string(),
  ticketId: z.uuid().nullable(),
  /** Request number (MQ000123), category, dates: what the message says. */
  data: z.record(z.string(), z.unknown()),
  createdAt: InstantSchema,
  readAt: InstantSchema.nullable(),
})
export type NotificationItem = z.infer<typeof NotificationItemSchema>

export const NotificationPageSchema = z.object({
  items: z.array(NotificationItemSchema),
  /** Unread in total (the badge). */
  unread: z.number().int().nonnegative(),
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int(),
})
export type NotificationPage = z.infer<typeof NotificationPageSchema>

export const UnreadCountSchema = z.object({ unread: z.number().int().nonnegative() })
export type UnreadCount = z.infer<typeof UnreadCountSchema>

const TemplateIdSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,128}$/, '无效的模板ID')

/**
 * The templates the user accepted in `wx.requestSubscribeMessage` (the ones whose result is "accept"):
 * each is one message the server may send with that template.
 */
export const ConsentInputSchema = z
  .object({ accepted: z.array(TemplateIdSchema).min(1, '请至少提供一个模板').max(10) })
  .strict()
export type ConsentInput = z.infer<typeof ConsentInputSchema>

/** Which templates to ask for before which event, and how many messages each may still carry. */
export const ConsentStatusSchema = z.object({
  /** False when this deployment sends no WeChat messages (no AppID or no templates). */
  wechat: z.boolean(),
  templates: z.array(
    z.object({
      type: z.enum(NOTIFICATION_TYPES),
      templateId: z.string(),
      unspent: z.number().int().nonnegative(),
    }),
  ),
})
export type ConsentStatus = z.infer<typeof ConsentStatusSchema>

/** A staff member binds their WeChat (a wx.login code) so staff notifications reach them there too. */
export const WechatBindingInputSchema = z.object({ code: z.string().trim().min(1).max(128) }).strict()
export type WechatBindingInput = z.infer<typeof WechatBindingInputSchema>

export const WechatBindingSchema = z.object({ bound: z.boolean(), boundAt: InstantSchema.nullable() })
export type WechatBinding = z.infer<typeof WechatBindingSchema>

export const AdminNotificationQuerySchema = z
  .object({ status: z.enum(NOTIFICATION_STATUSES).default('failed'), page, pageSize })
  .strict()
export type AdminNotificationQuery = z.infer<typeof AdminNotificationQuerySchema>

/** A message as admins see it: where it stands, never who it went to beyond their kind. */
export const AdminNotificationSchema = z.object({
  id: z.string(),
  type: z.enum(NOTIFICATION_TYPES),
  recipientKind: z.enum(['resident', 'staff']),
  ticketId: z.uuid().nullable(),
  ticketNumber: z.string().nullable(),
  status: z.enum(NOTIFICATION_STATUSES),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  nextAttemptAt: InstantSchema,
  sentAt: InstantSchema.nullable(),
  createdAt: InstantSchema,
})
export type AdminNotification = z.infer<typeof AdminNotificationSchema>

export const AdminNotificationPageSchema = z.object({
  items: z.array(AdminNotificationSchema),
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int(),
})
export type AdminNotificationPage = z.infer<typeof AdminNotificationPageSchema>
