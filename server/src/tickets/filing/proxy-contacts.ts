import { Injectable, Module } from '@nestjs/common'
import { DataSource } from 'typeorm'
import { Ticket } from '../ticket.entity'

/**
 * The number a proxy entry's resident agreed to be texted at, for the text messages of its progress
 * (sms/sms-notices.ts). Read when each message is sent, so a number cleared by retention, or an entry
 * filed without the agreement, is never texted.
 */
@Injectable()
export class ProxyContacts {
  constructor(private readonly dataSource: DataSource) {}

  /** The recorded number when the resident agreed to texts; null otherwise (or no such request). */
  async textableNumberOf(ticketId: string): Promise<string | null> {
    const ticket = await this.dataSource.getRepository(Ticket).findOne({
      where: { id: ticketId },
      select: { id: true, proxyPhone: true, proxySmsConsent: true },
    })
    return ticket?.proxySmsConsent && ticket.proxyPhone ? ticket.proxyPhone : null
  }
}

/** Just the proxy contacts, for the text-message channel: it needs nothing else of the tickets domain. */
@Module({ providers: [ProxyContacts], exports: [ProxyContacts] })
export class ProxyContactsModule {}
