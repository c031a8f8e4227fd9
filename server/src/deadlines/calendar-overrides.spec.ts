import type { DeadlineSettings, PlaceCalendar } from '@mq/shared'
import { startTestModule, type TestApp } from '../../test/app'
import { authHeader, makeCompound, makeResident, makeStaff, makeTicket, type CompoundFixture } from '../../test/factories'
import { Clock } from '../common/clock'
import type { Place } from '../places/place.entity'
import { PlacesModule } from '../places/places.module'
import { PlacesService } from '../places/places.service'
import type { Resident } from '../residents/resident.entity'
import type { Staff } from '../staff/staff.entity'
import { TicketsModule } from '../tickets/tickets.module'
import { mergeOverrides } from './calendar-overrides.service'
import { DeadlineSettingsModule } from './deadline-settings.module'
import { DeadlinesModule } from './deadlines.module'

/** Monday 7 Dec 2026, 10:00 in Shanghai: "now" throughout, so dates from today on are stable. */
const MONDAY_10 = new Date('2026-12-07T02:00:00.000Z')
const TYPHOON = '2026-12-08'
/**
 * A complex request (邻里纠纷, 网格长: working days) filed Monday 10:00 owes its reply 72 working hours later:
 * Thursday 10:00, or Friday 10:00 when Tuesday is off.
 */
const THURSDAY_10 = new Date('2026-12-10T02:00:00.000Z')
const FRIDAY_10 = new Date('2026-12-11T02:00:00.000Z')

