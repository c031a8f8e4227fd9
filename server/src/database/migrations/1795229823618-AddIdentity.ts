import type { MigrationInterface, QueryRunner } from 'typeorm'

export class AddIdentity1795229823618 implements MigrationInterface {
  name = 'AddIdentity1795229823618'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "resident" RENAME COLUMN "device_id" TO "device_secret_hash"`)
    await queryRunner.query(`ALTER TABLE "resident" RENAME CONSTRAINT "UQ_08463d5c6408c6b22e40f043665" TO "UQ_3655d78e5bc1e023181511419e1"`)
    await queryRunner.query(`CREATE TABLE "access_log" ("id" BIGSERIAL NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "staff_id" uuid NOT NULL, "role" text NOT NULL, "ticket_id" uuid NOT NULL, "compound_id" uuid NOT NULL, "fields" text array NOT NULL, "request_id" text, CONSTRAINT "PK_bd09621fb73b42d9e32b85ae41f" PRIMARY KEY ("id"))`)
    await queryRunner.query(`CREATE INDEX "access_log_staff_idx" ON "access_log" ("staff_id") `)
    // Hand-added: the access log is append-only. TypeORM cannot describe triggers; the database
    // itself refuses to change or remove entries, whichever role or code path asks.
    await queryRunner.query(`CREATE FUNCTION access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'access_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$`)
    await queryRunner.query(`CREATE TRIGGER access_log_no_change BEFORE UPDATE OR DELETE ON "access_log" FOR EACH ROW EXECUTE FUNCTION access_log_append_only()`)
    await queryRunner.query(`CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON "access_log" FOR EACH STATEMENT EXECUTE FUNCTION access_log_append_only()`)
    await queryRunner.query(`CREATE INDEX "access_log_ticket_idx" ON "access_log" ("ticket_id") `)
    await queryRunner.query(`CREATE INDEX "access_log_compound_idx" ON "access_log" ("compound_id", "id") `)
    await queryRunner.query(`CREATE TABLE "auth_session" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "staff_id" uuid, "resident_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "revoked_reason" text, CONSTRAINT "auth_session_one_subject" CHECK ((staff_id IS NULL) <> (resident_id IS NULL)), CONSTRAINT "PK_19354ed146424a728c1112a8cbf" PRIMARY KEY ("id"))`)
    await queryRunner.query(`CREATE INDEX "auth_session_staff_idx" ON "auth_session" ("staff_id") `)
    await queryRunner.query(`CREATE INDEX "auth_session_resident_idx" ON "auth_session" ("resident_id") `)
    await queryRunner.query(`CREATE TABLE "refresh_token" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "session_id" uuid NOT NULL, "token_hash" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "rotated_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_f0812282fad2e352cdaf83ef0a9" UNIQUE ("token_hash"), CONSTRAINT "PK_b575dd3c21fb0831013c909e7fe" PRIMARY KEY ("id"))`)
    await queryRunner.query(`CREATE INDEX "refresh_token_session_idx" ON "refresh_token" ("session_id") `)
    await queryRunner.query(`ALTER TABLE "staff" ADD "failed_logins" integer NOT NULL DEFAULT '0'`)
    await queryRunner.query(`ALTER TABLE "staff" ADD "locked_until" TIMESTAMP WITH TIME ZONE`)
    await queryRunner.query(`ALTER TABLE "access_log" ADD CONSTRAINT "FK_f83a5174351249a24d3567b7143" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "access_log" ADD CONSTRAINT "FK_2a3caca0864f3263fcbe066ed8f" FOREIGN KEY ("ticket_id") REFERENCES "ticket"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "access_log" ADD CONSTRAINT "FK_03bb66b8ceb1ddb3749d25fb33f" FOREIGN KEY ("compound_id") REFERENCES "place"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "auth_session" ADD CONSTRAINT "FK_e143b481362721569aee1167a22" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "auth_session" ADD CONSTRAINT "FK_818806c27bd1ef79b78784270ae" FOREIGN KEY ("resident_id") REFERENCES "resident"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "refresh_token" ADD CONSTRAINT "FK_7643a722ca45fb721be1c63dc0c" FOREIGN KEY ("session_id") REFERENCES "auth_session"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "refresh_token" DROP CONSTRAINT "FK_7643a722ca45fb721be1c63dc0c"`)
    await queryRunner.query(`ALTER TABLE "auth_session" DROP CONSTRAINT "FK_818806c27bd1ef79b78784270ae"`)
    await queryRunner.query(`ALTER TABLE "auth_session" DROP CONSTRAINT "FK_e143b481362721569aee1167a22"`)
    await queryRunner.query(`ALTER TABLE "access_log" DROP CONSTRAINT "FK_03bb66b8ceb1ddb3749d25fb33f"`)
    await queryRunner.query(`ALTER TABLE "access_log" DROP CONSTRAINT "FK_2a3caca0864f3263fcbe066ed8f"`)
    await queryRunner.query(`ALTER TABLE "access_log" DROP CONSTRAINT "FK_f83a5174351249a24d3567b7143"`)
    await queryRunner.query(`ALTER TABLE "staff" DROP COLUMN "locked_until"`)
    await queryRunner.query(`ALTER TABLE "staff" DROP COLUMN "failed_logins"`)
    await queryRunner.query(`DROP INDEX "public"."refresh_token_session_idx"`)
    await queryRunner.query(`DROP TABLE "refresh_token"`)
    await queryRunner.query(`DROP INDEX "public"."auth_session_resident_idx"`)
    await queryRunner.query(`DROP INDEX "public"."auth_session_staff_idx"`)
    await queryRunner.query(`DROP TABLE "auth_session"`)
    await queryRunner.query(`DROP INDEX "public"."access_log_compound_idx"`)
    await queryRunner.query(`DROP INDEX "public"."access_log_ticket_idx"`)
    await queryRunner.query(`DROP INDEX "public"."access_log_staff_idx"`)
    await queryRunner.query(`DROP TABLE "access_log"`)
    await queryRunner.query(`DROP FUNCTION access_log_append_only()`)
    await queryRunner.query(`ALTER TABLE "resident" RENAME CONSTRAINT "UQ_3655d78e5bc1e023181511419e1" TO "UQ_08463d5c6408c6b22e40f043665"`)
    await queryRunner.query(`ALTER TABLE "resident" RENAME COLUMN "device_secret_hash" TO "device_id"`)
  }
}
