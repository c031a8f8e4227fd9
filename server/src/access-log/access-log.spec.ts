import { AccessLogPageSchema } from '@mq/shared'
import { startTestModule, type TestApp } from '../../test/app'
import {
  authHeader,
  count,
  makeCompound,
  makeResident,
  makeStaff,
  makeTicket,
  type CompoundFixture,
} from '../../test/factories'
import type { Staff } from '../staff/staff.entity'
import { TicketsModule } from '../tickets/tickets.module'
import { AccessLogService } from './access-log.service'
import { AccessLogModule } from './access-log.module'

describe('the personal-data access log', () => {
  let t: TestApp
  let c: CompoundFixture
  let gridLead: Staff
  let ticketId: string
  beforeAll(async () => {
    t = await startTestModule({ imports: [AccessLogModule, TicketsModule], http: true })
    c = await makeCompound(t, [1])
    gridLead = await makeStaff(t, 'grid_lead', c.compound, '王网格')
    ticketId = (await makeTicket(t, { unit: c.units[0][0], resident: await makeResident(t) })).id
  })
  afterAll(() => t.close())

  const record = () =>
    t.app.get(AccessLogService).record({
      staffId: gridLead.id,
      role: 'grid_lead',
      ticketId,
      compoundId: c.compound.id,
      fields: ['name', 'phone'],
      requestId: 'req-append-only',
    })

  it('is append-only: the database itself refuses UPDATE, DELETE and TRUNCATE', async () => {
    await record()
    const before = await t.dataSource.query('SELECT * FROM access_log WHERE ticket_id = $1 ORDER BY id', [
      ticketId,
    ])
    expect(before.length).toBeGreaterThan(0)
    await expect(
      t.dataSource.query(`UPDATE access_log SET fields = '{}' WHERE ticket_id = $1`, [ticketId]),
    ).rejects.toThrow(/access_log is append-only: UPDATE refused/)
    await expect(
      t.dataSource.query('DELETE FROM access_log WHERE ticket_id = $1', [ticketId]),
    ).rejects.toThrow(/access_log is append-only: DELETE refused/)
    await expect(t.dataSource.query('TRUNCATE access_log')).rejects.toThrow(
      /access_log is append-only: TRUNCATE refused/,
    )
    // Also through the ORM, the way application code would try.
    await expect(t.dataSource.getRepository('access_log').delete({ ticketId })).rejects.toThrow(/append-only/)
    const after = await t.dataSource.query('SELECT * FROM access_log WHERE ticket_id = $1 ORDER BY id', [
      ticketId,
    ])
    expect(after).toEqual(before)
  })

  it('admins read it for their place only, newest first, a page at a time', async () => {
    const other = await makeCompound(t, [1])
    const otherAdmin = await makeStaff(t, 'admin', other.community)
    const admin = await makeStaff(t, 'admin', c.community)
    const base = await count(t.dataSource, 'SELECT 1 FROM access_log WHERE compound_id = $1', [c.compound.id])
    for (let i = 0; i < 3; i++) await record()
    const list = async (who: Staff, query = '') =>
      t.app.inject({
        method: 'GET',
        url: `/api/admin/access-log${query}`,
        headers: await authHeader(t, { staff: who }),
      })

    const first = await list(admin, '?limit=2')
    expect(first.statusCode).toBe(200)
    const page = AccessLogPageSchema.parse(first.json())
    expect(page.items).toHaveLength(2)
    expect(page.items[0]).toMatchObject({
      staff: { id: gridLead.id, name: '王网格' },
      role: 'grid_lead',
      ticket: { id: ticketId },
      compound: { id: c.compound.id },
      fields: ['name', 'phone'],
      requestId: 'req-append-only',
    })
    expect(BigInt(page.items[0].id) > BigInt(page.items[1].id)).toBe(true)
    const rest = AccessLogPageSchema.parse((await list(admin, `?limit=50&before=${page.nextBefore}`)).json())
    expect(rest.items).toHaveLength(base + 3 - 2)
    expect(rest.nextBefore).toBeNull()

    const filtered = AccessLogPageSchema.parse(
      (await list(admin, `?staffId=${gridLead.id}&ticketId=${ticketId}`)).json(),
    )
    expect(filtered.items.length).toBe(base + 3)
    expect(AccessLogPageSchema.parse((await list(otherAdmin)).json()).items).toEqual([])
    expect((await list(gridLead)).statusCode).toBe(403)
    expect((await list(admin, '?limit=0')).statusCode).toBe(400)
  })
})
