import type * as S3 from '@aws-sdk/client-s3'
import type { S3Client } from '@aws-sdk/client-s3'
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { loadOnUse } from '../common/load-on-use'
import type { AppConfig } from '../config/config'

/**
 * The AWS SDK (a few hundred modules, some 4 MB of heap and more of compiled code), loaded only when
 * PHOTO_STORE=s3 builds its store: the default local store never needs it.
 */
const s3 = loadOnUse<typeof S3>('@aws-sdk/client-s3')

/**
 * Where photo (and voice-note) bytes live: local disk under the data directory (PHOTO_STORE=local), or an S3-compatible
 * bucket (PHOTO_STORE=s3). Both implement the same three calls.
 */
export abstract class PhotoStore {
  abstract put(key: string, bytes: Buffer): Promise<void>
  abstract get(key: string): Promise<Buffer | null>
  abstract delete(key: string): Promise<void>
}

// `ab/<uuid>` for photos; `voice/ab/<uuid>` for voice notes (voice/), which share the store.
const KEY = /^(?:voice\/)?[0-9a-f]{2}\/[0-9a-f-]{36}$/

/** `${dataDir}/photos/ab/<uuid>`: two hex characters of fan-out keep directories small. */
export class LocalPhotoStore extends PhotoStore {
  constructor(readonly root: string) {
    super()
  }

  private path(key: string): string {
    // Keys are made by the server, never by callers; refuse anything else rather than touch the disk.
    if (!KEY.test(key)) throw new Error(`invalid photo storage key ${key}`)
    return resolve(join(this.root, key))
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    const target = this.path(key)
    await mkdir(dirname(target), { recursive: true })
    // Write then rename, so a crash never leaves half a photo under its real name.
    const partial = `${target}.partial`
    await writeFile(partial, bytes, { flag: 'wx' })
    await rename(partial, target)
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.path(key))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw error
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true })
  }
}

/** Bucket configuration of PHOTO_STORE=s3 (config.ts). */
export interface S3PhotoStoreOptions {
  /** Null: AWS itself (the region's default endpoint). */
  endpoint: string | null
  region: string
  bucket: string
  accessKeyId: string
  secretAccessKey: string
  /** `https://host/bucket/key` rather than `https://bucket.host/key` (MinIO and most self-hosted stores). */
  forcePathStyle: boolean
}

/** An S3-compatible bucket; the object key is the storage key (`ab/<uuid>`). */
export class S3PhotoStore extends PhotoStore {
  readonly client: S3Client
  readonly bucket: string

  constructor(options: S3PhotoStoreOptions) {
    super()
    this.bucket = options.bucket
    const { S3Client } = s3()
    this.client = new S3Client({
      region: options.region,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      forcePathStyle: options.forcePathStyle,
      credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
      maxAttempts: 3,
    })
  }

  private key(key: string): string {
    if (!KEY.test(key)) throw new Error(`invalid photo storage key ${key}`)
    return key
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    const { PutObjectCommand } = s3()
    // A PUT is atomic: the object appears whole or not at all.
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: this.key(key), Body: bytes, ContentLength: bytes.length }),
    )
  }

  async get(key: string): Promise<Buffer | null> {
    const { GetObjectCommand, NoSuchKey, S3ServiceException } = s3()
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(key) }))
      if (!object.Body) return null
      return Buffer.from(await object.Body.transformToByteArray())
    } catch (error) {
      if (error instanceof NoSuchKey) return null
      if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404) return null
      throw error
    }
  }

  async delete(key: string): Promise<void> {
    const { DeleteObjectCommand } = s3()
    // Deleting a missing object succeeds on S3, as rm --force does on disk.
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.key(key) }))
  }

  /** Nest calls this on shutdown: close the kept-alive connections. */
  onApplicationShutdown(): void {
    this.client.destroy()
  }
}

/** The store the configuration chooses (PHOTO_STORE). */
export function createPhotoStore(config: AppConfig): PhotoStore {
  const photos = config.photoStore
  if (photos.kind === 's3') return new S3PhotoStore(photos)
  return new LocalPhotoStore(join(config.dataDir, 'photos'))
}

/** Storage key of a photo id. */
export function storageKeyOf(id: string): string {
  return `${id.slice(0, 2)}/${id}`
}
