import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * A partial index of the handoffs in the timeline (transferred away from someone who held it), which
 * 回退率 and the ranking probe once per request: at 1M requests the street ranking spent 380 of its 595 ms
 * reading whole timelines to find them (pnpm bench, plan_ranking_street).
 */
export class HandoffIndex1798000000000 implements MigrationInterface {
  name = 'HandoffIndex1798000000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "ticket_event_handoff_idx" ON "ticket_event" ("ticket_id") WHERE type = 'transferred' AND data->>'fromRole' IS NOT NULL`,
    )
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ticket_event_handoff_idx"`)
  }
}
