import { Module } from '@nestjs/common'
import { PhotosModule } from '../photos/photos.module'
import { VoiceController } from './voice.controller'
import { VoiceService } from './voice.service'

/** Voice notes of the thread; their bytes go to the photos' store, whose module also parses multipart. */
@Module({
  imports: [PhotosModule],
  controllers: [VoiceController],
  providers: [VoiceService],
  exports: [VoiceService],
})
export class VoiceModule {}
