import { Module } from '@nestjs/common'
import { APP_CONFIG, type AppConfig } from '../config/config'
import { SmsController } from './sms.controller'
import { SmsNotices } from './sms-notices'
import { SMS_PROVIDER, smsProvider } from './sms-provider'
import { SmsService } from './sms.service'

/** Text messages: the configured provider (SMS_PROVIDER), and residents' verified mobile numbers. */
@Module({
  controllers: [SmsController],
  providers: [
    { provide: SMS_PROVIDER, inject: [APP_CONFIG], useFactory: (config: AppConfig) => smsProvider(config.sms) },
    SmsService,
    SmsNotices,
  ],
  exports: [SmsService, SmsNotices, SMS_PROVIDER],
})
export class SmsModule {}
