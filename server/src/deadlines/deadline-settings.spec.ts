import { randomUUID } from 'node:crypto'
import { DEFAULT_DEADLINE_CONFIG, filingPromise, type DeadlineSettings, type ScanView } from '@mq/shared'
import { startTestModule, type TestApp } from '../../test/app'
import {
  authHeader,
  makeCompound,
  makeResident,
  makeStaff,
  makeTicket,
  staffPrincipal,
  type CompoundFixture,
} from '../../test/factories'
import { Clock } from '../common/clock'
import type { Resident } from '../residents/resident.entity'
import type { Staff } from '../staff/staff.entity'
import { TicketWorkflowService } from '../tickets/ticket-workflow.service'
import { Ticket } from '../tickets/ticket.entity'
import { DeadlineSettingsModule } from './deadline-settings.module'
import { TicketsModule } from '../tickets/tickets.module'
import { PlacesModule } from '../places/places.module'

/** Monday 23 Nov 2026, 10:00 in Shanghai: inside the working window. */
const MONDAY_10 = new Date('2026-11-23T02:00:00.000Z')
const MIN = 60_000
/** The same Monday at 16:00, after a 15:30 cut-off. */
const MONDAY_16 = new Date('2026-11-23T08:00:00.000Z')

describe('deadline settings per compound', () => {
  let t: TestApp
  let c: CompoundFixture
  let other: CompoundFixture
  let admin: Staff
  let otherAdmin: Staff
  let resident: Resident

  beforeAll(async () => {
    t = await startTestModule({ imports: [DeadlineSettingsModule, TicketsModule, PlacesModule], http: true })
    c = await makeCompound(t, [1])
    other = await makeCompound(t, [1])
    admin = await makeStaff(t, 'admin', c.community)
    otherAdmin = await makeStaff(t, 'admin', other.community)
    resident = await makeResident(t)
    await makeStaff(t, 'property_manager', c.compound)
    await makeStaff(t, 'property_manager', other.compound)
  })
  afterAll(() => t.close())
  afterEach(() => jest.restoreAllMocks())

  const url = (compoundId: string) => `/api/admin/compounds/${compoundId}/deadline-settings`
  const get = async (who: Staff | null, compoundId = c.compound.id) =>
    t.app.inject({
      method: 'GET',
      url: url(compoundId),
      headers: who ? await authHeader(t, { staff: who }) : {},
    })
  const put = async (who: Staff, payload: unknown, compoundId = c.compound.id) =>
    t.app.inject({
      method: 'PUT',
      url: url(compoundId),
      headers: await authHeader(t, { staff: who }),
      payload: payload as object,
    })
  /** Files a request in `fixture` as if it were `at`. */
  const fileAt = async (
    at: Date,
    fixture: CompoundFixture,
    category: 'facilities' | 'leak' = 'facilities',
  ) => {
    const spy = jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => new Date(at))
    try {
      return await makeTicket(t, { unit: fixture.units[0][0], resident, category })
    } finally {
      spy.mockRestore()
    }
  }
  const timers = (ticketId: string) =>
    t.dataSource.query<{ kind: string; deadline_at: Date; fire_at: Date }[]>(
      `SELECT kind, deadline_at, fire_at FROM deadline_timer WHERE ticket_id = $1 AND status = 'pending' ORDER BY fire_at`,
      [ticketId],
    )

  it('shows the defaults until the compound sets its own', async () => {
    const res = await get(admin)
    expect(res.statusCode).toBe(200)
    expect(res.json<DeadlineSettings>()).toEqual({
      compoundId: c.compound.id,
      defaults: DEFAULT_DEADLINE_CONFIG,
      overrides: {},
      effective: DEFAULT_DEADLINE_CONFIG,
      updatedAt: null,
      // The current and next year's schedule status (calendar-overrides.spec.ts pins it on a fixed date).
      calendarYears: [expect.objectContaining({ year: expect.any(Number) }), expect.objectContaining({ year: expect.any(Number) })],
    })
  })

  it('files new requests with the compound’s config; requests filed before keep theirs', async () => {
    const before = await fileAt(MONDAY_10, c)
    expect(before.acceptBy).toEqual(new Date(MONDAY_10.getTime() + 120 * MIN))

    const res = await put(admin, { acceptWithinMinutes: 30 })
    expect(res.statusCode).toBe(200)
    const settings = res.json<DeadlineSettings>()
    expect(settings.overrides).toEqual({ acceptWithinMinutes: 30 })
    expect(settings.effective).toEqual({ ...DEFAULT_DEADLINE_CONFIG, acceptWithinMinutes: 30 })
    expect(settings.updatedAt).toEqual(expect.any(String))
    expect((await get(admin)).json()).toEqual(settings)

    const after = await fileAt(MONDAY_10, c)
    const row = await t.dataSource.getRepository(Ticket).findOneByOrFail({ id: after.id })
    expect(row.acceptBy).toEqual(new Date(MONDAY_10.getTime() + 30 * MIN))
    expect(row.nextDueAt).toEqual(row.acceptBy)
    // Its timers follow: the warning at 75% of 30 minutes, overdue at the deadline.
    expect(await timers(after.id)).toEqual([
      { kind: 'warning', deadline_at: row.acceptBy, fire_at: new Date(MONDAY_10.getTime() + 22.5 * MIN) },
      { kind: 'overdue', deadline_at: row.acceptBy, fire_at: row.acceptBy },
    ])
    // The earlier request and other compounds are untouched.
    const old = await t.dataSource.getRepository(Ticket).findOneByOrFail({ id: before.id })
    expect(old.acceptBy).toEqual(new Date(MONDAY_10.getTime() + 120 * MIN))
    expect(old.deadlineConfig).toBeNull()
    const elsewhere = await fileAt(MONDAY_10, other)
    expect(elsewhere.acceptBy).toEqual(new Date(MONDAY_10.getTime() + 120 * MIN))
    // The routing dry run shows the deadlines a request filed now would get.
    jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => new Date(MONDAY_10))
    const dryRun = await t.app.inject({
      method: 'GET',
      url: `/api/admin/compounds/${c.compound.id}/routing/dry-run?unitId=${c.units[0][0].id}&category=facilities`,
      headers: await authHeader(t, { staff: admin }),
    })
    expect(dryRun.statusCode).toBe(200)
    expect(dryRun.json<{ deadlines: { acceptBy: string } }>().deadlines.acceptBy).toBe(
      new Date(MONDAY_10.getTime() + 30 * MIN).toISOString(),
    )
  })

  it('holds a request to its own promise limit and auto-close days', async () => {
    expect((await put(admin, { maxPromiseDays: 10, autoCloseDays: 3 })).statusCode).toBe(200)
    const ticket = await makeTicket(t, { unit: c.units[0][0], resident, category: 'leak', state: 'accepted' })
    const handler = await staffPrincipal(t, ticket.handlerStaffId!)
    const workflow = t.app.get(TicketWorkflowService)
    const now = t.app.get(Clock).now().getTime()
    await expect(
      workflow.reply(
        handler,
        ticket.id,
        { plan: '排查', promisedAt: new Date(now + 15 * 86_400_000).toISOString() },
        null,
      ),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('10天之内') })
    await workflow.reply(
      handler,
      ticket.id,
      { plan: '排查', promisedAt: new Date(now + 9 * 86_400_000).toISOString() },
      null,
    )
    await workflow.resolve(handler, ticket.id, { note: '修好了', photoIds: [] }, null)
    const resolved = await t.dataSource.getRepository(Ticket).findOneByOrFail({ id: ticket.id })
    expect(await timers(ticket.id)).toEqual([
      {
        kind: 'auto_close',
        deadline_at: new Date(resolved.resolvedAt!.getTime() + 3 * 86_400_000),
        fire_at: new Date(resolved.resolvedAt!.getTime() + 3 * 86_400_000),
      },
    ])
    // The replaced settings apply to the next request: acceptance is back to the default.
    const next = await fileAt(MONDAY_10, c)
    expect(next.acceptBy).toEqual(new Date(MONDAY_10.getTime() + 120 * MIN))
  })

  it("tells the scan view the compound's rules, so the form promises the deadline a request will get", async () => {
    const scan = async (fixture: CompoundFixture) =>
      (
        await t.app.inject({ method: 'GET', url: `/api/places/by-token/${fixture.tokens[0][0]}` })
      ).json<ScanView>()
    expect((await put(admin, { simpleCutoff: '15:30' })).statusCode).toBe(200)
    expect((await scan(c)).deadlines).toEqual({ ...DEFAULT_DEADLINE_CONFIG, simpleCutoff: '15:30' })
    expect((await scan(other)).deadlines).toEqual(DEFAULT_DEADLINE_CONFIG)
    // The promise made from it is the deadline the request then gets.
    const promised = filingPromise('simple', MONDAY_16, (await scan(c)).deadlines)
    expect((await fileAt(MONDAY_16, c)).resolveBy).toEqual(promised.by)
  })

  it('sets day types per role: a role left out keeps the default; requests filed then count on them', async () => {
    const res = await put(admin, { dayTypes: { property_manager: 'working' } })
    expect(res.statusCode).toBe(200)
    const settings = res.json<DeadlineSettings>()
    expect(settings.overrides).toEqual({ dayTypes: { property_manager: 'working' } })
    expect(settings.effective.dayTypes).toEqual({ ...DEFAULT_DEADLINE_CONFIG.dayTypes, property_manager: 'working' })
    // Saturday 28 Nov 2026 10:00: 物业 now keeps office days, so acceptance waits for Monday.
    const saturday = await fileAt(new Date('2026-11-28T02:00:00.000Z'), c)
    expect(saturday.acceptBy).toEqual(new Date('2026-11-30T02:00:00.000Z'))
    const elsewhere = await fileAt(new Date('2026-11-28T02:00:00.000Z'), other)
    expect(elsewhere.acceptBy).toEqual(new Date('2026-11-28T04:00:00.000Z'))
    for (const body of [{ dayTypes: { property_manager: 'weekdays' } }, { dayTypes: { janitor: 'working' } }]) {
      const bad = await put(admin, body)
      expect([bad.statusCode, bad.json<{ code: string }>().code]).toEqual([400, 'VALIDATION_FAILED'])
    }
  })

  it('resets to the defaults with {}', async () => {
    const res = await put(admin, {})
    expect(res.statusCode).toBe(200)
    expect(res.json<DeadlineSettings>()).toMatchObject({ overrides: {}, effective: DEFAULT_DEADLINE_CONFIG })
    expect(res.json<DeadlineSettings>().updatedAt).not.toBeNull()
    const ticket = await fileAt(MONDAY_10, c)
    expect(ticket.deadlineConfig).toBeNull()
  })

  it('answers 400 on a bad config, naming the field', async () => {
    const bad: [unknown, string][] = [
      [{ timeZone: 'UTC' }, ''],
      [{ nonsense: 1 }, ''],
      [{ workdayStart: '8:00' }, 'workdayStart'],
      [{ workdayStart: '24:00' }, 'workdayStart'],
      [{ workdayStart: '21:00' }, 'workdayEnd'], // after the default end
      [{ workdayStart: '12:00', workdayEnd: '09:00' }, 'workdayEnd'],
      [{ simpleCutoff: '07:00' }, 'simpleCutoff'], // before the default start
      [{ workdayEnd: '16:00' }, 'simpleCutoff'], // the default cutoff 17:00 falls outside
      [{ acceptWithinMinutes: 0 }, 'acceptWithinMinutes'],
      [{ acceptWithinMinutes: 1.5 }, 'acceptWithinMinutes'],
      [{ acceptWithinMinutes: '30' }, 'acceptWithinMinutes'],
      [{ acceptWithinMinutes: 100_000 }, 'acceptWithinMinutes'],
      [{ complexReplyHours: -1 }, 'complexReplyHours'],
      [{ maxPromiseDays: 366 }, 'maxPromiseDays'],
      [{ autoCloseDays: 0 }, 'autoCloseDays'],
      [{ warnAtFraction: 1 }, 'warnAtFraction'],
      [{ warnAtFraction: 0 }, 'warnAtFraction'],
    ]
    for (const [body, path] of bad) {
      const res = await put(admin, body)
      expect([res.statusCode, body]).toEqual([400, body])
      const error = res.json<{ code: string; details?: { path: string }[] }>()
      expect(error.code).toBe('VALIDATION_FAILED')
      if (path)
        expect([error.details?.map((d) => d.path), body]).toEqual([expect.arrayContaining([path]), body])
    }
    // Nothing was saved by any of them.
    expect((await get(admin)).json<DeadlineSettings>().overrides).toEqual({})
    const good = await put(admin, {
      workdayStart: '07:30',
      workdayEnd: '21:00',
      simpleCutoff: '21:00',
      warnAtFraction: 0.5,
    })
    expect(good.statusCode).toBe(200)
    expect(good.json<DeadlineSettings>().effective).toMatchObject({
      workdayStart: '07:30',
      simpleCutoff: '21:00',
    })
  })

  it('belongs to admins over the compound: others 403, other places 404', async () => {
    const grid = await makeStaff(t, 'grid_lead', c.compound)
    expect((await get(null)).statusCode).toBe(401)
    expect((await get(grid)).statusCode).toBe(403)
    expect((await put(grid, {})).statusCode).toBe(403)
    expect((await get(otherAdmin)).statusCode).toBe(404)
    expect((await put(otherAdmin, { acceptWithinMinutes: 5 })).statusCode).toBe(404)
    expect((await get(admin, c.buildings[0].id)).statusCode).toBe(404)
    expect((await get(admin, randomUUID())).statusCode).toBe(404)
    expect((await get(admin, 'not-a-uuid')).statusCode).toBe(400)
    const resident = await t.app.inject({
      method: 'GET',
      url: url(c.compound.id),
      headers: await authHeader(t, { resident: await makeResident(t) }),
    })
    expect(resident.statusCode).toBe(403)
    expect((await get(otherAdmin, other.compound.id)).statusCode).toBe(200)
  })
})
