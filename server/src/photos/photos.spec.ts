import { PhotoUploadSchema, TicketViewSchema } from '@mq/shared'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startTestModule, type TestApp } from '../../test/app'
import {
  authHeader,
  count,
  IMAGES,
  makeCompound,
  makeResident,
  makeStaff,
  makeTicket,
  multipartBody,
  uploadPhoto,
  type CompoundFixture,
} from '../../test/factories'
import type { Resident } from '../residents/resident.entity'
import type { Staff } from '../staff/staff.entity'
import { sniffImageType } from './sniff'
import { PhotosModule } from './photos.module'
import { TicketsModule } from '../tickets/tickets.module'

/** Every file under `dir`, recursively (partial writes included). */
async function filesUnder(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true })
    return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
}

describe('photos', () => {
  let t: TestApp
  let dataDir: string
  let c: CompoundFixture
  let resident: Resident
  let pm: Staff
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mq-photos-'))
    t = await startTestModule({
      imports: [PhotosModule, TicketsModule],
      http: true,
      env: { DATA_DIR: dataDir },
    })
    c = await makeCompound(t, [1])
    pm = await makeStaff(t, 'property_manager', c.compound)
    resident = await makeResident(t)
  })
  afterAll(async () => {
    await t.close()
    await rm(dataDir, { recursive: true, force: true })
  })

  const upload = async (
    file: Buffer,
    options: Parameters<typeof multipartBody>[1] = {},
    who: { resident: Resident } | { staff: Staff } = { resident },
  ) => {
    const body = multipartBody(file, options)
    return t.app.inject({
      method: 'POST',
      url: '/api/photos',
      payload: body.payload,
      headers: { ...(await authHeader(t, who)), ...body.headers },
    })
  }
  const stored = async () => ({
    files: await filesUnder(join(dataDir, 'photos')),
    rows: await count(t.dataSource, 'SELECT 1 FROM photo'),
  })

  it('takes JPEG, PNG and WebP by their content, whatever the name says', async () => {
    for (const [kind, bytes] of Object.entries(IMAGES)) {
      const res = await upload(bytes, { filename: 'IMG.dat', contentType: 'application/octet-stream' })
      expect(res.statusCode).toBe(201)
      const photo = PhotoUploadSchema.parse(res.json())
      expect(photo).toMatchObject({ contentType: `image/${kind}`, size: bytes.length })
      const row = await t.dataSource.query(
        'SELECT uploader_kind, uploader_id, ticket_id, sha256 FROM photo WHERE id = $1',
        [photo.id],
      )
      expect(row[0]).toMatchObject({ uploader_kind: 'resident', uploader_id: resident.id, ticket_id: null })
    }
    expect(sniffImageType(Buffer.from('%PDF-1.7'))).toBeNull()
  })

  it('takes a photo of up to 5 MB (larger than the 1 MB JSON body limit)', async () => {
    const almost = Buffer.concat([IMAGES.jpeg.subarray(0, 4), Buffer.alloc(5 * 1024 * 1024 - 4, 0x41)])
    const res = await upload(almost)
    expect(res.statusCode).toBe(201)
    expect(res.json().size).toBe(5 * 1024 * 1024)
  })

  it('6 MB → 413, and nothing is written to disk or the database', async () => {
    const before = await stored()
    const big = Buffer.concat([IMAGES.jpeg.subarray(0, 4), Buffer.alloc(6 * 1024 * 1024, 0x41)])
    const res = await upload(big)
    expect(res.statusCode).toBe(413)
    expect(res.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: '这张照片超过 5 MB，太大了，请删除后换一张' })
    expect(await stored()).toEqual(before)
  })

  it('a PDF renamed .jpg → 415, and nothing is written to disk or the database', async () => {
    const before = await stored()
    const pdf = Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n')
    const res = await upload(pdf, { filename: 'photo.jpg', contentType: 'image/jpeg' })
    expect(res.statusCode).toBe(415)
    expect(res.json()).toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: '这个文件不是照片，只能上传 JPEG、PNG 或 WebP 格式的图片',
    })
    // Not multipart at all: also 415.
    const raw = await t.app.inject({
      method: 'POST',
      url: '/api/photos',
      payload: IMAGES.jpeg,
      headers: { ...(await authHeader(t, { resident })), 'content-type': 'image/jpeg' },
    })
    expect(raw.statusCode).toBe(415)
    expect(await stored()).toEqual(before)
  })

  it('served only to callers who may see the request: problem photos to staff and the reporter, fix photos to followers too', async () => {
    const photoId = await uploadPhoto(t, { resident }, IMAGES.png)
    const ticket = await makeTicket(t, {
      unit: c.units[0][0],
      resident,
      photoIds: [photoId],
      state: 'accepted',
    })
    const get = async (who: { resident: Resident } | { staff: Staff }, id = photoId) =>
      t.app.inject({
        method: 'GET',
        url: `/api/requests/${ticket.id}/photos/${id}`,
        headers: await authHeader(t, who),
      })

    const mine = await get({ resident })
    expect(mine.statusCode).toBe(200)
    expect(mine.headers['content-type']).toBe('image/png')
    expect(mine.headers['x-content-type-options']).toBe('nosniff')
    expect(mine.rawPayload.equals(IMAGES.png)).toBe(true)
    expect((await get({ staff: pm })).statusCode).toBe(200)
    expect((await get({ resident: await makeResident(t) })).statusCode).toBe(404)
    const foreign = await makeCompound(t, [1])
    expect((await get({ staff: await makeStaff(t, 'grid_lead', foreign.compound) })).statusCode).toBe(404)
    expect((await get({ staff: await makeStaff(t, 'admin', c.community) })).statusCode).toBe(403)

    const follower = await makeResident(t)
    const followed = await t.app.inject({
      method: 'POST',
      url: `/api/requests/${ticket.id}/follow`,
      payload: { token: c.tokens[0][0] },
      headers: await authHeader(t, { resident: follower }),
    })
    expect(followed.statusCode).toBe(200)
    expect((await get({ resident: follower })).statusCode).toBe(404)

    const fixed = await uploadPhoto(t, { staff: pm }, IMAGES.webp)
    const resolved = await t.app.inject({
      method: 'POST',
      url: `/api/requests/${ticket.id}/resolve`,
      payload: { note: '已修好', photoIds: [fixed] },
      headers: await authHeader(t, { staff: pm }),
    })
    expect(resolved.statusCode).toBe(200)
    expect(TicketViewSchema.parse(resolved.json()).photos.resolution.map((p) => p.id)).toEqual([fixed])
    const followerView = TicketViewSchema.parse(
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/requests/${ticket.id}`,
          headers: await authHeader(t, { resident: follower }),
        })
      ).json(),
    )
    expect(followerView.photos).toEqual({
      report: [],
      resolution: [{ id: fixed, url: `/api/requests/${ticket.id}/photos/${fixed}` }],
    })
    expect((await get({ resident: follower }, fixed)).statusCode).toBe(200)
    // A photo of another request is not reachable through this one.
    const other = await makeTicket(t, {
      unit: c.units[0][0],
      resident,
      photoIds: [await uploadPhoto(t, { resident })],
    })
    const otherPhoto = (await t.dataSource.query('SELECT id FROM photo WHERE ticket_id = $1', [other.id]))[0]
      .id
    expect((await get({ resident }, otherPhoto)).statusCode).toBe(404)
  })

  it('supervisors, admins and anonymous callers cannot upload', async () => {
    const supervisor = await makeStaff(t, 'community_supervisor', c.community)
    expect((await upload(IMAGES.jpeg, {}, { staff: supervisor })).statusCode).toBe(403)
    const body = multipartBody(IMAGES.jpeg)
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/photos',
          payload: body.payload,
          headers: body.headers,
        })
      ).statusCode,
    ).toBe(401)
  })
})
