import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3'
import { PhotoUploadSchema } from '@mq/shared'
import { startTestModule, type TestApp } from '../../test/app'
import { startFakeS3, type FakeS3 } from '../../test/fake-s3'
import {
  authHeader,
  count,
  IMAGES,
  makeCompound,
  makeResident,
  makeTicket,
  multipartBody,
  type CompoundFixture,
} from '../../test/factories'
import { RetentionService } from '../retention/retention.service'
import type { Resident } from '../residents/resident.entity'
import { PhotoStore, S3PhotoStore, storageKeyOf } from './photo-store'
import { PhotosModule } from './photos.module'
import { TicketsModule } from '../tickets/tickets.module'
import { RetentionModule } from '../retention/retention.module'

/** PHOTO_STORE=s3 against an S3-compatible server on loopback (s3rver): the bytes go to the bucket only. */
describe('photos in an S3-compatible bucket (PHOTO_STORE=s3)', () => {
  let s3: FakeS3
  let t: TestApp
  let c: CompoundFixture
  let resident: Resident
  beforeAll(async () => {
    s3 = await startFakeS3()
    t = await startTestModule({
      imports: [PhotosModule, TicketsModule, RetentionModule],
      http: true,
      env: { ...s3.env, DATA_DIR: '/nonexistent-mq-data-dir' },
    })
    c = await makeCompound(t, [1])
    resident = await makeResident(t)
  })
  afterAll(async () => {
    await t?.close()
    await s3?.close()
  })

  const upload = async (file: Buffer, options: Parameters<typeof multipartBody>[1] = {}) => {
    const body = multipartBody(file, options)
    return t.app.inject({
      method: 'POST',
      url: '/api/photos',
      payload: body.payload,
      headers: { ...(await authHeader(t, { resident })), ...body.headers },
    })
  }
  const stored = async () => ({ keys: await s3.keys(), rows: await count(t.dataSource, 'SELECT 1 FROM photo') })

  it('the configured store is the bucket, for the photos module and for retention alike', () => {
    const store = t.app.get(PhotoStore)
    expect(store).toBeInstanceOf(S3PhotoStore)
    expect((store as S3PhotoStore).bucket).toBe(s3.bucket)
    expect((t.app.get(RetentionService) as unknown as { photoFiles: PhotoStore }).photoFiles).toBe(store)
  })

  it('an upload goes to the bucket under its storage key, and is served back through the API', async () => {
    const res = await upload(IMAGES.png)
    expect(res.statusCode).toBe(201)
    const photo = PhotoUploadSchema.parse(res.json())
    const key = storageKeyOf(photo.id)
    expect(await s3.keys()).toContain(key)
    const head = await s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: key }))
    expect(head.ContentLength).toBe(IMAGES.png.length)
    const object = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }))
    expect(Buffer.from(await object.Body!.transformToByteArray()).equals(IMAGES.png)).toBe(true)

    const ticket = await makeTicket(t, { unit: c.units[0][0], resident, photoIds: [photo.id] })
    const served = await t.app.inject({
      method: 'GET',
      url: `/api/requests/${ticket.id}/photos/${photo.id}`,
      headers: await authHeader(t, { resident }),
    })
    expect(served.statusCode).toBe(200)
    expect(served.headers['content-type']).toBe('image/png')
    expect(served.rawPayload.equals(IMAGES.png)).toBe(true)
  })

  it('a photo up to 5 MB round-trips byte for byte', async () => {
    const almost = Buffer.concat([IMAGES.jpeg.subarray(0, 4), Buffer.alloc(5 * 1024 * 1024 - 4, 0x41)])
    const res = await upload(almost)
    expect(res.statusCode).toBe(201)
    const { id } = PhotoUploadSchema.parse(res.json())
    // Buffer.equals: toEqual walks 5 million bytes one by one.
    const back = await t.app.get(PhotoStore).get(storageKeyOf(id))
    expect(back?.equals(almost)).toBe(true)
  })

  it('6 MB → 413 and a PDF → 415: no object in the bucket, no row', async () => {
    const before = await stored()
    expect(before.keys.length).toBeGreaterThan(0)
    const big = Buffer.concat([IMAGES.jpeg.subarray(0, 4), Buffer.alloc(6 * 1024 * 1024, 0x41)])
    const tooLarge = await upload(big)
    expect(tooLarge.statusCode).toBe(413)
    expect(tooLarge.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' })
    const pdf = Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n')
    const notAnImage = await upload(pdf, { filename: 'photo.jpg', contentType: 'image/jpeg' })
    expect(notAnImage.statusCode).toBe(415)
    expect(notAnImage.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' })
    expect(await stored()).toEqual(before)
  })

  it('a missing object reads as null (→ 404 PHOTO_NOT_FOUND), and deleting it twice is fine', async () => {
    const store = t.app.get(PhotoStore)
    const key = storageKeyOf('0f0f0f0f-0000-4000-8000-000000000000')
    expect(await store.get(key)).toBeNull()
    await store.put(key, IMAGES.webp)
    expect((await store.get(key))?.equals(IMAGES.webp)).toBe(true)
    await store.delete(key)
    await store.delete(key)
    expect(await store.get(key)).toBeNull()
    await expect(store.put('../escape', IMAGES.webp)).rejects.toThrow(/invalid photo storage key/)
  })

  it('retention removes an old, never attached photo from the bucket along with its row', async () => {
    const res = await upload(IMAGES.jpeg)
    const { id } = PhotoUploadSchema.parse(res.json())
    expect(await s3.keys()).toContain(storageKeyOf(id))
    await t.dataSource.query(`UPDATE photo SET created_at = now() - interval '10 years' WHERE id = $1`, [id])
    const report = await t.app.get(RetentionService).run()
    expect(report.photos).toBeGreaterThanOrEqual(1)
    expect(await count(t.dataSource, 'SELECT 1 FROM photo WHERE id = $1', [id])).toBe(0)
    expect(await s3.keys()).not.toContain(storageKeyOf(id))
  })
})
