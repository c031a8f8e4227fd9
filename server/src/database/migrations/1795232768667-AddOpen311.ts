import type { MigrationInterface, QueryRunner } from 'typeorm'

export class AddOpen3111795232768667 implements MigrationInterface {
  name = 'AddOpen3111795232768667'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "open311_api_key" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "place_id" uuid NOT NULL, "key_hash" text NOT NULL, "key_prefix" text NOT NULL, "created_by_staff_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "revoked_at" TIMESTAMP WITH TIME ZONE, "revoked_by_staff_id" uuid, "last_used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_e1897fb083cf42cde41babeeb12" PRIMARY KEY ("id"))`)
    await queryRunner.query(`CREATE UNIQUE INDEX "open311_api_key_hash_idx" ON "open311_api_key" ("key_hash") `)
    await queryRunner.query(`CREATE TABLE "open311_request" ("ticket_id" uuid NOT NULL, "api_key_id" uuid NOT NULL, "media_url" text, "idempotency_key" text, "body_hash" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_bcf5590dc2c8c763ee408bde803" PRIMARY KEY ("ticket_id"))`)
    await queryRunner.query(`CREATE UNIQUE INDEX "open311_request_idempotency_idx" ON "open311_request" ("api_key_id", "idempotency_key") WHERE idempotency_key IS NOT NULL`)
    await queryRunner.query(`ALTER TABLE "open311_api_key" ADD CONSTRAINT "FK_735db8b7ab65835a55465c91191" FOREIGN KEY ("place_id") REFERENCES "place"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "open311_api_key" ADD CONSTRAINT "FK_2cc3308d54792b5316ba2a7fd0e" FOREIGN KEY ("created_by_staff_id") REFERENCES "staff"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "open311_api_key" ADD CONSTRAINT "FK_c8610dff822fecc9fed405a4685" FOREIGN KEY ("revoked_by_staff_id") REFERENCES "staff"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "open311_request" ADD CONSTRAINT "FK_bcf5590dc2c8c763ee408bde803" FOREIGN KEY ("ticket_id") REFERENCES "ticket"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "open311_request" ADD CONSTRAINT "FK_ec18bb489949cb5fa3d7d53ce07" FOREIGN KEY ("api_key_id") REFERENCES "open311_api_key"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "open311_request" DROP CONSTRAINT "FK_ec18bb489949cb5fa3d7d53ce07"`)
    await queryRunner.query(`ALTER TABLE "open311_request" DROP CONSTRAINT "FK_bcf5590dc2c8c763ee408bde803"`)
    await queryRunner.query(`ALTER TABLE "open311_api_key" DROP CONSTRAINT "FK_c8610dff822fecc9fed405a4685"`)
    await queryRunner.query(`ALTER TABLE "open311_api_key" DROP CONSTRAINT "FK_2cc3308d54792b5316ba2a7fd0e"`)
    await queryRunner.query(`ALTER TABLE "open311_api_key" DROP CONSTRAINT "FK_735db8b7ab65835a55465c91191"`)
    await queryRunner.query(`DROP INDEX "public"."open311_request_idempotency_idx"`)
    await queryRunner.query(`DROP TABLE "open311_request"`)
    await queryRunner.query(`DROP INDEX "public"."open311_api_key_hash_idx"`)
    await queryRunner.query(`DROP TABLE "open311_api_key"`)
  }
}
