import type { MigrationInterface, QueryRunner } from 'typeorm'

/** Reply templates (常用回复) kept at places, and compounds' after-photo categories (templates/ owns both). */
export class ReplyTemplates1796900000000 implements MigrationInterface {
  name = 'ReplyTemplates1796900000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "after_photo_setting" ("compound_id" uuid NOT NULL, "categories" text array NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_by" uuid, CONSTRAINT "PK_aa890f40f4b549b902f88478cc5" PRIMARY KEY ("compound_id"))`)
    await queryRunner.query(`CREATE TABLE "reply_template" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "place_id" uuid NOT NULL, "category" text, "action" text NOT NULL, "title" text NOT NULL, "text" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_by" uuid, CONSTRAINT "PK_4a3ada0e40cac8291f49287a8f4" PRIMARY KEY ("id"))`)
    await queryRunner.query(`CREATE INDEX "reply_template_place_idx" ON "reply_template" ("place_id", "action") `)
    await queryRunner.query(`ALTER TABLE "after_photo_setting" ADD CONSTRAINT "FK_aa890f40f4b549b902f88478cc5" FOREIGN KEY ("compound_id") REFERENCES "place"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "after_photo_setting" ADD CONSTRAINT "FK_6116dda4c732c236ef9e7984ff4" FOREIGN KEY ("updated_by") REFERENCES "staff"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "reply_template" ADD CONSTRAINT "FK_c49b9530a25d56109da4d212068" FOREIGN KEY ("place_id") REFERENCES "place"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "reply_template" ADD CONSTRAINT "FK_5d2d60dfcd7bf03cd580db7bc9d" FOREIGN KEY ("updated_by") REFERENCES "staff"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "reply_template" DROP CONSTRAINT "FK_5d2d60dfcd7bf03cd580db7bc9d"`)
    await queryRunner.query(`ALTER TABLE "reply_template" DROP CONSTRAINT "FK_c49b9530a25d56109da4d212068"`)
    await queryRunner.query(`ALTER TABLE "after_photo_setting" DROP CONSTRAINT "FK_6116dda4c732c236ef9e7984ff4"`)
    await queryRunner.query(`ALTER TABLE "after_photo_setting" DROP CONSTRAINT "FK_aa890f40f4b549b902f88478cc5"`)
    await queryRunner.query(`DROP INDEX "public"."reply_template_place_idx"`)
    await queryRunner.query(`DROP TABLE "reply_template"`)
    await queryRunner.query(`DROP TABLE "after_photo_setting"`)
  }
}
