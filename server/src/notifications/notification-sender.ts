import { Inject, Injectable, Logger } from '@nestjs/common'
import type { NotificationStatus, NotificationType } from '@mq/shared'
import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import { DataSource } from 'typeorm'
import { Clock } from '../common/clock'
import { GroupWriter } from '../common/group-writer'
import { prepared } from '../common/prepared'
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
 * 3. settle: `UPDATE … WHERE status = 'sending' AND claim_token = $mine`, with the consent spent or
 *    released in the same statement; deliveries settling together share one statement (`settle`). A
 *    worker whose lease ran out writes nothing.
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
    // Prepared: claimed over and over while the outbox has work.
    const [rows] = await this.dataSource.query<[ClaimRow[], number]>(
      prepared(`WITH due AS (
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
                 o.created_at, o.claim_token`),
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

  /**
   * Settles a delivery: the row leaves `sending` (only while this claim still holds it) and the consent it
   * held is spent or, when the row ends unsent, released. Deliveries settling together (in one turn of the
   * event loop, or while another group is being written) are written in ONE statement (GroupWriter).
   */
  private async settle(
    row: ClaimedNotification,
    status: Delivery['status'],
    error: string | null,
    consentId: string | null,
    consent: ConsentAfter,
    nextAttemptAt: Date | null = null,
  ): Promise<Delivery> {
    const settled = await this.settling.add({ row, status, error, consentId, consent, nextAttemptAt })
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

  private readonly settling = new GroupWriter<Settling, boolean>(async (group) => {
    const now = this.clock.now()
    const rows = await this.dataSource.query<{ id: string }[]>(prepared(SETTLE_SQL), [
      group.map((s) => s.row.id),
      group.map((s) => s.row.claimToken),
      group.map((s) => s.status),
      group.map((s) => s.error),
      group.map((s) => (s.status === 'sent' ? now : null)),
      group.map((s) => s.nextAttemptAt),
      group.map((s) => s.consentId),
      group.map((s) => s.consent),
      now,
    ])
    const settled = new Set(rows.map((r) => String(r.id)))
    return group.map((s) => settled.has(s.row.id))
  })
}

/** A delivery waiting to be settled with the others of its turn (`settle`). */
interface Settling {
  row: ClaimedNotification
  status: Delivery['status']
  error: string | null
  consentId: string | null
  consent: ConsentAfter
  nextAttemptAt: Date | null
}

/**
 * Settles deliveries: $1 ids, $2 claim tokens, $3 statuses, $4 errors, $5 sent at, $6 next attempts, $7 the
 * consent each held, $8 'spend' or 'keep', $9 now. Returns the ids settled (a row whose claim ran out is
 * not). A consent spent is not also released: a row holds one consent at most.
 */
const SETTLE_SQL = `
  WITH x AS (
    SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[],
                         $7::bigint[], $8::text[])
      AS x(id, claim_token, status, error, sent_at, next_attempt_at, consent_id, consent)
  ), settled AS (
    UPDATE notification_outbox o
       SET status = x.status, last_error = x.error, sent_at = x.sent_at,
           next_attempt_at = coalesce(x.next_attempt_at, o.next_attempt_at), claim_token = NULL, lease_until = NULL
      FROM x
     WHERE o.id = x.id AND o.status = 'sending' AND o.claim_token = x.claim_token
    RETURNING o.id, x.status, x.consent_id, x.consent
  ), spent AS (
    UPDATE subscription_consent c SET spent_at = $9
      FROM settled s WHERE s.consent = 'spend' AND c.id = s.consent_id
  ), released AS (
    -- Settled for good without using it: a consent the row held is free for the next message.
    UPDATE subscription_consent c SET notification_id = NULL
      FROM settled s
     WHERE s.consent <> 'spend' AND s.status IN ('failed', 'skipped') AND c.notification_id = s.id
       AND c.spent_at IS NULL
  )
  SELECT id FROM settled`
