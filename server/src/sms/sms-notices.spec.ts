/**
 * Residents' events by text message through the outbox, against a fake WeChat and a fake SMS API on
 * loopback: sent where WeChat cannot reach the resident and a verified number exists, once per event,
 * retried after a 5xx, never without a number, and not at all where a WeChat consent carries it; and
 * to the number recorded on a proxy entry, only when its resident agreed.
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
  describe('a proxy entry (代录) whose resident agreed to texts at the recorded number', () => {
    let filer: Staff
    beforeAll(async () => {
      filer = await makeStaff(t, 'grid_lead', c.compound, '网格长刘')
    })
    const as = async (who: Staff, url: string, payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
      t.app.inject({ method: 'POST', url, payload, headers: { ...(await authHeader(t, { staff: who })), ...headers } })
    let key = 0
    const fileProxy = async (fields: { residentPhone?: string; smsConsent?: boolean }) => {
      const res = await as(
        filer,
        '/api/requests/proxy',
        {
          unitId: c.units[0][0].id,
          category: 'facilities',
          description: '三楼楼道灯不亮，老人晚上上楼看不见',
          photoIds: [],
          channel: 'visit',
          residentName: '李奶奶',
          ...fields,
        },
        { 'idempotency-key': `proxy-sms-${++key}-${Date.now()}` },
      )
      return res
    }
    const filed = async (fields: { residentPhone?: string; smsConsent?: boolean }) => {
      const res = await fileProxy(fields)
      expect(res.statusCode).toBe(201)
      return res.json<{ id: string; number: string }>()
    }
    const outbox = (ticketId: string, kind: 'proxy' | 'staff') =>
      t.dataSource.query<{ id: string; type: string; status: string; last_error: string | null; payload: unknown }[]>(
        `SELECT id::text, type, status, last_error, payload FROM notification_outbox
          WHERE ticket_id = $1 AND recipient_kind = $2 ORDER BY id`,
        [ticketId, kind],
      )

    it('each resident event reaches the number once (accepted, replied, asked, messaged, resolved, rejected); the filer still hears; the number is in no row', async () => {
      const phone = newPhone('158')
      const a = await filed({ residentPhone: phone, smsConsent: true })
      await moveTicket(t, a.id, 'replied')
      expect((await as(pm, `/api/requests/${a.id}/wait`, { question: '灯在几楼？' })).statusCode).toBe(200)
      // The filer answers for the resident (the request resumes); their own words are texted to nobody.
      expect((await as(filer, `/api/requests/${a.id}/messages`, { text: '三楼，东边那盏', photoIds: [] })).statusCode).toBe(200)
      expect((await as(pm, `/api/requests/${a.id}/staff-messages`, { text: '明天上午来修', photoIds: [] })).statusCode).toBe(200)
      expect((await as(pm, `/api/requests/${a.id}/resolve`, { note: '已换灯泡', photoIds: [] })).statusCode).toBe(200)
      const b = await filed({ residentPhone: phone, smsConsent: true })
      await moveTicket(t, b.id, 'rejected')
      await run()
      await run()

      const rows = [...(await outbox(a.id, 'proxy')), ...(await outbox(b.id, 'proxy'))]
      expect(rows.map((r) => [r.type, r.status])).toEqual([
        ['accepted', 'sent'],
        ['replied', 'sent'],
        ['asked', 'sent'],
        ['messaged', 'sent'],
        ['resolved', 'sent'],
        ['rejected', 'sent'],
      ])
      expect(rows.every((r) => !JSON.stringify(r.payload).includes(phone))).toBe(true)
      const texts = textsTo(phone)
      expect(texts.map((m) => m.outId).sort()).toEqual(rows.map((r) => `notice-${r.id}`).sort())
      expect(texts.filter((m) => m.params.number === a.number).map((m) => m.params.status).sort()).toEqual(
        ['已受理', '已答复', '需要您补充说明', '工作人员给您留言', '已办结，请评价'].sort(),
      )
      expect(texts.filter((m) => m.params.number === b.number)).toEqual([
        expect.objectContaining({ params: { number: b.number, status: '不予受理', link: `http://mq.test/r/${b.number}` } }),
      ])
      // The filer's own notices are unchanged: they still phone the resident.
      expect((await outbox(a.id, 'staff')).filter((r) => r.type !== 'resident_answered').map((r) => r.type)).toEqual(
        expect.arrayContaining(['accepted', 'replied', 'asked', 'messaged', 'resolved']),
      )
    })

    it('nothing is texted without the agreement, and the agreement needs a number', async () => {
      const phone = newPhone('159')
      const calls = sms.calls.length
      const c1 = await filed({ residentPhone: phone })
      const c2 = await filed({ residentPhone: phone, smsConsent: false })
      for (const id of [c1.id, c2.id]) await moveTicket(t, id, 'resolved')
      await run()
      expect([...(await outbox(c1.id, 'proxy')), ...(await outbox(c2.id, 'proxy'))]).toEqual([])
      expect((await outbox(c1.id, 'staff')).map((r) => r.type)).toEqual(expect.arrayContaining(['accepted', 'resolved']))
      expect(sms.calls.slice(calls).filter((m) => m.to === phone)).toEqual([])

      const refused = await fileProxy({ smsConsent: true })
      expect(refused.statusCode).toBe(400)
      expect(refused.json()).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: [expect.objectContaining({ path: 'residentPhone', message: '要发短信通知，请填写居民的手机号' })],
      })
    })

    it('a 5xx is retried, and the text goes once in the end; a number cleared meanwhile is not texted', async () => {
      const phone = newPhone('147')
      const d = await filed({ residentPhone: phone, smsConsent: true })
      await moveTicket(t, d.id, 'accepted')
      sms.script({ http: 502 })
      await run()
      expect(await outbox(d.id, 'proxy')).toEqual([expect.objectContaining({ status: 'pending', last_error: 'SMS: HTTP 502' })])
      now = new Date(now.getTime() + 1000)
      await run()
      expect(await outbox(d.id, 'proxy')).toEqual([expect.objectContaining({ status: 'sent', last_error: null })])
      expect(textsTo(phone)).toHaveLength(1)
      expect(sms.calls.filter((m) => m.to === phone)).toHaveLength(2)

      // The number is read when the text goes: cleared (retention) after the event and before the send,
      // the row is skipped, saying why.
      expect((await as(pm, `/api/requests/${d.id}/resolve`, { note: '已修好', photoIds: [] })).statusCode).toBe(200)
      await t.dataSource.query('UPDATE ticket SET proxy_phone = NULL WHERE id = $1', [d.id])
      await run()
      const rows = await outbox(d.id, 'proxy')
      expect(rows.map((r) => [r.type, r.status])).toEqual([
        ['accepted', 'sent'],
        ['resolved', 'skipped'],
      ])
      expect(rows[1].last_error).toBe('a proxy entry’s resident: no agreed number to text, or SMS is off')
      expect(sms.calls.filter((m) => m.to === phone)).toHaveLength(2)
    })
  })
})
