import type { Ranking } from '@mq/shared'
import { startTestModule, type TestApp } from '../../test/app'
import { authHeader, makeCompound, makeStaff, type CompoundFixture } from '../../test/factories'
import { PlacesService } from '../places/places.service'
import type { Place } from '../places/place.entity'
import type { Staff } from '../staff/staff.entity'
import { MetricsModule } from './metrics.module'

/**
 * A street with three communities, requests filed in November 2026 (local time), counted by hand:
 *
 * | community | requests | accepted on time | resolved, never reopened | handed off | stars |
 * |-----------|----------|------------------|--------------------------|------------|-------|
 * | 甲 (c)    | 12       | 9                | 10 (2 reopened)          | 3          | none  |
 * | 乙        | 5        | 5                | 5                        | 0          | none  |
 * | 丙        | 0        |                  |                          |            |       |
 * 甲 also has one request filed in October (in the quarter, not the month). In 甲: building 1 has the
 * first 8 requests (handled by the pm), building 2 the other 4 (nobody).
 * Composite, default weights 30/35/35 with nothing rated: 甲 (30·9/12 + 35·10/12) / 65, 乙 1; 乙 has fewer
 * than 10 requests: 样本不足, no rank.
 */
describe('GET /api/metrics/ranking and PUT /api/metrics/ranking-weights', () => {
  let t: TestApp
  let c: CompoundFixture
  let b: { community: Place; compound: Place; building: Place; unit: Place }
  let third: Place
  let street: Staff
  let district: Staff
  let pm: Staff
  const composite = (0.3 * (9 / 12) + 0.35 * (10 / 12)) / 0.65

  beforeAll(async () => {
    t = await startTestModule({ imports: [MetricsModule], http: true })
    c = await makeCompound(t, [1, 1])
    await t.dataSource.query(`UPDATE place SET name = '甲社区' WHERE id = $1`, [c.community.id])
    const places = t.app.get(PlacesService)
    const community = await places.create({ kind: 'community', name: '乙社区', parent: c.street })
    const compound = await places.create({ kind: 'compound', name: '乙小区', parent: community })
    const building = await places.create({ kind: 'building', name: '1幢', parent: compound })
    const unit = await places.create({ kind: 'unit', name: '1单元', parent: building })
    b = { community, compound, building, unit }
    third = await places.create({ kind: 'community', name: '丙社区', parent: c.street })
    street = await makeStaff(t, 'street_supervisor', c.street, '排名街道')
    district = await makeStaff(t, 'district_supervisor', c.district, '排名区')
    pm = await makeStaff(t, 'property_manager', c.compound, '排名物业')
    const file = async (
      where: { unit: Place; building: Place; compound: Place },
      i: number,
      o: { late?: boolean; reopened?: boolean; handedOff?: boolean; handler?: Staff; at?: string },
    ) => {
      const at = new Date(o.at ?? `2026-11-${String(2 + i).padStart(2, '0')}T02:00:00Z`)
      const [{ id }] = await t.dataSource.query<{ id: string }[]>(
        `INSERT INTO ticket (unit_id, building_id, compound_id, category, severity, state, channel, description,
                             handler_staff_id, handler_role, accept_by, accepted_at, resolved_at, reopen_count, created_at)
         VALUES ($1, $2, $3, 'facilities', 'simple', 'resolved', 'miniapp', '排名', $4, $5,
                 $6::timestamptz + interval '2 hours', $6::timestamptz + $7::interval, $6::timestamptz + interval '1 day', $8, $6)
         RETURNING id`,
        [
          where.unit.id,
          where.building.id,
          where.compound.id,
          o.handler?.id ?? null,
          o.handler ? 'property_manager' : null,
          at,
          o.late ? '3 hours' : '1 hour',
          o.reopened ? 1 : 0,
        ],
      )
      if (o.handedOff) {
        await t.dataSource.query(
          `INSERT INTO ticket_event (ticket_id, at, actor_kind, type, public, data)
           VALUES ($1, $2, 'staff', 'transferred', true, '{"fromRole": "grid_lead", "toRole": "property_manager", "toName": "x", "reason": "x"}')`,
          [id, at],
        )
      }
    }
    const a = (i: number) => ({ unit: c.units[i < 8 ? 0 : 1][0], building: c.buildings[i < 8 ? 0 : 1], compound: c.compound })
    for (let i = 0; i < 12; i++) {
      await file(a(i), i, { late: i >= 9, reopened: i < 2, handedOff: i % 4 === 0, handler: i < 8 ? pm : undefined })
    }
    await file(a(0), 0, { at: '2026-10-15T02:00:00Z' })
    for (let i = 0; i < 5; i++) await file(b, i, {})
  })
  afterAll(() => t.close())

  const get = async (who: Staff, query: string) =>
    t.app.inject({ method: 'GET', url: `/api/metrics/ranking?${query}`, headers: await authHeader(t, { staff: who }) })
  const ratio = (numerator: number, denominator: number) => ({
    numerator,
    denominator,
    rate: denominator === 0 ? null : numerator / denominator,
  })

  it('ranks a street’s communities by the composite; a small sample is marked and never ranked first', async () => {
    const res = await get(street, `placeId=${c.street.id}&period=2026-11`)
    expect(res.statusCode).toBe(200)
    const body = res.json<Ranking>()
    expect(body).toMatchObject({
      placeKind: 'street',
      periodLabel: '2026年11月',
      from: '2026-10-31T16:00:00.000Z',
      to: '2026-11-30T16:00:00.000Z',
      of: 'places',
      by: 'composite',
      weights: { response: 30, resolution: 35, satisfaction: 35 },
      weightsDefault: true,
      minSample: 10,
    })
    // The street supervisor sees the street, not the district above it.
    expect(body.trail.map((p) => p.kind)).toEqual(['street'])
    expect(body.rows.map((r) => [r.label, r.rank, r.smallSample, r.received])).toEqual([
      ['甲社区', 1, false, 12],
      ['乙社区', null, true, 5],
      ['丙社区', null, true, 0],
    ])
    const [first, second, empty] = body.rows
    expect(first.composite).toBeCloseTo(composite)
    expect(first.score).toBe(first.composite)
    expect(second.composite).toBe(1)
    expect(empty.composite).toBeNull()
    expect(first.key).toBe(c.community.id)
    expect(first.placeKind).toBe('community')
    expect(first.response).toEqual(ratio(9, 12))
    expect(first.resolution).toEqual(ratio(10, 12))
    expect(first.satisfaction).toEqual(ratio(0, 0))
    expect(first.handoff).toEqual(ratio(3, 12))
    expect(first.redo).toEqual(ratio(2, 12))
    expect(body.total.received).toBe(17)
    expect(body.total.handoff).toEqual(ratio(3, 17))
    expect(third.id).toBe(empty.key)
  })

  it('by one rate (lower first for 回退率), and over a quarter', async () => {
    const handoff = (await get(street, `placeId=${c.street.id}&period=2026-11&by=handoff`)).json<Ranking>()
    expect(handoff.rows.map((r) => [r.label, r.score])).toEqual([
      ['甲社区', 0.25],
      ['乙社区', 0],
      ['丙社区', null],
    ])
    const quarter = (await get(street, `placeId=${c.street.id}&period=2026-Q4`)).json<Ranking>()
    expect(quarter.periodLabel).toBe('2026年第4季度')
    expect(quarter.rows[0].received).toBe(13)
  })

  it('drills down: community → compound → buildings → handlers', async () => {
    const community = (await get(street, `placeId=${c.community.id}&period=2026-11`)).json<Ranking>()
    expect(community.rows.map((r) => [r.key, r.placeKind])).toEqual([[c.compound.id, 'compound']])
    expect(community.trail.map((p) => p.id)).toEqual([c.street.id, c.community.id])
    const compound = (await get(street, `placeId=${c.compound.id}&period=2026-11`)).json<Ranking>()
    expect(compound.rows.map((r) => [r.label, r.received, r.placeKind])).toEqual([
      ['1幢', 8, 'building'],
      ['2幢', 4, 'building'],
    ])
    const handlers = (await get(street, `placeId=${c.compound.id}&period=2026-11&of=handlers`)).json<Ranking>()
    expect(handlers.of).toBe('handlers')
    expect(handlers.rows.map((r) => [r.label, r.received, r.placeKind])).toEqual([
      ['排名物业（物业）', 8, null],
      ['未分派', 4, null],
    ])
    const building = (await get(street, `placeId=${c.buildings[1].id}&period=2026-11`)).json<Ranking>()
    expect(building.of).toBe('handlers')
    expect(building.rows.map((r) => [r.label, r.received])).toEqual([['未分派', 4]])
    expect(building.trail.map((p) => p.kind)).toEqual(['street', 'community', 'compound', 'building'])
  })

  it('weighs by the district’s own weights once its supervisor sets them', async () => {
    const put = async (who: Staff, districtId: string, payload: object) =>
      t.app.inject({
        method: 'PUT',
        url: `/api/metrics/ranking-weights/${districtId}`,
        headers: await authHeader(t, { staff: who }),
        payload,
      })
    expect((await put(district, c.district.id, { response: 50, resolution: 30, satisfaction: 30 })).statusCode).toBe(400)
    expect((await put(district, c.district.id, { response: 100, resolution: 0 })).statusCode).toBe(400)
    expect((await put(street, c.district.id, { response: 100, resolution: 0, satisfaction: 0 })).statusCode).toBe(404)
    expect((await put(pm, c.district.id, { response: 100, resolution: 0, satisfaction: 0 })).statusCode).toBe(403)
    expect((await put(district, c.street.id, { response: 100, resolution: 0, satisfaction: 0 })).statusCode).toBe(404)
    const ok = await put(district, c.district.id, { response: 100, resolution: 0, satisfaction: 0 })
    expect([ok.statusCode, ok.json()]).toEqual([200, { response: 100, resolution: 0, satisfaction: 0 }])
    const body = (await get(street, `placeId=${c.street.id}&period=2026-11`)).json<Ranking>()
    expect(body).toMatchObject({ weights: { response: 100, resolution: 0, satisfaction: 0 }, weightsDefault: false })
    expect(body.rows[0].composite).toBeCloseTo(0.75)
    await put(district, c.district.id, { response: 30, resolution: 35, satisfaction: 35 })
  })

  it('answers 404 outside the caller’s scope, 400 on a bad period or a unit', async () => {
    const other = await makeCompound(t, [1])
    const outsider = await makeStaff(t, 'street_supervisor', other.street)
    expect((await get(outsider, `placeId=${c.street.id}&period=2026-11`)).statusCode).toBe(404)
    expect((await get(pm, `placeId=${c.street.id}&period=2026-11`)).statusCode).toBe(404)
    expect((await get(pm, `placeId=${c.compound.id}&period=2026-11`)).statusCode).toBe(200)
    for (const bad of ['period=2026-13', 'period=2026-Q5', 'period=2026-11&by=nonsense', 'period=2026-11&of=handlers']) {
      const res = await get(street, `placeId=${c.street.id}&${bad}`)
      expect([bad, res.statusCode, res.json<{ code: string }>().code]).toEqual([bad, 400, 'VALIDATION_FAILED'])
    }
    expect((await get(street, `placeId=${c.units[0][0].id}&period=2026-11`)).statusCode).toBe(400)
    expect((await get(street, `placeId=${c.units[0][0].id}&period=2026-11&of=places`)).statusCode).toBe(400)
  })
})
