import { spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ScopedMembership } from '@mq/shared'
import jsQR from 'jsqr'
import { PDFDocument } from 'pdf-lib'
import { PNG } from 'pngjs'
import { startTestModule, type TestApp } from '../../test/app'
import { authHeader, makeCompound, makeStaff, type CompoundFixture } from '../../test/factories'
import type { Place } from '../places/place.entity'
import { PlacesService } from '../places/places.service'
import { A4 } from './poster-layout'
import { PostersService } from './posters.service'
import { PostersModule } from './posters.module'

/** The text a QR code in a PNG decodes to, or null if none is found. */
function decodeQr(png: Buffer): string | null {
  const image = PNG.sync.read(png)
  const rgba = new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length)
  return jsQR(rgba, image.width, image.height)?.data ?? null
}

const hasPdftoppm = spawnSync('pdftoppm', ['-v']).status === 0

/** Page `page` (1-based) of a PDF as a PNG, rasterised by poppler's pdftoppm. */
async function pdfPageToPng(pdf: Buffer, page: number, dpi: number): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'mq-poster-'))
  try {
    await writeFile(join(dir, 'in.pdf'), pdf)
    const args = ['-png', '-r', String(dpi), '-f', String(page), '-l', String(page), '-singlefile', 'in.pdf', 'out']
    const run = spawnSync('pdftoppm', args, { cwd: dir })
    if (run.status !== 0) throw new Error(`pdftoppm failed: ${run.stderr.toString()}`)
    return await readFile(join(dir, 'out.png'))
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** An admin membership at the compound, as the service receives it from the signed-in caller. */
const adminOf = (c: CompoundFixture): ScopedMembership[] => [{ role: 'admin', placeId: c.compound.id, placePath: c.compound.path }]

describe('posters', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestModule({ imports: [PostersModule], openApi: true })
  })
  afterAll(() => t.close())

  /** The Authorization header of a new staff member with one membership. */
  async function signIn(role: 'admin' | 'grid_lead', place: Place): Promise<{ authorization: string }> {
    return authHeader(t, { staff: await makeStaff(t, role, place) })
  }

  it('a unit PNG poster carries a QR code that decodes to exactly ${PUBLIC_URL}/q/${token}', async () => {
    const c = await makeCompound(t, [2])
    const unit = c.units[0][1]
    const res = await t.app.inject({ method: 'GET', url: `/api/posters/units/${unit.id}.png`, headers: await signIn('admin', c.compound) })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('image/png')
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="poster-${unit.id.slice(0, 8)}.png"; filename*=UTF-8''${encodeURIComponent(`${c.compound.name}-1幢-2单元-二维码海报.png`)}`,
    )
    const png = res.rawPayload
    const { width, height } = PNG.sync.read(png)
    expect(height / width).toBeCloseTo(297 / 210, 2) // A4 portrait
    expect(decodeQr(png)).toBe(`http://mq.test/q/${c.tokens[0][1]}`)
  })

  it('a unit SVG poster names its compound, building and unit', async () => {
    const c = await makeCompound(t, [1, 3])
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/posters/units/${c.units[1][2].id}.svg`,
      headers: await signIn('admin', c.compound),
    })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('image/svg+xml')
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="poster-[0-9a-f]{8}\.svg"; filename\*=UTF-8''/)
    const svg = res.body
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="210mm" height="297mm"/)
    expect(svg).toContain(`<title>${c.compound.name} 2幢 3单元 · 扫码反映问题</title>`)
    expect(svg).toContain(`aria-label="${c.compound.name}"`)
    expect(svg).toContain('aria-label="2幢 3单元"')
    expect(svg).toContain('aria-label="简单问题当日处理"')
    expect(svg).toContain('aria-label="复杂问题3日内答复"')
    expect(svg).toContain('aria-label="0571-12345"')
    // Text is outlined, so the poster prints the same where the font is not installed.
    expect(svg).not.toContain('<text')
  })

  it('a compound PDF has one A4 page per active unit, in order, each with its active token', async () => {
    const c = await makeCompound(t, [3, 2])
    await t.dataSource.query('UPDATE place SET retired_at = now() WHERE id = $1', [c.units[0][1].id])
    // Replaced: the old token revoked and a new one issued; the poster must carry the new one.
    const replaced = c.units[1][0]
    await t.dataSource.query('UPDATE qr_code SET revoked_at = now() WHERE unit_id = $1', [replaced.id])
    const reissued = await t.app.get(PlacesService).issueQrToken(replaced.id)
    // Revoked and not re-issued: nothing to print for that unit.
    await t.dataSource.query('UPDATE qr_code SET revoked_at = now() WHERE unit_id = $1', [c.units[1][1].id])

    const { posters } = await t.app.get(PostersService).compoundPosters(c.compound.id, adminOf(c))
    expect(posters.map((p) => `${p.buildingName} ${p.unitName} ${p.url}`)).toEqual([
      `1幢 1单元 http://mq.test/q/${c.tokens[0][0]}`,
      `1幢 3单元 http://mq.test/q/${c.tokens[0][2]}`,
      `2幢 1单元 http://mq.test/q/${reissued.token}`,
    ])

    const res = await t.app.inject({
      method: 'GET',
      url: `/api/posters/compounds/${c.compound.id}.pdf`,
      headers: await signIn('admin', c.compound),
    })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('application/pdf')
    expect(res.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent(`${c.compound.name}-二维码海报.pdf`)}`)
    const pdf = await PDFDocument.load(res.rawPayload)
    expect(pdf.getPageCount()).toBe(3)
    for (const page of pdf.getPages()) {
      expect(page.getWidth()).toBeCloseTo(A4.width, 1)
      expect(page.getHeight()).toBeCloseTo(A4.height, 1)
    }
    // Noto Sans SC is embedded as subsets (tagged BaseFont names), not as the 10 MB font files.
    const raw = res.rawPayload.toString('latin1')
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansSC-Bold/)
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansSC-Regular/)
    expect(res.rawPayload.length).toBeLessThan(100_000)
  })

  ;(hasPdftoppm ? it : it.skip)('a PDF page, rasterised by another renderer (poppler), scans to its unit URL', async () => {
    const c = await makeCompound(t, [2])
    const { body } = await t.app.get(PostersService).compoundPdf(c.compound.id, adminOf(c))
    expect(decodeQr(await pdfPageToPng(body, 2, 150))).toBe(`http://mq.test/q/${c.tokens[0][1]}`)
  })

  it('unknown, malformed, retired or out-of-scope places are 404 PLACE_NOT_FOUND', async () => {
    const c = await makeCompound(t, [1])
    const other = await makeCompound(t, [1])
    await t.dataSource.query('UPDATE place SET retired_at = now() WHERE id = $1', [c.units[0][0].id])
    const headers = await signIn('admin', c.compound)
    for (const url of [
      `/api/posters/units/${randomUUID()}.png`,
      `/api/posters/units/${randomUUID()}.svg`,
      '/api/posters/units/not-a-uuid.svg',
      `/api/posters/units/${c.units[0][0].id}.svg`,
      `/api/posters/units/${c.buildings[0].id}.png`,
      `/api/posters/units/${other.units[0][0].id}.png`,
      `/api/posters/compounds/${randomUUID()}.pdf`,
      `/api/posters/compounds/${c.buildings[0].id}.pdf`,
      `/api/posters/compounds/${other.compound.id}.pdf`,
    ]) {
      const res = await t.app.inject({ method: 'GET', url, headers })
      expect({ url, status: res.statusCode, code: res.json().code }).toEqual({ url, status: 404, code: 'PLACE_NOT_FOUND' })
    }
  })

  it('a unit without an active QR code is 404 QR_NOT_FOUND, not a poster with a dead code', async () => {
    const c = await makeCompound(t, [1])
    await t.dataSource.query('UPDATE qr_code SET revoked_at = now() WHERE unit_id = $1', [c.units[0][0].id])
    const headers = await signIn('admin', c.compound)
    for (const url of [`/api/posters/units/${c.units[0][0].id}.png`, `/api/posters/compounds/${c.compound.id}.pdf`]) {
      const res = await t.app.inject({ method: 'GET', url, headers })
      expect({ url, status: res.statusCode, code: res.json().code }).toEqual({ url, status: 404, code: 'QR_NOT_FOUND' })
    }
  })

  it('only admins may download posters', async () => {
    const c = await makeCompound(t, [1])
    const url = `/api/posters/compounds/${c.compound.id}.pdf`
    const anonymous = await t.app.inject({ method: 'GET', url })
    expect([anonymous.statusCode, anonymous.json().code]).toEqual([401, 'UNAUTHENTICATED'])
    const gridLead = await t.app.inject({ method: 'GET', url, headers: await signIn('grid_lead', c.compound) })
    expect([gridLead.statusCode, gridLead.json().code]).toEqual([403, 'FORBIDDEN'])
  })

  it('documents the poster downloads in OpenAPI', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json()
    const ok = (path: string) => Object.keys(doc.paths[path].get.responses['200'].content)
    expect(ok('/api/posters/units/{unitId}.png')).toEqual(['image/png'])
    expect(ok('/api/posters/units/{unitId}.svg')).toEqual(['image/svg+xml'])
    expect(ok('/api/posters/compounds/{compoundId}.pdf')).toEqual(['application/pdf'])
  })
})
