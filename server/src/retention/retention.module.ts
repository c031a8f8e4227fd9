import { Module } from '@nestjs/common'
import { RetentionService } from './retention.service'

/** The retention job: `RetentionService.run()` for a scheduler, `dist/retention/run.js` for cron. */
@Module({ providers: [RetentionService], exports: [RetentionService] })
export class RetentionModule {}
