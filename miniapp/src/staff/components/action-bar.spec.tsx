import { fireEvent, render, screen } from '@testing-library/react'
import {
  SEVERITIES,
  TICKET_COMMANDS,
  TICKET_STATES,
  TRANSITIONS,
  transition,
  type Role,
  type Severity,
  type TicketCommand,
  type TicketState,
  type TicketView,
} from '@mq/shared'
import { STAFF_BUTTONS, stateBeforeWait } from '../actions'
import { ActionBar } from './action-bar'

type Ticket = Pick<TicketView, 'state' | 'severity' | 'promise' | 'viewer'>

const PROMISE = { plan: '约双方调解', promisedAt: '2026-11-28T15:59:59.999Z', repliedAt: '2026-11-21T03:00:00.000Z' }

function ticket(state: TicketState, severity: Severity, commands: readonly TicketCommand[] = TICKET_COMMANDS): Ticket {
  return {
    state,
    severity,
    // A replied request (or one waiting after its reply) carries this round's public commitment.
    promise: state === 'replied' ? PROMISE : null,
    viewer: { relation: 'coordinator', commands: [...commands], nextChaseAt: null },
  }
}

function member(role: Role) {
  return { memberships: [{ id: 'm1', role, roleLabel: '', place: { id: 'p1', kind: 'compound' as const, name: '石灰桥新村' } }] }
}

const GRID_LEAD = member('grid_lead')

function shownCommands(): string[] {
  return screen.queryAllByRole('button').map((b) => b.getAttribute('data-testid')!.replace(/^action-/, ''))
}

/** What the shared transition table says, asked through shared `transition()` itself. */
function legalByTable(t: Ticket): TicketCommand[] {
  const check = { state: t.state, severity: t.severity, stateBeforeWait: t.state === 'waiting_resident' ? 'accepted' as const : null }
  return STAFF_BUTTONS.filter((b) => transition(b.action, check).ok).map((b) => b.command)
}

describe('ActionBar: the buttons follow the shared transition table', () => {
  const cases = TICKET_STATES.flatMap((state) => SEVERITIES.map((severity) => [state, severity] as const))

  it.each(cases)('%s (%s): exactly the legal actions', (state, severity) => {
    const t = ticket(state, severity)
    render(<ActionBar ticket={t} me={GRID_LEAD} active={null} onPick={() => undefined} />)
    const expected = legalByTable(t)
    expect(shownCommands().sort()).toEqual([...expected].sort())
    // Nothing the table forbids, ever: every shown button's transition is legal from this state.
    for (const command of shownCommands()) {
      const button = STAFF_BUTTONS.find((b) => b.command === command)!
      expect(TRANSITIONS[button.action].from).toContain(state)
    }
  })

  it('a new request: accept, transfer, co-handlers, merge, note, chase, reject; no reply or resolve yet', () => {
    render(<ActionBar ticket={ticket('submitted', 'simple')} me={GRID_LEAD} active={null} onPick={() => undefined} />)
    expect(shownCommands()).toEqual(['accept', 'transfer', 'co_handlers', 'merge', 'note', 'chase', 'reject'])
  })

  it('reply is offered for an accepted complex request only', () => {
    const { unmount } = render(
      <ActionBar ticket={ticket('accepted', 'complex')} me={GRID_LEAD} active={null} onPick={() => undefined} />,
    )
    expect(shownCommands()).toContain('reply')
    unmount()
    render(<ActionBar ticket={ticket('accepted', 'simple')} me={GRID_LEAD} active={null} onPick={() => undefined} />)
    expect(shownCommands()).not.toContain('reply')
    expect(shownCommands()).toContain('resolve')
  })

  it('waiting for the resident: resume instead of wait, resolve or reject', () => {
    render(<ActionBar ticket={ticket('waiting_resident', 'complex')} me={GRID_LEAD} active={null} onPick={() => undefined} />)
    expect(shownCommands()).toContain('resume')
    for (const gone of ['wait', 'resolve', 'reject', 'accept', 'reply']) expect(shownCommands()).not.toContain(gone)
  })

  it('finished requests offer nothing', () => {
    for (const state of ['closed', 'rejected', 'merged'] as const) {
      const { unmount } = render(
        <ActionBar ticket={ticket(state, 'complex')} me={GRID_LEAD} active={null} onPick={() => undefined} />,
      )
      expect(screen.queryAllByRole('button')).toHaveLength(0)
      expect(screen.getByTestId('actions-none')).toBeInTheDocument()
      unmount()
    }
  })

  it('a resolved proxy entry: the 回访 rating and a note, nothing else', () => {
    render(<ActionBar ticket={ticket('resolved', 'simple')} me={GRID_LEAD} active={null} onPick={() => undefined} />)
    expect(shownCommands()).toEqual(['note', 'rate'])
  })
})

describe('ActionBar: the caller', () => {
  it("shows only what the server offers for the caller's relation to the request", () => {
    // In scope but neither handler nor coordinator: notes only, although accepting is legal.
    render(
      <ActionBar ticket={ticket('submitted', 'simple', ['note'])} me={member('police')} active={null} onPick={() => undefined} />,
    )
    expect(shownCommands()).toEqual(['note'])
  })

  it('never shows handling actions to a role that may not handle requests (shared policy)', () => {
    render(
      <ActionBar
        ticket={ticket('accepted', 'complex')}
        me={member('community_supervisor')}
        active={null}
        onPick={() => undefined}
      />,
    )
    for (const command of ['accept', 'reply', 'resolve', 'reject', 'transfer', 'co_handlers', 'wait', 'merge', 'note']) {
      expect(shownCommands()).not.toContain(command)
    }
  })

  it('does not offer the handler a chase of a request on their own desk', () => {
    const own = { ...ticket('submitted', 'simple'), viewer: { relation: 'handler' as const, commands: [...TICKET_COMMANDS], nextChaseAt: null } }
    render(<ActionBar ticket={own} me={GRID_LEAD} active={null} onPick={() => undefined} />)
    expect(shownCommands()).toContain('accept')
    expect(shownCommands()).not.toContain('chase')
  })

  it('tells which action was picked', () => {
    const onPick = jest.fn()
    render(<ActionBar ticket={ticket('submitted', 'complex')} me={GRID_LEAD} active={null} onPick={onPick} />)
    fireEvent.click(screen.getByTestId('action-accept'))
    expect(onPick).toHaveBeenCalledWith('accept')
  })
})

describe('stateBeforeWait', () => {
  it('is the replied state when the request holds its commitment, else accepted', () => {
    expect(stateBeforeWait({ state: 'waiting_resident', promise: PROMISE })).toBe('replied')
    expect(stateBeforeWait({ state: 'waiting_resident', promise: null })).toBe('accepted')
    expect(stateBeforeWait({ state: 'accepted', promise: null })).toBeNull()
  })
})
