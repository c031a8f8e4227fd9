import type { MigrationInterface, QueryRunner } from 'typeorm'

/** Residents' mobile numbers for text messages, verified by a code (sms/resident-mobile.entity.ts). */
export class ResidentMobile1795280000000 implements MigrationInterface {
  name = 'ResidentMobile1795280000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "resident_mobile" ("resident_id" uuid NOT NULL, "phone" text, "verified_at" TIMESTAMP WITH TIME ZONE, "code_hash" text, "code_expires_at" TIMESTAMP WITH TIME ZONE, "code_tries" integer NOT NULL DEFAULT '0', CONSTRAINT "PK_c516acbd0fd15ab75c9bccf1960" PRIMARY KEY ("resident_id"))`)
    await queryRunner.query(`ALTER TABLE "resident_mobile" ADD CONSTRAINT "FK_c516acbd0fd15ab75c9bccf1960" FOREIGN KEY ("resident_id") REFERENCES "resident"("id") ON DELETE CASCADE ON UPDATE NO ACTION`)
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "resident_mobile" DROP CONSTRAINT "FK_c516acbd0fd15ab75c9bccf1960"`)
    await queryRunner.query(`DROP TABLE "resident_mobile"`)
  }
}
