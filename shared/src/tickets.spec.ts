import {
  legalActions,
  nextDeadline,
  REOPENED_LABEL,
  stateLabel,
  stateRefusal,
  transition,
  TICKET_STATE_LABELS,
  TICKET_STATES,
  TRANSITIONS,
  type TicketAction,
} from './tickets'

/** A Chinese character written twice in a row: 「已已销号」. None of the messages below has a word that needs it. */
const DOUBLED = /([\u4e00-\u9fff])\1/

describe('transition table', () => {
  it.each([
    ['accept', 'submitted', 'simple', 'accepted'],
    ['reply', 'accepted', 'complex', 'replied'],
    ['resolve', 'accepted', 'simple', 'resolved'],
    ['resolve', 'replied', 'complex', 'resolved'],
    ['close', 'resolved', 'simple', 'closed'],
    ['reopen', 'resolved', 'simple', 'accepted'],
    ['reject', 'submitted', 'simple', 'rejected'],
    ['merge', 'accepted', 'simple', 'merged'],
    ['wait', 'replied', 'complex', 'waiting_resident'],
    ['transfer', 'accepted', 'simple', 'accepted'],
    ['chase', 'submitted', 'simple', 'submitted'],
  ] as const)('%s from %s (%s) → %s', (action, state, severity, to) => {
    expect(transition(action, { state, severity })).toEqual({ ok: true, to })
  })

  it('resumes to the state before waiting', () => {
    expect(transition('resume', { state: 'waiting_resident', severity: 'complex', stateBeforeWait: 'replied' })).toEqual(
      { ok: true, to: 'replied' },
    )
    expect(transition('resume', { state: 'waiting_resident', severity: 'simple' }).ok).toBe(false)
  })

  it.each([
    ['accept', 'accepted'],
    ['resolve', 'submitted'],
    ['close', 'accepted'],
    ['chase', 'resolved'],
    ['chase', 'closed'],
    ['reject', 'resolved'],
    ['wait', 'submitted'],
    ['merge', 'closed'],
  ] as const)('refuses %s from %s with a Chinese reason', (action, state) => {
    const result = transition(action, { state, severity: 'simple' })
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.reason).toMatch(/状态下不能执行此操作/)
  })

  it('only complex requests take a reply', () => {
    const result = transition('reply', { state: 'accepted', severity: 'simple' })
    expect(result).toEqual({ ok: false, reason: '只有复杂问题需要此操作' })
  })

  it('final states allow nothing', () => {
    for (const state of ['closed', 'rejected', 'merged'] as const) {
      expect(legalActions({ state, severity: 'complex' })).toEqual([])
    }
  })

  it('every action names only real states', () => {
    for (const action of Object.keys(TRANSITIONS) as TicketAction[]) {
      for (const from of TRANSITIONS[action].from) expect(TICKET_STATES).toContain(from)
    }
  })
})

describe('nextDeadline', () => {
  const d = (h: number) => new Date(Date.UTC(2026, 0, 1, h))
  const base = { acceptBy: d(1), replyBy: d(2), resolveBy: d(3) }
  it.each([
    ['submitted', 'simple', d(1)],
    ['accepted', 'simple', d(3)],
    ['accepted', 'complex', d(2)],
    ['replied', 'complex', d(3)],
    ['waiting_resident', 'complex', null],
    ['resolved', 'simple', null],
    ['closed', 'simple', null],
    ['merged', 'complex', null],
  ] as const)('%s (%s) → the deadline owed now', (state, severity, expected) => {
    expect(nextDeadline({ ...base, state, severity })).toEqual(expected)
  })
})

describe('messages that name a state', () => {
  it.each(TICKET_STATES)('%s: a refusal names the state once, without doubling a character', (state) => {
    for (const [subject, refusal] of [
      ['这条诉求', '不能再关注'],
      ['要合并到的诉求', '不能合并'],
    ]) {
      const message = stateRefusal(subject, state, refusal)
      expect(message).toContain(TICKET_STATE_LABELS[state])
      expect(message).not.toMatch(DOUBLED)
    }
  })

  it('the closed state reads 已销号, not 已已销号', () => {
    expect(stateRefusal('这条诉求', 'closed', '不能再关注')).toBe('这条诉求已销号，不能再关注')
  })

  it.each(TICKET_STATES)('%s: no refusal of the transition table doubles a character', (state) => {
    for (const action of Object.keys(TRANSITIONS) as TicketAction[]) {
      for (const severity of ['simple', 'complex'] as const) {
        const result = transition(action, { state, severity, stateBeforeWait: null })
        if (result.ok) continue
        // As the server sends it: the reason, then the current state.
        expect(`${result.reason}（当前状态：${TICKET_STATE_LABELS[state]}）`).not.toMatch(DOUBLED)
      }
    }
  })
})

describe('stateLabel', () => {
  it('says 重新办理 for a request a low rating sent back, while it is accepted again', () => {
    expect(stateLabel({ state: 'accepted', reopened: true })).toBe(REOPENED_LABEL)
    expect(REOPENED_LABEL).toBe('重新办理')
  })

  it.each(TICKET_STATES)('%s: the plain label when never reopened, and in every other state', (state) => {
    expect(stateLabel({ state })).toBe(TICKET_STATE_LABELS[state])
    expect(stateLabel({ state, reopened: false })).toBe(TICKET_STATE_LABELS[state])
    if (state !== 'accepted') expect(stateLabel({ state, reopened: true })).toBe(TICKET_STATE_LABELS[state])
  })
})
