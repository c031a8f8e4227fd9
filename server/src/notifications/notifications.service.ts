import { Inject, Injectable } from '@nestjs/common'
import {
  CONSENTS_PER_TEMPLATE_MAX,
  NOTIFICATION_TYPE_LABELS,
  NOTIFICATION_TYPES,
  RESIDENT_NOTIFICATION_TYPES,
  scopeOf,
  type AdminNotification,
  type AdminNotificationPage,
  type AdminNotificationQuery,
  type ConsentInput,
  type ConsentStatus,
  type NotificationItem,
  type NotificationListQuery,
  type NotificationPage,
  type NotificationStatus,
  type NotificationType,
  type UnreadCount,
  type WechatBinding,
} from '@mq/shared'
import { DataSource } from 'typeorm'
import type { Principal, StaffPrincipal } from '../auth/principal'
import { Clock } from '../common/clock'
import { DomainError } from '../common/domain-error'
import { APP_CONFIG, type AppConfig } from '../config/config'
import { ticketNumber } from '../tickets/ticket.view'
import type { RecipientKind } from './notification.entity'
import { WechatClient } from '../wechat/wechat.client'

interface ItemRow {
  id: string
  type: NotificationType
  ticket_id: string | null
  payload: Record<string, unknown>
  created_at: Date
  read_at: Date | null
}

interface AdminRow {
  id: string
  type: NotificationType
  recipient_kind: RecipientKind
  ticket_id: string | null
  number: number | null
  status: NotificationStatus
  attempts: number
  last_error: string | null
  next_attempt_at: Date
  sent_at: Date | null
  created_at: Date
}

const NOTIFICATION_ID = /^[1-9]\d{0,18}$/

function notificationNotFound(): DomainError {
  return new DomainError('NOTIFICATION_NOT_FOUND', '找不到这条通知')
}

