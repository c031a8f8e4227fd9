import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ErrorBodySchema, TicketViewSchema, type TicketView } from '@mq/shared'
import { startTestModule, type TestApp } from '../../test/app'
import {
  authHeader,
  makeCompound,
  makeResident,
  makeStaff,
  makeTicket,
  uploadPhoto,
  type CompoundFixture,
} from '../../test/factories'
import { Clock } from '../common/clock'
import type { Resident } from '../residents/resident.entity'
import type { Staff } from '../staff/staff.entity'
import { TicketsModule } from './tickets.module'

/** A Shanghai wall-clock time as an instant. */
const sh = (local: string) => new Date(`${local.replace(' ', 'T')}:00+08:00`)

describe('the thread between reporter and handlers, and 撤回', () => {
  let t: TestApp
  let c: CompoundFixture
  let other: CompoundFixture
  let pm: Staff
  let gridLead: Staff
  let otherPm: Staff
  let reporter: Resident
  let stranger: Resident
  let now: Date
  let dataDir: string
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mq-thread-'))
    t = await startTestModule({ imports: [TicketsModule], http: true, env: { DATA_DIR: dataDir } })
    jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => new Date(now))
    now = sh('2026-03-02 10:00') // a Monday
    c = await makeCompound(t, [1])
    other = await makeCompound(t, [1])
    pm = await makeStaff(t, 'property_manager', c.compound, '物业王')
    gridLead = await makeStaff(t, 'grid_lead', c.compound, '网格长陈')
    otherPm = await makeStaff(t, 'property_manager', other.compound, '物业赵')
    reporter = await makeResident(t)
    stranger = await makeResident(t)
  })
  afterAll(async () => {
    await t.close()
    await rm(dataDir, { recursive: true, force: true })
  })

  const call = async (
    who: { staff: Staff } | { resident: Resident },
    method: 'GET' | 'POST',
    url: string,
    payload?: Record<string, unknown>,
  ) => t.app.inject({ method, url, payload, headers: await authHeader(t, who) })
  const ok = async (res: Awaited<ReturnType<typeof call>>): Promise<TicketView> => {
    if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`)
    return TicketViewSchema.parse(res.json())
  }
  const told = (ticketId: string, type: string) =>
    t.dataSource.query<{ recipient_id: string }[]>(
      'SELECT recipient_id FROM notification_outbox WHERE ticket_id = $1 AND type = $2',
      [ticketId, type],
    )
  const ticket = (state: 'submitted' | 'accepted' | 'waiting_resident') =>
    makeTicket(t, { unit: c.units[0][0], resident: reporter, state })

  it('an answer to 请居民补充 resumes the request at once; the deadline moves by the pause', async () => {
    const asked = await ticket('accepted')
    const dueBefore = (await ok(await call({ staff: pm }, 'GET', `/api/requests/${asked.id}`))).resolveBy!
    const waiting = await ok(
      await call({ staff: pm }, 'POST', `/api/requests/${asked.id}/wait`, { question: '灯在几楼？' }),
    )
    expect(waiting).toMatchObject({ state: 'waiting_resident', nextDueAt: null })
    expect(waiting.viewer.commands).not.toContain('withdraw')

    now = new Date(now.getTime() + 3 * 3_600_000)
    const photoId = await uploadPhoto(t, { resident: reporter })
    const answered = await ok(
      await call({ resident: reporter }, 'POST', `/api/requests/${asked.id}/messages`, {
        text: '三楼楼梯口',
        photoIds: [photoId],
      }),
    )
    expect(answered.state).toBe('accepted')
    expect(new Date(answered.resolveBy!).getTime() - new Date(dueBefore).getTime()).toBe(3 * 3_600_000)
    expect(answered.nextDueAt).toBe(answered.resolveBy)
    const message = answered.timeline.find((e) => e.type === 'message')
    expect(message).toMatchObject({
      actor: { kind: 'resident' },
      data: { kind: 'answer', text: '三楼楼梯口', photoIds: [photoId] },
    })
    expect(answered.timeline.at(-1)).toMatchObject({ type: 'resumed', data: { pausedMinutes: 180 } })
    // The answer's photo shows in the thread, not among the problem's photos, and the reporter may read it.
    expect(answered.photos.report).toEqual([])
    const photo = await call({ resident: reporter }, 'GET', `/api/requests/${asked.id}/photos/${photoId}`)
    expect(photo.statusCode).toBe(200)
    expect((await told(asked.id, 'resident_answered')).map((r) => r.recipient_id)).toEqual([pm.id])
    // The handler reads it.
    const theirs = await ok(await call({ staff: pm }, 'GET', `/api/requests/${asked.id}`))
    expect(theirs.timeline.some((e) => e.type === 'message' && e.data.text === '三楼楼梯口')).toBe(true)
  })

  it('on any other open request it is an addition: no state change, the handler is told', async () => {
    const open = await ticket('accepted')
    const view = await ok(
      await call({ resident: reporter }, 'POST', `/api/requests/${open.id}/messages`, { text: '晚上更暗' }),
    )
    expect(view.state).toBe('accepted')
    expect(view.timeline.at(-1)).toMatchObject({
      type: 'message',
      data: { kind: 'addition', text: '晚上更暗' },
    })
    expect((await told(open.id, 'resident_added')).map((r) => r.recipient_id)).toEqual([pm.id])
    expect(await told(open.id, 'resident_answered')).toEqual([])
  })

  it('a handler writes to the reporter; followers never see the thread', async () => {
    const open = await ticket('accepted')
    await ok(
      await call({ staff: pm }, 'POST', `/api/requests/${open.id}/staff-messages`, {
        text: '师傅下午三点到',
      }),
    )
    await ok(
      await call({ resident: reporter }, 'POST', `/api/requests/${open.id}/messages`, { text: '好的' }),
    )
    const follower = await makeResident(t)
    await ok(
      await call({ resident: follower }, 'POST', `/api/requests/${open.id}/follow`, {
        token: c.tokens[0][0],
      }),
    )
    const theirs = await ok(await call({ resident: follower }, 'GET', `/api/requests/${open.id}`))
    expect(theirs.timeline.some((e) => e.type === 'message')).toBe(false)
    expect(theirs.viewer.commands).not.toContain('message')
    const reporters = await ok(await call({ resident: reporter }, 'GET', `/api/requests/${open.id}`))
    expect(reporters.timeline.filter((e) => e.type === 'message').map((e) => e.data.text)).toEqual([
      '师傅下午三点到',
      '好的',
    ])
    expect(reporters.viewer.commands).toContain('message')
    // A follower writing is as for a stranger: no such request.
    expect(
      (await call({ resident: follower }, 'POST', `/api/requests/${open.id}/messages`, { text: '我也是' }))
        .statusCode,
    ).toBe(404)
  })

  it('the reporter alone hears the handler’s question and messages; a proxy entry’s filer hears them instead', async () => {
    const outbox = (ticketId: string) =>
      t.dataSource.query<{ recipient_kind: string; recipient_id: string; type: string; payload: Record<string, unknown> }[]>(
        `SELECT recipient_kind, recipient_id, type, payload FROM notification_outbox
          WHERE ticket_id = $1 AND type IN ('asked', 'messaged') ORDER BY id`,
        [ticketId],
      )
    const open = await ticket('accepted')
    const follower = await makeResident(t)
    await ok(await call({ resident: follower }, 'POST', `/api/requests/${open.id}/follow`, { token: c.tokens[0][0] }))
    await ok(await call({ staff: pm }, 'POST', `/api/requests/${open.id}/wait`, { question: '灯在几楼？' }))
    await ok(await call({ resident: reporter }, 'POST', `/api/requests/${open.id}/messages`, { text: '三楼' }))
    await ok(await call({ staff: pm }, 'POST', `/api/requests/${open.id}/staff-messages`, { text: '师傅下午三点到' }))
    expect(await outbox(open.id)).toEqual([
      {
        recipient_kind: 'resident',
        recipient_id: reporter.id,
        type: 'asked',
        payload: expect.objectContaining({ question: '灯在几楼？', number: expect.stringMatching(/^MQ\d{6}$/) }),
      },
      {
        recipient_kind: 'resident',
        recipient_id: reporter.id,
        type: 'messaged',
        payload: expect.objectContaining({ text: '师傅下午三点到' }),
      },
    ])
    // The reporter's own answer tells the handler, never the reporter.
    expect((await told(open.id, 'resident_answered')).map((r) => r.recipient_id)).toEqual([pm.id])

    const proxied = await makeTicket(t, {
      unit: c.units[0][0],
      proxy: { name: '张阿姨', phone: null, staff: gridLead },
      state: 'accepted',
    })
    await ok(await call({ staff: pm }, 'POST', `/api/requests/${proxied.id}/wait`, { question: '几点在家？' }))
    await ok(await call({ staff: pm }, 'POST', `/api/requests/${proxied.id}/staff-messages`, { text: '明天上午到' }))
    expect((await outbox(proxied.id)).map((r) => [r.type, r.recipient_kind, r.recipient_id])).toEqual([
      ['asked', 'staff', gridLead.id],
      ['messaged', 'staff', gridLead.id],
    ])
    // The filer writing in the thread themselves is not told of their own words.
    await ok(await call({ staff: gridLead }, 'POST', `/api/requests/${proxied.id}/staff-messages`, { text: '已转告' }))
    expect(await outbox(proxied.id)).toHaveLength(2)
  })

  it('another resident and staff of another compound get 404; nothing is written', async () => {
    const open = await ticket('waiting_resident')
    for (const who of [{ resident: stranger }, { staff: otherPm }] as const) {
      for (const [path, body] of [
        ['messages', { text: '你好' }],
        ['withdraw', {}],
        ['staff-messages', { text: '你好' }],
      ] as const) {
        const res = await call(who, 'POST', `/api/requests/${open.id}/${path}`, body)
        // A resident is refused the staff route by role before the request is looked at (403).
        expect(res.statusCode).toBe('resident' in who && path === 'staff-messages' ? 403 : 404)
      }
    }
    const [row] = await t.dataSource.query<{ state: string }[]>('SELECT state FROM ticket WHERE id = $1', [
      open.id,
    ])
    expect(row.state).toBe('waiting_resident')
  })

  it('refuses bad input with 400 in the product shape', async () => {
    const open = await ticket('accepted')
    const post = (body: Record<string, unknown>) =>
      call({ resident: reporter }, 'POST', `/api/requests/${open.id}/messages`, body)
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ text: '字'.repeat(501) }, /不能超过500字/],
      [{ text: '   ' }, /请填写留言、附上照片或语音/],
      [{}, /请填写留言、附上照片或语音/],
      [{ text: '看图', photoIds: ['00000000-0000-4000-8000-000000000000'] }, /照片无效/],
      [{ text: '看图', photoIds: ['not-a-uuid'] }, /./],
    ]
    for (const [body, message] of cases) {
      const res = await post(body)
      expect(res.statusCode).toBe(400)
      const error = ErrorBodySchema.parse(res.json())
      expect(error.code).toBe('VALIDATION_FAILED')
      expect(`${error.message} ${JSON.stringify(error.details)}`).toMatch(message)
    }
    const reason = await call({ resident: reporter }, 'POST', `/api/requests/${open.id}/withdraw`, {
      reason: '因'.repeat(201),
    })
    expect(reason.statusCode).toBe(400)
  })

  it('withdraws before acceptance: final, timers gone, the handler told; after acceptance 409', async () => {
    const fresh = await ticket('submitted')
    expect(
      (await ok(await call({ resident: reporter }, 'GET', `/api/requests/${fresh.id}`))).viewer.commands,
    ).toContain('withdraw')
    const view = await ok(
      await call({ resident: reporter }, 'POST', `/api/requests/${fresh.id}/withdraw`, {
        reason: '自己修好了',
      }),
    )
    expect(view.state).toBe('withdrawn')
    expect(view.nextDueAt).toBeNull()
    expect(view.viewer.commands).toEqual([])
    expect(view.timeline.at(-1)).toMatchObject({ type: 'withdrawn', data: { reason: '自己修好了' } })
    const [timers] = await t.dataSource.query<{ n: string }[]>(
      "SELECT count(*) AS n FROM deadline_timer WHERE ticket_id = $1 AND status = 'pending'",
      [fresh.id],
    )
    expect(Number(timers.n)).toBe(0)
    expect((await told(fresh.id, 'withdrawn')).map((r) => r.recipient_id)).toEqual([pm.id])
    // A follower sees that it was withdrawn, not the reporter's reason.
    const follower = await makeResident(t)
    await t.dataSource.query('INSERT INTO ticket_follower (ticket_id, resident_id, created_at) VALUES ($1, $2, now())', [
      fresh.id,
      follower.id,
    ])
    const theirs = await ok(await call({ resident: follower }, 'GET', `/api/requests/${fresh.id}`))
    expect(theirs.state).toBe('withdrawn')
    expect(JSON.stringify(theirs.timeline)).not.toContain('自己修好了')
    // Nothing more: no message, no second withdrawal.
    expect(
      (await call({ resident: reporter }, 'POST', `/api/requests/${fresh.id}/messages`, { text: '?' }))
        .statusCode,
    ).toBe(409)

    const accepted = await ticket('accepted')
    const late = await call({ resident: reporter }, 'POST', `/api/requests/${accepted.id}/withdraw`, {})
    expect(late.statusCode).toBe(409)
    expect(ErrorBodySchema.parse(late.json())).toMatchObject({
      code: 'ILLEGAL_TRANSITION',
      message: expect.stringContaining('已受理，不能撤回'),
    })
  })
})
