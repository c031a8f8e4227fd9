import type { MigrationInterface, QueryRunner } from 'typeorm'

/** A place's danger list changes and a compound's 物业 24-hour line (deadlines/urgent-list.entity.ts). */
export class UrgentList1797500000000 implements MigrationInterface {
  name = 'UrgentList1797500000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "urgent_list" ("place_id" uuid NOT NULL, "add_words" jsonb NOT NULL DEFAULT '[]', "drop_words" jsonb NOT NULL DEFAULT '[]', "add_categories" jsonb NOT NULL DEFAULT '[]', "drop_categories" jsonb NOT NULL DEFAULT '[]', "property_phone" text, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_by" uuid, CONSTRAINT "PK_7ffb1fc30b197e154a615811e88" PRIMARY KEY ("place_id"))`)
    await queryRunner.query(`ALTER TABLE "urgent_list" ADD CONSTRAINT "FK_7ffb1fc30b197e154a615811e88" FOREIGN KEY ("place_id") REFERENCES "place"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "urgent_list" ADD CONSTRAINT "FK_7c3ffd8139b8633153adaf4bad9" FOREIGN KEY ("updated_by") REFERENCES "staff"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "urgent_list" DROP CONSTRAINT "FK_7c3ffd8139b8633153adaf4bad9"`)
    await queryRunner.query(`ALTER TABLE "urgent_list" DROP CONSTRAINT "FK_7ffb1fc30b197e154a615811e88"`)
    await queryRunner.query(`DROP TABLE "urgent_list"`)
  }
}
