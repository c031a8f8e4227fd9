/**
 * Residents' events by text message through the outbox, against a fake WeChat and a fake SMS API on
 * loopback: sent where WeChat cannot reach the resident and a verified number exists, once per event,
 * retried after a 5xx, never without a number, and not at all where a WeChat consent carries it.
 */
import { startTestModule, type TestApp } from '../../test/app'
import { scratchDatabase } from '../../test/database'
import {
  authHeader,
  makeCompound,
  makeResident,
  makeStaff,
  makeTicket,
  moveTicket,
  newPhone,
  type CompoundFixture,
} from '../../test/factories'
import { FAKE_NOTICE_TEMPLATE, smsEnv, startFakeSms, type FakeSmsProvider } from '../../test/fake-sms'
import { startFakeWechat, wechatEnv, type FakeWechat } from '../../test/fake-wechat'
import { Clock } from '../common/clock'
import { NotificationSender } from '../notifications/notification-sender'
import { NotificationsModule } from '../notifications/notifications.module'
import type { Resident } from '../residents/resident.entity'
import type { Staff } from '../staff/staff.entity'
import { TicketsModule } from '../tickets/tickets.module'
import { messageText } from './sms-provider'

describe('resident events by text message', () => {
  let wechat: FakeWechat
  let sms: FakeSmsProvider
  let db: { url: string; drop(): Promise<void> }
  let t: TestApp
  let c: CompoundFixture
  let pm: Staff
  let now: Date

  beforeAll(async () => {
    wechat = await startFakeWechat()
    sms = await startFakeSms()
    db = await scratchDatabase('mq_sms_notices')
    t = await startTestModule({
      imports: [NotificationsModule, TicketsModule],
      http: true,
      env: {
        ...wechatEnv(wechat, 1000),
        ...smsEnv(sms),
        WECHAT_TEMPLATES:
          'accepted=tmpl-accepted,replied=tmpl-replied,resolved=tmpl-resolved,rejected=tmpl-rejected,' +
          'asked=tmpl-asked,messaged=tmpl-messaged',
        NOTIFY_RETRY_BASE_MS: '1000',
        NOTIFY_MAX_ATTEMPTS: '4',
      },
      databaseUrl: db.url,
    })
    now = new Date('2026-07-01T02:00:00Z')
    jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => new Date(now))
    c = await makeCompound(t, [1])
    // The handler of facilities requests in the compound.
    pm = await makeStaff(t, 'property_manager', c.compound, '物业王')
  })
  afterAll(async () => {
    await t.close()
    await db.drop()
    await wechat.close()
    await sms.close()
  })

  const run = async () => (await t.app.get(NotificationSender).runDue(50)).deliveries
  /** A browser resident (no WeChat), with a verified number or none. */
  const browserResident = async (verified: boolean) => {
    const resident = await makeResident(t, { openid: null })
    const phone = newPhone('152')
    if (verified) {
      await t.dataSource.query(
        'INSERT INTO resident_mobile (resident_id, phone, verified_at) VALUES ($1, $2, $3)',
        [resident.id, phone, now],
      )
    }
    return { resident, phone }
  }
  const rowsOf = (resident: Resident) =>
    t.dataSource.query<{ id: string; type: string; status: string; last_error: string | null; ticket_id: string }[]>(
      `SELECT id::text, type, status, last_error, ticket_id FROM notification_outbox
        WHERE recipient_kind = 'resident' AND recipient_id = $1 ORDER BY id`,
      [resident.id],
    )
  const textsTo = (phone: string) => sms.delivered().filter((m) => m.to === phone)
  const numberOf = (ticket: { number: number }) => `MQ${String(ticket.number).padStart(6, '0')}`

  it('accepted, replied, resolved, rejected: each reaches a verified number once, naming the request and linking to it', async () => {
    const { resident, phone } = await browserResident(true)
    const tickets = []
    for (const state of ['accepted', 'replied', 'resolved', 'rejected'] as const) {
      const ticket = await makeTicket(t, { unit: c.units[0][0], resident })
      await moveTicket(t, ticket.id, state)
      tickets.push(ticket)
    }
    await run()
    await run()
    const rows = await rowsOf(resident)
    expect(rows.map((r) => r.type).sort()).toEqual(
      ['accepted', 'accepted', 'accepted', 'replied', 'rejected', 'resolved'].sort(),
    )
    expect(rows.every((r) => r.status === 'sent')).toBe(true)
    const texts = textsTo(phone)
    // One text per outbox row, none twice.
    expect(texts.map((m) => m.outId).sort()).toEqual(rows.map((r) => `notice-${r.id}`).sort())
    expect(texts.every((m) => m.templateCode === FAKE_NOTICE_TEMPLATE && m.signatureProblem === null)).toBe(true)
    const byRow = new Map(rows.map((r) => [`notice-${r.id}`, r]))
    for (const m of texts) {
      const row = byRow.get(m.outId!)!
      const ticket = tickets.find((x) => x.id === row.ticket_id)!
      expect(m.params).toEqual({
        number: expect.stringMatching(/^MQ\d{6}$/),
        status: { accepted: '已受理', replied: '已答复', resolved: '已办结，请评价', rejected: '不予受理' }[row.type],
        // The short link, named by the request's number: the text stays short.
        link: `http://mq.test/r/${numberOf(ticket)}`,
      })
      expect(m.params.number).toBe(numberOf(ticket))
      // One text, not two: a message in Chinese splits after 70 characters (the signature aside).
      expect(messageText({ to: m.to, template: 'notice', params: m.params }).length).toBeLessThanOrEqual(60)
    }
    expect(new Set(texts.filter((m) => m.params.status === '不予受理').map((m) => m.params.number)).size).toBe(1)
    expect(wechat.sends).toHaveLength(0)
  })

  it('a 5xx is retried with backoff and the text goes once in the end', async () => {
    const { resident, phone } = await browserResident(true)
    const ticket = await makeTicket(t, { unit: c.units[0][0], resident })
    await moveTicket(t, ticket.id, 'accepted')
    sms.script({ http: 503 })
    await run()
    const [pending] = await rowsOf(resident)
    expect(pending).toMatchObject({ status: 'pending', last_error: 'SMS: HTTP 503' })
    expect(textsTo(phone)).toHaveLength(0)
    await run() // not due yet
    expect(sms.calls.filter((m) => m.to === phone)).toHaveLength(1)
    now = new Date(now.getTime() + 1000)
    await run()
    expect((await rowsOf(resident))[0]).toMatchObject({ status: 'sent', last_error: null })
    expect(textsTo(phone)).toHaveLength(1)
    expect(sms.calls.filter((m) => m.to === phone)).toHaveLength(2)
  })

  it('nothing is texted without a verified number: the row is skipped, saying why', async () => {
    const { resident } = await browserResident(false)
    const calls = sms.calls.length
    const ticket = await makeTicket(t, { unit: c.units[0][0], resident })
    await moveTicket(t, ticket.id, 'accepted')
    await run()
    expect(await rowsOf(resident)).toEqual([
      expect.objectContaining({
        status: 'skipped',
        last_error: 'recipient has no WeChat account; no verified mobile number',
      }),
    ])
    expect(sms.calls).toHaveLength(calls)
  })

  it('a removed number is no longer texted', async () => {
    const { resident } = await browserResident(true)
    const removed = await t.app.inject({ method: 'DELETE', url: '/api/sms/mobile', headers: await authHeader(t, { resident }) })
    expect(removed.statusCode).toBe(200)
    const calls = sms.calls.length
    const ticket = await makeTicket(t, { unit: c.units[0][0], resident })
    await moveTicket(t, ticket.id, 'accepted')
    await run()
    expect((await rowsOf(resident))[0].status).toBe('skipped')
    expect(sms.calls).toHaveLength(calls)
  })

  it('WeChat first where a consent is unspent; a text when it is used up', async () => {
    const resident = await makeResident(t)
    const phone = newPhone('153')
    await t.dataSource.query('INSERT INTO resident_mobile (resident_id, phone, verified_at) VALUES ($1, $2, $3)', [
      resident.id,
      phone,
      now,
    ])
    const consent = await t.app.inject({
      method: 'POST',
      url: '/api/notifications/consents',
      headers: await authHeader(t, { resident }),
      payload: { accepted: ['tmpl-accepted'] },
    })
    expect(consent.statusCode).toBe(200)
    for (let i = 0; i < 2; i++) {
      const ticket = await makeTicket(t, { unit: c.units[0][0], resident })
      await moveTicket(t, ticket.id, 'accepted')
    }
    await run()
    expect((await rowsOf(resident)).map((r) => r.status)).toEqual(['sent', 'sent'])
    expect(wechat.delivered().filter((s) => s.touser === resident.openid)).toHaveLength(1)
    expect(textsTo(phone)).toHaveLength(1)
  })
  it('the handler’s question and message: WeChat on an unspent consent, else a text, else skipped; followers nothing', async () => {
    const staffPost = async (url: string, payload: Record<string, unknown>) => {
      const res = await t.app.inject({ method: 'POST', url, payload, headers: await authHeader(t, { staff: pm }) })
      expect(res.statusCode).toBe(200)
    }
    const askAndWrite = async (ticketId: string) => {
      await staffPost(`/api/requests/${ticketId}/wait`, { question: '灯在几楼？请拍张照片' })
      await staffPost(`/api/requests/${ticketId}/staff-messages`, { text: '师傅明天上午九点到，请留人在家开门，谢谢配合' })
    }
    const threadRows = async (resident: Resident) =>
      (await rowsOf(resident)).filter((r) => r.type === 'asked' || r.type === 'messaged')

    // In WeChat, with a consent for each new template.
    const inWechat = await makeResident(t)
    const consent = await t.app.inject({
      method: 'POST',
      url: '/api/notifications/consents',
      headers: await authHeader(t, { resident: inWechat }),
      payload: { accepted: ['tmpl-asked', 'tmpl-messaged'] },
    })
    expect(consent.statusCode).toBe(200)
    const byWechat = await makeTicket(t, { unit: c.units[0][0], resident: inWechat, state: 'accepted' })
    const follower = await makeResident(t)
    const followed = await t.app.inject({
      method: 'POST',
      url: `/api/requests/${byWechat.id}/follow`,
      headers: await authHeader(t, { resident: follower }),
      payload: { token: c.tokens[0][0] },
    })
    expect(followed.statusCode).toBe(200)
    await askAndWrite(byWechat.id)

    const texted = await browserResident(true)
    const byText = await makeTicket(t, { unit: c.units[0][0], resident: texted.resident, state: 'accepted' })
    await askAndWrite(byText.id)

    const unreachable = await browserResident(false)
    const nowhere = await makeTicket(t, { unit: c.units[0][0], resident: unreachable.resident, state: 'accepted' })
    await askAndWrite(nowhere.id)

    const smsCalls = sms.calls.length
    await run()
    await run()

    expect((await threadRows(inWechat)).map((r) => [r.type, r.status])).toEqual([
      ['asked', 'sent'],
      ['messaged', 'sent'],
    ])
    // Rows are delivered side by side: the order WeChat hears them in is not theirs.
    const sends = wechat
      .delivered()
      .filter((s) => s.touser === inWechat.openid)
      .sort((a, b) => a.template_id.localeCompare(b.template_id))
    expect(sends.map((s) => [s.template_id, s.page, s.data.phrase3.value, s.data.thing5.value])).toEqual([
      ['tmpl-asked', `pages/detail/index?id=${byWechat.id}`, '请您补充', '灯在几楼？请拍张照片'],
      // Cut to WeChat's 20 characters for a thing keyword.
      ['tmpl-messaged', `pages/detail/index?id=${byWechat.id}`, '新留言', '师傅明天上午九点到，请留人在家开门，谢…'],
    ])
    expect(sends.every((s) => s.data.thing5.value.length <= 20)).toBe(true)
    expect(await rowsOf(follower)).toEqual([])

    expect((await threadRows(texted.resident)).map((r) => [r.type, r.status])).toEqual([
      ['asked', 'sent'],
      ['messaged', 'sent'],
    ])
    expect(textsTo(texted.phone).map((m) => m.params)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ status: '需要您补充说明', link: `http://mq.test/r/${numberOf(byText)}` }),
        expect.objectContaining({ status: '工作人员给您留言', link: `http://mq.test/r/${numberOf(byText)}` }),
      ]),
    )
    expect(textsTo(texted.phone).filter((m) => m.params.status !== '已受理')).toHaveLength(2)

    expect(await threadRows(unreachable.resident)).toEqual([
      expect.objectContaining({
        type: 'asked',
        status: 'skipped',
        last_error: 'recipient has no WeChat account; no verified mobile number',
      }),
      expect.objectContaining({ type: 'messaged', status: 'skipped' }),
    ])
    expect(sms.calls.filter((m) => m.to === unreachable.phone)).toHaveLength(0)
    expect(sms.calls.length - smsCalls).toBe(textsTo(texted.phone).length)
  })
})
