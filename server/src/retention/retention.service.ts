import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common'
import { FINAL_STATES } from '@mq/shared'
import { DataSource, type EntityManager } from 'typeorm'
import { Clock } from '../common/clock'
import { APP_CONFIG, type AppConfig } from '../config/config'
import { PhotoStore } from '../photos/photo-store'
import { REMOVED_DESCRIPTION, scrubEventData, scrubText } from './scrub'

/** Arbitrary, fixed key: one retention run at a time across all instances. */
const RETENTION_LOCK = 7_220_413
const BATCH = 500

export interface RetentionReport {
  /** False when another instance holds the retention lock: nothing was done. */
  ran: boolean
  /** True when the instance began shutting down mid-run: it stopped after a whole batch; the next run goes on. */
  stoppedEarly: boolean
  dryRun: boolean
  /** Requests finished before this instant are anonymised. */
  cutoff: string
  /** Requests anonymised (a dry run: that would be). */
  requests: number
  timelineEvents: number
  ratings: number
  followers: number
  idempotencyKeys: number
  notifications: number
  /** Subscription-message consents spent on those notifications, or older than the cutoff. */
  consents: number
  photos: number
  /** Voice notes removed, bytes and row: every one of an expired request, and unattached ones past the cutoff. */
  voiceNotes: number
  sessions: number
  residents: number
}

type Schema = Map<string, Set<string>>

/**
 * PIPL retention: personal data of requests finished (closed, rejected, merged) longer ago than
 * RETENTION_YEARS is removed, while the request itself stays, anonymous, for the public board and the
 * metrics: its place, category, severity, states, deadlines, handler and ratings' stars are untouched.
 * What happens to each table is listed in personal-data.ts. Idempotent (an anonymised request reads
 * REMOVED_DESCRIPTION, and is not picked again), batched, and exclusive across instances (advisory lock).
 * Run it daily: `node dist/retention/run.js`, or `run()` from the scheduler.
 */
