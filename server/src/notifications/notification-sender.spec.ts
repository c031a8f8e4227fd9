/**
 * The notification sender against a fake WeChat on loopback: a send, token expiry and refresh,
 * rate limits retried with backoff, 43101 not retried, no consent → no send, the admins' failed list and
 * retry, staff through WeChat where bound and in the app. Time moves through the injectable clock.
 */
import { NotificationPageSchema } from '@mq/shared'
import { startTestModule, type TestApp } from '../../test/app'
import { scratchDatabase } from '../../test/database'
import {
  authHeader,
  makeCompound,
  makeResident,
  makeStaff,
  makeTicket,
  moveTicket,
  type CompoundFixture,
} from '../../test/factories'
import { fakeOpenid, startFakeWechat, wechatEnv, type FakeWechat } from '../../test/fake-wechat'
import { Clock } from '../common/clock'
import type { Resident } from '../residents/resident.entity'
import type { Staff } from '../staff/staff.entity'
import { NotificationSender } from './notification-sender'
import { NotificationsModule } from './notifications.module'
import { TicketsModule } from '../tickets/tickets.module'

const TEMPLATES = {
  accepted: 'tmpl-accepted',
  replied: 'tmpl-replied',
  resolved: 'tmpl-resolved',
  rejected: 'tmpl-rejected',
  assigned: 'tmpl-assigned',
  warning: 'tmpl-warning',
}

