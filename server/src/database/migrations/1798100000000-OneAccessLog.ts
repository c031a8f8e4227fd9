import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * One access log for every full read of personal data: `access_log` gains a subject (a request, a resource's
 * contact person, a household on the visit register) with exactly the matching id set, the rows of
 * `resource_access_log` and `visit_access_log` are copied into it (oldest first), and those two tables go.
 * The append-only trigger of `access_log` stays as it was.
 */
// contract: the two tables dropped here were created in this same release (migrations 1797700000000 and
// 1797800000000), so no instance of the previous release reads or writes them; access_log only expands
// (a defaulted column, ticket_id made nullable, nullable ids, CHECKs that rows of the old release meet).

export class OneAccessLog1798100000000 implements MigrationInterface {
  name = 'OneAccessLog1798100000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    // A column added with a default fills the existing rows without an UPDATE (the trigger refuses those),
    // and the default stays: instances of the previous release, still serving while this one starts, log
    // request reads without naming a subject.
    await queryRunner.query(`ALTER TABLE "access_log" ADD "subject" text NOT NULL DEFAULT 'ticket'`)
    await queryRunner.query(`ALTER TABLE "access_log" ALTER COLUMN "ticket_id" DROP NOT NULL`)
    await queryRunner.query(`ALTER TABLE "access_log" ADD "resource_id" uuid`)
    await queryRunner.query(`ALTER TABLE "access_log" ADD "household_id" uuid`)
    await queryRunner.query(`ALTER TABLE "access_log" ADD CONSTRAINT "access_log_subject_check" CHECK ("subject" IN ('ticket', 'resource', 'household'))`)
    await queryRunner.query(
      `ALTER TABLE "access_log" ADD CONSTRAINT "access_log_subject_id_check" CHECK (("subject" = 'ticket') = ("ticket_id" IS NOT NULL) AND ("subject" = 'resource') = ("resource_id" IS NOT NULL) AND ("subject" = 'household') = ("household_id" IS NOT NULL))`,
    )
    await queryRunner.query(
      `INSERT INTO "access_log" ("at", "staff_id", "role", "subject", "resource_id", "household_id", "compound_id", "fields", "request_id")
       SELECT at, staff_id, role, subject, resource_id, household_id, compound_id, fields, request_id FROM (
         SELECT at, staff_id, role, 'resource' AS subject, resource_id, NULL::uuid AS household_id, compound_id, fields, request_id, id, 1 AS src
           FROM "resource_access_log"
         UNION ALL
         SELECT at, staff_id, role, 'household', NULL::uuid, household_id, compound_id, fields, request_id, id, 2
           FROM "visit_access_log"
       ) old ORDER BY at, src, id`,
    )
    await queryRunner.query(`CREATE INDEX "access_log_resource_idx" ON "access_log" ("resource_id") `)
    await queryRunner.query(`CREATE INDEX "access_log_household_idx" ON "access_log" ("household_id") `)
    await queryRunner.query(`ALTER TABLE "access_log" ADD CONSTRAINT "FK_9111967af9d87a30895cf378ce2" FOREIGN KEY ("resource_id") REFERENCES "resource"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "access_log" ADD CONSTRAINT "FK_a69308582eedccab0c5ea018f40" FOREIGN KEY ("household_id") REFERENCES "visit_household"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`DROP TABLE "resource_access_log"`)
    await queryRunner.query(`DROP TABLE "visit_access_log"`)
    await queryRunner.query(`DROP FUNCTION visit_access_log_append_only()`)
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "visit_access_log" ("id" BIGSERIAL NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "staff_id" uuid NOT NULL, "role" text NOT NULL, "household_id" uuid NOT NULL, "compound_id" uuid NOT NULL, "fields" text array NOT NULL, "request_id" text, CONSTRAINT "PK_b015e855319eabb3d83dc3b5579" PRIMARY KEY ("id"))`)
    await queryRunner.query(`CREATE INDEX "visit_access_log_compound_idx" ON "visit_access_log" ("compound_id", "id") `)
    await queryRunner.query(`CREATE INDEX "visit_access_log_household_idx" ON "visit_access_log" ("household_id") `)
    await queryRunner.query(`CREATE FUNCTION visit_access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'visit_access_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$`)
    await queryRunner.query(`CREATE TRIGGER visit_access_log_no_change BEFORE UPDATE OR DELETE ON "visit_access_log" FOR EACH ROW EXECUTE FUNCTION visit_access_log_append_only()`)
    await queryRunner.query(`CREATE TRIGGER visit_access_log_no_truncate BEFORE TRUNCATE ON "visit_access_log" FOR EACH STATEMENT EXECUTE FUNCTION visit_access_log_append_only()`)
    await queryRunner.query(`CREATE TABLE "resource_access_log" ("id" BIGSERIAL NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "staff_id" uuid NOT NULL, "role" text NOT NULL, "resource_id" uuid NOT NULL, "compound_id" uuid NOT NULL, "fields" text array NOT NULL, "request_id" text, CONSTRAINT "PK_52008b57f697df5cc241e6b4932" PRIMARY KEY ("id"))`)
    await queryRunner.query(`CREATE INDEX "resource_access_log_resource_idx" ON "resource_access_log" ("resource_id") `)
    await queryRunner.query(`CREATE INDEX "resource_access_log_compound_idx" ON "resource_access_log" ("compound_id", "id") `)
    await queryRunner.query(`ALTER TABLE "resource_access_log" ADD CONSTRAINT "FK_4f3918bda0a1c591f9e40817470" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "resource_access_log" ADD CONSTRAINT "FK_2ff0c402bb44b2d465df5ef892e" FOREIGN KEY ("resource_id") REFERENCES "resource"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "resource_access_log" ADD CONSTRAINT "FK_f5c2fc8063de99b263e601d5f93" FOREIGN KEY ("compound_id") REFERENCES "place"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`CREATE TRIGGER resource_access_log_no_change BEFORE UPDATE OR DELETE ON "resource_access_log" FOR EACH ROW EXECUTE FUNCTION access_log_append_only()`)
    await queryRunner.query(`CREATE TRIGGER resource_access_log_no_truncate BEFORE TRUNCATE ON "resource_access_log" FOR EACH STATEMENT EXECUTE FUNCTION access_log_append_only()`)
    await queryRunner.query(
      `INSERT INTO "resource_access_log" ("at", "staff_id", "role", "resource_id", "compound_id", "fields", "request_id")
       SELECT at, staff_id, role, resource_id, compound_id, fields, request_id FROM "access_log" WHERE subject = 'resource' ORDER BY id`,
    )
    await queryRunner.query(
      `INSERT INTO "visit_access_log" ("at", "staff_id", "role", "household_id", "compound_id", "fields", "request_id")
       SELECT at, staff_id, role, household_id, compound_id, fields, request_id FROM "access_log" WHERE subject = 'household' ORDER BY id`,
    )
    // The moved rows leave access_log: the one deliberate exception to its append-only trigger.
    await queryRunner.query(`ALTER TABLE "access_log" DISABLE TRIGGER "access_log_no_change"`)
    await queryRunner.query(`DELETE FROM "access_log" WHERE subject <> 'ticket'`)
    await queryRunner.query(`ALTER TABLE "access_log" ENABLE TRIGGER "access_log_no_change"`)
    await queryRunner.query(`ALTER TABLE "access_log" DROP CONSTRAINT "FK_a69308582eedccab0c5ea018f40"`)
    await queryRunner.query(`ALTER TABLE "access_log" DROP CONSTRAINT "FK_9111967af9d87a30895cf378ce2"`)
    await queryRunner.query(`DROP INDEX "public"."access_log_household_idx"`)
    await queryRunner.query(`DROP INDEX "public"."access_log_resource_idx"`)
    await queryRunner.query(`ALTER TABLE "access_log" DROP CONSTRAINT "access_log_subject_id_check"`)
    await queryRunner.query(`ALTER TABLE "access_log" DROP CONSTRAINT "access_log_subject_check"`)
    await queryRunner.query(`ALTER TABLE "access_log" DROP COLUMN "household_id"`)
    await queryRunner.query(`ALTER TABLE "access_log" DROP COLUMN "resource_id"`)
    await queryRunner.query(`ALTER TABLE "access_log" ALTER COLUMN "ticket_id" SET NOT NULL`)
    await queryRunner.query(`ALTER TABLE "access_log" DROP COLUMN "subject"`)
  }
}
