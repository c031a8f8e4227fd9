import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * Counters of the abuse limits (abuse/rate-limits.ts), shared by every instance: the table layout is
 * the one rate-limiter-flexible's RateLimiterPostgres reads and writes. Keys are HMACs, never a raw
 * address or phone number; `expire` is epoch milliseconds.
 */
export class RateLimits1795239004381 implements MigrationInterface {
  name = 'RateLimits1795239004381'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "rate_limit" ("key" character varying(255) NOT NULL, "points" integer NOT NULL DEFAULT 0, "expire" bigint, CONSTRAINT "rate_limit_pkey" PRIMARY KEY ("key"))`,
    )
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "rate_limit"`)
  }
}
