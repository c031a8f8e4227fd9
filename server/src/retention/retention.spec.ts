/**
 * Retention (PIPL): requests finished more than RETENTION_YEARS ago lose their personal data; recent and
 * open ones are untouched; everything the public board and the metrics read stays as it was; a second
 * run changes nothing; and the CLI does the same from cron.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Client } from 'pg'
import { startTestModule, type TestApp } from '../../test/app'
import { scratchDatabase } from '../../test/database'
import { makeCompound, makeResident, makeStaff, makeTicket, signIn } from '../../test/factories'
import { AccessLogService } from '../access-log/access-log.service'
import { REMOVED_DESCRIPTION, REMOVED_TEXT } from './scrub'
import { RetentionService, type RetentionReport } from './retention.service'
import { RetentionModule } from './retention.module'
import { TicketsModule } from '../tickets/tickets.module'
import { AccessLogModule } from '../access-log/access-log.module'
import { AuthModule } from '../auth/auth.module'

const PERSONAL_TICKET_COLUMNS = [
  'reporter_resident_id',
  'proxy_name',
  'proxy_phone',
  'room',
  'description',
  'contact_consent',
  'reply_plan',
  'resolution_note',
  'rejection_reason',
  'public_text',
]

/** Moves a request and its timeline `years` into the past, finished in `state`. */
async function age(t: TestApp, ticketId: string, years: number, state: string): Promise<void> {
  await t.dataSource.query(
    `UPDATE ticket SET state = $2, created_at = now() - make_interval(years => $3), updated_at = now() - make_interval(years => $3) WHERE id = $1`,
    [ticketId, state, years],
  )
  await t.dataSource.query(`UPDATE ticket_event SET at = now() - make_interval(years => $2) WHERE ticket_id = $1`, [ticketId, years])
}

async function event(t: TestApp, ticketId: string, actor: { kind: string; id: string | null }, type: string, data: object) {
  await t.dataSource.query(
    `INSERT INTO ticket_event (ticket_id, at, actor_kind, actor_id, type, public, data)
     SELECT $1, created_at, $2, $3, $4, true, $5::jsonb FROM ticket WHERE id = $1`,
    [ticketId, actor.kind, actor.id, type, JSON.stringify(data)],
  )
}

