import type { MigrationInterface, QueryRunner } from 'typeorm'

/** Admins' days off and on per place (deadlines/calendar-override.entity.ts), inherited by the places under it. */
export class CalendarOverrides1796800000000 implements MigrationInterface {
  name = 'CalendarOverrides1796800000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "calendar_override" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "place_id" uuid NOT NULL, "date" date NOT NULL, "working" boolean NOT NULL, "reason" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "created_by" uuid, CONSTRAINT "PK_6317e24e0075b35a8197aa74eb4" PRIMARY KEY ("id"))`)
    await queryRunner.query(`CREATE UNIQUE INDEX "calendar_override_place_date_key" ON "calendar_override" ("place_id", "date") `)
    await queryRunner.query(`ALTER TABLE "calendar_override" ADD CONSTRAINT "FK_6d8da0a5f8e6fbfc1f96602a5b7" FOREIGN KEY ("place_id") REFERENCES "place"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "calendar_override" ADD CONSTRAINT "FK_5bfa61bab2016bb5450137f829d" FOREIGN KEY ("created_by") REFERENCES "staff"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "calendar_override" DROP CONSTRAINT "FK_5bfa61bab2016bb5450137f829d"`)
    await queryRunner.query(`ALTER TABLE "calendar_override" DROP CONSTRAINT "FK_6d8da0a5f8e6fbfc1f96602a5b7"`)
    await queryRunner.query(`DROP INDEX "public"."calendar_override_place_date_key"`)
    await queryRunner.query(`DROP TABLE "calendar_override"`)
  }
}
