import { startTestModule, type TestApp } from '../../../test/app'
import {
  makeCompound,
  makeResident,
  makeStaff,
  makeTicket,
  type CompoundFixture,
} from '../../../test/factories'
import { toFollowedListView, toPublicTicketView } from '../ticket.view'
import { TicketsModule } from '../tickets.module'
import { loadListed, loadListedPage, loadViewable } from './ticket-loader'

/**
 * A list page loads only the columns its rows show (loadListed); what it shows must be exactly what the
 * whole rows (loadViewable) would show, for every kind of row: reported by a resident, entered by staff for
 * someone (a proxy), handled and promised, resolved, merged into another, with personal data in its text.
 */
describe('loadListed: a list row from the listed columns is the row from the whole request', () => {
  let t: TestApp
  let c: CompoundFixture
  let ids: string[]
  beforeAll(async () => {
    t = await startTestModule({ imports: [TicketsModule] })
    c = await makeCompound(t, [2])
    const gridLead = await makeStaff(t, 'grid_lead', c.compound)
    const resident = await makeResident(t, { name: '李四海', phone: '13912345678' })
    const made = [
      await makeTicket(t, { unit: c.units[0][0], resident, room: '1-301' }),
      await makeTicket(t, {
        unit: c.units[0][1],
        proxy: { name: '欧阳娜娜', phone: '13987654321', staff: gridLead },
      }),
      await makeTicket(t, { unit: c.units[0][0], resident, state: 'replied' }),
      await makeTicket(t, { unit: c.units[0][1], resident, state: 'resolved', severity: 'simple' }),
      await makeTicket(t, { unit: c.units[0][0], resident }),
    ]
    ids = made.map((m) => m.id)
    // Personal data in the words, an edited public text, a merge, a chase and a follower: every field set.
    await t.dataSource.query(
      `UPDATE ticket SET description = '我是李四海，住1-301，电话13912345678' WHERE id = $1`,
      [ids[0]],
    )
    await t.dataSource.query(`UPDATE ticket SET public_text = '楼道灯不亮' WHERE id = $1`, [ids[1]])
    await t.dataSource.query(
      `UPDATE ticket SET merged_into_id = $2, chase_count = 2, follower_count = 1, urgent = true,
              rejection_reason = '重复' WHERE id = $1`,
      [ids[4], ids[0]],
    )
  })
  afterAll(() => t.close())

  it('the same list views, with and without the reporter', async () => {
    for (const reporter of [false, true]) {
      const whole = await loadViewable(t.dataSource, ids, { reporter })
      const listed = await loadListed(t.dataSource, ids, { reporter })
      expect(listed.map((x) => x.id)).toEqual(ids)
      expect(listed.map(toPublicTicketView)).toEqual(whole.map(toPublicTicketView))
      if (reporter) expect(listed.map(toFollowedListView)).toEqual(whole.map(toFollowedListView))
    }
    // Not vacuous: the rows differ in what the views show.
    const views = (await loadListed(t.dataSource, ids, { reporter: true })).map(toFollowedListView)
    expect(views[0].description).not.toContain('13912345678')
    expect(views[1].description).toBe('楼道灯不亮')
    expect(views[2].promise).not.toBeNull()
    expect(views[3].resolution).not.toBeNull()
    expect(views[4].mergedInto?.id).toBe(ids[0])
    expect(views.map((v) => v.handlerName).every((name) => typeof name === 'string')).toBe(true)
  })

  it('a list row reads neither the whole request nor its places', async () => {
    const [listed] = await loadListed(t.dataSource, [ids[2]])
    const [whole] = await loadViewable(t.dataSource, [ids[2]])
    // Entities are created with every property; the listed ones hold only what was read.
    const unread = listed as unknown as {
      pauses?: unknown
      deadlineConfig?: unknown
      unit: { path?: unknown }
    }
    expect(whole.pauses).toEqual([])
    expect(unread.pauses).toBeUndefined()
    expect(whole.deadlineConfig).not.toBeUndefined()
    expect(unread.deadlineConfig).toBeUndefined()
    expect(whole.unit.path).toContain(whole.unit.id)
    expect(unread.unit.path).toBeUndefined()
    expect(listed.unit.name).toBe(whole.unit.name)
  })

  it("a page with its rows in one statement: in the page's order, the reporter read only for followed rows", async () => {
    // Rows 0, 2, 3 as the caller's own, 1 and 4 as followed, listed in a given order.
    const order = [3, 1, 0, 4, 2]
    const rows = await loadListedPage<'reporter' | 'follower'>(
      t.dataSource,
      `SELECT id, CASE WHEN id = ANY($2::uuid[]) THEN 'follower' ELSE 'reporter' END AS relation,
              7 AS total, array_position($1::uuid[], id) AS ord
         FROM ticket WHERE id = ANY($1::uuid[])`,
      [order.map((i) => ids[i]), [ids[1], ids[4]]],
      { followed: true },
    )
    expect(rows.map((r) => r.ticket.id)).toEqual(order.map((i) => ids[i]))
    expect(rows.map((r) => r.relation)).toEqual(['reporter', 'follower', 'reporter', 'follower', 'reporter'])
    expect(rows.every((r) => r.total === 7)).toBe(true)
    // The same views as from the whole rows.
    const whole = new Map((await loadViewable(t.dataSource, ids, { reporter: true })).map((w) => [w.id, w]))
    for (const { ticket, relation } of rows) {
      const view = relation === 'follower' ? toFollowedListView : toPublicTicketView
      expect(view(ticket)).toEqual(view(whole.get(ticket.id)!))
    }
    // The reporter's name and phone: on the followed rows (to be masked), not on the caller's own.
    expect(rows[2].ticket.reporter).toBeNull()
    expect(rows.find((r) => r.ticket.id === ids[4])?.ticket.reporter).toMatchObject({ name: '李四海' })
    // An empty page: no rows.
    expect(
      await loadListedPage(
        t.dataSource,
        `SELECT id, 'reporter' AS relation, 0 AS total, 1 AS ord FROM ticket WHERE false`,
        [],
      ),
    ).toEqual([])
  })
})
