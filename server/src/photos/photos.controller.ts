import { Controller, Post, Req } from '@nestjs/common'
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger'
import { ErrorBodySchema, PHOTO_FIELD, PhotoUploadSchema, type PhotoUpload } from '@mq/shared'
import type { FastifyRequest } from 'fastify'
import { Throttled } from '../abuse/throttled'
import { Authenticated, CurrentPrincipal } from '../auth/access.decorators'
import type { Principal } from '../auth/principal'
import { zodSchema } from '../openapi/zod-schema'
import { PhotosService } from './photos.service'

@ApiTags('photos')
@Controller('api/photos')
export class PhotosController {
  constructor(private readonly photos: PhotosService) {}

  /**
   * One photo (JPEG, PNG or WebP, ≤ 5 MB, checked by content) as multipart field `file`, before filing
   * or resolving; its id then goes in `photoIds`. Residents, and staff who handle or file requests.
   */
  @Post()
  @Authenticated('handle_tickets')
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: [PHOTO_FIELD],
      properties: { [PHOTO_FIELD]: { type: 'string', format: 'binary' } },
    },
  })
  @ApiCreatedResponse({ schema: zodSchema(PhotoUploadSchema) })
  @ApiPayloadTooLargeResponse({
    description: 'PAYLOAD_TOO_LARGE: over 5 MB',
    schema: zodSchema(ErrorBodySchema),
  })
  @ApiUnsupportedMediaTypeResponse({
    description: 'UNSUPPORTED_MEDIA_TYPE: not a JPEG, PNG or WebP by its content',
    schema: zodSchema(ErrorBodySchema),
  })
  @Throttled('upload')
  upload(@CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<PhotoUpload> {
    const uploader =
      principal.kind === 'staff'
        ? { kind: 'staff' as const, id: principal.staffId }
        : { kind: 'resident' as const, id: principal.residentId }
    return this.photos.upload(uploader, request)
  }
}
