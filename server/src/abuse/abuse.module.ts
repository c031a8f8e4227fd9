import { Global, Module } from '@nestjs/common'
import { RateLimitService } from './rate-limit.service'
import { ThrottleInterceptor } from './throttled'

/** Abuse limits: per-address and per-person rate limits shared by every instance. */
@Global()
@Module({
  providers: [RateLimitService, ThrottleInterceptor],
  exports: [RateLimitService, ThrottleInterceptor],
})
export class AbuseModule {}
