import multipart from '@fastify/multipart'
import { Inject, Module, type OnModuleInit } from '@nestjs/common'
import { HttpAdapterHost } from '@nestjs/core'
import { PHOTO_MAX_BYTES } from '@mq/shared'
import type { FastifyInstance } from 'fastify'
import { APP_CONFIG, type AppConfig } from '../config/config'
import { createPhotoStore, PhotoStore } from './photo-store'
import { PhotosController } from './photos.controller'
import { PhotosService } from './photos.service'

@Module({
  controllers: [PhotosController],
  providers: [
    PhotosService,
    {
      provide: PhotoStore,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => createPhotoStore(config),
    },
  ],
  exports: [PhotosService, PhotoStore],
})
export class PhotosModule implements OnModuleInit {
  constructor(@Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost) {}

  /** multipart/form-data parsing (wx.uploadFile always sends it); limits are set again per upload. */
  async onModuleInit(): Promise<void> {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>()
    if (fastify.hasContentTypeParser('multipart/form-data')) return
    await fastify.register(multipart, { limits: { fileSize: PHOTO_MAX_BYTES, files: 1 } })
  }
}
