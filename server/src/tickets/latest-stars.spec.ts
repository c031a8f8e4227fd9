import { startTestModule, type TestApp } from '../../test/app'
import { makeCompound, makeResident, makeTicket } from '../../test/factories'
import { TicketsModule } from './tickets.module'

/** `ticket.latest_stars` is kept by a trigger on ticket_rating (migration LatestStars); metrics and the board read it. */
describe('the latest rating kept on the request', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestModule({ imports: [TicketsModule] })
  })
  afterAll(() => t.close())

  const latest = async (id: string) =>
    (await t.dataSource.query<{ latest_stars: number | null }[]>('SELECT latest_stars FROM ticket WHERE id = $1', [id]))[0]
      .latest_stars
  const rate = (id: string, stars: number, at: string) =>
    t.dataSource.query<{ id: string }[]>(
      `INSERT INTO ticket_rating (ticket_id, stars, via, at) VALUES ($1, $2, 'resident', $3) RETURNING id`,
      [id, stars, at],
    )

  it('follows inserts by time (not insertion order), ties by insertion, updates and deletes', async () => {
    const c = await makeCompound(t, [1])
    const ticket = await makeTicket(t, { unit: c.units[0][0], resident: await makeResident(t) })
    expect(await latest(ticket.id)).toBeNull()

    await rate(ticket.id, 2, '2026-11-10T02:00:00Z')
    expect(await latest(ticket.id)).toBe(2)
    // An earlier rating written later does not replace the latest one.
    await rate(ticket.id, 5, '2026-11-09T02:00:00Z')
    expect(await latest(ticket.id)).toBe(2)
    // Same instant: the one written last counts.
    const [tie] = await rate(ticket.id, 4, '2026-11-10T02:00:00Z')
    expect(await latest(ticket.id)).toBe(4)

    await t.dataSource.query('UPDATE ticket_rating SET stars = 3 WHERE id = $1', [tie.id])
    expect(await latest(ticket.id)).toBe(3)
    await t.dataSource.query('DELETE FROM ticket_rating WHERE id = $1', [tie.id])
    expect(await latest(ticket.id)).toBe(2)
    await t.dataSource.query('DELETE FROM ticket_rating WHERE ticket_id = $1', [ticket.id])
    expect(await latest(ticket.id)).toBeNull()
  })

  it('is not overwritten when the request itself is saved', async () => {
    const c = await makeCompound(t, [1])
    const ticket = await makeTicket(t, { unit: c.units[0][0], resident: await makeResident(t) })
    await rate(ticket.id, 5, '2026-11-10T02:00:00Z')
    const repo = t.dataSource.getRepository('Ticket')
    const loaded = await repo.findOneByOrFail({ id: ticket.id })
    await repo.save({ ...loaded, latestStars: 1, followerCount: 3 })
    expect(await latest(ticket.id)).toBe(5)
  })
})