/** What the public board and the metrics read: every request, timeline entry and rating minus personal data. */
async function boardAndMetrics(t: TestApp) {
  return {
    tickets: await t.dataSource.query(`SELECT id, to_jsonb(t) - $1::text[] AS rest FROM ticket t ORDER BY id`, [PERSONAL_TICKET_COLUMNS]),
    events: await t.dataSource.query(`SELECT id, to_jsonb(e) - ARRAY['actor_id', 'data'] AS rest FROM ticket_event e ORDER BY id`),
    ratings: await t.dataSource.query(`SELECT ticket_id, stars, tags, via, staff_id, at FROM ticket_rating ORDER BY id`),
    counts: await t.dataSource.query(
      `SELECT compound_id, building_id, category, state, count(*)::int AS n FROM ticket GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
    ),
  }
}

/** Every row of every table, to show a second run changes nothing. */
async function everything(t: TestApp): Promise<Record<string, string>> {
  const tables = await t.dataSource.query<{ tablename: string }[]>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`)
  const out: Record<string, string> = {}
  for (const { tablename } of tables) {
    const [row] = await t.dataSource.query<{ h: string }[]>(
      `SELECT coalesce(md5(string_agg(x::text, E'\\n' ORDER BY x::text)), '') AS h FROM "${tablename}" x`,
    )
    out[tablename] = row.h
  }
  return out
}

describe('retention of personal data (PIPL)', () => {
  let db: { url: string; drop(): Promise<void> }
  let dataDir: string
  let t: TestApp
  const ids: Record<string, string> = {}
  const people: Record<string, string> = {}
  let photoFile: string
  /** The retention job, with what its fixtures use: requests, the access log, sessions. */
  const boot = () =>
    startTestModule({
      imports: [RetentionModule, TicketsModule, AccessLogModule, AuthModule],
      env: { DATA_DIR: dataDir },
      databaseUrl: db.url,
    })

  beforeAll(async () => {
    db = await scratchDatabase('mq_retention')
    dataDir = await mkdtemp(join(tmpdir(), 'mq-retention-'))
    t = await boot()
    const c = await makeCompound(t, [2])
    const handler = await makeStaff(t, 'property_manager', c.compound, '物业老李')
    const gridLead = await makeStaff(t, 'grid_lead', c.compound, '网格长')
    const old = await makeResident(t, { name: '张三', phone: '13811112222' })
    const both = await makeResident(t, { name: '李四', phone: '13833334444' })
    const open = await makeResident(t, { name: '王五', phone: '13855556666' })
    const follower = await makeResident(t, { name: '赵六', phone: '13877778888' })
    Object.assign(people, { old: old.id, both: both.id, open: open.id, follower: follower.id })
    await t.dataSource.query(`UPDATE resident SET created_at = now() - interval '5 years'`)

    const unit = c.units[0][0]
    // 1: closed four years ago, with everything a request collects.
    const closed = await makeTicket(t, { unit, resident: old, room: '302' })
    ids.closed = closed.id
    await t.dataSource.query(
      `UPDATE ticket SET description = '楼道灯坏了，我家302，电话13811112222', reply_plan = '联系13811112222后更换', resolution_note = '已更换灯泡', public_text = '楼道灯坏了，有事请拨13811112222', contact_consent = true WHERE id = $1`,
      [closed.id],
    )
    await event(t, closed.id, { kind: 'resident', id: old.id }, 'resumed', { note: '补充：晚上8点后在家' })
    await event(t, closed.id, { kind: 'staff', id: handler.id }, 'replied', { plan: '联系13811112222后更换', promisedAt: '2022-01-03T00:00:00.000Z' })
    await event(t, closed.id, { kind: 'resident', id: old.id }, 'rated', { stars: 5, via: 'resident' })
    await t.dataSource.query(
      `INSERT INTO ticket_rating (ticket_id, stars, tags, comment, via, resident_id, at) VALUES ($1, 5, '{响应及时}', '师傅很好，我是张三', 'resident', $2, now() - interval '4 years')`,
      [closed.id, old.id],
    )
    await t.dataSource.query(`INSERT INTO ticket_follower (ticket_id, resident_id) VALUES ($1, $2)`, [closed.id, follower.id])
    await t.dataSource.query(
      `INSERT INTO idempotency_key (principal, key, body_hash, ticket_id) VALUES ($1, 'k-1', 'h', $2)`,
      [`resident:${old.id}`, closed.id],
    )
    await t.dataSource.query(
      `INSERT INTO notification_outbox (dedupe_key, recipient_kind, recipient_id, type, ticket_id, status, next_attempt_at)
       VALUES ('d-1', 'resident', $1, 'resolved', $2, 'sent', now() - interval '4 years')`,
      [old.id, closed.id],
    )
    const photoId = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'
    await t.dataSource.query(
      `INSERT INTO photo (id, uploader_kind, uploader_id, ticket_id, kind, content_type, size, sha256, storage_key)
       VALUES ($1, 'resident', $2, $3, 'report', 'image/jpeg', 3, 'x', $4)`,
      [photoId, old.id, closed.id, `0a/${photoId}`],
    )
    const tables = new Set(
      (await t.dataSource.query<{ tablename: string }[]>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`)).map((r) => r.tablename),
    )
    if (tables.has('subscription_consent')) {
      // The resident's consent, spent on the notification above.
      await t.dataSource.query(
        `INSERT INTO subscription_consent (resident_id, template_id, granted_at, notification_id, spent_at)
         SELECT $1, 'tpl-resolved', now() - interval '4 years', id, now() - interval '4 years' FROM notification_outbox WHERE dedupe_key = 'd-1'`,
        [old.id],
      )
    }
    if (tables.has('open311_request')) {
      const [key] = await t.dataSource.query<{ id: string }[]>(
        `INSERT INTO open311_api_key (name, place_id, key_hash, key_prefix, created_by_staff_id) VALUES ('市民热线', $1, 'h', 'p', $2) RETURNING id`,
        [c.compound.id, gridLead.id],
      )
      await t.dataSource.query(
        `INSERT INTO open311_request (ticket_id, api_key_id, media_url) VALUES ($1, $2, 'https://img.example.cn/zhangsan-302.jpg')`,
        [closed.id, key.id],
      )
    }
    photoFile = join(dataDir, 'photos', '0a', photoId)
    await mkdir(join(dataDir, 'photos', '0a'), { recursive: true })
    await writeFile(photoFile, 'jpg')
    await t.app.get(AccessLogService).record({
      staffId: gridLead.id,
      role: 'grid_lead',
      ticketId: closed.id,
      compoundId: c.compound.id,
      fields: ['name', 'phone', 'room'],
      requestId: 'retention-test',
    })
    await age(t, closed.id, 4, 'closed')
    // 2: a proxy entry rejected four years ago.
    ids.rejected = (await makeTicket(t, { unit, proxy: { name: '孙奶奶', phone: '13900001111', staff: gridLead }, room: '101' })).id
    await t.dataSource.query(`UPDATE ticket SET rejection_reason = '请拨打13900001111联系物业' WHERE id = $1`, [ids.rejected])
    await age(t, ids.rejected, 4, 'rejected')
    // 3: merged four years ago; 4: closed a year ago; 5: filed five years ago and still open.
    ids.merged = (await makeTicket(t, { unit, resident: both, room: '501' })).id
    await age(t, ids.merged, 4, 'merged')
    ids.recent = (await makeTicket(t, { unit, resident: both, room: '502' })).id
    await age(t, ids.recent, 1, 'closed')
    ids.open = (await makeTicket(t, { unit, resident: open, room: '601' })).id
    await age(t, ids.open, 5, 'accepted')

    // Sessions: one of the old resident's, dead for years; one of the open request's resident, live.
    await signIn(t, { resident: old })
    await t.dataSource.query(
      `UPDATE auth_session SET created_at = now() - interval '4 years' WHERE resident_id = $1`,
      [old.id],
    )
    await t.dataSource.query(
      `UPDATE refresh_token SET created_at = now() - interval '4 years', expires_at = now() - interval '4 years' + interval '30 days'
        WHERE session_id IN (SELECT id FROM auth_session WHERE resident_id = $1)`,
      [old.id],
    )
    await signIn(t, { resident: open })
  }, 60_000)

  afterAll(async () => {
    await t?.close()
    await db?.drop()
    if (dataDir) await rm(dataDir, { recursive: true, force: true })
  })

  const snapshotOf = async (id: string) =>
    (await t.dataSource.query(`SELECT to_jsonb(t) AS row FROM ticket t WHERE id = $1`, [id]))[0].row as Record<string, unknown>

  it('a dry run counts what it would do and changes nothing', async () => {
    const before = await everything(t)
    const report = await t.app.get(RetentionService).run({ dryRun: true })
    expect(report).toMatchObject({ ran: true, dryRun: true, requests: 3, sessions: 1 })
    expect(await everything(t)).toEqual(before)
  })

  it('anonymises requests finished more than three years ago, and leaves recent and open ones as they were', async () => {
    const board = await boardAndMetrics(t)
    const recent = await snapshotOf(ids.recent)
    const open = await snapshotOf(ids.open)
    const expired = [ids.closed, ids.rejected, ids.merged]
    const [{ notifications, residentEvents }] = await t.dataSource.query(
      `SELECT (SELECT count(*)::int FROM notification_outbox WHERE ticket_id = ANY($1::uuid[])) AS notifications,
              (SELECT count(*)::int FROM ticket_event WHERE ticket_id = ANY($1::uuid[]) AND actor_kind = 'resident') AS "residentEvents"`,
      [expired],
    )
    const retention = t.app.get(RetentionService)
    const cutoff = retention.cutoff()
    expect(new Date().getUTCFullYear() - cutoff.getUTCFullYear()).toBe(3)

    const report = await retention.run()
    expect(report).toMatchObject({
      ran: true,
      dryRun: false,
      requests: 3,
      // Every entry a resident made (filings, the note, the rating), and the staff reply with a phone in it.
      timelineEvents: residentEvents + 1,
      ratings: 1,
      followers: 1,
      idempotencyKeys: 1,
      notifications, // the one sent to the resident, and whatever filing told the handlers

      photos: 1,
      sessions: 1,
      residents: 2, // the old reporter and the follower; 李四 still has a recent request, 王五 an open one
    } satisfies Partial<RetentionReport>)

    const closed = await snapshotOf(ids.closed)
    expect(closed).toMatchObject({
      reporter_resident_id: null,
      proxy_name: null,
      proxy_phone: null,
      room: null,
      contact_consent: false,
      description: REMOVED_DESCRIPTION,
      reply_plan: '联系[手机号已删除]后更换',
      resolution_note: '已更换灯泡',
      public_text: '楼道灯坏了，有事请拨[手机号已删除]',
      state: 'closed',
    })
    expect(await snapshotOf(ids.rejected)).toMatchObject({
      proxy_name: null,
      proxy_phone: null,
      room: null,
      rejection_reason: '请拨打[手机号已删除]联系物业',
    })
    expect(await snapshotOf(ids.merged)).toMatchObject({ reporter_resident_id: null, room: null, description: REMOVED_DESCRIPTION })
    // Recent and open requests: not a byte changed.
    expect(await snapshotOf(ids.recent)).toEqual(recent)
    expect(await snapshotOf(ids.open)).toEqual(open)

    const events = await t.dataSource.query<{ actor_kind: string; actor_id: string | null; type: string; data: Record<string, unknown> }[]>(
      `SELECT actor_kind, actor_id, type, data FROM ticket_event WHERE ticket_id = $1 ORDER BY id`,
      [ids.closed],
    )
    expect(events.filter((e) => e.actor_kind === 'resident').every((e) => e.actor_id === null)).toBe(true)
    expect(events.find((e) => e.type === 'resumed')!.data).toEqual({ note: REMOVED_TEXT })
    expect(events.find((e) => e.type === 'replied')!.data).toEqual({ plan: '联系[手机号已删除]后更换', promisedAt: '2022-01-03T00:00:00.000Z' })
    expect(events.find((e) => e.type === 'rated')!.data).toEqual({ stars: 5, via: 'resident' })
    expect(events.find((e) => e.actor_kind === 'staff')!.actor_id).not.toBeNull() // staff stay accountable

    expect(await t.dataSource.query(`SELECT resident_id, comment, stars, tags FROM ticket_rating WHERE ticket_id = $1`, [ids.closed])).toEqual([
      { resident_id: null, comment: null, stars: 5, tags: ['响应及时'] },
    ])
    const [{ consents }] = await t.dataSource.query(`SELECT count(*)::int AS consents FROM pg_tables WHERE tablename = 'subscription_consent'`)
    if (consents > 0) expect(await t.dataSource.query(`SELECT 1 FROM subscription_consent WHERE resident_id = $1`, [people.old])).toEqual([])
    const [{ open311 }] = await t.dataSource.query(`SELECT count(*)::int AS open311 FROM pg_tables WHERE tablename = 'open311_request'`)
    if (open311 > 0) {
      expect(await t.dataSource.query(`SELECT media_url FROM open311_request WHERE ticket_id = $1`, [ids.closed])).toEqual([{ media_url: null }])
    }
    for (const table of ['ticket_follower', 'idempotency_key', 'notification_outbox', 'photo']) {
      expect(await t.dataSource.query(`SELECT 1 FROM ${table} WHERE ticket_id = $1`, [ids.closed])).toEqual([])
    }
    expect(existsSync(photoFile)).toBe(false)
    // The access log keeps its record of who read the request's personal data back then.
    expect(await t.dataSource.query(`SELECT fields FROM access_log WHERE ticket_id = $1`, [ids.closed])).toEqual([
      { fields: ['name', 'phone', 'room'] },
    ])
    const residents = await t.dataSource.query<{ id: string }[]>(`SELECT id FROM resident`)
    expect(residents.map((r) => r.id).sort()).toEqual([people.both, people.open].sort())
    expect(await t.dataSource.query(`SELECT 1 FROM auth_session WHERE resident_id = $1`, [people.open])).toHaveLength(1)

    // The public board and the metrics read exactly what they read before.
    expect(await boardAndMetrics(t)).toEqual(board)
  })

  it('is idempotent: a second run finds nothing and changes nothing', async () => {
    const before = await everything(t)
    const report = await t.app.get(RetentionService).run()
    expect(report).toMatchObject({
      ran: true,
      requests: 0,
      timelineEvents: 0,
      ratings: 0,
      followers: 0,
      idempotencyKeys: 0,
      notifications: 0,
      consents: 0,
      photos: 0,
      voiceNotes: 0,
      sessions: 0,
      residents: 0,
    })
    expect(await everything(t)).toEqual(before)
  })

  it('runs on one instance at a time: while another holds the lock it does nothing', async () => {
    const client = new Client({ connectionString: db.url })
    await client.connect()
    try {
      await client.query('SELECT pg_advisory_lock(7220413)')
      expect(await t.app.get(RetentionService).run()).toMatchObject({ ran: false, requests: 0 })
      await client.query('SELECT pg_advisory_unlock(7220413)')
    } finally {
      await client.end()
    }
    expect((await t.app.get(RetentionService).run()).ran).toBe(true)
  })

  it('stops between batches when the instance shuts down, and releases the lock', async () => {
    const scratch = await boot()
    try {
      const retention = scratch.app.get(RetentionService)
      retention.beforeApplicationShutdown()
      expect(await retention.run()).toMatchObject({ ran: true, stoppedEarly: true, requests: 0 })
      const [{ free }] = await scratch.dataSource.query('SELECT pg_try_advisory_lock(7220413) AS free')
      expect(free).toBe(true)
      await scratch.dataSource.query('SELECT pg_advisory_unlock(7220413)')
    } finally {
      await scratch.close()
    }
  })

  it('runs from the command line: node dist/retention/run.js [--dry-run] prints one JSON line', () => {
    const cli = resolve(__dirname, '..', '..', 'dist', 'retention', 'run.js')
    if (!existsSync(cli)) throw new Error(`build the server first: ${cli} is missing`)
    const env = { PATH: process.env.PATH, DATABASE_URL: db.url, DATA_DIR: dataDir, LOG_LEVEL: 'silent' }
    const dry = JSON.parse(execFileSync(process.execPath, [cli, '--dry-run'], { env, encoding: 'utf8' }).trim())
    expect(dry).toMatchObject({ ran: true, dryRun: true, requests: 0 })
    const real = JSON.parse(execFileSync(process.execPath, [cli], { env: { ...env, RETENTION_YEARS: '1' }, encoding: 'utf8' }).trim())
    // With one year, the request closed a year ago goes too; the open one stays, however old.
    expect(real).toMatchObject({ ran: true, dryRun: false, requests: 1 })
    let usage = ''
    try {
      execFileSync(process.execPath, [cli, '--everything'], { env, encoding: 'utf8', stdio: 'pipe' })
    } catch (error) {
      usage = (error as { stderr: string }).stderr
    }
    expect(usage).toMatch(/^usage: node dist\/retention\/run.js \[--dry-run\]/)
  })
})
