import type { MigrationInterface, QueryRunner } from 'typeorm'

const OPEN = `state IN ('submitted', 'accepted', 'replied', 'waiting_resident')`

/**
 * The inbox and 我的诉求 from their indexes alone (docs/performance.md, issue #25's third round).
 *
 * At 10M requests a compound holds ~140 open requests (up to ~550) and an active resident has filed
 * thousands; each list sorted and counted all of them, and each was fetched from the table (a bitmap heap
 * scan of ~550 pages for one secretary's page, cold on a database larger than memory). The two inbox
 * indexes now carry what the inbox filters, sorts and shows its relation by; a resident's index carries
 * the list's order and the id, so the page is read newest-first and the count is an index-only scan.
 */
export class ListCover1798500000000 implements MigrationInterface {
  name = 'ListCover1798500000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ticket_inbox_compound_idx"`)
    await queryRunner.query(
      `CREATE INDEX "ticket_inbox_compound_idx" ON "ticket" ("compound_id", "next_due_at")
         INCLUDE ("urgent", "number", "state", "handler_staff_id", "id") WHERE ${OPEN}`,
    )
    await queryRunner.query(`DROP INDEX "public"."ticket_inbox_handler_idx"`)
    await queryRunner.query(
      `CREATE INDEX "ticket_inbox_handler_idx" ON "ticket" ("handler_staff_id", "next_due_at")
         INCLUDE ("urgent", "number", "state", "id") WHERE ${OPEN}`,
    )
    await queryRunner.query(`DROP INDEX "public"."ticket_reporter_created_idx"`)
    await queryRunner.query(
      `CREATE INDEX "ticket_reporter_created_idx" ON "ticket" ("reporter_resident_id", "created_at", "number")
         INCLUDE ("id")`,
    )
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ticket_reporter_created_idx"`)
    await queryRunner.query(
      `CREATE INDEX "ticket_reporter_created_idx" ON "ticket" ("reporter_resident_id", "created_at")`,
    )
    await queryRunner.query(`DROP INDEX "public"."ticket_inbox_handler_idx"`)
    await queryRunner.query(
      `CREATE INDEX "ticket_inbox_handler_idx" ON "ticket" ("handler_staff_id", "next_due_at") WHERE ${OPEN}`,
    )
    await queryRunner.query(`DROP INDEX "public"."ticket_inbox_compound_idx"`)
    await queryRunner.query(
      `CREATE INDEX "ticket_inbox_compound_idx" ON "ticket" ("compound_id", "next_due_at") WHERE ${OPEN}`,
    )
  }
}
