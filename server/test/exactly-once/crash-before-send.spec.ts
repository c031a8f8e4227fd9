/**
 * A process killed between commit and send. A child process (the built
 * server) commits a change with its outbox row and is SIGKILLed before anything is sent: once right after
 * the commit, once after it had claimed the row for sending. A worker elsewhere then sends each message
 * exactly once, to the fake WeChat on loopback.
 */
import { spawn } from 'node:child_process'
import { startTestApp, type TestApp } from '../app'
import { scratchDatabase } from '../database'
import { makeCompound, makeResident, makeStaff, type CompoundFixture } from '../factories'
import { fakeOpenid, startFakeWechat, wechatEnv, type FakeWechat } from '../fake-wechat'
import { Clock } from '../../src/common/clock'
import { NotificationSender } from '../../src/notifications/notification-sender'
import type { Resident } from '../../src/residents/resident.entity'
import type { Staff } from '../../src/staff/staff.entity'
import { DIST, ensureBuilt } from './build'

/** Files a request (its `assigned` message commits with it), optionally claims the outbox, then dies by SIGKILL. */
const CHILD = `
require('reflect-metadata')
const dist = process.env.MQ_DIST
const { createApp } = require(dist + '/bootstrap')
const { loadConfig } = require(dist + '/config/config')
const { TicketsService } = require(dist + '/tickets/tickets.service')
const { NotificationSender } = require(dist + '/notifications/notification-sender')
;(async () => {
  const app = await createApp(loadConfig(process.env), process.env.DATABASE_URL)
  const ticket = await app.get(TicketsService).file({
    unitId: process.env.MQ_UNIT,
    category: 'facilities',
    description: '楼道灯坏了',
    channel: 'miniapp',
    reporterResidentId: process.env.MQ_RESIDENT,
  })
  let claimed = []
  if (process.env.MQ_CRASH === 'after-claim') claimed = (await app.get(NotificationSender).claim(50)).map((n) => n.id)
  process.stdout.write(JSON.stringify({ ticketId: ticket.id, claimed }) + '\\n', () => process.kill(process.pid, 'SIGKILL'))
})().catch((error) => { console.error(error); process.exit(1) })
`

interface ChildResult {
  ticketId: string
  claimed: string[]
  signal: NodeJS.Signals | null
}

describe('a process killed between commit and send', () => {
  let fake: FakeWechat
  let db: { url: string; drop(): Promise<void> }
  let t: TestApp
  let c: CompoundFixture
  let pm: Staff
  let resident: Resident
  let offsetMs = 0

  const env = () => ({
    ...wechatEnv(fake, 1000),
    WECHAT_TEMPLATES: 'assigned=tmpl-assigned',
    NOTIFY_LEASE_MS: '60000',
  })

  beforeAll(async () => {
    ensureBuilt()
    fake = await startFakeWechat()
    db = await scratchDatabase('mq_crash')
    t = await startTestApp(env(), db.url)
    // The worker's clock: real time, moved on by the test when it must outlive a dead claim's lease.
    jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => new Date(Date.now() + offsetMs))
    c = await makeCompound(t, [1])
    pm = await makeStaff(t, 'property_manager', c.compound, '物业王') // handles 公共设施报修
    resident = await makeResident(t)
    // 物业王 bound WeChat and accepted two "new assignment" messages.
    await t.dataSource.query(`INSERT INTO staff_wechat (staff_id, openid, bound_at) VALUES ($1, $2, now())`, [
      pm.id,
      fakeOpenid('user-pm'),
    ])
    await t.dataSource.query(
      `INSERT INTO subscription_consent (staff_id, template_id, granted_at) VALUES ($1, 'tmpl-assigned', now()), ($1, 'tmpl-assigned', now())`,
      [pm.id],
    )
  }, 120_000)
  afterAll(async () => {
    await t?.close()
    await db?.drop()
    await fake?.close()
  })

  function runChild(crash: 'after-commit' | 'after-claim'): Promise<ChildResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['-e', CHILD], {
        env: {
          PATH: process.env.PATH,
          NODE_ENV: 'test',
          LOG_LEVEL: 'silent',
          DATABASE_URL: db.url,
          H5_DIST: '/nonexistent-h5-dist',
          PUBLIC_URL: 'http://mq.test',
          ...env(),
          MQ_DIST: DIST,
          MQ_UNIT: c.units[0][0].id,
          MQ_RESIDENT: resident.id,
          MQ_CRASH: crash,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let out = ''
      let err = ''
      child.stdout.on('data', (d) => (out += d))
      child.stderr.on('data', (d) => (err += d))
      child.once('exit', (_code, signal) => {
        const line = out.trim().split('\n').at(-1)
        if (!line?.startsWith('{'))
          return reject(new Error(`child printed no result (signal ${signal}):\n${out}\n${err}`))
        resolve({ ...(JSON.parse(line) as Omit<ChildResult, 'signal'>), signal })
      })
    })
  }

  const outboxOf = (ticketId: string) =>
    t.dataSource.query<{ id: string; status: string; attempts: number; claim_token: string | null }[]>(
      `SELECT id, status, attempts, claim_token FROM notification_outbox WHERE ticket_id = $1 AND type = 'assigned'`,
      [ticketId],
    )
  const sentFor = (ticketId: string) =>
    fake.delivered().filter((s) => s.touser === fakeOpenid('user-pm') && s.page.endsWith(`?id=${ticketId}`))
  const sender = () => t.app.get(NotificationSender)

  it('killed right after the commit: another worker sends the message, once', async () => {
    const child = await runChild('after-commit')
    expect(child.signal).toBe('SIGKILL')
    const [row] = await outboxOf(child.ticketId)
    expect(row).toMatchObject({ status: 'pending', attempts: 0 })
    expect(sentFor(child.ticketId)).toEqual([])

    await sender().runDue()
    await sender().runDue()
    expect(sentFor(child.ticketId)).toHaveLength(1)
    expect((await outboxOf(child.ticketId))[0]).toMatchObject({ status: 'sent', attempts: 1 })
  }, 60_000)

  it('killed after claiming the message, before sending: sent once when the dead claim’s lease runs out', async () => {
    const child = await runChild('after-claim')
    expect(child.signal).toBe('SIGKILL')
    const [row] = await outboxOf(child.ticketId)
    expect(child.claimed).toContain(String(row.id))
    expect(row).toMatchObject({ status: 'sending', attempts: 1, claim_token: expect.stringMatching(/:\d+:/) })

    // The lease is still the dead process's: nobody else may send it yet.
    expect((await sender().runDue()).claimed).toBe(0)
    expect(sentFor(child.ticketId)).toEqual([])

    offsetMs = 61_000 // past the 60 s lease
    const second = await sender().runDue()
    expect(second.deliveries).toEqual([{ id: String(row.id), status: 'sent', error: null }])
    await sender().runDue()
    expect(sentFor(child.ticketId)).toHaveLength(1)
    expect((await outboxOf(child.ticketId))[0]).toMatchObject({
      status: 'sent',
      attempts: 2,
      claim_token: null,
    })
    const [{ spent }] = await t.dataSource.query(
      `SELECT count(*)::int AS spent FROM subscription_consent WHERE staff_id = $1 AND spent_at IS NOT NULL`,
      [pm.id],
    )
    expect(spent).toBe(2) // one per message, none twice
  }, 60_000)
})
