import { startTestModule, type TestApp } from '../../test/app'
import { makeCompound, makeResident, makeStaff, makeTicket } from '../../test/factories'
import { OneAccessLog1798100000000 } from '../database/migrations/1798100000000-OneAccessLog'
import { TicketsModule } from '../tickets/tickets.module'
import { AccessLogModule } from './access-log.module'

/**
 * The migration that made one access log: rows of the two former logs (resources' contacts, the visit
 * register) are copied into access_log with their subject, oldest first, and the old tables go. Run inside
 * a transaction that is rolled back, so the worker's database is left as it was.
 */
describe('migration OneAccessLog1798100000000', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestModule({ imports: [AccessLogModule, TicketsModule] })
  })
  afterAll(() => t.close())

  it('copies the resource and visit-register logs into access_log with their subject, keeps the request rows, drops the old tables, and undoes cleanly', async () => {
    const c = await makeCompound(t, [1])
    const lead = await makeStaff(t, 'grid_lead', c.compound)
    const ticket = await makeTicket(t, { unit: c.units[0][0], resident: await makeResident(t) })
    const [{ id: resourceId }] = await t.dataSource.query<{ id: string }[]>(
      `INSERT INTO resource (compound_id, kind, name, contact_name, contact_phone, created_at, updated_at)
       VALUES ($1, 'volunteer', '理发志愿队', '赵秀兰', '13900001111', now(), now()) RETURNING id`,
      [c.compound.id],
    )
    const [{ id: householdId }] = await t.dataSource.query<{ id: string }[]>(
      `INSERT INTO visit_household (compound_id, unit_id, room, people, reasons, interval_days, assignee_staff_id, created_by)
       VALUES ($1, $2, '501', '[{"name":"孙玉梅","phone":null}]', '{living_alone}', 7, $3, $3) RETURNING id`,
      [c.compound.id, c.units[0][0].id, lead.id],
    )
    const migration = new OneAccessLog1798100000000()
    const runner = t.dataSource.createQueryRunner()
    await runner.startTransaction()
    try {
      await runner.query(
        `INSERT INTO access_log (at, staff_id, role, subject, ticket_id, compound_id, fields, request_id)
         VALUES ('2026-12-01T01:00:00Z', $1, 'grid_lead', 'ticket', $2, $3, '{phone}', 'req-t')`,
        [lead.id, ticket.id, c.compound.id],
      )
      await migration.down(runner)
      const ticketRows = Number((await runner.query(`SELECT count(*) FROM access_log WHERE ticket_id = $1`, [ticket.id]))[0].count)
      expect(ticketRows).toBe(1)
      await runner.query(
        `INSERT INTO resource_access_log (at, staff_id, role, resource_id, compound_id, fields, request_id)
         VALUES ('2026-12-01T03:00:00Z', $1, 'grid_lead', $2, $3, '{name,phone}', 'req-r')`,
        [lead.id, resourceId, c.compound.id],
      )
      await runner.query(
        `INSERT INTO visit_access_log (at, staff_id, role, household_id, compound_id, fields, request_id)
         VALUES ('2026-12-01T02:00:00Z', $1, 'property_manager', $2, $3, '{name,room}', 'req-h')`,
        [lead.id, householdId, c.compound.id],
      )

      await migration.up(runner)
      const rows = await runner.query(
        `SELECT subject, ticket_id, resource_id, household_id, role, fields, request_id FROM access_log
          WHERE staff_id = $1 ORDER BY id`,
        [lead.id],
      )
      expect(rows).toEqual([
        { subject: 'ticket', ticket_id: ticket.id, resource_id: null, household_id: null, role: 'grid_lead', fields: ['phone'], request_id: 'req-t' },
        // Copied oldest first: the household read (02:00) before the resource read (03:00).
        { subject: 'household', ticket_id: null, resource_id: null, household_id: householdId, role: 'property_manager', fields: ['name', 'room'], request_id: 'req-h' },
        { subject: 'resource', ticket_id: null, resource_id: resourceId, household_id: null, role: 'grid_lead', fields: ['name', 'phone'], request_id: 'req-r' },
      ])
      const left = await runner.query(
        `SELECT table_name FROM information_schema.tables WHERE table_name IN ('resource_access_log', 'visit_access_log')`,
      )
      expect(left).toEqual([])
      // Still append-only.
      await expect(runner.query(`UPDATE access_log SET fields = '{}' WHERE staff_id = $1`, [lead.id])).rejects.toThrow(/append-only/)
    } finally {
      await runner.rollbackTransaction()
      await runner.release()
    }
  })
})
