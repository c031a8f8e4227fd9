import { Inject, Injectable } from '@nestjs/common'
import type { NotificationType } from '@mq/shared'
import { APP_CONFIG, type AppConfig } from '../config/config'
import type { RecipientKind } from '../notifications/notification.entity'
import { ProxyContacts } from '../tickets/filing/proxy-contacts'
import { SMS_PROVIDER, type SmsOutcome, type SmsProvider } from './sms-provider'
import { SmsService } from './sms.service'

/** What a text says happened, per resident event; an event not listed is never texted. */
const STATUS: Partial<Record<NotificationType, string>> = {
  accepted: '已受理',
  replied: '已答复',
  resolved: '已办结，请评价',
  rejected: '不予受理',
  asked: '需要您补充说明',
  messaged: '工作人员给您留言',
}

/**
 * The request's short link (web/web.controller.ts sends it on to the resident's page of the request): a
 * text message has little room, and a short address is easier to trust and to read out.
 */
export function shortLink(publicUrl: string, number: string): string {
  return `${publicUrl}/r/${number}`
}

/** An outbox row as the notice needs it. */
export interface NoticeSource {
  id: string
  recipientKind: RecipientKind
  recipientId: string
  type: NotificationType
  ticketId: string | null
  payload: Record<string, unknown>
}

/**
 * The text-message channel of the outbox, for residents WeChat cannot reach (a browser resident, or no
 * unspent consent): the request number, what happened, and a short link to the resident's page of it.
 */
@Injectable()
export class SmsNotices {
  constructor(
    private readonly sms: SmsService,
    private readonly proxyContacts: ProxyContacts,
    @Inject(SMS_PROVIDER) private readonly provider: SmsProvider,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Sends the row as a text; null when there is no way to (not a resident event, SMS off, no verified number,
   * or for a proxy entry's resident no number they agreed to be texted at).
   */
  async send(row: NoticeSource): Promise<SmsOutcome | null> {
    const status = STATUS[row.type]
    const number = typeof row.payload.number === 'string' ? row.payload.number : null
    if (row.recipientKind === 'staff' || !status || !row.ticketId || !number || this.provider.name === 'off')
      return null
    const phone =
      row.recipientKind === 'proxy'
        ? await this.proxyContacts.textableNumberOf(row.ticketId)
        : await this.sms.verifiedNumberOf(row.recipientId)
    if (!phone) return null
    return this.provider.send({
      to: phone,
      template: 'notice',
      params: { number, status, link: shortLink(this.config.publicUrl, number) },
      // The same row retried carries the same reference, so the provider's records show it was one message.
      reference: `notice-${row.id}`,
    })
  }
}