describe('calendar overrides per place', () => {
  let t: TestApp
  /** Two compounds in different streets. */
  let c1: CompoundFixture
  let c2: CompoundFixture
  /** A second compound in c1's community (the same street). */
  let sibling: { compound: Place; unit: Place }
  let districtAdmin: Staff
  let communityAdmin: Staff
  let otherAdmin: Staff
  let resident: Resident

  beforeAll(async () => {
    t = await startTestModule({ imports: [DeadlineSettingsModule, DeadlinesModule, TicketsModule, PlacesModule], http: true })
    jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => new Date(MONDAY_10))
    c1 = await makeCompound(t, [1])
    c2 = await makeCompound(t, [1])
    const places = t.app.get(PlacesService)
    const compound = await places.create({ kind: 'compound', name: '同街道小区', parent: c1.community })
    const building = await places.create({ kind: 'building', name: '1幢', parent: compound })
    sibling = { compound, unit: await places.create({ kind: 'unit', name: '1单元', parent: building }) }
    districtAdmin = await makeStaff(t, 'admin', c1.district)
    communityAdmin = await makeStaff(t, 'admin', c1.community)
    otherAdmin = await makeStaff(t, 'admin', c2.community)
    resident = await makeResident(t)
    for (const place of [c1.compound, c2.compound, sibling.compound]) await makeStaff(t, 'grid_lead', place)
    await makeStaff(t, 'property_manager', c1.compound)
  })
  afterAll(async () => {
    jest.restoreAllMocks()
    await t.close()
  })

  const call = async (
    who: Staff,
    method: 'GET' | 'POST' | 'DELETE',
    place: Place,
    rest = '',
    payload?: unknown,
  ) =>
    t.app.inject({
      method,
      url: `/api/admin/places/${place.id}/calendar${rest}`,
      headers: await authHeader(t, { staff: who }),
      ...(payload === undefined ? {} : { payload: payload as object }),
    })
  const add = (who: Staff, place: Place, body: unknown) => call(who, 'POST', place, '/overrides', body)
  const remove = (who: Staff, place: Place, date: string) => call(who, 'DELETE', place, `/overrides/${date}`)
  /** The reply deadline of a 邻里纠纷 filed now in the unit. */
  const replyBy = async (unit: Place) =>
    (await makeTicket(t, { unit, resident, category: 'neighbor_dispute' })).replyBy

  it("a typhoon day off for one street moves only its compounds' deadlines; removing it restores them", async () => {
    expect(await replyBy(c1.units[0][0])).toEqual(THURSDAY_10)

    const res = await add(districtAdmin, c1.street, { date: TYPHOON, working: false, reason: ' 台风停工 ' })
    expect(res.statusCode).toBe(201)
    const view = res.json<PlaceCalendar>()
    expect(view.place).toEqual({ id: c1.street.id, kind: 'street', name: c1.street.name })
    expect(view.chain.map((p) => p.kind)).toEqual(['district', 'street'])
    expect(view.overrides).toEqual([
      expect.objectContaining({ date: TYPHOON, working: false, reason: '台风停工', own: true }),
    ])

    // Both compounds of the street count Tuesday as a day off; the other street's does not.
    const filed = await makeTicket(t, { unit: c1.units[0][0], resident, category: 'neighbor_dispute' })
    expect(filed.replyBy).toEqual(FRIDAY_10)
    expect(filed.deadlineConfig?.calendarOverrides).toEqual([{ date: TYPHOON, working: false, reason: '台风停工' }])
    expect(await replyBy(sibling.unit)).toEqual(FRIDAY_10)
    expect(await replyBy(c2.units[0][0])).toEqual(THURSDAY_10)
    const elsewhere = await makeTicket(t, { unit: c2.units[0][0], resident, category: 'neighbor_dispute' })
    expect(elsewhere.deadlineConfig).toBeNull()
    // An on-duty role (物业, every day) is not moved by a day off.
    const facilities = await makeTicket(t, { unit: c1.units[0][0], resident, category: 'leak' })
    expect(facilities.replyBy).toEqual(new Date(MONDAY_10.getTime() + 72 * 3_600_000))

    // The compound's admin sees it as inherited, and in the deadline settings' rules for new requests.
    const seen = (await call(communityAdmin, 'GET', c1.compound)).json<PlaceCalendar>()
    expect(seen.overrides).toEqual([
      expect.objectContaining({ date: TYPHOON, own: false, place: { id: c1.street.id, kind: 'street', name: c1.street.name } }),
    ])
    const settings = await t.app.inject({
      method: 'GET',
      url: `/api/admin/compounds/${c1.compound.id}/deadline-settings`,
      headers: await authHeader(t, { staff: communityAdmin }),
    })
    expect(settings.json<DeadlineSettings>().effective.calendarOverrides).toEqual([
      { date: TYPHOON, working: false, reason: '台风停工' },
    ])

    // The dry run answers the same.
    const dryRun = await t.app.inject({
      method: 'GET',
      url: `/api/admin/compounds/${c1.compound.id}/routing/dry-run?unitId=${c1.units[0][0].id}&category=neighbor_dispute`,
      headers: await authHeader(t, { staff: communityAdmin }),
    })
    expect(dryRun.json<{ deadlines: { replyBy: string } }>().deadlines.replyBy).toBe(FRIDAY_10.toISOString())

    const removed = await remove(districtAdmin, c1.street, TYPHOON)
    expect(removed.statusCode).toBe(200)
    expect(removed.json<PlaceCalendar>().overrides).toEqual([])
    expect(await replyBy(c1.units[0][0])).toEqual(THURSDAY_10)
    expect(await replyBy(sibling.unit)).toEqual(THURSDAY_10)
    // Removing what is not there is fine.
    expect((await remove(districtAdmin, c1.street, TYPHOON)).statusCode).toBe(200)
  })

  it('a day off added for a street moves the open requests of its compounds (working-time roles only); removal moves them back', async () => {
    // Accepted, so their reply timers are pending.
    const open = { resident, category: 'neighbor_dispute', state: 'accepted', severity: 'complex' } as const
    const mine = await makeTicket(t, { unit: c1.units[0][0], ...open })
    const elsewhere = await makeTicket(t, { unit: c2.units[0][0], ...open })
    const onDuty = await makeTicket(t, { unit: c1.units[0][0], ...open, category: 'leak' })
    const stored = async (id: string) => {
      const [row] = await t.dataSource.query<{ reply_by: Date; next_due_at: Date }[]>(
        'SELECT reply_by, next_due_at FROM ticket WHERE id = $1',
        [id],
      )
      const timers = await t.dataSource.query<{ kind: string; step: number; fire_at: Date }[]>(
        "SELECT kind, step, fire_at FROM deadline_timer WHERE ticket_id = $1 AND deadline_type = 'reply' AND status = 'pending' ORDER BY kind, step",
        [id],
      )
      const notes = await t.dataSource.query<{ data: { text: string } }[]>(
        "SELECT data FROM ticket_event WHERE ticket_id = $1 AND type = 'noted' ORDER BY at",
        [id],
      )
      return { replyBy: row.reply_by, timers, notes: notes.map((n) => n.data.text) }
    }
    expect([(await stored(mine.id)).replyBy, (await stored(elsewhere.id)).replyBy]).toEqual([THURSDAY_10, THURSDAY_10])
    const onDutyBefore = await stored(onDuty.id)
    expect(onDutyBefore.timers.length).toBeGreaterThan(0)

    expect((await add(districtAdmin, c1.street, { date: TYPHOON, working: false, reason: '台风停工' })).statusCode).toBe(201)
    const moved = await stored(mine.id)
    expect(moved.replyBy).toEqual(FRIDAY_10)
    // Its timers follow, one per kind and step (none left for Thursday).
    expect(moved.timers.filter((x) => x.kind === 'overdue' && x.step === 1).map((x) => x.fire_at)).toEqual([FRIDAY_10])
    expect(new Set(moved.timers.map((x) => `${x.kind}:${x.step}`)).size).toBe(moved.timers.length)
    expect(moved.notes).toEqual([expect.stringContaining('答复截止改为12月11日 10:00')])
    expect((await stored(elsewhere.id)).replyBy).toEqual(THURSDAY_10)
    expect(await stored(onDuty.id)).toEqual(onDutyBefore)

    expect((await remove(districtAdmin, c1.street, TYPHOON)).statusCode).toBe(200)
    const back = await stored(mine.id)
    expect(back.replyBy).toEqual(THURSDAY_10)
    expect(back.timers.filter((x) => x.kind === 'overdue' && x.step === 1).map((x) => x.fire_at)).toEqual([THURSDAY_10])
    expect(back.notes).toHaveLength(2)
    expect(back.notes[1]).toContain('答复截止改为12月10日 10:00')
    expect(await stored(onDuty.id)).toEqual(onDutyBefore)
  })

  it("the nearest place's override wins for a date; the others show as shadowed", async () => {
    expect((await add(districtAdmin, c1.district, { date: TYPHOON, working: false, reason: '全区停工' })).statusCode).toBe(201)
    const on = await add(communityAdmin, c1.compound, { date: TYPHOON, working: true, reason: '小区照常值班' })
    expect(on.statusCode).toBe(201)
    const view = on.json<PlaceCalendar>()
    expect(view.chain.map((p) => p.kind)).toEqual(['district', 'street', 'community', 'compound'])
    expect(view.overrides).toEqual([expect.objectContaining({ date: TYPHOON, working: true, own: true })])
    expect(view.shadowed).toEqual([expect.objectContaining({ date: TYPHOON, working: false, reason: '全区停工', own: false })])

    // The compound works on Tuesday; its sibling under the same district does not.
    expect(await replyBy(c1.units[0][0])).toEqual(THURSDAY_10)
    expect(await replyBy(sibling.unit)).toEqual(FRIDAY_10)

    // Without the compound's day on, the district's day off reaches it again.
    expect((await remove(communityAdmin, c1.compound, TYPHOON)).statusCode).toBe(200)
    expect(await replyBy(c1.units[0][0])).toEqual(FRIDAY_10)
    // A compound's admin cannot remove the district's (it is not theirs): the district still has it.
    expect((await remove(communityAdmin, c1.compound, TYPHOON)).json<PlaceCalendar>().overrides).toEqual([
      expect.objectContaining({ date: TYPHOON, own: false, reason: '全区停工' }),
    ])
    expect((await remove(districtAdmin, c1.district, TYPHOON)).statusCode).toBe(200)
    expect(await replyBy(c1.units[0][0])).toEqual(THURSDAY_10)
  })

  it('merges by date with the deepest place first', () => {
    const rows = [
      { placeId: 'd', date: '2026-12-09' },
      { placeId: 'c', date: '2026-12-08' },
      { placeId: 'd', date: '2026-12-08' },
      { placeId: 's', date: '2026-12-08' },
    ]
    const { winners, shadowed } = mergeOverrides(['d', 's', 'c'], rows)
    expect(winners).toEqual([rows[1], rows[0]])
    expect(shadowed).toEqual([rows[3], rows[2]])
  })

  it('refuses bad input with 400s in the product shape, a second entry for a date with 409', async () => {
    const bad: unknown[] = [
      { date: '2026-02-30', working: false, reason: '台风' },
      { date: '2026/12/08', working: false, reason: '台风' },
      { date: '2026-12-01', working: false, reason: '已过去' },
      { date: '2031-01-01', working: false, reason: '太远' },
      { date: TYPHOON, working: false, reason: '   ' },
      { date: TYPHOON, working: false, reason: '台'.repeat(31) },
      { date: TYPHOON, working: 'no', reason: '台风' },
      { date: TYPHOON, reason: '台风' },
      { date: TYPHOON, working: false, reason: '台风', extra: 1 },
    ]
    for (const body of bad) {
      const res = await add(communityAdmin, c1.compound, body)
      expect([res.statusCode, res.json<{ code: string }>().code, typeof res.json<{ message: string }>().message]).toEqual([
        400,
        'VALIDATION_FAILED',
        'string',
      ])
    }
    const badDate = await remove(communityAdmin, c1.compound, '2026-13-01')
    expect([badDate.statusCode, badDate.json<{ code: string }>().code]).toEqual([400, 'VALIDATION_FAILED'])

    expect((await add(communityAdmin, c1.compound, { date: '2026-12-12', working: true, reason: '补班' })).statusCode).toBe(201)
    const again = await add(communityAdmin, c1.compound, { date: '2026-12-12', working: false, reason: '放假' })
    expect([again.statusCode, again.json<{ code: string }>().code]).toEqual([409, 'CONFLICT'])
    expect((await remove(communityAdmin, c1.compound, '2026-12-12')).statusCode).toBe(200)
  })

  it("is limited to the admin's own places and to places above buildings", async () => {
    const notFound = async (res: Promise<{ statusCode: number; json: <T>() => T }>) => {
      const r = await res
      expect([r.statusCode, r.json<{ code: string }>().code]).toEqual([404, 'PLACE_NOT_FOUND'])
    }
    await notFound(call(otherAdmin, 'GET', c1.compound))
    await notFound(add(otherAdmin, c1.compound, { date: TYPHOON, working: false, reason: '台风' }))
    // A community's admin may read their compound but not set days for the street above them.
    await notFound(add(communityAdmin, c1.street, { date: TYPHOON, working: false, reason: '台风' }))
    await notFound(call(communityAdmin, 'GET', c1.street))
    await notFound(call(districtAdmin, 'GET', c1.buildings[0]))
    const resident401 = await t.app.inject({ method: 'GET', url: `/api/admin/places/${c1.compound.id}/calendar` })
    expect(resident401.statusCode).toBe(401)
  })

  it('flags a year without the official schedule (2027), not one with it (2026)', async () => {
    const expected = [
      { year: 2026, published: true, warning: null },
      {
        year: 2027,
        published: false,
        warning: '2027年的法定节假日安排尚未收录，2027年暂按周末休息计算；国务院公布后请升级日历数据',
      },
    ]
    expect((await call(communityAdmin, 'GET', c1.compound)).json<PlaceCalendar>().years).toEqual(expected)
    const settings = await t.app.inject({
      method: 'GET',
      url: `/api/admin/compounds/${c1.compound.id}/deadline-settings`,
      headers: await authHeader(t, { staff: communityAdmin }),
    })
    expect(settings.json<DeadlineSettings>().calendarYears).toEqual(expected)
  })
})
