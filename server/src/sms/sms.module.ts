import { Module } from '@nestjs/common'
import { APP_CONFIG, type AppConfig } from '../config/config'
import { ProxyContactsModule } from '../tickets/filing/proxy-contacts'
import { SmsController } from './sms.controller'
import { SmsNotices } from './sms-notices'
import { SMS_PROVIDER, smsProvider } from './sms-provider'
import { SmsService } from './sms.service'

/**
 * Text messages: the configured provider (SMS_PROVIDER), residents' verified mobile numbers, and the
 * notices to them or to the number a proxy entry's resident agreed to be texted at.
 */
@Module({
  imports: [ProxyContactsModule],
  controllers: [SmsController],
  providers: [
    { provide: SMS_PROVIDER, inject: [APP_CONFIG], useFactory: (config: AppConfig) => smsProvider(config.sms) },
    SmsService,
    SmsNotices,
  ],
  exports: [SmsService, SmsNotices, SMS_PROVIDER],
})
export class SmsModule {}
