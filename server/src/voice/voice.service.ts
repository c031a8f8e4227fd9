import type { Multipart } from '@fastify/multipart'
import { Injectable, Logger } from '@nestjs/common'
import {
  VOICE_DURATION_FIELD,
  VOICE_FIELD,
  VOICE_MAX_BYTES,
  VOICE_MAX_MS,
  type VoiceNoteUpload,
} from '@mq/shared'
import type { FastifyRequest } from 'fastify'
import { createHash, randomUUID } from 'node:crypto'
import { DataSource, type EntityManager } from 'typeorm'
import { Clock } from '../common/clock'
import { DomainError } from '../common/domain-error'
import { PhotoStore, storageKeyOf } from '../photos/photo-store'
import { sniffAudioType } from './sniff'
import { VoiceNote } from './voice-note.entity'

export interface Uploader {
  kind: 'resident' | 'staff'
  id: string
}

// Shown as they are beside the refused clip: they say why, so the person records again instead of
// retrying the same file.
const TOO_LARGE = `这段语音超过 ${VOICE_MAX_BYTES / 1024 / 1024} MB，太大了，请删除后重新录一段短一些的`
const NOT_AUDIO = '这个文件不是录音，只能发送按住说话录下的语音（AAC、MP3、MP4、WebM 或 Ogg 格式）'
const BAD_DURATION = `语音时长无效，应为 1 到 ${VOICE_MAX_MS / 1000} 秒`

/** Voice notes share the photo store, under their own prefix. */
export function voiceStorageKeyOf(id: string): string {
  return `voice/${storageKeyOf(id)}`
}

/**
 * Voice-note uploads: the whole clip is read into memory (at most 2 MB) and checked by content before a
 * single byte is stored, so a refused upload leaves nothing on disk or in the database. Attached to a
 * message of the request's thread by the one who recorded it.
 */
@Injectable()
export class VoiceService {
  private readonly logger = new Logger(VoiceService.name)

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: PhotoStore,
    private readonly clock: Clock,
  ) {}

  async upload(uploader: Uploader, request: FastifyRequest): Promise<VoiceNoteUpload> {
    if (!request.isMultipart()) {
      throw new DomainError(
        'UNSUPPORTED_MEDIA_TYPE',
        `请以 multipart/form-data 上传语音（字段名 ${VOICE_FIELD}，时长字段 ${VOICE_DURATION_FIELD}）`,
      )
    }
    const { bytes, durationMs } = await this.readClip(request)
    const contentType = sniffAudioType(bytes)
    if (!contentType) throw new DomainError('UNSUPPORTED_MEDIA_TYPE', NOT_AUDIO)
    const id = randomUUID()
    const storageKey = voiceStorageKeyOf(id)
    await this.store.put(storageKey, bytes)
    try {
      const createdAt = this.clock.now()
      await this.dataSource.getRepository(VoiceNote).insert({
        id,
        uploaderKind: uploader.kind,
        uploaderId: uploader.id,
        ticketId: null,
        contentType,
        size: bytes.length,
        durationMs,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        storageKey,
        createdAt,
      })
      return { id, contentType, size: bytes.length, durationMs, createdAt: createdAt.toISOString() }
    } catch (error) {
      // No row, no file: the bytes must not outlive a failed insert.
      await this.store.delete(storageKey).catch((cleanup: unknown) => {
        this.logger.error({
          msg: 'could not remove an orphaned voice file',
          storageKey,
          err: String(cleanup),
        })
      })
      throw error
    }
  }

  /**
   * Attaches the uploader's own, still unattached voice note to a request, inside the caller's transaction.
   * Anything else (someone else's, one already used, an unknown id) → 400 and nothing changes.
   */
  async attach(
    manager: EntityManager,
    input: { voiceNoteId: string; uploader: Uploader; ticketId: string },
  ): Promise<{ id: string; durationMs: number }> {
    const [rows] = await manager.query<[{ id: string; duration_ms: number }[], number]>(
      `UPDATE voice_note SET ticket_id = $1
        WHERE id = $2 AND uploader_kind = $3 AND uploader_id = $4 AND ticket_id IS NULL
        RETURNING id, duration_ms`,
      [input.ticketId, input.voiceNoteId, input.uploader.kind, input.uploader.id],
    )
    if (rows.length !== 1) {
      throw new DomainError('VALIDATION_FAILED', '语音无效或已被使用，请重新录制', [
        { path: 'voiceNoteId', message: '语音无效或已被使用' },
      ])
    }
    return { id: rows[0].id, durationMs: rows[0].duration_ms }
  }

  async attached(ticketId: string, voiceId: string): Promise<VoiceNote | null> {
    return this.dataSource.getRepository(VoiceNote).findOneBy({ id: voiceId, ticketId })
  }

  async bytes(note: VoiceNote): Promise<Buffer> {
    const bytes = await this.store.get(note.storageKey)
    if (!bytes) throw new DomainError('VOICE_NOT_FOUND', '语音已不存在')
    return bytes
  }

  /** The clip and its declared duration, in either order of the parts; anything else is ignored. */
  private async readClip(request: FastifyRequest): Promise<{ bytes: Buffer; durationMs: number }> {
    let bytes: Buffer | null = null
    let duration: string | null = null
    try {
      const parts = request.parts({
        limits: { fileSize: VOICE_MAX_BYTES, files: 1, fields: 10, parts: 11, fieldSize: 1024 },
      })
      for await (const part of parts as AsyncIterableIterator<Multipart>) {
        if (part.type === 'file') {
          if (part.fieldname !== VOICE_FIELD) {
            throw new DomainError('VALIDATION_FAILED', `语音的字段名应为 ${VOICE_FIELD}`)
          }
          bytes = await part.toBuffer()
        } else if (part.fieldname === VOICE_DURATION_FIELD) {
          duration = typeof part.value === 'string' ? part.value : String(part.value)
        }
      }
    } catch (error) {
      if ((error as { code?: unknown })?.code === 'FST_REQ_FILE_TOO_LARGE') {
        throw new DomainError('PAYLOAD_TOO_LARGE', TOO_LARGE)
      }
      if (
        error instanceof DomainError ||
        typeof (error as { statusCode?: unknown })?.statusCode === 'number'
      ) {
        throw error
      }
      // The multipart parser's own errors (no boundary, the body ends mid-part) are the sender's fault.
      throw new DomainError('VALIDATION_FAILED', '语音上传的内容不完整或格式有误，请重新上传')
    }
    if (!bytes) throw new DomainError('VALIDATION_FAILED', `没有收到语音（字段名 ${VOICE_FIELD}）`)
    if (bytes.length === 0) throw new DomainError('VALIDATION_FAILED', '语音是空的')
    return { bytes, durationMs: parseDuration(duration) }
  }
}

/** Whole milliseconds, 1 to VOICE_MAX_MS, as the recorder reported them. */
function parseDuration(raw: string | null): number {
  const refuse = (message: string) =>
    new DomainError('VALIDATION_FAILED', message, [{ path: VOICE_DURATION_FIELD, message }])
  if (raw === null || raw.trim() === '') throw refuse(`缺少语音时长（字段名 ${VOICE_DURATION_FIELD}）`)
  if (!/^[0-9]{1,9}$/.test(raw.trim())) throw refuse(BAD_DURATION)
  const ms = Number(raw.trim())
  if (ms < 1 || ms > VOICE_MAX_MS)
    throw refuse(ms > VOICE_MAX_MS ? `语音最长 ${VOICE_MAX_MS / 1000} 秒` : BAD_DURATION)
  return ms
}
