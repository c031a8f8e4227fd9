/**
 * Every legal transition of shared/src/tickets.ts, and every illegal one, through the HTTP API against the
 * real database. The cases are generated from the shared table itself, so a change
 * to the table is a change to this test.
 */
import {
  ErrorBodySchema,
  REPORTER_EVENT_TYPES,
  TICKET_STATE_LABELS,
  TICKET_STATES,
  TicketViewSchema,
  TRANSITIONS,
  transition,
  type TicketAction,
  type TicketState,
} from '@mq/shared'
import { startTestModule, type TestApp } from '../../test/app'
import {
  authHeader,
  makeCompound,
  makeResident,
  makeStaff,
  makeTicket,
  type CompoundFixture,
} from '../../test/factories'
import type { Resident } from '../residents/resident.entity'
import type { Staff } from '../staff/staff.entity'
import { TicketsModule } from './tickets.module'

describe('the transition table through the API', () => {
  let t: TestApp
  let c: CompoundFixture
  let handler: Staff
  let other: Staff
  let reporter: Resident
  beforeAll(async () => {
    t = await startTestModule({ imports: [TicketsModule], http: true })
    c = await makeCompound(t, [1])
    handler = await makeStaff(t, 'property_manager', c.compound, '物业王')
    other = await makeStaff(t, 'city_management', c.compound, '城管李')
    await makeStaff(t, 'grid_lead', c.compound)
    reporter = await makeResident(t)
  })
  afterAll(() => t.close())

  const call = async (
    who: { staff: Staff } | { resident: Resident },
    url: string,
    payload: Record<string, unknown> = {},
  ) => t.app.inject({ method: 'POST', url, payload, headers: await authHeader(t, who) })
  type Response = Awaited<ReturnType<typeof call>>

  /** A complex request (房屋漏水) in `state`, reported by `reporter`, handled by `handler`. */
  const ticketIn = async (state: TicketState) => {
    // Only its reporter withdraws a request: the factory's handler cannot take it there.
    const filed = await makeTicket(t, {
      unit: c.units[0][0],
      resident: reporter,
      category: 'leak',
      state: state === 'withdrawn' ? 'submitted' : state,
    })
    if (state === 'withdrawn') expect((await perform.withdraw(filed.id)).statusCode).toBe(200)
    return filed.id
  }

  const inAWeek = () => new Date(Date.now() + 7 * 86_400_000).toISOString()

  /** How each action is taken over HTTP, and by whom. */
  const perform: Record<TicketAction, (id: string) => Promise<Response>> = {
    accept: (id) => call({ staff: handler }, `/api/requests/${id}/accept`, {}),
    reply: (id) =>
      call({ staff: handler }, `/api/requests/${id}/reply`, { plan: '更换水管', promisedAt: inAWeek() }),
    resolve: (id) => call({ staff: handler }, `/api/requests/${id}/resolve`, { note: '已修好' }),
    close: (id) => call({ resident: reporter }, `/api/requests/${id}/rating`, { stars: 4 }),
    reopen: (id) => call({ resident: reporter }, `/api/requests/${id}/rating`, { stars: 2 }),
    reject: (id) => call({ staff: handler }, `/api/requests/${id}/reject`, { reason: '不属于本系统' }),
    merge: async (id) =>
      call({ staff: handler }, `/api/requests/${id}/merge`, { intoId: await ticketIn('submitted') }),
    wait: (id) => call({ staff: handler }, `/api/requests/${id}/wait`, { question: '请补充照片' }),
    resume: (id) => call({ staff: handler }, `/api/requests/${id}/resume`, {}),
    transfer: (id) =>
      call({ staff: handler }, `/api/requests/${id}/transfer`, { toStaffId: other.id, reason: '违建归城管' }),
    note: (id) => call({ staff: handler }, `/api/requests/${id}/notes`, { text: '已电话联系' }),
    chase: (id) => call({ resident: reporter }, `/api/requests/${id}/chase`),
    message: (id) => call({ staff: handler }, `/api/requests/${id}/staff-messages`, { text: '师傅下午到' }),
    withdraw: (id) => call({ resident: reporter }, `/api/requests/${id}/withdraw`, { reason: '已自行解决' }),
  }

  /** The timeline entry each action appends. */
  const EVENT: Record<TicketAction, string> = {
    accept: 'accepted',
    reply: 'replied',
    resolve: 'resolved',
    close: 'closed',
    reopen: 'reopened',
    reject: 'rejected',
    merge: 'merged',
    wait: 'waiting',
    resume: 'resumed',
    transfer: 'transferred',
    note: 'noted',
    chase: 'chased',
    message: 'message',
    withdraw: 'withdrawn',
  }

  type Case = { action: TicketAction; from: TicketState; before: TicketState | null }
  const legal: Case[] = (Object.keys(TRANSITIONS) as TicketAction[]).flatMap((action): Case[] =>
    TRANSITIONS[action].from.flatMap((from): Case[] =>
      // Resuming returns to the state before waiting: both kinds.
      action === 'resume'
        ? (['accepted', 'replied'] as const).map((before) => ({ action, from, before }))
        : [{ action, from, before: null }],
    ),
  )

  it.each(legal)(
    '$action from $from (before waiting: $before) succeeds',
    async ({ action, from, before }) => {
      let id: string
      if (action === 'resume') {
        id = await ticketIn(before!)
        expect((await perform.wait(id)).statusCode).toBe(200)
      } else {
        id = await ticketIn(from)
      }
      const expected = transition(action, { state: from, severity: 'complex', stateBeforeWait: before })
      if (!expected.ok) throw new Error(expected.reason)
      const res = await perform[action](id)
      expect(res.statusCode).toBe(200)
      const view = TicketViewSchema.parse(res.json())
      expect(view.state).toBe(expected.to)
      expect(view.timeline.map((e) => e.type)).toContain(EVENT[action])
      // The reporter sees public entries and their thread only; notes stay internal.
      const theirs = TicketViewSchema.parse(
        (
          await t.app.inject({
            method: 'GET',
            url: `/api/requests/${id}`,
            headers: await authHeader(t, { resident: reporter }),
          })
        ).json(),
      )
      expect(theirs.timeline.every((e) => e.public || REPORTER_EVENT_TYPES.includes(e.type))).toBe(true)
      expect(theirs.timeline.some((e) => e.type === 'noted')).toBe(false)
    },
  )

  describe('illegal transitions answer 409 ILLEGAL_TRANSITION naming the current state, and change nothing', () => {
    const illegal = (Object.keys(TRANSITIONS) as TicketAction[]).flatMap((action) =>
      TICKET_STATES.filter((state) => !TRANSITIONS[action].from.includes(state)).map((state) => ({
        action,
        state,
      })),
    )
    const tickets = new Map<TicketState, string>()
    beforeAll(async () => {
      for (const state of TICKET_STATES) tickets.set(state, await ticketIn(state))
    })

    it.each(illegal)('$action from $state', async ({ action, state }) => {
      const id = tickets.get(state)!
      const res = await perform[action](id)
      expect(res.statusCode).toBe(409)
      const body = ErrorBodySchema.parse(res.json())
      expect(body.code).toBe('ILLEGAL_TRANSITION')
      expect(body.message).toContain(TICKET_STATE_LABELS[state])
      expect(body.details).toEqual([{ path: 'state', message: state }])
      const after = await t.dataSource.query<{ state: string }[]>('SELECT state FROM ticket WHERE id = $1', [
        id,
      ])
      expect(after[0].state).toBe(state)
    })

    it('a reply on a simple request is refused: only complex requests take one', async () => {
      const simple = await makeTicket(t, {
        unit: c.units[0][0],
        resident: reporter,
        category: 'facilities',
        state: 'accepted',
      })
      const res = await perform.reply(simple.id)
      expect(res.statusCode).toBe(409)
      expect(res.json().message).toMatch(/只有复杂问题/)
    })
  })
})