@Injectable()
export class RetentionService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(RetentionService.name)
  private stopping = false

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    // The photo module's store (PHOTO_STORE: disk or bucket): bytes go with their rows.
    private readonly photoFiles: PhotoStore,
  ) {}

  /** Graceful shutdown: a run in progress ends after its current batch and releases the lock. */
  beforeApplicationShutdown(): void {
    this.stopping = true
  }

  /** The instant before which a finished request loses its personal data. */
  cutoff(now: Date = this.clock.now()): Date {
    const cutoff = new Date(now)
    cutoff.setUTCFullYear(cutoff.getUTCFullYear() - this.config.retention.years)
    return cutoff
  }

  async run(options: { dryRun?: boolean } = {}): Promise<RetentionReport> {
    const dryRun = options.dryRun ?? false
    const cutoff = this.cutoff()
    const report: RetentionReport = {
      ran: false,
      stoppedEarly: false,
      dryRun,
      cutoff: cutoff.toISOString(),
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
    }
    const lock = this.dataSource.createQueryRunner()
    await lock.connect()
    try {
      const [{ locked }] = await lock.query('SELECT pg_try_advisory_lock($1) AS locked', [RETENTION_LOCK])
      if (!locked) {
        this.logger.warn('another instance is running the retention job; nothing done')
        return report
      }
      try {
        report.ran = true
        const schema = await this.schema()
        if (dryRun) {
          await this.count(schema, cutoff, report)
        } else {
          const stop = () => (report.stoppedEarly ||= this.stopping)
          while (!stop()) {
            const done = await this.dataSource.transaction((m) => this.anonymiseBatch(m, schema, cutoff, report))
            if (done) break
          }
          if (!stop()) await this.deleteStaleSessions(cutoff, report)
          if (!stop()) await this.deleteOldConsents(schema, cutoff, report)
          while (!stop()) {
            const done = await this.dataSource.transaction((m) => this.deleteResidentsBatch(m, schema, cutoff, report))
            if (done) break
          }
        }
        this.logger.log(`retention ${dryRun ? '(dry run) ' : ''}${JSON.stringify(report)}`)
        return report
      } finally {
        await lock.query('SELECT pg_advisory_unlock($1)', [RETENTION_LOCK])
      }
    } finally {
      await lock.release()
    }
  }

  /** Tables and columns as migrated: the job works on the schema it finds (see personal-data.ts). */
  private async schema(): Promise<Schema> {
    const rows = await this.dataSource.query<{ table_name: string; column_name: string }[]>(
      `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'`,
    )
    const schema: Schema = new Map()
    for (const row of rows) {
      if (!schema.has(row.table_name)) schema.set(row.table_name, new Set())
      schema.get(row.table_name)!.add(row.column_name)
    }
    return schema
  }

  /**
   * Finished before the cutoff: in a final state, with no timeline event and no change since. An
   * anonymised request reads REMOVED_DESCRIPTION, so it is never picked again.
   */
  private expiredSql(alias: string): string {
    return `${alias}.state = ANY($1::text[]) AND ${alias}.description <> $2
      AND GREATEST(${alias}.updated_at, COALESCE((SELECT max(e.at) FROM ticket_event e WHERE e.ticket_id = ${alias}.id), ${alias}.updated_at)) < $3`
  }

  private async count(schema: Schema, cutoff: Date, report: RetentionReport): Promise<void> {
    const [{ n }] = await this.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM ticket t WHERE ${this.expiredSql('t')}`,
      [FINAL_STATES, REMOVED_DESCRIPTION, cutoff],
    )
    report.requests = n
    report.sessions = (
      await this.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM auth_session s WHERE ${STALE_SESSION}`, [cutoff])
    )[0].n
    report.residents = (
      await this.dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM resident r WHERE ${this.unusedResidentSql(schema)}`,
        [cutoff],
      )
    )[0].n
  }

  /** One batch of expired requests, in one transaction. Returns true when none were left. */
  private async anonymiseBatch(m: EntityManager, schema: Schema, cutoff: Date, report: RetentionReport): Promise<boolean> {
    const has = (table: string, column?: string) => schema.get(table)?.has(column ?? 'id') ?? false
    const rows = await m.query<{ id: string }[]>(
      `SELECT t.id FROM ticket t WHERE ${this.expiredSql('t')} ORDER BY t.created_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
      [FINAL_STATES, REMOVED_DESCRIPTION, cutoff],
    )
    if (rows.length === 0) return true
    const ids = rows.map((r) => r.id)

    // Photos first: if the files cannot be removed the batch rolls back, and nothing is half done.
    if (schema.has('photo')) {
      // DELETE … RETURNING answers [rows, count].
      const [photos] = await m.query<[{ id: string; storage_key: string }[], number]>(
        `DELETE FROM photo WHERE ticket_id = ANY($1::uuid[]) AND uploader_kind = 'resident' RETURNING id, storage_key`,
        [ids],
      )
      for (const photo of photos) await this.photoFiles.delete(photo.storage_key)
      report.photos += photos.length
    }
    // Voice notes: a voice is personal data whoever spoke (the resident, or staff answering them).
    if (schema.has('voice_note')) {
      const [notes] = await m.query<[{ storage_key: string }[], number]>(
        `DELETE FROM voice_note WHERE ticket_id = ANY($1::uuid[]) RETURNING storage_key`,
        [ids],
      )
      for (const note of notes) await this.photoFiles.delete(note.storage_key)
      report.voiceNotes += notes.length
    }

    // The request: who, where exactly, and what they wrote. Staff-written text is scrubbed.
    const sets = ['reporter_resident_id = NULL', 'proxy_name = NULL', 'proxy_phone = NULL', 'room = NULL', 'description = $2']
    if (has('ticket', 'contact_consent')) sets.push('contact_consent = false')
    await m.query(`UPDATE ticket SET ${sets.join(', ')} WHERE id = ANY($1::uuid[])`, [ids, REMOVED_DESCRIPTION])
    const staffText = ['reply_plan', 'resolution_note', 'public_commitment', 'public_resolution', 'public_text', 'rejection_reason'].filter((c) => has('ticket', c))
    if (staffText.length > 0) {
      const texts = await m.query<Record<string, string | null>[]>(
        `SELECT id, ${staffText.join(', ')} FROM ticket WHERE id = ANY($1::uuid[])`,
        [ids],
      )
      for (const row of texts) {
        const changes = staffText.filter((c) => row[c] !== null && scrubText(row[c]!) !== row[c])
        if (changes.length === 0) continue
        await m.query(
          `UPDATE ticket SET ${changes.map((c, i) => `${c} = $${i + 2}`).join(', ')} WHERE id = $1`,
          [row.id, ...changes.map((c) => scrubText(row[c]!))],
        )
      }
    }

    // The timeline: residents become anonymous actors; their words go, staff words are scrubbed.
    const events = await m.query<{ id: string; actor_kind: string; actor_id: string | null; data: unknown }[]>(
      `SELECT id, actor_kind, actor_id, data FROM ticket_event WHERE ticket_id = ANY($1::uuid[])`,
      [ids],
    )
    for (const event of events) {
      const byResident = event.actor_kind === 'resident'
      const data = scrubEventData(event.data, byResident)
      const dataChanged = JSON.stringify(data) !== JSON.stringify(event.data)
      if (!dataChanged && !(byResident && event.actor_id !== null)) continue
      await m.query(
        `UPDATE ticket_event SET data = $2::jsonb, actor_id = CASE WHEN actor_kind = 'resident' THEN NULL ELSE actor_id END WHERE id = $1`,
        [event.id, JSON.stringify(data)],
      )
      report.timelineEvents++
    }

    if (schema.has('ticket_rating')) {
      const [, n] = await m.query<[unknown, number]>(
        `UPDATE ticket_rating SET resident_id = NULL, comment = NULL
          WHERE ticket_id = ANY($1::uuid[]) AND (resident_id IS NOT NULL OR comment IS NOT NULL)`,
        [ids],
      )
      report.ratings += n
    }
    if (has('open311_request', 'media_url')) {
      await m.query(`UPDATE open311_request SET media_url = NULL WHERE ticket_id = ANY($1::uuid[]) AND media_url IS NOT NULL`, [ids])
    }
    report.followers += await this.deleteFrom(m, schema, 'ticket_follower', ids)
    report.idempotencyKeys += await this.deleteFrom(m, schema, 'idempotency_key', ids)
    if (has('subscription_consent', 'notification_id') && schema.has('notification_outbox')) {
      // Consents spent on the request's notifications go with them.
      const [, n] = await m.query<[unknown, number]>(
        `DELETE FROM subscription_consent WHERE notification_id IN (SELECT id FROM notification_outbox WHERE ticket_id = ANY($1::uuid[]))`,
        [ids],
      )
      report.consents += n
    }
    report.notifications += await this.deleteFrom(m, schema, 'notification_outbox', ids)
    report.requests += ids.length
    return rows.length < BATCH
  }

  private async deleteFrom(m: EntityManager, schema: Schema, table: string, ticketIds: string[]): Promise<number> {
    if (!schema.get(table)?.has('ticket_id')) return 0
    const [, n] = await m.query<[unknown, number]>(`DELETE FROM ${table} WHERE ticket_id = ANY($1::uuid[])`, [ticketIds])
    return n
  }

  /** Sessions nobody could have used since the cutoff: their refresh tokens and then them. */
  private async deleteStaleSessions(cutoff: Date, report: RetentionReport): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await m.query(
        `DELETE FROM refresh_token WHERE session_id IN (SELECT s.id FROM auth_session s WHERE ${STALE_SESSION})`,
        [cutoff],
      )
      const [, n] = await m.query<[unknown, number]>(`DELETE FROM auth_session s WHERE ${STALE_SESSION}`, [cutoff])
      report.sessions += n
    })
  }

  /** Residents' subscription-message consents spent, or granted and never used, before the cutoff. */
  private async deleteOldConsents(schema: Schema, cutoff: Date, report: RetentionReport): Promise<void> {
    if (!schema.get('subscription_consent')?.has('granted_at')) return
    const [, n] = await this.dataSource.query<[unknown, number]>(
      `DELETE FROM subscription_consent WHERE resident_id IS NOT NULL AND COALESCE(spent_at, granted_at) < $1`,
      [cutoff],
    )
    report.consents += n
  }

  /**
   * A resident nothing points at any more (no request, follow, rating, photo, voice note, notification, consent,
   * timeline entry or live session), known since before the cutoff.
   */
  private unusedResidentSql(schema: Schema): string {
    const checks = [
      'r.created_at < $1',
      'NOT EXISTS (SELECT 1 FROM ticket t WHERE t.reporter_resident_id = r.id)',
      `NOT EXISTS (SELECT 1 FROM ticket_event e WHERE e.actor_kind = 'resident' AND e.actor_id = r.id)`,
      'NOT EXISTS (SELECT 1 FROM auth_session s WHERE s.resident_id = r.id)',
    ]
    if (schema.has('ticket_follower')) checks.push('NOT EXISTS (SELECT 1 FROM ticket_follower f WHERE f.resident_id = r.id)')
    if (schema.has('ticket_rating')) checks.push('NOT EXISTS (SELECT 1 FROM ticket_rating g WHERE g.resident_id = r.id)')
    if (schema.has('photo'))
      checks.push(`NOT EXISTS (SELECT 1 FROM photo p WHERE p.uploader_kind = 'resident' AND p.uploader_id = r.id)`)
    if (schema.has('voice_note'))
      checks.push(`NOT EXISTS (SELECT 1 FROM voice_note v WHERE v.uploader_kind = 'resident' AND v.uploader_id = r.id)`)
    if (schema.has('subscription_consent'))
      checks.push('NOT EXISTS (SELECT 1 FROM subscription_consent k WHERE k.resident_id = r.id)')
    if (schema.has('notification_outbox'))
      checks.push(`NOT EXISTS (SELECT 1 FROM notification_outbox o WHERE o.recipient_kind = 'resident' AND o.recipient_id = r.id)`)
    return checks.join(' AND ')
  }

  private async deleteResidentsBatch(m: EntityManager, schema: Schema, cutoff: Date, report: RetentionReport): Promise<boolean> {
    // A photo uploaded and never attached is the uploader's alone: older than the cutoff, it goes too.
    if (schema.has('photo')) {
      const [loose] = await m.query<[{ storage_key: string }[], number]>(
        `DELETE FROM photo WHERE ticket_id IS NULL AND uploader_kind = 'resident' AND created_at < $1 RETURNING storage_key`,
        [cutoff],
      )
      for (const photo of loose) await this.photoFiles.delete(photo.storage_key)
      report.photos += loose.length
    }
    // So is a voice note recorded and never sent, by anyone.
    if (schema.has('voice_note')) {
      const [loose] = await m.query<[{ storage_key: string }[], number]>(
        `DELETE FROM voice_note WHERE ticket_id IS NULL AND created_at < $1 RETURNING storage_key`,
        [cutoff],
      )
      for (const note of loose) await this.photoFiles.delete(note.storage_key)
      report.voiceNotes += loose.length
    }
    const rows = await m.query<{ id: string }[]>(
      `SELECT r.id FROM resident r WHERE ${this.unusedResidentSql(schema)} LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
      [cutoff],
    )
    if (rows.length === 0) return true
    // A table this job does not know that points at residents makes this fail, loudly: it needs a rule.
    await m.query('DELETE FROM resident WHERE id = ANY($1::uuid[])', [rows.map((r) => r.id)])
    report.residents += rows.length
    return rows.length < BATCH
  }
}

/** No refresh token of the session outlived the cutoff, and it began before it. */
const STALE_SESSION = `s.created_at < $1 AND NOT EXISTS (SELECT 1 FROM refresh_token r WHERE r.session_id = s.id AND r.expires_at >= $1)`
