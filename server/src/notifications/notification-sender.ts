import { Inject, Injectable, Logger } from '@nestjs/common'
import type { NotificationStatus, NotificationType } from '@mq/shared'
import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import { DataSource } from 'typeorm'
import { Clock } from '../common/clock'
import { APP_CONFIG, type AppConfig } from '../config/config'
import { ResidentsService } from '../residents/residents.service'
import { SmsNotices } from '../sms/sms-notices'
import type { SmsOutcome } from '../sms/sms-provider'
import { WechatMessenger } from '../wechat/wechat-messenger'
import type { RecipientKind } from './notification.entity'
import { messagePage, subscribeData } from './wechat-message'

/** An outbox row as a claim returns it. */
export interface ClaimedNotification {
  id: string
  recipientKind: RecipientKind
  recipientId: string
  type: NotificationType
  ticketId: string | null
  payload: Record<string, unknown>
  /** Including this one. */
  attempts: number
  createdAt: Date
  claimToken: string
}

export interface Delivery {
  id: string
  status: Exclude<NotificationStatus, 'sending'>
  error: string | null
  /** The claim had run out and another worker held the row by the time this one settled: nothing written. */
  lostClaim?: boolean
}

interface ClaimRow {
  id: string
  recipient_kind: RecipientKind
  recipient_id: string
  type: NotificationType
  ticket_id: string | null
  payload: Record<string, unknown>
  attempts: number
  created_at: Date
  claim_token: string
}

/** What becomes of the consent the row holds: used up, or kept (released anyway when the row ends unsent). */
type ConsentAfter = 'spend' | 'keep'

/**
 * Sends the outbox through WeChat subscription messages, exactly once per row across any
 * number of instances as far as our side can tell:
 *
 * 1. claim: one statement moves due rows (`pending`, or `sending` whose lease ran out: a worker died) to
 *    `sending` under a fresh claim token and a lease, picking them `FOR UPDATE SKIP LOCKED`, so two
 *    workers never hold the same row;
 * 2. deliver: the recipient's openid, the event's template and an unspent one-time consent (reserved for
 *    this row); without any of them a resident with a verified mobile number gets a text message
 *    instead, and otherwise the row is `skipped` (staff still have it in the app);
 * 3. settle: one `UPDATE … WHERE status = 'sending' AND claim_token = $mine` with the consent spent or
 *    released in the same transaction. A worker whose lease ran out writes nothing.
 *
 * The one gap no sender can close: WeChat took the message and the process died before step 3. The row
 * is then sent again when its lease runs out (at least once, never silently lost). WeChat's API has no
 * idempotency key to close it.
 */
