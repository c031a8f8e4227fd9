import { Inject, Injectable } from '@nestjs/common'
import { createHmac } from 'node:crypto'
import type { Pool } from 'pg'
import { RateLimiterPostgres } from 'rate-limiter-flexible'
import { DataSource } from 'typeorm'
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver'
import { DomainError } from '../common/domain-error'
import { prepared } from '../common/prepared'
import { APP_CONFIG, type AppConfig, type RateLimitName } from '../config/config'
import { waitText } from './rate-limits'

/** The table of migration RateLimits: one for every limit, keys prefixed by the limit's name. */
const TABLE = 'rate_limit'

/**
 * Counts calls against the configured limits in PostgreSQL (rate-limiter-flexible's RateLimiterPostgres
 * on the application's own pool), so a limit holds across every instance behind the balancer.
 */
@Injectable()
export class RateLimitService {
  private readonly limiters = new Map<RateLimitName, RateLimiterPostgres>()

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
  ) {}

  private limiter(name: RateLimitName): RateLimiterPostgres | null {
    const limit = this.config.rateLimits[name]
    if (!limit) return null
    let limiter = this.limiters.get(name)
    if (!limiter) {
      const pool = (this.dataSource.driver as PostgresDriver).master as Pool
      limiter = new RateLimiterPostgres({
        storeClient: pool,
        storeType: 'pool',
        tableName: TABLE,
        tableCreated: true,
        keyPrefix: name,
        points: limit.points,
        duration: limit.seconds,
      })
      this.limiters.set(name, limiter)
    }
    return limiter
  }

  /**
   * The stored key: an HMAC under the token secret, so the table holds no address or phone number
   * (a plain hash of an IPv4 address is reversed by trying all 2³² of them).
   */
  private key(name: RateLimitName, subject: string): string {
    return createHmac('sha256', this.config.auth.tokenSecret)
      .update(`${name}\0${subject}`)
      .digest('base64url')
  }

  /** One call by `subject` against `name`; 429 RATE_LIMITED with Retry-After beyond the limit. */
  async consume(name: RateLimitName, subject: string): Promise<void> {
    await this.consumeAll([[name, subject]])
  }

  /**
   * One call against each of these limits (each a different limit), counted in ONE statement; 429
   * RATE_LIMITED with the Retry-After of the first in this order that is beyond its limit. Every one is
   * counted, also when an earlier one refuses (separate `consume` calls would stop at the refusal).
   *
   * The statement is rate-limiter-flexible's upsert (RateLimiterPostgres `_upsert`) for several keys:
   * a key whose window has passed starts again at 1 with a new window, any other adds 1; over the limit is
   * more points than the limit allows. The library's limiters are kept for their sweep of expired rows.
   */
  async consumeAll(calls: readonly (readonly [RateLimitName, string])[]): Promise<void> {
    const limits = calls.flatMap(([name, subject]) => {
      const limit = this.config.rateLimits[name]
      if (!limit || !this.limiter(name)) return []
      return [{ name, key: `${name}:${this.key(name, subject)}`, ...limit }]
    })
    if (limits.length === 0) return
    const now = Date.now()
    const rows = await this.dataSource.query<{ key: string; points: number; expire: string | null }[]>(
      prepared(CONSUME_SQL),
      [
        limits.map((l) => l.key),
        limits.map((l) => (l.seconds > 0 ? String(now + l.seconds * 1000) : null)),
        now,
      ],
    )
    const byKey = new Map(rows.map((row) => [row.key, row]))
    for (const limit of limits) {
      const row = byKey.get(limit.key)!
      if (row.points <= limit.points) continue
      const msBeforeNext = row.expire === null ? -1 : Math.max(Number(row.expire) - Date.now(), 0)
      const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000))
      throw new DomainError(
        'RATE_LIMITED',
        `操作太频繁了，请${waitText(seconds)}后再试`,
        [{ path: limit.name, message: `retry after ${seconds} s` }],
        { 'retry-after': String(seconds) },
      )
    }
  }
}

/** One point on each key: $1 the keys, $2 each one's new window end (ms; null: none), $3 now (ms). */
const CONSUME_SQL = `
  INSERT INTO ${TABLE} (key, points, expire)
  SELECT k.key, 1, k.expire FROM unnest($1::varchar[], $2::bigint[]) AS k(key, expire)
  ON CONFLICT (key) DO UPDATE SET
    points = CASE WHEN ${TABLE}.expire <= $3 THEN 1 ELSE ${TABLE}.points + 1 END,
    expire = CASE WHEN ${TABLE}.expire <= $3 THEN EXCLUDED.expire ELSE ${TABLE}.expire END
  RETURNING key, points, expire`
