import { Module } from '@nestjs/common'
import { ResidentsModule } from '../residents/residents.module'
import { SmsModule } from '../sms/sms.module'
import { WechatModule } from '../wechat/wechat.module'
import { NotificationSender } from './notification-sender'
import { NotificationWorker } from './notification-worker'
import { NotificationsAdminController, NotificationsController } from './notifications.controller'
import { NotificationsService } from './notifications.service'

/**
 * Delivery of the outbox (outbox.ts: rows written in the transaction of each change): the sender and its
 * background worker, staff's in-app list, consents, WeChat binding, and the admins' failed list.
 */
@Module({
  imports: [WechatModule, ResidentsModule, SmsModule],
  controllers: [NotificationsController, NotificationsAdminController],
  providers: [NotificationSender, NotificationWorker, NotificationsService],
  exports: [NotificationSender],
})
export class NotificationsModule {}
