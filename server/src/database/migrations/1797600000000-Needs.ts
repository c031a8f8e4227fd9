import type { MigrationInterface, QueryRunner } from 'typeorm'

/** Residents' needs (居民需求) and their supports, one per household (needs/ owns both). */
export class Needs1797600000000 implements MigrationInterface {
  name = 'Needs1797600000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "need" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "compound_id" uuid NOT NULL, "unit_id" uuid, "title" text NOT NULL, "public_text" text NOT NULL, "source" text NOT NULL, "status" text NOT NULL, "reason" text, "ticket_id" uuid, "proposer_resident_id" uuid, "created_by_staff_id" uuid, "status_changed_by" uuid, "status_changed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_218b14514f334ee6f39954f86ba" PRIMARY KEY ("id"))`)
    await queryRunner.query(`CREATE INDEX "need_ticket_idx" ON "need" ("ticket_id") `)
    await queryRunner.query(`CREATE INDEX "need_compound_idx" ON "need" ("compound_id", "status") `)
    await queryRunner.query(`CREATE TABLE "need_support" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "need_id" uuid NOT NULL, "household_key" text NOT NULL, "resident_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_6456db32a4e901a1d592e1c1adb" PRIMARY KEY ("id"))`)
    await queryRunner.query(`CREATE INDEX "need_support_resident_idx" ON "need_support" ("resident_id", "need_id") `)
    await queryRunner.query(`CREATE UNIQUE INDEX "need_support_household_idx" ON "need_support" ("need_id", "household_key") `)
    await queryRunner.query(`ALTER TABLE "need" ADD CONSTRAINT "FK_ad0db70fccd2128a48d41b3088c" FOREIGN KEY ("compound_id") REFERENCES "place"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "need" ADD CONSTRAINT "FK_57a90b633a4d060661dec22db28" FOREIGN KEY ("unit_id") REFERENCES "place"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "need" ADD CONSTRAINT "FK_602df683a62f2f32e1ddc8156bb" FOREIGN KEY ("proposer_resident_id") REFERENCES "resident"("id") ON DELETE SET NULL ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "need" ADD CONSTRAINT "FK_fe2e197f87be2a688aeae45df0b" FOREIGN KEY ("created_by_staff_id") REFERENCES "staff"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "need" ADD CONSTRAINT "FK_9c0d0aac01f0600a3dbd0cb9541" FOREIGN KEY ("status_changed_by") REFERENCES "staff"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "need_support" ADD CONSTRAINT "FK_17bc348e1a285c9481bfbdcb2df" FOREIGN KEY ("need_id") REFERENCES "need"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "need_support" ADD CONSTRAINT "FK_ea349595ad922657f44e46f3df6" FOREIGN KEY ("resident_id") REFERENCES "resident"("id") ON DELETE SET NULL ON UPDATE NO ACTION`)
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "need_support" DROP CONSTRAINT "FK_ea349595ad922657f44e46f3df6"`)
    await queryRunner.query(`ALTER TABLE "need_support" DROP CONSTRAINT "FK_17bc348e1a285c9481bfbdcb2df"`)
    await queryRunner.query(`ALTER TABLE "need" DROP CONSTRAINT "FK_9c0d0aac01f0600a3dbd0cb9541"`)
    await queryRunner.query(`ALTER TABLE "need" DROP CONSTRAINT "FK_fe2e197f87be2a688aeae45df0b"`)
    await queryRunner.query(`ALTER TABLE "need" DROP CONSTRAINT "FK_602df683a62f2f32e1ddc8156bb"`)
    await queryRunner.query(`ALTER TABLE "need" DROP CONSTRAINT "FK_57a90b633a4d060661dec22db28"`)
    await queryRunner.query(`ALTER TABLE "need" DROP CONSTRAINT "FK_ad0db70fccd2128a48d41b3088c"`)
    await queryRunner.query(`DROP INDEX "public"."need_support_household_idx"`)
    await queryRunner.query(`DROP INDEX "public"."need_support_resident_idx"`)
    await queryRunner.query(`DROP TABLE "need_support"`)
    await queryRunner.query(`DROP INDEX "public"."need_compound_idx"`)
    await queryRunner.query(`DROP INDEX "public"."need_ticket_idx"`)
    await queryRunner.query(`DROP TABLE "need"`)
  }
}
