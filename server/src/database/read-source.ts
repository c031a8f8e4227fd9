import { Inject, Injectable, Logger, Module, type OnModuleDestroy } from '@nestjs/common'
import type { FastifyRequest } from 'fastify'
import { DataSource, type EntityManager } from 'typeorm'
import { APP_CONFIG, type AppConfig } from '../config/config'
import { dataSourceOptions } from './data-source'

/**
 * Whom a read is for. `null`: anyone (a public page, an open interface); such a read may be behind the
 * primary by the replica's lag. Otherwise a signed-in caller (a principal, or a request carrying a bearer
 * token): their read never shows less than the primary had when it began, so never an older state of
 * their own request than they just saw or wrote (docs/adr/0006-read-replica.md).
 */
export type ReadCaller = { kind: string } | null

/** The caller of a request for a read: its principal, or any bearer token on a public route; else anyone. */
export function readCallerOf(request: FastifyRequest): ReadCaller {
  if (request.principal) return request.principal
  return /^Bearer \S+$/i.test(request.headers.authorization ?? '') ? { kind: 'bearer' } : null
}

/** After a replica failure, reads go to the primary for this long before the replica is tried again. */
export const REPLICA_RETRY_MS = 10_000

/** What served the reads so far (tests; the health of the scale-out). */
export interface ReadCounts {
  replica: number
  primary: number
  /** Reads that found the replica down or failing and were served by the primary. */
  fallbacks: number
}

/**
 * A failure of the replica as a server rather than of the statement: no connection (no SQLSTATE),
 * connection exceptions (08…), shutting down or starting up (57P0…), and a query cancelled by a conflict
 * with recovery (40001 on a standby: WAL replay needed the rows the query was reading). The same work on
 * the primary answers it.
 */
export function replicaFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
    return code.startsWith('08') || code.startsWith('57P0') || code === '40001'
  }
  // Sockets (ECONNREFUSED, ECONNRESET…) and the driver's own words for a lost or slow server.
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return true
  const message = error instanceof Error ? error.message : ''
  return /Connection terminated|timeout exceeded when trying to connect|Query read timeout/i.test(message)
}

/** `0/16B3748` → a number that orders LSNs (both halves are 32 bits). */
export function lsnValue(lsn: string | null): bigint | null {
  if (!lsn) return null
  const [high, low] = lsn.split('/')
  return (BigInt(`0x${high}`) << 32n) | BigInt(`0x${low}`)
}

/** WAL pages (XLOG_BLCKSZ, 8 kB unless PostgreSQL was built otherwise) and their headers. */
const WAL_PAGE = 8192n
const PAGE_HEADERS = new Set([24n, 40n])

/**
 * The insert position at a page's start points past the page header, where the next record will go; a
 * replica that replayed everything stops at the page boundary. Taking the boundary keeps an idle primary
 * at such a position from sending every signed-in read to the primary.
 */
export function recordBoundary(insert: bigint): bigint {
  const offset = insert % WAL_PAGE
  return PAGE_HEADERS.has(offset) ? insert - offset : insert
}

/**
 * Where the read models read: a streaming replica (DATABASE_READ_URL) when there is one, else the primary.
 *
 * - Anyone's read (caller `null`) goes to the replica and may be behind by its lag.
 * - A signed-in caller's read goes to the replica only if the replica has replayed the primary's WAL up to
 *   the position the primary had when the read began (`pg_current_wal_insert_lsn()` there, one tiny statement);
 *   else to the primary. Everything that caller wrote or saw before is at or below that position, so the
 *   rule needs no memory of their writes and holds across any number of server instances.
 * - A replica that cannot be reached or fails as a server sends the read to the primary (logged once)
 *   and is tried again after REPLICA_RETRY_MS.
 *
 * Writes, and the resident's own views (mine, a request's detail), never come here: they use the
 * primary DataSource.
 */
@Injectable()
export class ReadSource implements OnModuleDestroy {
  private readonly logger = new Logger(ReadSource.name)
  private replica: DataSource | null = null
  private connecting: Promise<DataSource | null> | null = null
  /** Until when the replica is not tried (after a failure). */
  private downUntil = 0
  private down = false
  /** The highest replay position seen on the replica: it only grows, so it is a safe lower bound. */
  private replayed: bigint | null = null
  private readonly counts: ReadCounts = { replica: 0, primary: 0, fallbacks: 0 }