describe('sending notifications through WeChat subscription messages', () => {
  let fake: FakeWechat
  let db: { url: string; drop(): Promise<void> }
  let t: TestApp
  let c: CompoundFixture
  let other: CompoundFixture
  let pm: Staff
  let admin: Staff
  let otherAdmin: Staff
  let now: Date

  beforeAll(async () => {
    fake = await startFakeWechat()
    db = await scratchDatabase('mq_notify')
    t = await startTestModule({
      imports: [NotificationsModule, TicketsModule],
      http: true,
      env: {
        ...wechatEnv(fake, 1000),
        WECHAT_TEMPLATES: Object.entries(TEMPLATES)
          .map(([event, id]) => `${event}=${id}`)
          .join(','),
        NOTIFY_RETRY_BASE_MS: '1000',
        NOTIFY_MAX_ATTEMPTS: '4',
        NOTIFY_LEASE_MS: '60000',
      },
      databaseUrl: db.url,
    })
    now = new Date('2026-07-01T02:00:00Z')
    jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => new Date(now))
    c = await makeCompound(t, [1])
    other = await makeCompound(t, [1])
    pm = await makeStaff(t, 'property_manager', c.compound, '物业王')
    admin = await makeStaff(t, 'admin', c.community, '管理员')
    otherAdmin = await makeStaff(t, 'admin', other.community, '别处管理员')
  })
  afterAll(async () => {
    await t.close()
    await db.drop()
    await fake.close()
  })

  const sender = () => t.app.get(NotificationSender)
  const run = async () => (await sender().runDue(50)).deliveries
  const later = (ms: number) => (now = new Date(now.getTime() + ms))
  const call = async (
    who: { staff: Staff } | { resident: Resident },
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    payload?: Record<string, unknown>,
  ) => t.app.inject({ method, url, payload, headers: await authHeader(t, who) })
  const consent = async (resident: Resident, ...templateIds: string[]) => {
    const res = await call({ resident }, 'POST', '/api/notifications/consents', { accepted: templateIds })
    expect(res.statusCode).toBe(200)
    return res.json()
  }
  const unspent = async (resident: Resident, templateId: string) =>
    (
      (await call({ resident }, 'GET', '/api/notifications/consents')).json().templates as {
        templateId: string
        unspent: number
      }[]
    ).find((x) => x.templateId === templateId)!.unspent
  /** A request of `resident`, accepted by its handler: one `accepted` message to the resident. */
  const acceptedFor = async (resident: Resident) => {
    const ticket = await makeTicket(t, { unit: c.units[0][0], resident })
    await moveTicket(t, ticket.id, 'accepted')
    const [row] = await t.dataSource.query<{ id: string }[]>(
      `SELECT id FROM notification_outbox WHERE ticket_id = $1 AND type = 'accepted'`,
      [ticket.id],
    )
    return { ticket, outboxId: String(row.id) }
  }
  const row = async (id: string) =>
    (
      await t.dataSource.query<
        { status: string; attempts: number; last_error: string | null; next_attempt_at: Date }[]
      >('SELECT status, attempts, last_error, next_attempt_at FROM notification_outbox WHERE id = $1', [id])
    )[0]
  const sendsFor = (resident: Resident) => fake.sends.filter((s) => s.touser === resident.openid)

  it('sends a resident’s message once, against their consent, and spends it', async () => {
    const resident = await makeResident(t)
    expect((await consent(resident, TEMPLATES.accepted)).templates).toEqual([
      { type: 'accepted', templateId: TEMPLATES.accepted, unspent: 1 },
      { type: 'replied', templateId: TEMPLATES.replied, unspent: 0 },
      { type: 'resolved', templateId: TEMPLATES.resolved, unspent: 0 },
      { type: 'rejected', templateId: TEMPLATES.rejected, unspent: 0 },
    ])
    const { ticket, outboxId } = await acceptedFor(resident)
    const tokensBefore = fake.tokenCalls
    const deliveries = await run()
    expect(deliveries).toContainEqual({ id: outboxId, status: 'sent', error: null })
    expect(sendsFor(resident)).toEqual([
      expect.objectContaining({
        template_id: TEMPLATES.accepted,
        // The resident's page of the request (a page of the shared table, so of app.json).
        page: `pages/detail/index?id=${ticket.id}`,
        miniprogram_state: 'formal',
        answer: { errcode: 0 },
        data: {
          character_string1: { value: expect.stringMatching(/^MQ\d{6}$/) },
          thing2: { value: '公共设施报修' },
          phrase3: { value: '已受理' },
          time4: { value: '2026年7月1日 10:00' },
          thing5: { value: expect.stringMatching(/^预计.+前办理$/) },
        },
      }),
    ])
    expect(fake.tokenCalls - tokensBefore).toBeLessThanOrEqual(1)
    expect(await row(outboxId)).toMatchObject({ status: 'sent', attempts: 1 })
    expect(await unspent(resident, TEMPLATES.accepted)).toBe(0)
    // The handler's assignment: no WeChat bound, so in the app only.
    const [assigned] = await t.dataSource.query(
      `SELECT status, last_error FROM notification_outbox WHERE ticket_id = $1 AND type = 'assigned'`,
      [ticket.id],
    )
    expect(assigned).toEqual({ status: 'skipped', last_error: 'no WeChat bound (in-app only)' })
    expect(await run()).toEqual([])
    expect(sendsFor(resident)).toHaveLength(1)
  })

  it('no consent, no send: the message is skipped and WeChat never hears of it', async () => {
    const resident = await makeResident(t)
    await consent(resident, TEMPLATES.resolved) // a consent, but for another template
    const { outboxId } = await acceptedFor(resident)
    expect(await run()).toContainEqual({
      id: outboxId,
      status: 'skipped',
      error: 'no unspent subscription consent; no verified mobile number',
    })
    expect(sendsFor(resident)).toEqual([])
    // An H5 resident has no openid at all.
    const browser = await makeResident(t, { openid: null })
    const h5 = await acceptedFor(browser)
    expect(await run()).toContainEqual({
      id: h5.outboxId,
      status: 'skipped',
      error: 'recipient has no WeChat account; no verified mobile number',
    })
    expect(await unspent(resident, TEMPLATES.resolved)).toBe(1)
  })

  it('settles deliveries together, each by its own claim and consent: a claim lost meanwhile writes nothing', async () => {
    await run()
    const [sent, skipped, lost] = [await makeResident(t), await makeResident(t), await makeResident(t)]
    await consent(sent, TEMPLATES.accepted)
    await consent(lost, TEMPLATES.accepted)
    const ids = [
      (await acceptedFor(sent)).outboxId,
      (await acceptedFor(skipped)).outboxId,
      (await acceptedFor(lost)).outboxId,
    ]
    // Claimed with whatever else is due (the handler's assignments): all delivered side by side.
    const claimed = await sender().claim(50)
    expect(claimed.filter((r) => ids.includes(r.id))).toHaveLength(3)
    // Another instance took the third over (its lease ran out, say) before this one settles it.
    await t.dataSource.query(`UPDATE notification_outbox SET claim_token = 'another' WHERE id = $1`, [ids[2]])
    const all = await Promise.all(claimed.map((r) => sender().deliver(r)))
    const deliveries = ids.map((id) => all.find((d) => d.id === id)!)
    expect(deliveries.map(({ id, status, lostClaim }) => ({ id, status, lost: lostClaim ?? false }))).toEqual(
      [
        { id: ids[0], status: 'sent', lost: false },
        { id: ids[1], status: 'skipped', lost: false },
        { id: ids[2], status: 'sent', lost: true },
      ],
    )
    expect((await Promise.all(ids.map(row))).map((r) => r.status)).toEqual(['sent', 'skipped', 'sending'])
    // The settled send spent its consent; the lost one's consent stays reserved for its new holder.
    expect(await unspent(sent, TEMPLATES.accepted)).toBe(0)
    const [held] = await t.dataSource.query<{ spent_at: Date | null; notification_id: string | null }[]>(
      `SELECT spent_at, notification_id FROM subscription_consent WHERE resident_id = $1`,
      [lost.id],
    )
    expect({ spent: held.spent_at, holder: String(held.notification_id) }).toEqual({
      spent: null,
      holder: ids[2],
    })
    // Its new holder settles it (the later specs start from an empty outbox).
    await t.dataSource.query(
      `UPDATE notification_outbox SET status = 'skipped', claim_token = NULL, lease_until = NULL WHERE id = $1`,
      [ids[2]],
    )
  })

  it('refreshes the shared access token when WeChat says it expired (42001) or is invalid (40001)', async () => {
    const resident = await makeResident(t)
    await consent(resident, TEMPLATES.accepted, TEMPLATES.accepted, TEMPLATES.accepted)
    const first = await acceptedFor(resident)
    await run()
    const token = async () =>
      (
        await t.dataSource.query<{ access_token: string }[]>('SELECT access_token FROM wechat_access_token')
      )[0].access_token
    const tokenBefore = await token()
    const callsBefore = fake.tokenCalls

    fake.expireTokens(42001)
    const second = await acceptedFor(resident)
    expect(await run()).toContainEqual({ id: second.outboxId, status: 'sent', error: null })
    fake.expireTokens(40001)
    const third = await acceptedFor(resident)
    expect(await run()).toContainEqual({ id: third.outboxId, status: 'sent', error: null })

    expect(sendsFor(resident).map((s) => ('errcode' in s.answer ? s.answer.errcode : s.answer.http))).toEqual(
      [
        0, // first, on the cached token
        42001,
        0, // second, on a fresh token
        40001,
        0, // third, on another fresh token
      ],
    )
    expect(fake.tokenCalls - callsBefore).toBe(2)
    expect(await token()).not.toBe(tokenBefore)
    // The stored token serves the next message without another fetch.
    const fourthConsent = await consent(resident, TEMPLATES.accepted)
    expect(fourthConsent.templates[0].unspent).toBe(1)
    const fourth = await acceptedFor(resident)
    expect(await run()).toContainEqual({ id: fourth.outboxId, status: 'sent', error: null })
    expect(fake.tokenCalls - callsBefore).toBe(2)
    expect(await row(first.outboxId)).toMatchObject({ status: 'sent' })
  })

  it('retries a rate limit (45009, HTTP 429) with backoff until WeChat takes it, spending one consent', async () => {
    const resident = await makeResident(t)
    await consent(resident, TEMPLATES.accepted)
    const { outboxId } = await acceptedFor(resident)
    fake.script({ errcode: 45009 }, { http: 429 })

    const start = now.getTime()
    expect(await run()).toContainEqual(expect.objectContaining({ id: outboxId, status: 'pending' }))
    expect(await row(outboxId)).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_error: expect.stringMatching(/^errcode 45009/),
    })
    expect((await row(outboxId)).next_attempt_at.getTime()).toBe(start + 1000)
    expect(await run()).toEqual([]) // not due yet
    later(1000)
    expect(await run()).toContainEqual(
      expect.objectContaining({ id: outboxId, status: 'pending', error: 'HTTP 429' }),
    )
    expect((await row(outboxId)).next_attempt_at.getTime()).toBe(now.getTime() + 2000) // doubled
    later(1999)
    expect(await run()).toEqual([])
    later(1)
    expect(await run()).toContainEqual({ id: outboxId, status: 'sent', error: null })
    expect(await row(outboxId)).toMatchObject({ status: 'sent', attempts: 3 })
    expect(sendsFor(resident).map((s) => s.answer)).toEqual([
      { errcode: 45009 },
      { http: 429 },
      { errcode: 0 },
    ])
    expect(await unspent(resident, TEMPLATES.accepted)).toBe(0)
  })

  it('43101 (the user holds no subscription) fails at once, is never retried, and uses the consent up', async () => {
    const resident = await makeResident(t)
    await consent(resident, TEMPLATES.accepted)
    const { outboxId } = await acceptedFor(resident)
    fake.script({ errcode: 43101 })
    expect(await run()).toContainEqual(expect.objectContaining({ id: outboxId, status: 'failed' }))
    later(24 * 3_600_000)
    expect(await run()).toEqual([])
    expect(sendsFor(resident)).toHaveLength(1)
    expect(await row(outboxId)).toMatchObject({
      status: 'failed',
      attempts: 1,
      last_error: expect.stringMatching(/^errcode 43101/),
    })
    expect(await unspent(resident, TEMPLATES.accepted)).toBe(0)
  })

  it('out of attempts: failed, listed for the admins of its place, and sent when they retry it', async () => {
    const resident = await makeResident(t)
    await consent(resident, TEMPLATES.accepted)
    const { ticket, outboxId } = await acceptedFor(resident)
    fake.script({ errcode: -1 }, { errcode: -1 }, { errcode: -1 }, { errcode: -1 })
    for (let attempt = 1; attempt <= 4; attempt++) {
      await run()
      later(60_000)
    }
    expect(await row(outboxId)).toMatchObject({
      status: 'failed',
      attempts: 4,
      last_error: expect.stringMatching(/^errcode -1 .*\(after 4 attempts\)$/),
    })
    expect(await unspent(resident, TEMPLATES.accepted)).toBe(1) // never used: free again

    const list = await call({ staff: admin }, 'GET', '/api/admin/notifications?status=failed')
    expect(list.statusCode).toBe(200)
    expect(list.json().items).toContainEqual(
      expect.objectContaining({
        id: outboxId,
        type: 'accepted',
        recipientKind: 'resident',
        ticketId: ticket.id,
        status: 'failed',
        attempts: 4,
      }),
    )
    expect(JSON.stringify(list.json())).not.toContain(resident.openid!)
    const elsewhere = await call({ staff: otherAdmin }, 'GET', '/api/admin/notifications?status=failed')
    expect(elsewhere.json().items.map((i: { id: string }) => i.id)).not.toContain(outboxId)
    expect(
      (await call({ staff: otherAdmin }, 'POST', `/api/admin/notifications/${outboxId}/retry`)).statusCode,
    ).toBe(404)
    expect((await call({ staff: pm }, 'POST', `/api/admin/notifications/${outboxId}/retry`)).statusCode).toBe(
      403,
    )

    const retried = await call({ staff: admin }, 'POST', `/api/admin/notifications/${outboxId}/retry`)
    expect(retried.statusCode).toBe(200)
    expect(retried.json()).toMatchObject({ status: 'pending', attempts: 0 })
    expect(await run()).toContainEqual({ id: outboxId, status: 'sent', error: null })
    expect(
      (await call({ staff: admin }, 'POST', `/api/admin/notifications/${outboxId}/retry`)).statusCode,
    ).toBe(409)
  })

  it('staff: through WeChat once they bind it (and consent), and always in the app with an unread count', async () => {
    const binding = await call({ staff: pm }, 'POST', '/api/notifications/wechat-binding', {
      code: 'user-pm-wang',
    })
    expect(binding.statusCode).toBe(200)
    expect(binding.json()).toEqual({ bound: true, boundAt: now.toISOString() })
    expect(JSON.stringify(binding.json())).not.toContain(fakeOpenid('user-pm-wang'))
    const consents = await call({ staff: pm }, 'POST', '/api/notifications/consents', {
      accepted: [TEMPLATES.assigned],
    })
    expect(consents.json().templates).toContainEqual({
      type: 'assigned',
      templateId: TEMPLATES.assigned,
      unspent: 1,
    })

    const resident = await makeResident(t)
    const ticket = await makeTicket(t, { unit: c.units[0][0], resident }) // assigned to 物业王
    await run()
    expect(fake.sends.filter((s) => s.touser === fakeOpenid('user-pm-wang'))).toEqual([
      expect.objectContaining({
        template_id: TEMPLATES.assigned,
        // Staff open the page where the request is handled.
        page: `staff/pages/request/index?id=${ticket.id}`,
        data: expect.objectContaining({ phrase3: { value: '新派单' } }),
      }),
    ])

    const inbox = await call({ staff: pm }, 'GET', '/api/notifications?unread=true')
    const page = NotificationPageSchema.parse(inbox.json())
    const mine = page.items.find((i) => i.ticketId === ticket.id)!
    expect(mine).toMatchObject({ type: 'assigned', title: '新派单', readAt: null, data: { as: 'handler' } })
    const unread = page.unread
    expect(unread).toBeGreaterThanOrEqual(1)
    const read = await call({ staff: pm }, 'POST', `/api/notifications/${mine.id}/read`)
    expect(read.json()).toEqual({ unread: unread - 1 })
    // Someone else's notification does not exist for them.
    expect((await call({ staff: admin }, 'POST', `/api/notifications/${mine.id}/read`)).statusCode).toBe(404)
    expect((await call({ staff: pm }, 'POST', '/api/notifications/read-all')).json()).toEqual({ unread: 0 })
    expect((await call({ staff: pm }, 'GET', '/api/notifications?unread=true')).json().items).toEqual([])

    expect((await call({ staff: pm }, 'DELETE', '/api/notifications/wechat-binding')).json()).toEqual({
      bound: false,
      boundAt: null,
    })
  })

  it('records consents only for this deployment’s templates, and residents only for their own events', async () => {
    const resident = await makeResident(t)
    const unknown = await call({ resident }, 'POST', '/api/notifications/consents', {
      accepted: ['somebody-elses'],
    })
    expect(unknown.statusCode).toBe(400)
    const staffOnly = await call({ resident }, 'POST', '/api/notifications/consents', {
      accepted: [TEMPLATES.warning],
    })
    expect(staffOnly.statusCode).toBe(400)
    expect((await t.app.inject({ method: 'GET', url: '/api/notifications/consents' })).statusCode).toBe(401)
    expect((await call({ resident }, 'GET', '/api/notifications')).statusCode).toBe(403)
  })
})
