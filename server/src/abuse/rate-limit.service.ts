import { Inject, Injectable } from '@nestjs/common'
import { createHmac } from 'node:crypto'
import type { Pool } from 'pg'
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible'
import { DataSource } from 'typeorm'
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver'
import { DomainError } from '../common/domain-error'
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
    const limiter = this.limiter(name)
    if (!limiter) return
    try {
      await limiter.consume(this.key(name, subject))
    } catch (rejection: unknown) {
      // A store failure (database down) is an Error and maps to 503; a RateLimiterRes is "over the limit".
      if (!(rejection instanceof RateLimiterRes)) throw rejection
      const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000))
      throw new DomainError(
        'RATE_LIMITED',
        `操作太频繁了，请${waitText(seconds)}后再试`,
        [{ path: name, message: `retry after ${seconds} s` }],
        { 'retry-after': String(seconds) },
      )
    }
  }
}
