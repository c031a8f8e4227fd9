import type { MigrationInterface, QueryRunner } from 'typeorm'

const PENDING = `state NOT IN ('rejected', 'merged', 'withdrawn') AND ((accepted_at IS NULL AND accept_by IS NOT NULL) OR (resolved_at IS NULL AND resolve_by IS NOT NULL))`

/**
 * The metrics' live terms read from their index alone. `ticket_deadline_pending_idx` (the requests whose
 * terms depend on the time of the read) now carries what those terms and the groupings read, so the
 * count is an index-only scan: at 10M requests a street's month has ~4,600 such requests, and fetching
 * each one's row from the heap made metrics p99 grow with the data (docs/performance.md). And a street's
 * compounds, which every street-level read looks up by path, from a GIN index of compounds only (the
 * whole-tree index returns every building and unit under the street first).
 */
export class PendingCover1798400000000 implements MigrationInterface {
  name = 'PendingCover1798400000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ticket_deadline_pending_idx"`)
    await queryRunner.query(
      `CREATE INDEX "ticket_deadline_pending_idx" ON "ticket" ("compound_id", "created_at")
         INCLUDE ("accepted_at", "accept_by", "resolved_at", "resolve_by", "building_id", "category", "handler_role", "handler_staff_id")
         WHERE ${PENDING}`,
    )
    await queryRunner.query(
      `CREATE INDEX "place_compound_path_gin" ON "place" USING gin ("path") WHERE kind = 'compound'`,
    )
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."place_compound_path_gin"`)
    await queryRunner.query(`DROP INDEX "public"."ticket_deadline_pending_idx"`)
    await queryRunner.query(
      `CREATE INDEX "ticket_deadline_pending_idx" ON "ticket" ("compound_id", "created_at") WHERE ${PENDING}`,
    )
  }
}
