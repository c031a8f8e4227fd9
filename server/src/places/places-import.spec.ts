import ExcelJS from 'exceljs'
import { startTestModule, type TestApp } from '../../test/app'
import { count, makeCompound } from '../../test/factories'
import { DomainError } from '../common/domain-error'
import { PlacesModule } from './places.module'
import { PlacesService } from './places.service'

async function xlsx(rows: (string | number)[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  const sheet = workbook.addWorksheet('楼栋单元')
  for (const row of rows) sheet.addRow(row)
  return Buffer.from(await workbook.xlsx.writeBuffer())
}

describe('importing a compound’s buildings and units', () => {
  let t: TestApp
  let places: PlacesService
  beforeAll(async () => {
    t = await startTestModule({ imports: [PlacesModule] })
    places = t.app.get(PlacesService)
  })
  afterAll(() => t.close())

  const unitsOf = (compoundId: string) =>
    t.dataSource.query<{ building: string; unit: string; token: string | null }[]>(
      `SELECT b.name AS building, u.name AS unit, q.token
         FROM place b JOIN place u ON u.parent_id = b.id
         LEFT JOIN qr_code q ON q.unit_id = u.id AND q.revoked_at IS NULL
        WHERE b.parent_id = $1 ORDER BY b.sort_order, u.sort_order`,
      [compoundId],
    )

  it('imports a CSV (UTF-8 with BOM, Chinese headers), each new unit with a QR token', async () => {
    const c = await makeCompound(t, [])
    const csv = Buffer.from('\uFEFF楼栋,单元\n1幢,1单元\n1幢,2单元\n\n2幢,1单元\n', 'utf8')
    expect(await places.importUnits(c.compound.id, csv)).toEqual({ buildingsCreated: 2, unitsCreated: 3, unitsUnchanged: 0 })
    const rows = await unitsOf(c.compound.id)
    expect(rows.map((r) => `${r.building}/${r.unit}`)).toEqual(['1幢/1单元', '1幢/2单元', '2幢/1单元'])
    for (const row of rows) expect(row.token).toMatch(/^[A-Za-z0-9_-]{16}$/)
  })

  it('imports an XLSX with English headers and explicit order, and the same file twice changes nothing', async () => {
    const c = await makeCompound(t, [])
    const file = await xlsx([
      ['building', 'unit', 'building_order', 'unit_order'],
      ['10幢', '2单元', 2, 2],
      ['10幢', '1单元', 2, 1],
      ['9幢', '1单元', 1, 1],
    ])
    expect(await places.importUnits(c.compound.id, file)).toEqual({ buildingsCreated: 2, unitsCreated: 3, unitsUnchanged: 0 })
    const before = await unitsOf(c.compound.id)
    expect(before.map((r) => `${r.building}/${r.unit}`)).toEqual(['9幢/1单元', '10幢/1单元', '10幢/2单元'])
    expect(await places.importUnits(c.compound.id, file)).toEqual({ buildingsCreated: 0, unitsCreated: 0, unitsUnchanged: 3 })
    expect(await unitsOf(c.compound.id)).toEqual(before)
  })

  it('a file with bad rows imports nothing and lists every error with its row', async () => {
    const c = await makeCompound(t, [1])
    const placesBefore = await count(t.dataSource, 'SELECT 1 FROM place')
    const tokensBefore = await count(t.dataSource, 'SELECT 1 FROM qr_code')
    const csv = Buffer.from(
      ['楼栋,单元,单元排序', '3幢,1单元,1', ',2单元,', '3幢,,x', '3幢,1单元,', `${'长'.repeat(41)},1单元,`].join('\n'),
    )
    const error = await places.importUnits(c.compound.id, csv).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DomainError)
    const domain = error as DomainError
    expect(domain.code).toBe('VALIDATION_FAILED')
    expect(domain.details).toEqual([
      { path: 'row 3', message: '楼栋不能为空' },
      { path: 'row 4', message: '单元不能为空' },
      { path: 'row 4', message: '单元排序必须是整数' },
      { path: 'row 5', message: '与第2行重复' },
      { path: 'row 6', message: '楼栋名称不能超过40字' },
    ])
    expect(await count(t.dataSource, 'SELECT 1 FROM place')).toBe(placesBefore)
    expect(await count(t.dataSource, 'SELECT 1 FROM qr_code')).toBe(tokensBefore)
  })

  it('refuses files that are not UTF-8 CSV or XLSX, and unknown compounds', async () => {
    const c = await makeCompound(t, [])
    const gbk = Buffer.from([0xc2, 0xa5, 0xb6, 0xb0, 0x2c, 0x0a]) // GBK bytes: not UTF-8
    await expect(places.importUnits(c.compound.id, gbk)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' })
    const brokenZip = Buffer.from('PK\u0003\u0004garbage')
    await expect(places.importUnits(c.compound.id, brokenZip)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' })
    const csv = Buffer.from('楼栋,单元\n1幢,1单元\n')
    await expect(places.importUnits(c.buildings.length ? c.buildings[0].id : c.district.id, csv)).rejects.toMatchObject({
      code: 'PLACE_NOT_FOUND',
    })
  })
})
