import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * Staff-edited public summary of a request, per-compound deadline settings (and the
 * config each request keeps from filing), and the indexes of the metrics queries.
 */
export class A1MetricsBoardDeadlines1795240100000 implements MigrationInterface {
  name = 'A1MetricsBoardDeadlines1795240100000'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "deadline_settings" ("compound_id" uuid NOT NULL, "overrides" jsonb NOT NULL DEFAULT '{}', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_by" uuid, CONSTRAINT "PK_fdba34250f809478d8a23ad9456" PRIMARY KEY ("compound_id"))`)
    await queryRunner.query(`ALTER TABLE "ticket" ADD "deadline_config" jsonb`)
    await queryRunner.query(`ALTER TABLE "ticket" ADD "public_commitment" text`)
    await queryRunner.query(`ALTER TABLE "ticket" ADD "public_resolution" text`)
    await queryRunner.query(`CREATE INDEX "ticket_building_created_idx" ON "ticket" ("building_id", "created_at") `)
    await queryRunner.query(`CREATE INDEX "ticket_escalated_idx" ON "ticket" ("compound_id", "escalation_level") WHERE state IN ('submitted', 'accepted', 'replied', 'waiting_resident') AND escalation_level > 0`)
    await queryRunner.query(`ALTER TABLE "deadline_settings" ADD CONSTRAINT "FK_fdba34250f809478d8a23ad9456" FOREIGN KEY ("compound_id") REFERENCES "place"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "deadline_settings" ADD CONSTRAINT "FK_5b1bd14e32495be052cfc91a25f" FOREIGN KEY ("updated_by") REFERENCES "staff"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "deadline_settings" DROP CONSTRAINT "FK_5b1bd14e32495be052cfc91a25f"`)
    await queryRunner.query(`ALTER TABLE "deadline_settings" DROP CONSTRAINT "FK_fdba34250f809478d8a23ad9456"`)
    await queryRunner.query(`DROP INDEX "public"."ticket_escalated_idx"`)
    await queryRunner.query(`DROP INDEX "public"."ticket_building_created_idx"`)
    await queryRunner.query(`ALTER TABLE "ticket" DROP COLUMN "public_resolution"`)
    await queryRunner.query(`ALTER TABLE "ticket" DROP COLUMN "public_commitment"`)
    await queryRunner.query(`ALTER TABLE "ticket" DROP COLUMN "deadline_config"`)
    await queryRunner.query(`DROP TABLE "deadline_settings"`)
  }
}