/**
 * Notifications as people see them: a staff member's in-app list (their outbox rows, read or not), the
 * one-time WeChat consents the mini-app reports, a staff member's WeChat binding, and the admins' view of
 * what could not be delivered.
 */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly wechat: WechatClient,
  ) {}

  async list(staff: StaffPrincipal, query: NotificationListQuery): Promise<NotificationPage> {
    const where = `recipient_kind = 'staff' AND recipient_id = $1${query.unread ? ' AND read_at IS NULL' : ''}`
    const [rows, total, unread] = await Promise.all([
      this.dataSource.query<ItemRow[]>(
        `SELECT id, type, ticket_id, payload, created_at, read_at FROM notification_outbox WHERE ${where}
          ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3`,
        [staff.staffId, query.pageSize, (query.page - 1) * query.pageSize],
      ),
      this.dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM notification_outbox WHERE ${where}`,
        [staff.staffId],
      ),
      this.unread(staff),
    ])
    return {
      items: rows.map(toItem),
      unread: unread.unread,
      page: query.page,
      pageSize: query.pageSize,
      total: total[0].n,
    }
  }

  async markRead(staff: StaffPrincipal, id: string): Promise<UnreadCount> {
    if (!NOTIFICATION_ID.test(id)) throw notificationNotFound()
    const [rows] = await this.dataSource.query<[unknown[], number]>(
      `UPDATE notification_outbox SET read_at = coalesce(read_at, $3)
        WHERE id = $1 AND recipient_kind = 'staff' AND recipient_id = $2 RETURNING id`,
      [id, staff.staffId, this.clock.now()],
    )
    if (rows.length === 0) throw notificationNotFound()
    return this.unread(staff)
  }

  async markAllRead(staff: StaffPrincipal): Promise<UnreadCount> {
    await this.dataSource.query(
      `UPDATE notification_outbox SET read_at = $2 WHERE recipient_kind = 'staff' AND recipient_id = $1 AND read_at IS NULL`,
      [staff.staffId, this.clock.now()],
    )
    return { unread: 0 }
  }

  private async unread(staff: StaffPrincipal): Promise<UnreadCount> {
    const [{ n }] = await this.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM notification_outbox WHERE recipient_kind = 'staff' AND recipient_id = $1 AND read_at IS NULL`,
      [staff.staffId],
    )
    return { unread: n }
  }

  /** The templates the caller may be asked to accept (per event) and how many messages each may still carry. */
  async consents(principal: Principal): Promise<ConsentStatus> {
    const templates = this.templatesFor(principal)
    const holder = principal.kind === 'resident' ? 'resident_id' : 'staff_id'
    const counts = await this.dataSource.query<{ template_id: string; n: number }[]>(
      `SELECT template_id, count(*)::int AS n FROM subscription_consent
        WHERE ${holder} = $1 AND spent_at IS NULL GROUP BY template_id`,
      [holderId(principal)],
    )
    const unspent = new Map(counts.map((c) => [c.template_id, c.n]))
    return {
      wechat: Boolean(this.config.wechat.appId && this.config.wechat.secret) && templates.length > 0,
      templates: templates.map(({ type, templateId }) => ({
        type,
        templateId,
        unspent: unspent.get(templateId) ?? 0,
      })),
    }
  }

  /** Records what wx.requestSubscribeMessage said yes to: one consent per accepted template. */
  async addConsents(principal: Principal, input: ConsentInput): Promise<ConsentStatus> {
    const known = new Set(this.templatesFor(principal).map((t) => t.templateId))
    const unknown = input.accepted.filter((id) => !known.has(id))
    if (unknown.length > 0) {
      throw new DomainError('VALIDATION_FAILED', '不是本系统的订阅消息模板', [
        { path: 'accepted', message: unknown.join(', ') },
      ])
    }
    const holder = principal.kind === 'resident' ? 'resident_id' : 'staff_id'
    const now = this.clock.now()
    await this.dataSource.transaction(async (m) => {
      // One caller at a time, so two reports at once cannot both slip under the cap.
      await m.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
        `consent:${holderId(principal)}`,
      ])
      for (const templateId of input.accepted) {
        await m.query(
          `INSERT INTO subscription_consent (${holder}, template_id, granted_at)
           SELECT $1, $2, $3
            WHERE (SELECT count(*) FROM subscription_consent
                    WHERE ${holder} = $1 AND template_id = $2 AND spent_at IS NULL) < $4`,
          [holderId(principal), templateId, now, CONSENTS_PER_TEMPLATE_MAX],
        )
      }
    })
    return this.consents(principal)
  }

  async binding(staff: StaffPrincipal): Promise<WechatBinding> {
    const rows = await this.dataSource.query<{ bound_at: Date }[]>(
      'SELECT bound_at FROM staff_wechat WHERE staff_id = $1',
      [staff.staffId],
    )
    return { bound: rows.length > 0, boundAt: rows[0]?.bound_at.toISOString() ?? null }
  }

  /** Binds the WeChat user of a wx.login code to the staff member; their staff messages go there too. */
  async bind(staff: StaffPrincipal, code: string): Promise<WechatBinding> {
    const { openid } = await this.wechat.code2Session(code)
    await this.dataSource.query(
      `INSERT INTO staff_wechat (staff_id, openid, bound_at) VALUES ($1, $2, $3)
       ON CONFLICT (staff_id) DO UPDATE SET openid = $2, bound_at = $3`,
      [staff.staffId, openid, this.clock.now()],
    )
    return this.binding(staff)
  }

  async unbind(staff: StaffPrincipal): Promise<WechatBinding> {
    await this.dataSource.query('DELETE FROM staff_wechat WHERE staff_id = $1', [staff.staffId])
    return { bound: false, boundAt: null }
  }

  /** Messages of requests in the admin's places with the given status, newest first. */
  async adminList(admin: StaffPrincipal, query: AdminNotificationQuery): Promise<AdminNotificationPage> {
    const scope = scopeOf(admin.memberships, 'manage_notifications')
    const from = `FROM notification_outbox o JOIN ticket t ON t.id = o.ticket_id JOIN place u ON u.id = t.unit_id
                  WHERE o.status = $1 AND u.path && $2::uuid[]`
    const [rows, total] = await Promise.all([
      this.dataSource.query<AdminRow[]>(
        `SELECT o.id, o.type, o.recipient_kind, o.ticket_id, t.number, o.status, o.attempts, o.last_error,
                o.next_attempt_at, o.sent_at, o.created_at ${from}
          ORDER BY o.created_at DESC, o.id DESC LIMIT $3 OFFSET $4`,
        [query.status, scope, query.pageSize, (query.page - 1) * query.pageSize],
      ),
      this.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n ${from}`, [query.status, scope]),
    ])
    return { items: rows.map(toAdmin), page: query.page, pageSize: query.pageSize, total: total[0].n }
  }

  /** A failed or skipped message goes back to the sender, with a full set of attempts. */
  async retry(admin: StaffPrincipal, id: string): Promise<AdminNotification> {
    if (!NOTIFICATION_ID.test(id)) throw notificationNotFound()
    const scope = scopeOf(admin.memberships, 'manage_notifications')
    const select = (where = '') =>
      this.dataSource.query<AdminRow[]>(
        `SELECT o.id, o.type, o.recipient_kind, o.ticket_id, t.number, o.status, o.attempts, o.last_error,
                o.next_attempt_at, o.sent_at, o.created_at
           FROM notification_outbox o JOIN ticket t ON t.id = o.ticket_id JOIN place u ON u.id = t.unit_id
          WHERE o.id = $1 AND u.path && $2::uuid[] ${where}`,
        [id, scope],
      )
    const [found] = await select()
    if (!found) throw notificationNotFound()
    const [rows] = await this.dataSource.query<[unknown[], number]>(
      `UPDATE notification_outbox SET status = 'pending', attempts = 0, next_attempt_at = $2,
              claim_token = NULL, lease_until = NULL
        WHERE id = $1 AND status IN ('failed', 'skipped') RETURNING id`,
      [id, this.clock.now()],
    )
    if (rows.length === 0) {
      throw new DomainError(
        'CONFLICT',
        `这条通知的状态是 ${found.status}，只有发送失败或未发送的通知可以重发`,
        [{ path: 'status', message: found.status }],
      )
    }
    const [after] = await select()
    return toAdmin(after)
  }

  private templatesFor(principal: Principal): { type: NotificationType; templateId: string }[] {
    // Residents are told only of their requests' progress; staff may also hear those (proxy entries).
    const types: readonly NotificationType[] =
      principal.kind === 'resident' ? RESIDENT_NOTIFICATION_TYPES : NOTIFICATION_TYPES
    return types.flatMap((type) => {
      const templateId = this.config.notifications.templates[type]
      return templateId ? [{ type, templateId }] : []
    })
  }
}

function holderId(principal: Principal): string {
  return principal.kind === 'resident' ? principal.residentId : principal.staffId
}

function toItem(row: ItemRow): NotificationItem {
  return {
    id: String(row.id),
    type: row.type,
    title: NOTIFICATION_TYPE_LABELS[row.type],
    ticketId: row.ticket_id,
    data: row.payload,
    createdAt: row.created_at.toISOString(),
    readAt: row.read_at?.toISOString() ?? null,
  }
}

function toAdmin(row: AdminRow): AdminNotification {
  return {
    id: String(row.id),
    type: row.type,
    // A proxy entry's resident is a resident to the admin: who they are is not the admin list's business.
    recipientKind: row.recipient_kind === 'proxy' ? 'resident' : row.recipient_kind,
    ticketId: row.ticket_id,
    ticketNumber: row.number === null ? null : ticketNumber(row.number),
    status: row.status,
    attempts: row.attempts,
    lastError: row.last_error,
    nextAttemptAt: row.next_attempt_at.toISOString(),
    sentAt: row.sent_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  }
}
