import { forwardRef, Module } from '@nestjs/common'
import { PlacesModule } from '../places/places.module'
import { AfterPhotoController } from './after-photo.controller'
import { AfterPhotoService } from './after-photo.service'

/** The after-photo rule of resolving, per compound; tickets/ asks it when a request is resolved. */
@Module({
  imports: [forwardRef(() => PlacesModule)],
  controllers: [AfterPhotoController],
  providers: [AfterPhotoService],
  exports: [AfterPhotoService],
})
export class AfterPhotoModule {}
