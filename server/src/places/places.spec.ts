import { ScanViewSchema, SERVICE_PROMISE } from '@mq/shared'
import { startTestModule, type TestApp } from '../../test/app'
import { makeCompound, makeStaff } from '../../test/factories'
import { PlacesModule } from './places.module'

describe('GET /api/places/by-token/:token', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestModule({ imports: [PlacesModule], http: true })
  })
  afterAll(() => t.close())

  it('tells the scan page where it is and who is on duty, without phone numbers', async () => {
    const c = await makeCompound(t, [2, 1])
    await makeStaff(t, 'grid_lead', c.compound, '王网格')
    await makeStaff(t, 'building_lead', c.buildings[0], '吴楼道')
    await makeStaff(t, 'building_lead', c.buildings[1], '别的楼')
    const res = await t.app.inject({ method: 'GET', url: `/api/places/by-token/${c.tokens[0][1]}` })
    expect(res.statusCode).toBe(200)
    const view = ScanViewSchema.parse(res.json())
    expect(view.compound.name).toBe(c.compound.name)
    expect(view.building.name).toBe('1幢')
    expect(view.unit.name).toBe('2单元')
    expect(view.servicePromise).toBe(SERVICE_PROMISE)
    expect(view.handlers).toEqual([
      { role: 'grid_lead', roleLabel: '网格长', displayName: '王网格' },
      { role: 'building_lead', roleLabel: '楼道长', displayName: '吴楼道' },
    ])
    expect(res.body).not.toMatch(/1[3-9]\d{9}/)
  })

  it('names the member at the most specific place when a role is held at several levels', async () => {
    const c = await makeCompound(t, [1, 1])
    await makeStaff(t, 'grid_lead', c.compound, '小区网格')
    await makeStaff(t, 'grid_lead', c.buildings[0], '楼栋网格')
    await makeStaff(t, 'building_lead', c.units[0][0], '单元楼道')
    await makeStaff(t, 'building_lead', c.buildings[0], '楼栋楼道')
    const onUnit = ScanViewSchema.parse(
      (await t.app.inject({ method: 'GET', url: `/api/places/by-token/${c.tokens[0][0]}` })).json(),
    )
    expect(onUnit.handlers.map((h) => h.displayName)).toEqual(['楼栋网格', '单元楼道'])
    const onOtherBuilding = ScanViewSchema.parse(
      (await t.app.inject({ method: 'GET', url: `/api/places/by-token/${c.tokens[1][0]}` })).json(),
    )
    expect(onOtherBuilding.handlers.map((h) => h.displayName)).toEqual(['小区网格'])
  })

  it('every place records its ancestors in path', async () => {
    const c = await makeCompound(t, [1])
    const unit = c.units[0][0]
    expect(unit.path).toEqual([c.district.id, c.street.id, c.community.id, c.compound.id, c.buildings[0].id, unit.id])
    const under = await t.dataSource.query('SELECT id FROM place WHERE path @> ARRAY[$1]::uuid[] ORDER BY array_length(path, 1)', [
      c.compound.id,
    ])
    expect(under.map((r: { id: string }) => r.id)).toEqual([c.compound.id, c.buildings[0].id, unit.id])
  })

  it('QR tokens carry at least 40 random bits and are unique', async () => {
    const c = await makeCompound(t, [3, 3])
    const tokens = c.tokens.flat()
    expect(new Set(tokens).size).toBe(tokens.length)
    for (const token of tokens) expect(Buffer.from(token, 'base64url').length * 8).toBeGreaterThanOrEqual(40)
  })
})
