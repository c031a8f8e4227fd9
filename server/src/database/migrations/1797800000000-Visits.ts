import type { MigrationInterface, QueryRunner } from 'typeorm'

/** The visit register (走访与电话问候): households, visits and the register's append-only access log (visits/ owns them). */
export class Visits1797800000000 implements MigrationInterface {
  name = 'Visits1797800000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "visit_household" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "compound_id" uuid NOT NULL, "unit_id" uuid NOT NULL, "room" text, "people" jsonb NOT NULL, "reasons" text array NOT NULL, "interval_days" integer NOT NULL, "assignee_staff_id" uuid NOT NULL, "notes" text, "last_contact_at" TIMESTAMP WITH TIME ZONE, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "left_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_1241d8506c32cc0a30ff2b0e5a7" PRIMARY KEY ("id"))`)
    await queryRunner.query(`CREATE INDEX "visit_household_compound_idx" ON "visit_household" ("compound_id", "left_at") `)
    await queryRunner.query(`CREATE INDEX "visit_household_assignee_idx" ON "visit_household" ("assignee_staff_id", "left_at") `)
    await queryRunner.query(`CREATE TABLE "visit" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "household_id" uuid NOT NULL, "staff_id" uuid NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "kind" text NOT NULL, "wellbeing" text NOT NULL, "needs_found" text, "ticket_id" uuid, "ticket_number" text, "need_id" uuid, CONSTRAINT "PK_c9919ef5a07627657c535d8eb88" PRIMARY KEY ("id"))`)
    await queryRunner.query(`CREATE INDEX "visit_household_idx" ON "visit" ("household_id", "at") `)
    await queryRunner.query(`CREATE TABLE "visit_access_log" ("id" BIGSERIAL NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "staff_id" uuid NOT NULL, "role" text NOT NULL, "household_id" uuid NOT NULL, "compound_id" uuid NOT NULL, "fields" text array NOT NULL, "request_id" text, CONSTRAINT "PK_b015e855319eabb3d83dc3b5579" PRIMARY KEY ("id"))`)
    await queryRunner.query(`CREATE INDEX "visit_access_log_compound_idx" ON "visit_access_log" ("compound_id", "id") `)
    await queryRunner.query(`CREATE INDEX "visit_access_log_household_idx" ON "visit_access_log" ("household_id") `)
    await queryRunner.query(`CREATE FUNCTION visit_access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'visit_access_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$`)
    await queryRunner.query(`CREATE TRIGGER visit_access_log_no_change BEFORE UPDATE OR DELETE ON "visit_access_log" FOR EACH ROW EXECUTE FUNCTION visit_access_log_append_only()`)
    await queryRunner.query(`CREATE TRIGGER visit_access_log_no_truncate BEFORE TRUNCATE ON "visit_access_log" FOR EACH STATEMENT EXECUTE FUNCTION visit_access_log_append_only()`)
    await queryRunner.query(`ALTER TABLE "visit_household" ADD CONSTRAINT "FK_6bb97cdd70fd0e7c792ec1c1261" FOREIGN KEY ("compound_id") REFERENCES "place"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "visit_household" ADD CONSTRAINT "FK_e02f05ef82b579a965a7650cc26" FOREIGN KEY ("unit_id") REFERENCES "place"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "visit_household" ADD CONSTRAINT "FK_3994d4324017c8338a3a5e0ef39" FOREIGN KEY ("assignee_staff_id") REFERENCES "staff"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "visit_household" ADD CONSTRAINT "FK_55ab73db817afea235bc86b9896" FOREIGN KEY ("created_by") REFERENCES "staff"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "visit" ADD CONSTRAINT "FK_1241d8506c32cc0a30ff2b0e5a7" FOREIGN KEY ("household_id") REFERENCES "visit_household"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "visit" ADD CONSTRAINT "FK_e97f737be1a4c525b8d72bd59ff" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "visit_access_log"`)
    await queryRunner.query(`DROP FUNCTION visit_access_log_append_only()`)
    await queryRunner.query(`DROP TABLE "visit"`)
    await queryRunner.query(`DROP TABLE "visit_household"`)
  }
}
