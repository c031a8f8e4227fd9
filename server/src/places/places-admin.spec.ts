import ExcelJS from 'exceljs'
import { PlaceListSchema, PlaceViewSchema, QrReissueResultSchema } from '@mq/shared'
import { startTestModule, type TestApp } from '../../test/app'
import { authHeader, count, makeCompound, makeStaff, type CompoundFixture } from '../../test/factories'
import { PlacesModule } from './places.module'

describe('admins manage places over HTTP', () => {
  let t: TestApp
  let c: CompoundFixture
  let other: CompoundFixture
  let admin: Record<string, string>
  beforeAll(async () => {
    t = await startTestModule({ imports: [PlacesModule], http: true })
    c = await makeCompound(t, [2])
    other = await makeCompound(t, [1])
    admin = await authHeader(t, { staff: await makeStaff(t, 'admin', c.community) })
  })
  afterAll(() => t.close())

  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method, url, headers: { ...admin, ...headers }, payload: payload as string | object | undefined })

  it('lists the places in scope with each unit’s QR token, and nothing of another community', async () => {
    const res = await call('GET', '/api/admin/places')
    expect(res.statusCode).toBe(200)
    const { places } = PlaceListSchema.parse(res.json())
    const ids = places.map((p) => p.id)
    expect(ids).toEqual(expect.arrayContaining([c.community.id, c.compound.id, c.buildings[0].id, ...c.units[0].map((u) => u.id)]))
    expect(ids).not.toContain(other.compound.id)
    expect(places.find((p) => p.id === c.units[0][1].id)?.qrToken).toBe(c.tokens[0][1])
  })

  it('creates a building and a unit (with a QR token), renames and reorders', async () => {
    const building = PlaceViewSchema.parse((await call('POST', '/api/admin/places', { parentId: c.compound.id, name: '9幢' })).json())
    expect(building).toMatchObject({ kind: 'building', name: '9幢', parentId: c.compound.id, qrToken: null })
    const unit = PlaceViewSchema.parse((await call('POST', '/api/admin/places', { parentId: building.id, name: '1单元' })).json())
    expect(unit.kind).toBe('unit')
    expect(unit.qrToken).toMatch(/^[A-Za-z0-9_-]{16}$/)
    const renamed = await call('PATCH', `/api/admin/places/${building.id}`, { name: '九幢', sortOrder: 9 })
    expect(renamed.statusCode).toBe(200)
    expect(renamed.json()).toMatchObject({ name: '九幢', sortOrder: 9 })
    const underUnit = await call('POST', '/api/admin/places', { parentId: unit.id, name: 'x' })
    expect(underUnit.statusCode).toBe(400)
    expect((await call('PATCH', `/api/admin/places/${building.id}`, {})).statusCode).toBe(400)
  })

  it('retires a building with its units; history stays and the old code answers invalid', async () => {
    const building = PlaceViewSchema.parse((await call('POST', '/api/admin/places', { parentId: c.compound.id, name: '拆迁楼' })).json())
    const unit = PlaceViewSchema.parse((await call('POST', '/api/admin/places', { parentId: building.id, name: '1单元' })).json())
    const placesBefore = await count(t.dataSource, 'SELECT 1 FROM place')
    const res = await call('POST', `/api/admin/places/${building.id}/retire`)
    expect(res.statusCode).toBe(201)
    expect(res.json().retired).toBe(true)
    const [retiredUnit] = await t.dataSource.query('SELECT retired_at FROM place WHERE id = $1', [unit.id])
    expect(retiredUnit.retired_at).toBeInstanceOf(Date)
    expect(await count(t.dataSource, 'SELECT 1 FROM place')).toBe(placesBefore)
    expect((await t.app.inject({ method: 'GET', url: `/api/places/by-token/${unit.qrToken}` })).statusCode).toBe(404)
    const addUnder = await call('POST', '/api/admin/places', { parentId: building.id, name: '2单元' })
    expect(addUnder.statusCode).toBe(409)
    expect((await call('POST', `/api/admin/places/${c.community.id}/retire`)).statusCode).toBe(403)
  })

  it('imports an XLSX into a compound over HTTP, and reports bad rows without importing', async () => {
    const workbook = new ExcelJS.Workbook()
    const sheet = workbook.addWorksheet('units')
    sheet.addRows([['楼栋', '单元'], ['20幢', '1单元'], ['20幢', '2单元']])
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer())
    const xlsxType = { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }
    const res = await call('POST', `/api/admin/places/${c.compound.id}/import`, xlsx, xlsxType)
    expect(res.statusCode).toBe(201)
    expect(res.json()).toEqual({ buildingsCreated: 1, unitsCreated: 2, unitsUnchanged: 0 })
    const bad = await call('POST', `/api/admin/places/${c.compound.id}/import`, '楼栋,单元\n21幢,\n', { 'content-type': 'text/csv' })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().details).toEqual([{ path: 'row 2', message: '单元不能为空' }])
    const notCompound = await call('POST', `/api/admin/places/${c.buildings[0].id}/import`, '楼栋,单元\n1幢,1单元\n', {
      'content-type': 'text/csv',
    })
    expect(notCompound.statusCode).toBe(400)
  })

  it('re-issues a unit’s QR code: the old one is replaced (410), the new one works', async () => {
    const unitId = c.units[0][0].id
    const old = c.tokens[0][0]
    const res = await call('POST', `/api/admin/places/${unitId}/qr`)
    expect(res.statusCode).toBe(201)
    const result = QrReissueResultSchema.parse(res.json())
    expect(result.url).toBe(`http://mq.test/q/${result.token}`)
    expect((await t.app.inject({ method: 'GET', url: `/api/places/by-token/${old}` })).statusCode).toBe(410)
    expect((await t.app.inject({ method: 'GET', url: `/api/places/by-token/${result.token}` })).statusCode).toBe(200)
  })

  it('answers 404 for places of another community, whatever the action', async () => {
    for (const [method, url, payload] of [
      ['PATCH', `/api/admin/places/${other.buildings[0].id}`, { name: 'x' }],
      ['POST', `/api/admin/places/${other.buildings[0].id}/retire`, undefined],
      ['POST', `/api/admin/places/${other.units[0][0].id}/qr`, undefined],
      ['POST', '/api/admin/places', { parentId: other.compound.id, name: 'x' }],
    ] as const) {
      const res = await call(method, url, payload)
      expect(res.statusCode).toBe(404)
      expect(res.json().code).toBe('PLACE_NOT_FOUND')
    }
  })
})
