import { Controller, Post, Req } from '@nestjs/common'
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger'
import {
  ErrorBodySchema,
  VOICE_DURATION_FIELD,
  VOICE_FIELD,
  VOICE_MAX_MS,
  VoiceNoteUploadSchema,
  type VoiceNoteUpload,
} from '@mq/shared'
import type { FastifyRequest } from 'fastify'
import { Throttled } from '../abuse/throttled'
import { Authenticated, CurrentPrincipal } from '../auth/access.decorators'
import type { Principal } from '../auth/principal'
import { zodSchema } from '../openapi/zod-schema'
import { VoiceService } from './voice.service'

@ApiTags('voice')
@Controller('api/voice-notes')
export class VoiceController {
  constructor(private readonly voice: VoiceService) {}

  /**
   * One voice note (按住说话: AAC, MP3, MP4, WebM or Ogg, ≤ 2 MB, checked by content) as multipart field
   * `file`, with its length in milliseconds as field `durationMs` (≤ 60 s), before writing a message; its
   * id then goes in the message's `voiceNoteId`. Residents, and staff who handle or file requests.
   */
  @Post()
  @Authenticated('handle_tickets')
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: [VOICE_FIELD, VOICE_DURATION_FIELD],
      properties: {
        [VOICE_FIELD]: { type: 'string', format: 'binary' },
        [VOICE_DURATION_FIELD]: { type: 'integer', minimum: 1, maximum: VOICE_MAX_MS },
      },
    },
  })
  @ApiCreatedResponse({ schema: zodSchema(VoiceNoteUploadSchema) })
  @ApiBadRequestResponse({
    description: 'VALIDATION_FAILED: no clip, an empty one, or a missing or invalid duration (over 60 s)',
    schema: zodSchema(ErrorBodySchema),
  })
  @ApiPayloadTooLargeResponse({
    description: 'PAYLOAD_TOO_LARGE: over 2 MB',
    schema: zodSchema(ErrorBodySchema),
  })
  @ApiUnsupportedMediaTypeResponse({
    description: 'UNSUPPORTED_MEDIA_TYPE: not AAC, MP3, MP4, WebM or Ogg audio by its content',
    schema: zodSchema(ErrorBodySchema),
  })
  @Throttled('upload')
  upload(@CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<VoiceNoteUpload> {
    const uploader =
      principal.kind === 'staff'
        ? { kind: 'staff' as const, id: principal.staffId }
        : { kind: 'resident' as const, id: principal.residentId }
    return this.voice.upload(uploader, request)
  }
}
