import { Module } from '@nestjs/common'
import { PhotosModule } from '../photos/photos.module'
import { RetentionService } from './retention.service'

/** The retention job: `RetentionService.run()` for a scheduler, `dist/retention/run.js` for cron. */
@Module({ imports: [PhotosModule], providers: [RetentionService], exports: [RetentionService] })
export class RetentionModule {}
