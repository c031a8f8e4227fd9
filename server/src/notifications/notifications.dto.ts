import {
  AdminNotificationQuerySchema,
  ConsentInputSchema,
  NotificationListQuerySchema,
  WechatBindingInputSchema,
} from '@mq/shared'
import { createZodDto } from 'nestjs-zod'

export class NotificationListQueryDto extends createZodDto(NotificationListQuerySchema) {}
export class ConsentInputDto extends createZodDto(ConsentInputSchema) {}
export class WechatBindingInputDto extends createZodDto(WechatBindingInputSchema) {}
export class AdminNotificationQueryDto extends createZodDto(AdminNotificationQuerySchema) {}
