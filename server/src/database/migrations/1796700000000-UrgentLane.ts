import type { MigrationInterface, QueryRunner } from 'typeorm'

/** A request in the urgent lane (紧急): decided at filing from its category and words (ticket.urgent). */
export class UrgentLane1796700000000 implements MigrationInterface {
  name = 'UrgentLane1796700000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "ticket" ADD "urgent" boolean NOT NULL DEFAULT false`)
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "ticket" DROP COLUMN "urgent"`)
  }
}
