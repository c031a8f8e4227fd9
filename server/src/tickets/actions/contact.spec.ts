import { startTestModule, type TestApp } from '../../../test/app'
import { authHeader, makeCompound, makeResident, makeStaff, makeTicket, type CompoundFixture } from '../../../test/factories'
import { Clock } from '../../common/clock'
import { TicketsModule } from '../tickets.module'

/** A Shanghai wall-clock time as an instant. */
const sh = (local: string) => new Date(`${local.replace(' ', 'T')}:00+08:00`)

/**
 * How late a chased request is counts on its handler's calendar: a working-time role (网格长) is not later
 * for a weekend, an on-duty role (物业) is.
 */
describe('chase on an overdue request: lateness on the handler calendar', () => {
  let t: TestApp
  let c: CompoundFixture
  let now: Date

  beforeAll(async () => {
    t = await startTestModule({ imports: [TicketsModule], http: true })
    jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => new Date(now))
    c = await makeCompound(t, [1])
    await makeStaff(t, 'property_manager', c.compound)
    await makeStaff(t, 'grid_lead', c.compound)
  })
  afterAll(async () => {
    jest.restoreAllMocks()
    await t.close()
  })

  /** Files `category` on Friday 4 Dec 2026 10:00 (acceptance due 12:00), chases it on Monday 11:00. */
  const chasedLevel = async (category: 'other' | 'facilities') => {
    now = sh('2026-12-04 10:00')
    const reporter = await makeResident(t)
    const ticket = await makeTicket(t, { unit: c.units[0][0], resident: reporter, category })
    expect(ticket.acceptBy).toEqual(sh('2026-12-04 12:00'))
    now = sh('2026-12-07 11:00')
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/requests/${ticket.id}/chase`,
      headers: await authHeader(t, { resident: reporter }),
    })
    expect(res.statusCode).toBe(200)
    const [row] = await t.dataSource.query<{ escalation_level: number; handler_role: string }[]>(
      'SELECT escalation_level, handler_role FROM ticket WHERE id = $1',
      [ticket.id],
    )
    return row
  }

  it('网格长 (working days): Friday 12:00 → Monday 11:00 is 23 working hours late, level 1, and the chase adds one', async () => {
    expect(await chasedLevel('other')).toEqual({ handler_role: 'grid_lead', escalation_level: 2 })
  })

  it('物业 (every day): the same 71 hours are level 3, and the chase adds one', async () => {
    expect(await chasedLevel('facilities')).toEqual({ handler_role: 'property_manager', escalation_level: 4 })
  })
})
