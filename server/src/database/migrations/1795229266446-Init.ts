import type { MigrationInterface, QueryRunner } from 'typeorm'

export class Init1795229266446 implements MigrationInterface {
  name = 'Init1795229266446'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "place" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "kind" text NOT NULL, "parent_id" uuid, "name" text NOT NULL, "sort_order" integer NOT NULL DEFAULT '0', "path" uuid array NOT NULL, "retired_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_96ab91d43aa89c5de1b59ee7cca" PRIMARY KEY ("id"))`)
    await queryRunner.query(`CREATE INDEX "place_parent_idx" ON "place" ("parent_id") `)
    // Hand-added: TypeORM cannot describe a GIN index ("everything under place X" queries).
    await queryRunner.query(`CREATE INDEX "place_path_gin" ON "place" USING gin ("path")`)
    await queryRunner.query(`CREATE TABLE "qr_code" ("token" text NOT NULL, "unit_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_2a3d671f0bbfe893ea703bc15ef" PRIMARY KEY ("token"))`)
    await queryRunner.query(`CREATE UNIQUE INDEX "qr_code_active_unit" ON "qr_code" ("unit_id") WHERE revoked_at IS NULL`)
    await queryRunner.query(`CREATE TABLE "resident" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "openid" text, "device_id" text, "name" text, "phone" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_5608cdd837dbeb37c20474866d3" UNIQUE ("openid"), CONSTRAINT "UQ_08463d5c6408c6b22e40f043665" UNIQUE ("device_id"), CONSTRAINT "PK_f1a321823d6f69d0e348535fd37" PRIMARY KEY ("id"))`)
    await queryRunner.query(`CREATE TABLE "staff" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "phone" text NOT NULL, "password_hash" text NOT NULL, "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_4d4956f0d921cf205e2c34e130b" UNIQUE ("phone"), CONSTRAINT "PK_e4ee98bb552756c180aec1e854a" PRIMARY KEY ("id"))`)
    await queryRunner.query(`CREATE TABLE "membership" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "staff_id" uuid NOT NULL, "place_id" uuid NOT NULL, "role" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "membership_unique" UNIQUE ("staff_id", "place_id", "role"), CONSTRAINT "PK_83c1afebef3059472e7c37e8de8" PRIMARY KEY ("id"))`)
    await queryRunner.query(`CREATE INDEX "membership_role_place_idx" ON "membership" ("role", "place_id") `)
    await queryRunner.query(`CREATE TABLE "ticket" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "number" SERIAL NOT NULL, "unit_id" uuid NOT NULL, "building_id" uuid NOT NULL, "compound_id" uuid NOT NULL, "category" text NOT NULL, "severity" text NOT NULL, "state" text NOT NULL, "state_before_wait" text, "channel" text NOT NULL, "description" text NOT NULL, "reporter_resident_id" uuid, "proxy_name" text, "proxy_phone" text, "proxy_staff_id" uuid, "room" text, "handler_staff_id" uuid, "handler_role" text, "co_roles" text array NOT NULL DEFAULT '{}', "accept_by" TIMESTAMP WITH TIME ZONE, "reply_by" TIMESTAMP WITH TIME ZONE, "resolve_by" TIMESTAMP WITH TIME ZONE, "promised_at" TIMESTAMP WITH TIME ZONE, "escalation_level" integer NOT NULL DEFAULT '0', "chase_count" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_a8d5171cdff59b4d6fc2c6d092e" UNIQUE ("number"), CONSTRAINT "PK_d9a0835407701eb86f874474b7c" PRIMARY KEY ("id"))`)
    await queryRunner.query(`CREATE INDEX "ticket_reporter_created_idx" ON "ticket" ("reporter_resident_id", "created_at") `)
    await queryRunner.query(`CREATE INDEX "ticket_compound_created_idx" ON "ticket" ("compound_id", "created_at") `)
    await queryRunner.query(`CREATE INDEX "ticket_handler_open_idx" ON "ticket" ("handler_staff_id", "state") `)
    await queryRunner.query(`CREATE TABLE "ticket_event" ("id" BIGSERIAL NOT NULL, "ticket_id" uuid NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "actor_kind" text NOT NULL, "actor_id" uuid, "type" text NOT NULL, "public" boolean NOT NULL, "data" jsonb NOT NULL DEFAULT '{}', CONSTRAINT "PK_902a22d2110174b48925314c875" PRIMARY KEY ("id"))`)
    await queryRunner.query(`CREATE INDEX "ticket_event_ticket_idx" ON "ticket_event" ("ticket_id", "at") `)
    await queryRunner.query(`ALTER TABLE "place" ADD CONSTRAINT "FK_e8f42244c2d9143a42b13bd1d0c" FOREIGN KEY ("parent_id") REFERENCES "place"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "qr_code" ADD CONSTRAINT "FK_aed1d904a2eec44b8539e11363d" FOREIGN KEY ("unit_id") REFERENCES "place"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "membership" ADD CONSTRAINT "FK_19943fdb5b3831a735b48688723" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "membership" ADD CONSTRAINT "FK_bb0e4ccee6449dfabee931b0a30" FOREIGN KEY ("place_id") REFERENCES "place"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "ticket" ADD CONSTRAINT "FK_26096a264ac0679405800ebb702" FOREIGN KEY ("unit_id") REFERENCES "place"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "ticket" ADD CONSTRAINT "FK_79fd70246ff2b60ad884b891387" FOREIGN KEY ("building_id") REFERENCES "place"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "ticket" ADD CONSTRAINT "FK_7450fc6fd34f0f6d561f8ae4e84" FOREIGN KEY ("compound_id") REFERENCES "place"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "ticket" ADD CONSTRAINT "FK_b5465809aa527d5d3f264335240" FOREIGN KEY ("reporter_resident_id") REFERENCES "resident"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "ticket" ADD CONSTRAINT "FK_f39479bb2a91685b6282ebc0b95" FOREIGN KEY ("handler_staff_id") REFERENCES "staff"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "ticket_event" ADD CONSTRAINT "FK_458e163b194e4dffced5a0a6b82" FOREIGN KEY ("ticket_id") REFERENCES "ticket"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "ticket_event" DROP CONSTRAINT "FK_458e163b194e4dffced5a0a6b82"`)
    await queryRunner.query(`ALTER TABLE "ticket" DROP CONSTRAINT "FK_f39479bb2a91685b6282ebc0b95"`)
    await queryRunner.query(`ALTER TABLE "ticket" DROP CONSTRAINT "FK_b5465809aa527d5d3f264335240"`)
    await queryRunner.query(`ALTER TABLE "ticket" DROP CONSTRAINT "FK_7450fc6fd34f0f6d561f8ae4e84"`)
    await queryRunner.query(`ALTER TABLE "ticket" DROP CONSTRAINT "FK_79fd70246ff2b60ad884b891387"`)
    await queryRunner.query(`ALTER TABLE "ticket" DROP CONSTRAINT "FK_26096a264ac0679405800ebb702"`)
    await queryRunner.query(`ALTER TABLE "membership" DROP CONSTRAINT "FK_bb0e4ccee6449dfabee931b0a30"`)
    await queryRunner.query(`ALTER TABLE "membership" DROP CONSTRAINT "FK_19943fdb5b3831a735b48688723"`)
    await queryRunner.query(`ALTER TABLE "qr_code" DROP CONSTRAINT "FK_aed1d904a2eec44b8539e11363d"`)
    await queryRunner.query(`ALTER TABLE "place" DROP CONSTRAINT "FK_e8f42244c2d9143a42b13bd1d0c"`)
    await queryRunner.query(`DROP INDEX "public"."ticket_event_ticket_idx"`)
    await queryRunner.query(`DROP TABLE "ticket_event"`)
    await queryRunner.query(`DROP INDEX "public"."ticket_handler_open_idx"`)
    await queryRunner.query(`DROP INDEX "public"."ticket_compound_created_idx"`)
    await queryRunner.query(`DROP INDEX "public"."ticket_reporter_created_idx"`)
    await queryRunner.query(`DROP TABLE "ticket"`)
    await queryRunner.query(`DROP INDEX "public"."membership_role_place_idx"`)
    await queryRunner.query(`DROP TABLE "membership"`)
    await queryRunner.query(`DROP TABLE "staff"`)
    await queryRunner.query(`DROP TABLE "resident"`)
    await queryRunner.query(`DROP INDEX "public"."qr_code_active_unit"`)
    await queryRunner.query(`DROP TABLE "qr_code"`)
    await queryRunner.query(`DROP INDEX "public"."place_path_gin"`)
    await queryRunner.query(`DROP INDEX "public"."place_parent_idx"`)
    await queryRunner.query(`DROP TABLE "place"`)
  }
}
