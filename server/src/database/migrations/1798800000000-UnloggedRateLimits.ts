import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * The abuse limits' counters (rate_limit) are written without WAL (UNLOGGED): every filing, login and chase
 * adds a point, and a logged write made each one wait for its own WAL flush while holding the counter's row
 * — so calls counted against one key (all the residents behind one carrier address, say) went one flush at a
 * time. Counters are short-lived and derived from nothing: a crash empties the table (every limit starts
 * again), and a streaming replica does not carry it (only the primary counts). ADR 0012.
 */
export class UnloggedRateLimits1798800000000 implements MigrationInterface {
  name = 'UnloggedRateLimits1798800000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "rate_limit" SET UNLOGGED`)
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "rate_limit" SET LOGGED`)
  }
}
