import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * The inbox at scale (docs/performance.md): a staff member's co-handler rows pile up with every request
 * they ever co-handled, while the inbox wants only the open ones. `(staff_id, ticket_id)` lists them from
 * the index alone (it replaces the plain staff_id index), and `ticket_open_id_idx` — ids of open requests
 * only, a few thousand entries whatever the history — answers "is it still open?" without reading rows.
 */
export class InboxIndexes1795250000000 implements MigrationInterface {
  name = 'InboxIndexes1795250000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ticket_co_handler_staff_idx"`)
    await queryRunner.query(
      `CREATE INDEX "ticket_co_handler_staff_idx" ON "ticket_co_handler" ("staff_id", "ticket_id") `,
    )
    await queryRunner.query(
      `CREATE INDEX "ticket_open_id_idx" ON "ticket" ("id") WHERE state IN ('submitted', 'accepted', 'replied', 'waiting_resident')`,
    )
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ticket_open_id_idx"`)
    await queryRunner.query(`DROP INDEX "public"."ticket_co_handler_staff_idx"`)
    await queryRunner.query(`CREATE INDEX "ticket_co_handler_staff_idx" ON "ticket_co_handler" ("staff_id") `)
  }
}
