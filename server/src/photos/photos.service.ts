import type { MultipartFile } from '@fastify/multipart'
import { Injectable, Logger } from '@nestjs/common'
import { PHOTO_FIELD, PHOTO_MAX_BYTES, type PhotoUpload } from '@mq/shared'
import type { FastifyRequest } from 'fastify'
import { createHash, randomUUID } from 'node:crypto'
import { DataSource, In, type EntityManager } from 'typeorm'
import { Clock } from '../common/clock'
import { DomainError } from '../common/domain-error'
import { Photo } from './photo.entity'
import { PhotoStore, storageKeyOf } from './photo-store'
import { sniffImageType } from './sniff'

export interface Uploader {
  kind: 'resident' | 'staff'
  id: string
}

// Shown as they are on the refused photo's tile, beside 删除: they say what is wrong with this file, so
// the person knows another try of the same file cannot help.
const TOO_LARGE = `这张照片超过 ${PHOTO_MAX_BYTES / 1024 / 1024} MB，太大了，请删除后换一张`
const NOT_AN_IMAGE = '这个文件不是照片，只能上传 JPEG、PNG 或 WebP 格式的图片'

/**
 * Photo uploads: the whole file is read into memory (at most 5 MB) and checked by content before a
 * single byte is stored, so a refused upload leaves nothing on disk or in the database.
 */
@Injectable()
export class PhotosService {
  private readonly logger = new Logger(PhotosService.name)

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: PhotoStore,
    private readonly clock: Clock,
  ) {}

  async upload(uploader: Uploader, request: FastifyRequest): Promise<PhotoUpload> {
    if (!request.isMultipart()) {
      throw new DomainError(
        'UNSUPPORTED_MEDIA_TYPE',
        `请以 multipart/form-data 上传照片（字段名 ${PHOTO_FIELD}）`,
      )
    }
    const bytes = await this.readFile(request)
    const contentType = sniffImageType(bytes)
    if (!contentType) throw new DomainError('UNSUPPORTED_MEDIA_TYPE', NOT_AN_IMAGE)
    const id = randomUUID()
    const storageKey = storageKeyOf(id)
    await this.store.put(storageKey, bytes)
    try {
      const createdAt = this.clock.now()
      await this.dataSource.getRepository(Photo).insert({
        id,
        uploaderKind: uploader.kind,
        uploaderId: uploader.id,
        ticketId: null,
        kind: null,
        contentType,
        size: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        storageKey,
        createdAt,
      })
      return { id, contentType, size: bytes.length, createdAt: createdAt.toISOString() }
    } catch (error) {
      // No row, no file: the bytes must not outlive a failed insert.
      await this.store.delete(storageKey).catch((cleanup: unknown) => {
        this.logger.error({
          msg: 'could not remove an orphaned photo file',
          storageKey,
          err: String(cleanup),
        })
      })
      throw error
    }
  }

  /**
   * Attaches the uploader's own, still unattached photos to a request, inside the caller's transaction.
   * Anything else (someone else's photo, one already used, an unknown id) → 400 and nothing changes.
   */
  async attach(
    manager: EntityManager,
    input: { photoIds: string[]; uploader: Uploader; ticketId: string; kind: 'report' | 'resolution' },
  ): Promise<void> {
    if (input.photoIds.length === 0) return
    const [rows] = await manager.query<[{ id: string }[], number]>(
      `UPDATE photo SET ticket_id = $1, kind = $2
        WHERE id = ANY($3::uuid[]) AND uploader_kind = $4 AND uploader_id = $5 AND ticket_id IS NULL
        RETURNING id`,
      [input.ticketId, input.kind, input.photoIds, input.uploader.kind, input.uploader.id],
    )
    if (rows.length !== input.photoIds.length) {
      throw new DomainError('VALIDATION_FAILED', '照片无效或已被使用，请重新上传', [
        { path: 'photoIds', message: '照片无效或已被使用' },
      ])
    }
  }

  /** The photos attached to these requests, oldest first. */
  async forTickets(ticketIds: string[]): Promise<Photo[]> {
    if (ticketIds.length === 0) return []
    return this.dataSource.getRepository(Photo).find({
      where: { ticketId: In(ticketIds) },
      order: { createdAt: 'ASC', id: 'ASC' },
    })
  }

  async attached(ticketId: string, photoId: string): Promise<Photo | null> {
    return this.dataSource.getRepository(Photo).findOneBy({ id: photoId, ticketId })
  }

  async bytes(photo: Photo): Promise<Buffer> {
    const bytes = await this.store.get(photo.storageKey)
    if (!bytes) throw new DomainError('PHOTO_NOT_FOUND', '照片已不存在')
    return bytes
  }

  private async readFile(request: FastifyRequest): Promise<Buffer> {
    let file: MultipartFile | undefined
    try {
      file = await request.file({ limits: { fileSize: PHOTO_MAX_BYTES, files: 1, fields: 10, parts: 11 } })
      if (!file) throw new DomainError('VALIDATION_FAILED', `没有收到照片（字段名 ${PHOTO_FIELD}）`)
      if (file.fieldname !== PHOTO_FIELD) {
        throw new DomainError('VALIDATION_FAILED', `照片的字段名应为 ${PHOTO_FIELD}`)
      }
      const bytes = await file.toBuffer()
      if (bytes.length === 0) throw new DomainError('VALIDATION_FAILED', '照片是空的')
      return bytes
    } catch (error) {
      if ((error as { code?: unknown })?.code === 'FST_REQ_FILE_TOO_LARGE') {
        throw new DomainError('PAYLOAD_TOO_LARGE', TOO_LARGE)
      }
      if (error instanceof DomainError || typeof (error as { statusCode?: unknown })?.statusCode === 'number') {
        throw error
      }
      // The multipart parser's own errors (no boundary, the body ends mid-part) are the sender's fault.
      throw new DomainError('VALIDATION_FAILED', '照片上传的内容不完整或格式有误，请重新上传')
    }
  }
}
