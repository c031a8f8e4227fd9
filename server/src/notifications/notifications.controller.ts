import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common'
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger'
import {
  AdminNotificationPageSchema,
  AdminNotificationSchema,
  ConsentStatusSchema,
  ErrorBodySchema,
  NotificationPageSchema,
  UnreadCountSchema,
  WechatBindingSchema,
  type AdminNotification,
  type AdminNotificationPage,
  type ConsentStatus,
  type NotificationPage,
  type UnreadCount,
  type WechatBinding,
} from '@mq/shared'
import { Authenticated, Can, CurrentPrincipal, CurrentStaff, StaffOnly } from '../auth/access.decorators'
import type { Principal, StaffPrincipal } from '../auth/principal'
import { zodSchema } from '../openapi/zod-schema'
import {
  AdminNotificationQueryDto,
  ConsentInputDto,
  NotificationListQueryDto,
  WechatBindingInputDto,
} from './notifications.dto'
import { NotificationsService } from './notifications.service'

const notFound = {
  description: 'NOTIFICATION_NOT_FOUND: no such notification, or not the caller’s',
  schema: zodSchema(ErrorBodySchema),
}

/** Notifications: staff's in-app list, WeChat subscription consents, a staff member's WeChat binding. */
@ApiTags('notifications')
@Controller('api/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  /** The caller's notifications, newest first, with the unread count (`unread=true`: unread only). */
  @Get()
  @StaffOnly()
  @ApiOkResponse({ schema: zodSchema(NotificationPageSchema) })
  list(
    @CurrentStaff() staff: StaffPrincipal,
    @Query() query: NotificationListQueryDto,
  ): Promise<NotificationPage> {
    return this.notifications.list(staff, query)
  }

  @Post('read-all')
  @HttpCode(200)
  @StaffOnly()
  @ApiOkResponse({ schema: zodSchema(UnreadCountSchema) })
  readAll(@CurrentStaff() staff: StaffPrincipal): Promise<UnreadCount> {
    return this.notifications.markAllRead(staff)
  }

  @Post(':id/read')
  @HttpCode(200)
  @StaffOnly()
  @ApiOkResponse({ schema: zodSchema(UnreadCountSchema) })
  @ApiNotFoundResponse(notFound)
  read(@CurrentStaff() staff: StaffPrincipal, @Param('id') id: string): Promise<UnreadCount> {
    return this.notifications.markRead(staff, id)
  }

  /** Which template to ask for before which event (wx.requestSubscribeMessage), and the consents left. */
  @Get('consents')
  @Authenticated()
  @ApiOkResponse({ schema: zodSchema(ConsentStatusSchema) })
  consents(@CurrentPrincipal() principal: Principal): Promise<ConsentStatus> {
    return this.notifications.consents(principal)
  }

  /** The templates the user accepted: each allows one message with it. */
  @Post('consents')
  @HttpCode(200)
  @Authenticated()
  @ApiOkResponse({ schema: zodSchema(ConsentStatusSchema) })
  addConsents(
    @CurrentPrincipal() principal: Principal,
    @Body() body: ConsentInputDto,
  ): Promise<ConsentStatus> {
    return this.notifications.addConsents(principal, body)
  }

  @Get('wechat-binding')
  @StaffOnly()
  @ApiOkResponse({ schema: zodSchema(WechatBindingSchema) })
  binding(@CurrentStaff() staff: StaffPrincipal): Promise<WechatBinding> {
    return this.notifications.binding(staff)
  }

  /** Binds the caller's WeChat (a wx.login code from the mini-app) for staff messages. */
  @Post('wechat-binding')
  @HttpCode(200)
  @StaffOnly()
  @ApiOkResponse({ schema: zodSchema(WechatBindingSchema) })
  bind(@CurrentStaff() staff: StaffPrincipal, @Body() body: WechatBindingInputDto): Promise<WechatBinding> {
    return this.notifications.bind(staff, body.code)
  }

  @Delete('wechat-binding')
  @StaffOnly()
  @ApiOkResponse({ schema: zodSchema(WechatBindingSchema) })
  unbind(@CurrentStaff() staff: StaffPrincipal): Promise<WechatBinding> {
    return this.notifications.unbind(staff)
  }
}

/** What could not be delivered, in the admin's places; and sending it again. */
@ApiTags('admin')
@Controller('api/admin/notifications')
export class NotificationsAdminController {
  constructor(private readonly notifications: NotificationsService) {}

  /** Messages by status (default `failed`), newest first. */
  @Get()
  @Can('manage_notifications')
  @ApiOkResponse({ schema: zodSchema(AdminNotificationPageSchema) })
  list(
    @CurrentStaff() admin: StaffPrincipal,
    @Query() query: AdminNotificationQueryDto,
  ): Promise<AdminNotificationPage> {
    return this.notifications.adminList(admin, query)
  }

  /** A failed or skipped message back to the sender with a fresh set of attempts (409 otherwise). */
  @Post(':id/retry')
  @HttpCode(200)
  @Can('manage_notifications')
  @ApiOkResponse({ schema: zodSchema(AdminNotificationSchema) })
  @ApiNotFoundResponse(notFound)
  retry(@CurrentStaff() admin: StaffPrincipal, @Param('id') id: string): Promise<AdminNotification> {
    return this.notifications.retry(admin, id)
  }
}
