import { countTicket, emptyCounts, rate, type MetricTicket } from './metrics'

const now = new Date('2026-11-21T12:00:00Z')
const h = (hours: number) => new Date(now.getTime() + hours * 3_600_000)
const base: MetricTicket = {
  state: 'submitted',
  acceptBy: null,
  acceptedAt: null,
  resolveBy: null,
  resolvedAt: null,
  reopenCount: 0,
  stars: null,
}

describe('countTicket', () => {
  it('counts acceptance only once due, and on time only up to the deadline', () => {
    const c = emptyCounts()
    countTicket(c, { ...base, acceptBy: h(1) }, now) // not yet due
    countTicket(c, { ...base, acceptBy: h(-1) }, now) // overdue, not accepted
    countTicket(c, { ...base, state: 'accepted', acceptBy: h(-1), acceptedAt: h(-1) }, now) // exactly on time
    countTicket(c, { ...base, state: 'accepted', acceptBy: h(1), acceptedAt: h(-2) }, now) // early
    countTicket(c, { ...base, state: 'accepted', acceptBy: h(-2), acceptedAt: h(-1) }, now) // late
    countTicket(c, { ...base, state: 'rejected', acceptBy: h(-2) }, now) // left another way
    countTicket(c, { ...base, state: 'merged', acceptBy: h(-2) }, now)
    expect(c.response).toEqual({ numerator: 2, denominator: 4 })
    // Received: all but the merged one; none resolved.
    expect(c.resolution).toEqual({ numerator: 0, denominator: 6 })
  })

  it('counts a withdrawn request apart: never due for acceptance or resolution, not received', () => {
    const c = emptyCounts()
    countTicket(c, { ...base, state: 'withdrawn', acceptBy: h(-2), resolveBy: h(-1) }, now)
    expect(c).toEqual(emptyCounts())
  })

  it('counts resolution only without reopening, satisfaction at 4–5 stars, on time against resolveBy', () => {
    const c = emptyCounts()
    countTicket(c, { ...base, state: 'closed', resolveBy: h(-1), resolvedAt: h(-2), stars: 5 }, now)
    countTicket(c, { ...base, state: 'closed', resolveBy: h(-3), resolvedAt: h(-2), stars: 4, reopenCount: 1 }, now)
    countTicket(c, { ...base, state: 'resolved', resolveBy: null, resolvedAt: h(-2), stars: null }, now)
    countTicket(c, { ...base, state: 'closed', resolveBy: h(5), resolvedAt: h(-2), stars: 3 }, now)
    countTicket(c, { ...base, state: 'accepted', resolveBy: h(-1) }, now) // overdue
    countTicket(c, { ...base, state: 'waiting_resident', resolveBy: null }, now) // clock stopped
    expect(c.resolution).toEqual({ numerator: 3, denominator: 6 })
    expect(c.satisfaction).toEqual({ numerator: 2, denominator: 3 })
    expect(c.onTime).toEqual({ numerator: 2, denominator: 4 })
    expect(rate(c.onTime)).toBe(0.5)
    expect(rate(emptyCounts().response)).toBeNull()
  })
})
