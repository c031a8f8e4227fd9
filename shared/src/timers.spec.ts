import { computeDeadlines, type Pause } from './deadlines'
import type { Severity, TicketState } from './tickets'
import {
  escalationLevelAfterStep,
  overdueStepAt,
  owedDeadline,
  planTimers,
  warningFor,
  type TimerTicket,
} from './timers'

/** A Shanghai wall-clock time as an instant. */
const sh = (local: string) => new Date(`${local.replace(' ', 'T')}:00+08:00`)
const shEnd = (day: string) => new Date(`${day}T23:59:59.999+08:00`)

/** A request as the server stores it: deadlines from the shared rules, as ticket-deadlines.ts keeps them. */
function ticket(fields: {
  filed: string
  severity?: Severity
  state?: TicketState
  replied?: string
  promised?: string
  resolved?: string
  pauses?: Pause[]
}): TimerTicket {
  const createdAt = sh(fields.filed)
  const severity = fields.severity ?? 'simple'
  const pauses = fields.pauses ?? []
  const repliedAt = fields.replied ? sh(fields.replied) : null
  const promisedAt = fields.promised ? sh(fields.promised) : null
  const d = computeDeadlines({ filedAt: createdAt, severity, pauses, promisedAt })
  return {
    state: fields.state ?? 'submitted',
    severity,
    createdAt,
    clockStartedAt: createdAt,
    repliedAt,
    resolvedAt: fields.resolved ? sh(fields.resolved) : null,
    promisedAt,
    acceptBy: d.acceptBy,
    replyBy: d.replyBy,
    resolveBy: d.resolveBy,
    pauses,
    dayType: 'on_duty',
  }
}

describe('the deadline owed now', () => {
  it('is acceptance, then the reply of a complex request, then resolution; none while waiting or done', () => {
    expect(owedDeadline(ticket({ filed: '2026-03-10 09:00' }))).toEqual({
      window: 'accept',
      deadline: sh('2026-03-10 11:00'),
    })
    expect(owedDeadline(ticket({ filed: '2026-03-10 09:00', state: 'accepted' }))).toEqual({
      window: 'resolve',
      deadline: shEnd('2026-03-10'),
    })
    expect(
      owedDeadline(ticket({ filed: '2026-03-10 09:00', state: 'accepted', severity: 'complex' })),
    ).toEqual({
      window: 'reply',
      deadline: sh('2026-03-13 09:00'),
    })
    const replied = ticket({
      filed: '2026-03-10 09:00',
      state: 'replied',
      severity: 'complex',
      replied: '2026-03-11 09:00',
      promised: '2026-03-21 09:00',
    })
    expect(owedDeadline(replied)).toEqual({ window: 'resolve', deadline: sh('2026-03-21 09:00') })
    for (const state of ['waiting_resident', 'resolved', 'closed', 'rejected', 'merged'] as const) {
      expect(owedDeadline({ ...replied, state })).toBeNull()
    }
  })
})

