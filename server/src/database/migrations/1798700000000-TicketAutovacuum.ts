import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * Keeps `ticket`'s visibility map current (docs/performance.md, issue #25's fourth round; ADR 0010).
 *
 * The lists, the metrics' live terms and the counts are index-only scans, which read the table for every
 * page not marked all-visible; only VACUUM marks pages. By default autovacuum vacuums a table after
 * inserts of 20% of its rows and updates of 20%: at ten million requests that is two million new ones —
 * years of a district's filings — so the recent requests those reads are about would stay unmarked
 * (measured at 10M: the metrics' live terms read 8,717 buffers a call instead of 4,340). Here: after 1% of
 * inserts or 2% of updates (100k and 200k rows at 10M), with PostgreSQL's own thresholds on top.
 */
export class TicketAutovacuum1798700000000 implements MigrationInterface {
  name = 'TicketAutovacuum1798700000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "ticket" SET (autovacuum_vacuum_insert_scale_factor = 0.01, autovacuum_vacuum_scale_factor = 0.02)`,
    )
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "ticket" RESET (autovacuum_vacuum_insert_scale_factor, autovacuum_vacuum_scale_factor)`,
    )
  }
}