@Injectable()
export class NotificationSender {
  /** Who holds a claim, for the operator reading the table. */
  readonly instance = `${hostname()}:${process.pid}`
  private readonly logger = new Logger('Notifications')

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly messenger: WechatMessenger,
    private readonly residents: ResidentsService,
    private readonly smsNotices: SmsNotices,
  ) {}

  /** Claims up to `limit` due rows and delivers them (side by side). */
  async runDue(limit = 10): Promise<{ claimed: number; deliveries: Delivery[] }> {
    const claimed = await this.claim(limit)
    const deliveries = await Promise.all(
      claimed.map((row) => this.deliver(row).catch((error: unknown) => this.failed(row, error))),
    )
    return { claimed: claimed.length, deliveries }
  }

  async claim(limit: number): Promise<ClaimedNotification[]> {
    const now = this.clock.now()
    const lease = new Date(now.getTime() + this.config.notifications.leaseMs)
    const token = `${this.instance}:${randomUUID()}`
    const [rows] = await this.dataSource.query<[ClaimRow[], number]>(
      `WITH due AS (
         SELECT id FROM notification_outbox WHERE status = 'pending' AND next_attempt_at <= $1
          ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED
       ), abandoned AS (
         SELECT id FROM notification_outbox WHERE status = 'sending' AND lease_until <= $1
          ORDER BY lease_until, id LIMIT $3 FOR UPDATE SKIP LOCKED
       )
       UPDATE notification_outbox o
          SET status = 'sending', claim_token = $2, lease_until = $4, attempts = o.attempts + 1
        WHERE o.id IN (SELECT id FROM due UNION ALL SELECT id FROM abandoned)
       RETURNING o.id, o.recipient_kind, o.recipient_id, o.type, o.ticket_id, o.payload, o.attempts,
                 o.created_at, o.claim_token`,
      [now, token, limit, lease],
    )
    return rows.map((r) => ({
      id: String(r.id),
      recipientKind: r.recipient_kind,
      recipientId: r.recipient_id,
      type: r.type,
      ticketId: r.ticket_id,
      payload: r.payload,
      attempts: r.attempts,
      createdAt: r.created_at,
      claimToken: r.claim_token,
    }))
  }

  async deliver(row: ClaimedNotification): Promise<Delivery> {
    // A proxy entry's resident has no WeChat account of ours: the recorded number is the only way.
    if (row.recipientKind === 'proxy') return this.bySmsElseSkipped(row, 'a proxy entry’s resident')
    if (!this.messenger.configured) return this.bySmsElseSkipped(row, 'WeChat is not configured')
    const templateId = this.config.notifications.templates[row.type]
    if (!templateId) return this.bySmsElseSkipped(row, `no template configured for ${row.type}`)
    const openid = await this.openidOf(row)
    if (!openid) {
      return this.bySmsElseSkipped(
        row,
        row.recipientKind === 'staff' ? 'no WeChat bound (in-app only)' : 'recipient has no WeChat account',
      )
    }
    const consent = await this.reserveConsent(row, templateId)
    if (!consent) return this.bySmsElseSkipped(row, 'no unspent subscription consent')

    const outcome = await this.messenger.send({
      touser: openid,
      templateId,
      page: messagePage(row.recipientKind, row.ticketId),
      data: subscribeData(row),
    })
    switch (outcome.kind) {
      case 'sent':
        return this.settle(row, 'sent', null, consent, 'spend')
      case 'refused':
        // 43101: WeChat holds no subscription for it, so ours is used up too. Never retried.
        return this.settle(row, 'failed', outcome.error, consent, 'spend')
      case 'failed':
        return this.settle(row, 'failed', outcome.error, consent, 'keep')
      case 'retry': {
        const { maxAttempts, retryBaseMs, retryMaxMs } = this.config.notifications
        if (row.attempts >= maxAttempts) {
          return this.settle(
            row,
            'failed',
            `${outcome.error} (after ${row.attempts} attempts)`,
            consent,
            'keep',
          )
        }
        const wait = Math.min(retryMaxMs, retryBaseMs * 2 ** (row.attempts - 1))
        return this.settle(
          row,
          'pending',
          outcome.error,
          consent,
          'keep',
          new Date(this.clock.now().getTime() + wait),
        )
      }
    }
  }

  /**
   * WeChat cannot carry the message (`reason`): a resident with a verified mobile number gets it as a
   * text instead (sms/sms-notices.ts), retried like WeChat on a provider that is down; else it is skipped.
   */
  private async bySmsElseSkipped(row: ClaimedNotification, reason: string): Promise<Delivery> {
    const outcome: SmsOutcome | null = await this.smsNotices.send(row)
    if (!outcome) {
      const why =
        row.recipientKind === 'resident'
          ? `${reason}; no verified mobile number`
          : row.recipientKind === 'proxy'
            ? `${reason}: no agreed number to text, or SMS is off`
            : reason
      return this.settle(row, 'skipped', why, null, 'keep')
    }
    switch (outcome.kind) {
      case 'sent':
        return this.settle(row, 'sent', null, null, 'keep')
      case 'failed':
        return this.settle(row, 'failed', `SMS: ${outcome.error}`, null, 'keep')
      case 'retry': {
        const { maxAttempts, retryBaseMs, retryMaxMs } = this.config.notifications
        const error = `SMS: ${outcome.error}`
        if (row.attempts >= maxAttempts)
          return this.settle(row, 'failed', `${error} (after ${row.attempts} attempts)`, null, 'keep')
        const wait = Math.min(retryMaxMs, retryBaseMs * 2 ** (row.attempts - 1))
        return this.settle(row, 'pending', error, null, 'keep', new Date(this.clock.now().getTime() + wait))
      }
    }
  }

  /** Something of ours broke while delivering (not WeChat's answer): retried like a busy WeChat, as long as attempts last. */
  private failed(row: ClaimedNotification, error: unknown): Promise<Delivery> {
    const message = `internal: ${error instanceof Error ? error.message : String(error)}`.slice(0, 300)
    this.logger.error({ notificationId: row.id, err: message }, 'delivering a notification failed')
    const { maxAttempts, retryBaseMs, retryMaxMs } = this.config.notifications
    if (row.attempts >= maxAttempts) return this.settle(row, 'failed', message, null, 'keep')
    const wait = Math.min(retryMaxMs, retryBaseMs * 2 ** (row.attempts - 1))
    return this.settle(row, 'pending', message, null, 'keep', new Date(this.clock.now().getTime() + wait))
  }

  private async openidOf(row: ClaimedNotification): Promise<string | null> {
    if (row.recipientKind === 'resident') return this.residents.openidOf(row.recipientId)
    const rows = await this.dataSource.query<{ openid: string }[]>(
      'SELECT openid FROM staff_wechat WHERE staff_id = $1',
      [row.recipientId],
    )
    return rows[0]?.openid ?? null
  }

  /** One unspent consent of the recipient for the template: the one this row already holds, else a free one. */
  private async reserveConsent(row: ClaimedNotification, templateId: string): Promise<string | null> {
    const holder = row.recipientKind === 'resident' ? 'resident_id' : 'staff_id'
    const [rows] = await this.dataSource.query<[{ id: string }[], number]>(
      `UPDATE subscription_consent SET notification_id = $3
        WHERE id = (SELECT id FROM subscription_consent
                     WHERE ${holder} = $1 AND template_id = $2 AND spent_at IS NULL
                       AND (notification_id IS NULL OR notification_id = $3)
                     ORDER BY notification_id IS NULL, granted_at, id
                     LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING id`,
      [row.recipientId, templateId, row.id],
    )
    return rows[0] ? String(rows[0].id) : null
  }

  private async settle(
    row: ClaimedNotification,
    status: Delivery['status'],
    error: string | null,
    consentId: string | null,
    consent: ConsentAfter,
    nextAttemptAt: Date | null = null,
  ): Promise<Delivery> {
    const now = this.clock.now()
    const settled = await this.dataSource.transaction(async (m) => {
      const [, updated] = await m.query<[unknown, number]>(
        `UPDATE notification_outbox
            SET status = $3, last_error = $4, sent_at = $5, next_attempt_at = coalesce($6, next_attempt_at),
                claim_token = NULL, lease_until = NULL
          WHERE id = $1 AND status = 'sending' AND claim_token = $2`,
        [row.id, row.claimToken, status, error, status === 'sent' ? now : null, nextAttemptAt],
      )
      if (updated !== 1) return false
      if (consentId && consent === 'spend') {
        await m.query('UPDATE subscription_consent SET spent_at = $2 WHERE id = $1', [consentId, now])
      }
      if (status === 'failed' || status === 'skipped') {
        // Settled for good without using it: a consent this row held is free for the next message.
        await m.query(
          'UPDATE subscription_consent SET notification_id = NULL WHERE notification_id = $1 AND spent_at IS NULL',
          [row.id],
        )
      }
      return true
    })
    if (!settled) {
      this.logger.warn(
        { notificationId: row.id },
        'claim ran out before the message was settled; left to its new holder',
      )
      return { id: row.id, status, error, lostClaim: true }
    }
    if (status === 'failed')
      this.logger.warn({ notificationId: row.id, type: row.type, error }, 'notification failed')
    else if (status === 'pending')
      this.logger.log({ notificationId: row.id, error, nextAttemptAt }, 'notification to retry')
    return { id: row.id, status, error }
  }
}
