import type { MigrationInterface, QueryRunner } from 'typeorm'

/** A compound's resources list, the matches of resources to requests and needs, and the log of contact reads (resources/). */
export class Resources1797700000000 implements MigrationInterface {
  name = 'Resources1797700000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "resource" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "compound_id" uuid NOT NULL, "kind" text NOT NULL, "name" text NOT NULL, "tags" text array NOT NULL DEFAULT '{}', "opening_hours" text, "address" text, "contact_name" text, "contact_phone" text, "availability" text, "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_by" uuid, CONSTRAINT "PK_e2894a5867e06ae2e8889f1173f" PRIMARY KEY ("id"))`)
    await queryRunner.query(`CREATE INDEX "resource_compound_idx" ON "resource" ("compound_id", "kind", "name") `)
    await queryRunner.query(`CREATE TABLE "resource_match" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "compound_id" uuid NOT NULL, "resource_id" uuid NOT NULL, "subject" text NOT NULL, "subject_id" uuid NOT NULL, "owner_staff_id" uuid, "owner_role" text, "target_date" date NOT NULL, "note" text, "status" text NOT NULL DEFAULT 'open', "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "done_at" TIMESTAMP WITH TIME ZONE, "done_by" uuid, "done_note" text, CONSTRAINT "PK_8206c25321a38f1e5356930b799" PRIMARY KEY ("id"))`)
    await queryRunner.query(`CREATE INDEX "resource_match_resource_idx" ON "resource_match" ("resource_id", "status") `)
    await queryRunner.query(`CREATE INDEX "resource_match_subject_idx" ON "resource_match" ("subject", "subject_id") `)
    await queryRunner.query(`CREATE TABLE "resource_access_log" ("id" BIGSERIAL NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "staff_id" uuid NOT NULL, "role" text NOT NULL, "resource_id" uuid NOT NULL, "compound_id" uuid NOT NULL, "fields" text array NOT NULL, "request_id" text, CONSTRAINT "PK_52008b57f697df5cc241e6b4932" PRIMARY KEY ("id"))`)
    await queryRunner.query(`CREATE INDEX "resource_access_log_resource_idx" ON "resource_access_log" ("resource_id") `)
    await queryRunner.query(`CREATE INDEX "resource_access_log_compound_idx" ON "resource_access_log" ("compound_id", "id") `)
    await queryRunner.query(`ALTER TABLE "resource" ADD CONSTRAINT "FK_5ae0a40e0837fd2b7027b79bf33" FOREIGN KEY ("compound_id") REFERENCES "place"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "resource" ADD CONSTRAINT "FK_66a5beeeb90f2e17a060a86e3e0" FOREIGN KEY ("updated_by") REFERENCES "staff"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "resource_match" ADD CONSTRAINT "FK_4ef680069ca5ed577955da74596" FOREIGN KEY ("compound_id") REFERENCES "place"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "resource_match" ADD CONSTRAINT "FK_467891b5ebc33af70178584d410" FOREIGN KEY ("resource_id") REFERENCES "resource"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "resource_match" ADD CONSTRAINT "FK_20f9469f17dc2dcba7f635b2010" FOREIGN KEY ("owner_staff_id") REFERENCES "staff"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "resource_match" ADD CONSTRAINT "FK_e85a1ce9906bbd4fdb77da67937" FOREIGN KEY ("created_by") REFERENCES "staff"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "resource_match" ADD CONSTRAINT "FK_d42382a094c57dcc419dffce36d" FOREIGN KEY ("done_by") REFERENCES "staff"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "resource_access_log" ADD CONSTRAINT "FK_4f3918bda0a1c591f9e40817470" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "resource_access_log" ADD CONSTRAINT "FK_2ff0c402bb44b2d465df5ef892e" FOREIGN KEY ("resource_id") REFERENCES "resource"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "resource_access_log" ADD CONSTRAINT "FK_f5c2fc8063de99b263e601d5f93" FOREIGN KEY ("compound_id") REFERENCES "place"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    // Hand-added: the contact-read log is append-only, as the requests' access log is (the same function refuses).
    await queryRunner.query(`CREATE TRIGGER resource_access_log_no_change BEFORE UPDATE OR DELETE ON "resource_access_log" FOR EACH ROW EXECUTE FUNCTION access_log_append_only()`)
    await queryRunner.query(`CREATE TRIGGER resource_access_log_no_truncate BEFORE TRUNCATE ON "resource_access_log" FOR EACH STATEMENT EXECUTE FUNCTION access_log_append_only()`)
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER resource_access_log_no_truncate ON "resource_access_log"`)
    await queryRunner.query(`DROP TRIGGER resource_access_log_no_change ON "resource_access_log"`)
    await queryRunner.query(`ALTER TABLE "resource_access_log" DROP CONSTRAINT "FK_f5c2fc8063de99b263e601d5f93"`)
    await queryRunner.query(`ALTER TABLE "resource_access_log" DROP CONSTRAINT "FK_2ff0c402bb44b2d465df5ef892e"`)
    await queryRunner.query(`ALTER TABLE "resource_access_log" DROP CONSTRAINT "FK_4f3918bda0a1c591f9e40817470"`)
    await queryRunner.query(`ALTER TABLE "resource_match" DROP CONSTRAINT "FK_d42382a094c57dcc419dffce36d"`)
    await queryRunner.query(`ALTER TABLE "resource_match" DROP CONSTRAINT "FK_e85a1ce9906bbd4fdb77da67937"`)
    await queryRunner.query(`ALTER TABLE "resource_match" DROP CONSTRAINT "FK_20f9469f17dc2dcba7f635b2010"`)
    await queryRunner.query(`ALTER TABLE "resource_match" DROP CONSTRAINT "FK_467891b5ebc33af70178584d410"`)
    await queryRunner.query(`ALTER TABLE "resource_match" DROP CONSTRAINT "FK_4ef680069ca5ed577955da74596"`)
    await queryRunner.query(`ALTER TABLE "resource" DROP CONSTRAINT "FK_66a5beeeb90f2e17a060a86e3e0"`)
    await queryRunner.query(`ALTER TABLE "resource" DROP CONSTRAINT "FK_5ae0a40e0837fd2b7027b79bf33"`)
    await queryRunner.query(`DROP INDEX "public"."resource_access_log_compound_idx"`)
    await queryRunner.query(`DROP INDEX "public"."resource_access_log_resource_idx"`)
    await queryRunner.query(`DROP TABLE "resource_access_log"`)
    await queryRunner.query(`DROP INDEX "public"."resource_match_subject_idx"`)
    await queryRunner.query(`DROP INDEX "public"."resource_match_resource_idx"`)
    await queryRunner.query(`DROP TABLE "resource_match"`)
    await queryRunner.query(`DROP INDEX "public"."resource_compound_idx"`)
    await queryRunner.query(`DROP TABLE "resource"`)
  }
}