  constructor(
    private readonly primary: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Whether a replica is configured (it may still be down). */
  get configured(): boolean {
    return this.config.databaseReadUrl !== null
  }

  stats(): ReadCounts {
    return { ...this.counts }
  }

  /** Runs `work` on the replica or the primary, as the rule above says; a replica failure reruns it on the primary. */
  async read<T>(caller: ReadCaller, work: (db: EntityManager) => Promise<T>): Promise<T> {
    const replica = await this.replicaFor(caller)
    if (replica) {
      try {
        const result = await work(replica.manager)
        this.counts.replica += 1
        this.up()
        return result
      } catch (error) {
        if (!replicaFailure(error)) throw error
        this.failed(error)
      }
    }
    this.counts.primary += 1
    return work(this.primary.manager)
  }

  /** One statement, read where `read` would. */
  query<T = unknown>(sql: string, params: unknown[] = [], caller: ReadCaller = null): Promise<T> {
    return this.read(caller, (db) => db.query<T>(sql, params))
  }

  async onModuleDestroy(): Promise<void> {
    const replica = await this.connecting?.catch(() => null)
    if (replica?.isInitialized) await replica.destroy()
  }

  /** The replica when this read may use it, else null (the primary). */
  private async replicaFor(caller: ReadCaller): Promise<DataSource | null> {
    if (!this.configured || Date.now() < this.downUntil) return null
    // Read first, before the replica is asked: whatever the caller saw or wrote is at or below it. The
    // insert position, not the write position: with synchronous_commit off (bench/run.mjs sets it) a
    // commit is visible before its WAL is written, and must still count.
    const needed =
      caller === null
        ? null
        : recordBoundary(
            lsnValue(
              (await this.primary.query<{ lsn: string }[]>('SELECT pg_current_wal_insert_lsn()::text AS lsn'))[0]
                .lsn,
            )!,
          )
    try {
      const replica = await this.connect()
      if (!replica) return null
      if (needed !== null) {
        if (this.replayed === null || this.replayed < needed) {
          const [row] = await replica.query<{ lsn: string | null }[]>('SELECT pg_last_wal_replay_lsn()::text AS lsn')
          const replayed = lsnValue(row.lsn)
          // Null: not a standby (or not replaying); nothing says it holds what the caller saw.
          if (replayed === null) return null
          if (this.replayed === null || replayed > this.replayed) this.replayed = replayed
          if (replayed < needed) return null
        }
      }
      return replica
    } catch (error) {
      if (!replicaFailure(error)) throw error
      this.failed(error)
      return null
    }
  }

  /** The replica's DataSource, connected on first use (a replica down at boot does not stop the server). */
  private connect(): Promise<DataSource | null> {
    if (this.replica?.isInitialized) return Promise.resolve(this.replica)
    this.connecting ??= (async () => {
      const options = dataSourceOptions(this.config.databaseReadUrl!)
      const replica = new DataSource({ ...options, migrations: [], migrationsRun: false } as typeof options)
      try {
        await replica.initialize()
      } catch (error) {
        this.connecting = null
        throw error
      }
      this.replica = replica
      return replica
    })()
    return this.connecting
  }

  private failed(error: unknown): void {
    this.counts.fallbacks += 1
    this.downUntil = Date.now() + REPLICA_RETRY_MS
    // The replica that comes back may be another one, further behind: forget what this one had replayed.
    this.replayed = null
    if (this.down) return
    this.down = true
    this.logger.warn(
      `read replica unavailable, reading the primary (retrying every ${REPLICA_RETRY_MS / 1000} s): ${error instanceof Error ? error.message : String(error)}`,
    )
  }

  private up(): void {
    if (!this.down) return
    this.down = false
    this.logger.log('read replica back: the read models read it again')
  }
}

/** ReadSource, one per application: import this module where a read model reads. */
@Module({ providers: [ReadSource], exports: [ReadSource] })
export class ReadSourceModule {}
