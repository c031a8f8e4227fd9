import {
  compositeScore,
  countTicket,
  DEFAULT_RANKING_WEIGHTS,
  emptyCounts,
  rankingPeriod,
  rankRows,
  rate,
  type MetricTicket,
} from './metrics'

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
  handedOff: false,
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

describe('回退率 and 重办率', () => {
  it('counts a request transferred then reassigned once, over the received requests', () => {
    const c = emptyCounts()
    // 转办 by its handler, then 改派 by a supervisor: two handoffs, one request handed off.
    countTicket(c, { ...base, state: 'accepted', handedOff: true }, now)
    // Kept by its first handler.
    countTicket(c, { ...base, state: 'closed', resolvedAt: h(-2) }, now)
    // Routed to nobody, then assigned by a coordinator: not a handoff.
    countTicket(c, { ...base, state: 'submitted' }, now)
    // Handed off, then merged into another request: not received, so not counted.
    countTicket(c, { ...base, state: 'merged', handedOff: true }, now)
    // Handed off and withdrawn before acceptance: not received either.
    countTicket(c, { ...base, state: 'withdrawn', handedOff: true }, now)
    expect(c.handoff).toEqual({ numerator: 1, denominator: 3 })
    expect(rate(c.handoff)).toBeCloseTo(1 / 3)
  })

  it('counts a request reopened twice once, over the requests resolved at least once', () => {
    const c = emptyCounts()
    // Resolved, rated 1 star (reopened), resolved, rated 2 stars (reopened again), now being handled.
    countTicket(c, { ...base, state: 'accepted', reopenCount: 2, resolvedAt: null, stars: 2 }, now)
    // Reopened once, resolved again and closed at 4 stars.
    countTicket(c, { ...base, state: 'closed', reopenCount: 1, resolvedAt: h(-1), stars: 4 }, now)
    // Resolved and closed at 5 stars; resolved and not rated yet.
    countTicket(c, { ...base, state: 'closed', resolvedAt: h(-3), stars: 5 }, now)
    countTicket(c, { ...base, state: 'resolved', resolvedAt: h(-1) }, now)
    // Never resolved: not in the denominator.
    countTicket(c, { ...base, state: 'accepted' }, now)
    expect(c.redo).toEqual({ numerator: 2, denominator: 4 })
    // 解决率 counts neither reopened one.
    expect(c.resolution).toEqual({ numerator: 2, denominator: 5 })
  })
})

describe('ranking', () => {
  it('weighs the composite over the rates that have a figure', () => {
    expect(compositeScore({ response: 1, resolution: 0.5, satisfaction: 0 }, DEFAULT_RANKING_WEIGHTS)).toBeCloseTo(
      0.3 + 0.175,
    )
    // Nothing rated: 响应 30 and 解决 35 share the whole weight.
    expect(compositeScore({ response: 1, resolution: 0, satisfaction: null }, DEFAULT_RANKING_WEIGHTS)).toBeCloseTo(
      30 / 65,
    )
    expect(compositeScore({ response: null, resolution: null, satisfaction: null }, DEFAULT_RANKING_WEIGHTS)).toBeNull()
  })

  it('never ranks a small sample first, shares ranks on ties, puts lower first for 回退率', () => {
    const rows = [
      { label: '甲', received: 3, score: 1 },
      { label: '乙', received: 12, score: 0.8 },
      { label: '丙', received: 20, score: 0.9 },
      { label: '丁', received: 15, score: 0.8 },
      { label: '戊', received: 0, score: null },
    ]
    expect(rankRows(rows, 'composite').map((r) => [r.label, r.rank, r.smallSample])).toEqual([
      ['丙', 1, false],
      ['丁', 2, false],
      ['乙', 2, false],
      ['甲', null, true],
      ['戊', null, true],
    ])
    expect(rankRows(rows, 'handoff').map((r) => [r.label, r.rank])).toEqual([
      ['丁', 1],
      ['乙', 1],
      ['丙', 3],
      ['甲', null],
      ['戊', null],
    ])
  })

  it('reads a month or a quarter in local time', () => {
    expect(rankingPeriod('2026-11')).toEqual({
      from: new Date('2026-10-31T16:00:00Z'),
      to: new Date('2026-11-30T16:00:00Z'),
      label: '2026年11月',
    })
    expect(rankingPeriod('2026-Q4')).toEqual({
      from: new Date('2026-09-30T16:00:00Z'),
      to: new Date('2026-12-31T16:00:00Z'),
      label: '2026年第4季度',
    })
    for (const bad of ['2026-13', '2026-Q5', '26-11', '2026-11-01']) expect(rankingPeriod(bad)).toBeNull()
  })
})
