/**
 * Backups: a populated database is dumped with server/scripts/pg-backup.sh and restored
 * into a fresh database with server/scripts/pg-restore.sh, the procedure docs/deployment.md gives. Every
 * table must come back row for row (counts and a checksum of every row), with every request, timeline
 * event and photo reference, the sequences where they were, and a schema the server accepts as current.
 */
import { execFileSync } from 'node:child_process'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Client } from 'pg'
import { startTestApp } from '../app'
import { makeCompound, makeResident, makeStaff, makeTicket, signIn } from '../factories'
import { AccessLogService } from '../../src/access-log/access-log.service'
import { migrate } from '../../src/database/data-source'
import { backupServer, type BackupServer } from './pg-server'

const SCRIPTS = resolve(__dirname, '..', '..', 'scripts')

interface Snapshot {
  tables: Record<string, { rows: number; checksum: string }>
  sequences: Record<string, string | null>
  tickets: string[]
  events: string[]
  photos: string[]
}

async function withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return url.toString()
}

/** Every table of the schema, enumerated from the catalog: a table added later is covered too. */
async function snapshot(url: string): Promise<Snapshot> {
  return withClient(url, async (client) => {
    const names = (
      await client.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`)
    ).rows.map((r) => r.tablename)
    const tables: Snapshot['tables'] = {}
    for (const name of names) {
      const row = (
        await client.query<{ rows: number; checksum: string }>(
          `SELECT count(*)::int AS rows, coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '') AS checksum FROM "${name}" t`,
        )
      ).rows[0]
      tables[name] = row
    }
    const sequences = Object.fromEntries(
      (
        await client.query<{ name: string; last: string | null }>(
          `SELECT sequencename AS name, last_value::text AS last FROM pg_sequences WHERE schemaname = 'public'`,
        )
      ).rows.map((r) => [r.name, r.last]),
    )
    const ids = async (sql: string) => (await client.query<{ id: string }>(sql)).rows.map((r) => r.id)
    return {
      tables,
      sequences,
      tickets: await ids('SELECT id FROM ticket ORDER BY id'),
      events: await ids('SELECT id::text AS id FROM ticket_event ORDER BY id'),
      photos: names.includes('photo') ? await ids(`SELECT id || ' ' || storage_key AS id FROM photo ORDER BY id`) : [],
    }
  })
}

describe('backup and restore (pg_dump / pg_restore)', () => {
  let server: BackupServer
  let dir: string
  const source = `mq_backup_src_${process.pid}`
  const target = `mq_backup_dst_${process.pid}`

  beforeAll(async () => {
    server = await backupServer()
    dir = await mkdtemp(join(tmpdir(), 'mq-backup-'))
    await withClient(server.adminUrl, async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${source} WITH (FORCE)`)
      await c.query(`DROP DATABASE IF EXISTS ${target} WITH (FORCE)`)
      await c.query(`CREATE DATABASE ${source}`)
      await c.query(`CREATE DATABASE ${target}`)
    })
  }, 60_000)

  afterAll(async () => {
    if (server) {
      await withClient(server.adminUrl, async (c) => {
        await c.query(`DROP DATABASE IF EXISTS ${source} WITH (FORCE)`)
        await c.query(`DROP DATABASE IF EXISTS ${target} WITH (FORCE)`)
      })
      await server.dispose()
    }
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('restores a populated database into a fresh one: every table row for row, every request, event and photo', async () => {
    const sourceUrl = databaseUrl(server.adminUrl, source)
    const targetUrl = databaseUrl(server.adminUrl, target)
    await migrate(sourceUrl)

    // Populate through the services: places, staff, residents, requests with their timelines, sessions,
    // and access-log entries from unmasked reads.
    const t = await startTestApp({}, sourceUrl)
    try {
      for (let c = 0; c < 2; c++) {
        const compound = await makeCompound(t, [2, 2])
        const gridLead = await makeStaff(t, 'grid_lead', compound.compound)
        await signIn(t, { staff: gridLead })
        await makeStaff(t, 'property_manager', compound.compound)
        await makeStaff(t, 'building_lead', compound.buildings[0])
        for (let i = 0; i < 6; i++) {
          const resident = await makeResident(t)
          const unit = compound.units[i % 2][i % 2]
          const ticket =
            i % 3 === 2
              ? await makeTicket(t, { unit, proxy: { name: '代录老人', phone: '13900001111', staff: gridLead }, room: '101' })
              : await makeTicket(t, { unit, resident, room: `${i + 1}01`, category: i % 2 ? 'sanitation' : 'leak' })
          await signIn(t, { resident })
          // An unmasked read by the grid lead, as the access log records it.
          await t.app.get(AccessLogService).record({
            staffId: gridLead.id,
            role: 'grid_lead',
            ticketId: ticket.id,
            compoundId: compound.compound.id,
            fields: ['name', 'phone', 'room'],
            requestId: `backup-test-${i}`,
          })
        }
      }
      const tables = await t.dataSource.query<{ tablename: string }[]>(
        `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename = 'photo'`,
      )
      if (tables.length > 0) {
        // Photo references: rows pointing at stored files (the bytes live in DATA_DIR, backed up beside the dump).
        await t.dataSource.query(
          `INSERT INTO photo (uploader_kind, uploader_id, ticket_id, kind, content_type, size, sha256, storage_key)
           SELECT 'resident', t.reporter_resident_id, t.id, 'report', 'image/jpeg', 1234, md5(t.id::text),
                  substr(g.id::text, 1, 2) || '/' || g.id
             FROM ticket t CROSS JOIN LATERAL (SELECT gen_random_uuid() AS id) g
            WHERE t.reporter_resident_id IS NOT NULL`,
        )
      }
    } finally {
      await t.close()
    }

    const before = await snapshot(sourceUrl)
    expect(before.tickets.length).toBe(12)
    expect(before.events.length).toBeGreaterThanOrEqual(24)
    expect(before.tables.access_log.rows).toBeGreaterThan(0)

    const dump = join(dir, 'mq.dump')
    const env = { PATH: process.env.PATH, PG_BIN: server.tools.bin }
    const started = Date.now()
    execFileSync('bash', [join(SCRIPTS, 'pg-backup.sh'), dump], { env: { ...env, DATABASE_URL: sourceUrl }, stdio: 'pipe' })
    const dumped = Date.now()
    execFileSync('bash', [join(SCRIPTS, 'pg-restore.sh'), dump], { env: { ...env, TARGET_DATABASE_URL: targetUrl }, stdio: 'pipe' })
    const restored = Date.now()

    const after = await snapshot(targetUrl)
    expect(after.tickets).toEqual(before.tickets)
    expect(after.events).toEqual(before.events)
    expect(after.photos).toEqual(before.photos)
    expect(after.sequences).toEqual(before.sequences)
    expect(after.tables).toEqual(before.tables)
    // The restored schema is current: the server would start on it without a migration.
    expect(await migrate(targetUrl)).toEqual([])
    // The append-only guard of the access log came back with it.
    await expect(withClient(targetUrl, (c) => c.query('DELETE FROM access_log'))).rejects.toThrow()

    // Restoring over a database that has tables is refused, leaving it as it was.
    let refused = ''
    try {
      execFileSync('bash', [join(SCRIPTS, 'pg-restore.sh'), dump], { env: { ...env, TARGET_DATABASE_URL: targetUrl }, stdio: 'pipe', encoding: 'utf8' })
    } catch (error) {
      refused = (error as { stderr: string }).stderr
    }
    expect(refused).toMatch(/refusing to restore: the target database already has \d+ table\(s\)/)

    const rows = Object.values(before.tables).reduce((n, t) => n + t.rows, 0)
    console.log(
      `backup on ${server.source} with pg_dump ${server.tools.major} (${server.tools.bin}): ` +
        `${Object.keys(before.tables).length} tables, ${rows} rows (${before.tickets.length} requests, ${before.events.length} timeline events, ` +
        `${before.photos.length} photo references); dump ${(await stat(dump)).size} bytes in ${dumped - started} ms, ` +
        `restore in ${restored - dumped} ms; every table identical (row counts and checksums)`,
    )
  }, 120_000)
})