describe('the warning at 75% of a window', () => {
  it('acceptance: 75% of the 2 working hours, so a request filed at night warns in the morning', () => {
    const day = ticket({ filed: '2026-03-10 09:00' })
    expect(warningFor(day, owedDeadline(day)!)).toEqual(sh('2026-03-10 10:30'))
    const night = ticket({ filed: '2026-03-10 22:00' }) // due 10:00 tomorrow
    expect(warningFor(night, owedDeadline(night)!)).toEqual(sh('2026-03-11 09:30'))
    const evening = ticket({ filed: '2026-03-10 19:30' }) // 30 min tonight, 90 tomorrow: due 09:30
    expect(warningFor(evening, owedDeadline(evening)!)).toEqual(sh('2026-03-11 09:00'))
  })

  it('simple resolution: 75% of the way from filing to the end of the day', () => {
    const t = ticket({ filed: '2026-03-10 08:00', state: 'accepted' })
    // 08:00 → 23:59:59.999 is 16 h: warned at 20:00 (less a fraction of the last millisecond).
    expect(warningFor(t, owedDeadline(t)!)!.getTime()).toBeCloseTo(sh('2026-03-10 20:00').getTime(), -1)
  })

  it('complex: 54 h into the 72 h reply window; then 75% from the reply to the promised date', () => {
    const accepted = ticket({ filed: '2026-03-10 09:00', state: 'accepted', severity: 'complex' })
    expect(warningFor(accepted, owedDeadline(accepted)!)).toEqual(sh('2026-03-12 15:00'))
    const replied = ticket({
      filed: '2026-03-10 09:00',
      state: 'replied',
      severity: 'complex',
      replied: '2026-03-11 09:00',
      promised: '2026-03-15 09:00',
    })
    expect(warningFor(replied, owedDeadline(replied)!)).toEqual(sh('2026-03-14 09:00'))
  })

  it('moves later by the time spent waiting for the resident, as the deadline does', () => {
    // Filed 09:00, due 11:00; waited 09:30–10:30: due 12:00, warned at 11:30 (1.5 counted hours in).
    const pauses = [{ start: sh('2026-03-10 09:30'), end: sh('2026-03-10 10:30') }]
    const t = ticket({ filed: '2026-03-10 09:00', pauses })
    expect(t.acceptBy).toEqual(sh('2026-03-10 12:00'))
    expect(warningFor(t, owedDeadline(t)!)).toEqual(sh('2026-03-10 11:30'))
    // A pause after the warning instant does not move the warning, only the deadline.
    const late = [{ start: sh('2026-03-10 10:45'), end: sh('2026-03-10 11:45') }]
    const t2 = ticket({ filed: '2026-03-10 09:00', pauses: late })
    expect(warningFor(t2, owedDeadline(t2)!)).toEqual(sh('2026-03-10 10:30'))
    expect(t2.acceptBy).toEqual(sh('2026-03-10 12:00'))
  })
})

describe('the plan of a request', () => {
  it('an open request: the warning and the first overdue step of the deadline owed now', () => {
    expect(planTimers(ticket({ filed: '2026-03-10 09:00' }))).toEqual([
      {
        kind: 'warning',
        window: 'accept',
        deadline: sh('2026-03-10 11:00'),
        step: 0,
        fireAt: sh('2026-03-10 10:30'),
      },
      {
        kind: 'overdue',
        window: 'accept',
        deadline: sh('2026-03-10 11:00'),
        step: 1,
        fireAt: sh('2026-03-10 11:00'),
      },
    ])
  })

  it('waiting for the resident: nothing (the clock is stopped)', () => {
    const waiting = ticket({
      filed: '2026-03-10 09:00',
      state: 'waiting_resident',
      pauses: [{ start: sh('2026-03-10 10:00'), end: null }],
    })
    expect(planTimers(waiting)).toEqual([])
  })

  it('a resolved request: its auto-close 7 days later; finished requests: nothing', () => {
    const resolved = ticket({ filed: '2026-03-10 09:00', state: 'resolved', resolved: '2026-03-10 15:00' })
    expect(planTimers(resolved)).toEqual([
      {
        kind: 'auto_close',
        window: null,
        deadline: sh('2026-03-17 15:00'),
        step: 0,
        fireAt: sh('2026-03-17 15:00'),
      },
    ])
    for (const state of ['closed', 'rejected', 'merged'] as const)
      expect(planTimers({ ...resolved, state })).toEqual([])
  })

  it('overdue steps every 24 h after the deadline', () => {
    expect(overdueStepAt(sh('2026-03-10 11:00'), 1)).toEqual(sh('2026-03-10 11:00'))
    expect(overdueStepAt(sh('2026-03-10 11:00'), 4)).toEqual(sh('2026-03-13 11:00'))
  })
})

describe('escalation level after an overdue step', () => {
  it('one level per step, a chase on top, never down, never past the district', () => {
    expect(escalationLevelAfterStep(0, 1, 0)).toBe(1)
    expect(escalationLevelAfterStep(1, 2, 0)).toBe(2)
    // Chased an hour after the deadline: level 2 at once; the next day's step makes it 3.
    expect(escalationLevelAfterStep(2, 2, 1)).toBe(3)
    // The chase came before step 1 had fired (it counted the deadline itself): step 1 changes nothing.
    expect(escalationLevelAfterStep(2, 1, 1)).toBe(2)
    expect(escalationLevelAfterStep(4, 4, 3)).toBe(4)
    expect(escalationLevelAfterStep(3, 4, 2)).toBe(4)
  })
})
