import { ScanViewSchema, type CategoryCode, type ScanView, type UrgentListView } from '@mq/shared'
import { startTestModule, type TestApp } from '../../test/app'
import { authHeader, makeCompound, makeResident, makeStaff, type CompoundFixture } from '../../test/factories'
import type { Place } from '../places/place.entity'
import { PlacesModule } from '../places/places.module'
import { PlacesService } from '../places/places.service'
import type { Resident } from '../residents/resident.entity'
import type { Staff } from '../staff/staff.entity'
import { TicketsModule } from '../tickets/tickets.module'
import { DeadlineSettingsModule } from './deadline-settings.module'

describe('the danger list per place and the 物业 24-hour line', () => {
  let t: TestApp
  let c1: CompoundFixture
  /** Another district altogether. */
  let c2: CompoundFixture
  /** A second compound in c1's community (the same street). */
  let sibling: { compound: Place; token: string }
  let districtAdmin: Staff
  let communityAdmin: Staff
  let otherAdmin: Staff
  let resident: Resident

  beforeAll(async () => {
    t = await startTestModule({ imports: [DeadlineSettingsModule, TicketsModule, PlacesModule], http: true })
    c1 = await makeCompound(t, [1])
    c2 = await makeCompound(t, [1])
    const places = t.app.get(PlacesService)
    const compound = await places.create({ kind: 'compound', name: '同街道小区', parent: c1.community })
    const building = await places.create({ kind: 'building', name: '1幢', parent: compound })
    const unit = await places.create({ kind: 'unit', name: '1单元', parent: building })
    sibling = { compound, token: (await places.issueQrToken(unit.id)).token }
    districtAdmin = await makeStaff(t, 'admin', c1.district)
    communityAdmin = await makeStaff(t, 'admin', c1.community)
    otherAdmin = await makeStaff(t, 'admin', c2.community)
    resident = await makeResident(t)
    for (const place of [c1.compound, c2.compound, compound]) await makeStaff(t, 'property_manager', place)
  })
  afterAll(() => t.close())

  const call = async (who: Staff, method: 'GET' | 'PUT', place: Place, payload?: unknown) =>
    t.app.inject({
      method,
      url: `/api/admin/places/${place.id}/urgent-list`,
      headers: await authHeader(t, { staff: who }),
      ...(payload === undefined ? {} : { payload: payload as object }),
    })
  const scan = async (token: string): Promise<ScanView> => {
    const res = await t.app.inject({ method: 'GET', url: `/api/places/by-token/${token}` })
    expect(res.statusCode).toBe(200)
    return ScanViewSchema.parse(res.json())
  }
  let seq = 0
  const fileUrgent = async (token: string, description: string, category: CategoryCode = 'facilities') => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/requests',
      payload: { unitToken: token, category, description },
      headers: { ...(await authHeader(t, { resident })), 'idempotency-key': `urgent-list-${Date.now()}-${seq++}` },
    })
    expect(res.statusCode).toBe(201)
    return res.json<{ urgent?: boolean }>().urgent === true
  }

  it('adds and drops words down the places, the nearest place winning; the scan view and filing use the same list', async () => {
    const district = await call(districtAdmin, 'PUT', c1.district, { addWords: ['化粪池冒了'] })
    expect(district.statusCode).toBe(200)
    const own = await call(communityAdmin, 'PUT', c1.compound, {
      addWords: [' 井盖掉了 ', '井盖掉了'],
      dropWords: ['冒烟'],
      addCategories: [],
      propertyPhone: '0571-88886666',
    })
    expect(own.statusCode).toBe(200)
    const view = own.json<UrgentListView>()
    expect(view.levels.map((l) => l.place.kind)).toEqual(['district', 'street', 'community', 'compound'])
    expect(view.levels[0].change.addWords).toEqual(['化粪池冒了'])
    expect(view.levels[3].change).toEqual({
      addWords: ['井盖掉了'],
      dropWords: ['冒烟'],
      addCategories: [],
      dropCategories: [],
    })
    expect(view.effective.words).toEqual(expect.arrayContaining(['井盖掉了', '化粪池冒了', '燃气']))
    expect(view.effective.words).not.toContain('冒烟')
    expect(view.propertyPhone).toBe('0571-88886666')

    // The report page gets the compound's list and line; its sibling and another district do not.
    const mine = (await scan(c1.tokens[0][0])).urgent!
    expect(mine.propertyPhone).toBe('0571-88886666')
    expect(mine.words).toEqual(expect.arrayContaining(['井盖掉了', '化粪池冒了']))
    expect(mine.words).not.toContain('冒烟')
    const next = (await scan(sibling.token)).urgent!
    expect([next.words.includes('井盖掉了'), next.words.includes('化粪池冒了'), next.words.includes('冒烟')]).toEqual([
      false,
      true,
      true,
    ])
    expect(next.propertyPhone).toBeNull()
    const far = (await scan(c2.tokens[0][0])).urgent!
    expect([far.words.includes('井盖掉了'), far.words.includes('化粪池冒了')]).toEqual([false, false])

    // Filing decides by the same list: a compound-only word is urgent there only.
    expect(await fileUrgent(c1.tokens[0][0], '5幢门口的井盖掉了，晚上看不见')).toBe(true)
    expect(await fileUrgent(sibling.token, '5幢门口的井盖掉了，晚上看不见')).toBe(false)
    expect(await fileUrgent(c1.tokens[0][0], '楼下垃圾桶冒烟了')).toBe(false)
    expect(await fileUrgent(sibling.token, '楼下垃圾桶冒烟了')).toBe(true)

    // The street drops the district's word; the compound adds it back for itself.
    expect((await call(districtAdmin, 'PUT', c1.street, { dropWords: ['化粪池冒了'] })).statusCode).toBe(200)
    expect(await fileUrgent(sibling.token, '化粪池冒了，满地都是')).toBe(false)
    expect(await fileUrgent(c1.tokens[0][0], '化粪池冒了，满地都是')).toBe(false)
    await call(communityAdmin, 'PUT', c1.compound, {
      addWords: ['井盖掉了', '化粪池冒了'],
      dropWords: ['冒烟'],
      propertyPhone: '0571-88886666',
    })
    expect(await fileUrgent(c1.tokens[0][0], '化粪池冒了，满地都是')).toBe(true)

    // A category on the list is urgent whatever the words, below the place that added it.
    await call(communityAdmin, 'PUT', c1.community, { addCategories: ['fire_safety'] })
    expect(await fileUrgent(sibling.token, '楼道堆了很多纸箱', 'fire_safety')).toBe(true)
    expect(await fileUrgent(c2.tokens[0][0], '楼道堆了很多纸箱', 'fire_safety')).toBe(false)
    await call(communityAdmin, 'PUT', c1.community, {})
    expect(await fileUrgent(sibling.token, '楼道堆了很多纸箱', 'fire_safety')).toBe(false)
  })

  it('validates the 24-hour line and the lists with 400s in the product shape', async () => {
    const bad: unknown[] = [
      { propertyPhone: '12' },
      { propertyPhone: '0571 8888 6666' },
      { propertyPhone: '物业电话' },
      { propertyPhone: '1'.repeat(21) },
      { propertyPhone: '----' },
      { propertyPhone: 88886666 },
      { addWords: [''] },
      { addWords: ['井'.repeat(21)] },
      { addWords: Array.from({ length: 51 }, (_, i) => `词${i}`) },
      { addCategories: ['gas'] },
      { dropWords: '冒烟' },
      { addWords: [], extra: 1 },
    ]
    for (const body of bad) {
      const res = await call(communityAdmin, 'PUT', c1.compound, body)
      expect([res.statusCode, res.json<{ code: string }>().code, typeof res.json<{ message: string }>().message]).toEqual([
        400,
        'VALIDATION_FAILED',
        'string',
      ])
    }
    // Only a compound has a 物业 line.
    const street = await call(districtAdmin, 'PUT', c1.street, { propertyPhone: '96345' })
    expect([street.statusCode, street.json<{ code: string }>().code]).toEqual([400, 'VALIDATION_FAILED'])
    // The refused writes left the line as it was; clearing it takes it off the sheet.
    expect((await call(communityAdmin, 'GET', c1.compound)).json<UrgentListView>().propertyPhone).toBe('0571-88886666')
    const cleared = await call(communityAdmin, 'PUT', c1.compound, { addWords: ['井盖掉了'], propertyPhone: null })
    expect(cleared.json<UrgentListView>().propertyPhone).toBeNull()
    expect((await scan(c1.tokens[0][0])).urgent!.propertyPhone).toBeNull()
    expect((await call(communityAdmin, 'PUT', c1.compound, { propertyPhone: '400-800-1234' })).statusCode).toBe(200)
    expect((await scan(c1.tokens[0][0])).urgent!.propertyPhone).toBe('400-800-1234')
  })

  it("is limited to the admin's own places and to places above buildings", async () => {
    const notFound = async (res: Promise<{ statusCode: number; json: <T>() => T }>) => {
      const r = await res
      expect([r.statusCode, r.json<{ code: string }>().code]).toEqual([404, 'PLACE_NOT_FOUND'])
    }
    await notFound(call(otherAdmin, 'GET', c1.compound))
    await notFound(call(otherAdmin, 'PUT', c1.compound, { addWords: ['x'] }))
    await notFound(call(communityAdmin, 'PUT', c1.street, { addWords: ['x'] }))
    await notFound(call(districtAdmin, 'GET', c1.buildings[0]))
    const anonymous = await t.app.inject({ method: 'GET', url: `/api/admin/places/${c1.compound.id}/urgent-list` })
    expect(anonymous.statusCode).toBe(401)
  })
})
