import type { MigrationInterface, QueryRunner } from 'typeorm'

export class AddDeadlinesNotifications1795233173715 implements MigrationInterface {
  name = 'AddDeadlinesNotifications1795233173715'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "deadline_timer" ("id" BIGSERIAL NOT NULL, "ticket_id" uuid NOT NULL, "kind" text NOT NULL, "deadline_type" text, "deadline_at" TIMESTAMP WITH TIME ZONE NOT NULL, "step" integer NOT NULL DEFAULT '0', "fire_at" TIMESTAMP WITH TIME ZONE NOT NULL, "status" text NOT NULL DEFAULT 'pending', "settled_at" TIMESTAMP WITH TIME ZONE, "settled_by" text, "outcome" jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "deadline_timer_identity" UNIQUE ("ticket_id", "kind", "deadline_at", "step"), CONSTRAINT "PK_34bea3fdedb1238843f31580458" PRIMARY KEY ("id"))`)
    await queryRunner.query(`CREATE INDEX "deadline_timer_ticket_idx" ON "deadline_timer" ("ticket_id", "status") `)
    await queryRunner.query(`CREATE INDEX "deadline_timer_due_idx" ON "deadline_timer" ("fire_at") WHERE status = 'pending'`)
    await queryRunner.query(`CREATE TABLE "staff_wechat" ("staff_id" uuid NOT NULL, "openid" text NOT NULL, "bound_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_f6076b414d73707cdd85e5ef02c" PRIMARY KEY ("staff_id"))`)
    await queryRunner.query(`CREATE TABLE "subscription_consent" ("id" BIGSERIAL NOT NULL, "resident_id" uuid, "staff_id" uuid, "template_id" text NOT NULL, "granted_at" TIMESTAMP WITH TIME ZONE NOT NULL, "notification_id" bigint, "spent_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "subscription_consent_one_holder" CHECK ((resident_id IS NULL) <> (staff_id IS NULL)), CONSTRAINT "PK_37c4b154c23ae0aa470ecb1b959" PRIMARY KEY ("id"))`)
    await queryRunner.query(`CREATE INDEX "subscription_consent_notification_idx" ON "subscription_consent" ("notification_id") `)
    await queryRunner.query(`CREATE INDEX "subscription_consent_staff_idx" ON "subscription_consent" ("staff_id", "template_id") WHERE spent_at IS NULL`)
    await queryRunner.query(`CREATE INDEX "subscription_consent_resident_idx" ON "subscription_consent" ("resident_id", "template_id") WHERE spent_at IS NULL`)
    await queryRunner.query(`CREATE TABLE "wechat_access_token" ("app_id" text NOT NULL, "access_token" text NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "fetched_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_01f13cde72ac95f37a437f29e78" PRIMARY KEY ("app_id"))`)
    await queryRunner.query(`ALTER TABLE "notification_outbox" ADD "claim_token" text`)
    await queryRunner.query(`ALTER TABLE "notification_outbox" ADD "lease_until" TIMESTAMP WITH TIME ZONE`)
    await queryRunner.query(`ALTER TABLE "notification_outbox" ADD "read_at" TIMESTAMP WITH TIME ZONE`)
    await queryRunner.query(`CREATE INDEX "notification_outbox_status_idx" ON "notification_outbox" ("status", "created_at") `)
    await queryRunner.query(`CREATE INDEX "notification_outbox_unread_idx" ON "notification_outbox" ("recipient_kind", "recipient_id") WHERE read_at IS NULL`)
    await queryRunner.query(`CREATE INDEX "notification_outbox_recipient_idx" ON "notification_outbox" ("recipient_kind", "recipient_id", "created_at") `)
    await queryRunner.query(`CREATE INDEX "notification_outbox_lease_idx" ON "notification_outbox" ("lease_until") WHERE status = 'sending'`)
    await queryRunner.query(`ALTER TABLE "deadline_timer" ADD CONSTRAINT "FK_3637b5da82469064543ff122a75" FOREIGN KEY ("ticket_id") REFERENCES "ticket"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "staff_wechat" ADD CONSTRAINT "FK_f6076b414d73707cdd85e5ef02c" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE CASCADE ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "subscription_consent" ADD CONSTRAINT "FK_31d6c3f482c1770e856030c9948" FOREIGN KEY ("resident_id") REFERENCES "resident"("id") ON DELETE CASCADE ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "subscription_consent" ADD CONSTRAINT "FK_9c63c4efc65d0163f2ab6ed59bb" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE CASCADE ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "subscription_consent" ADD CONSTRAINT "FK_36c3aca847f5ddcf4462aa7dd8c" FOREIGN KEY ("notification_id") REFERENCES "notification_outbox"("id") ON DELETE SET NULL ON UPDATE NO ACTION`)
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "subscription_consent" DROP CONSTRAINT "FK_36c3aca847f5ddcf4462aa7dd8c"`)
    await queryRunner.query(`ALTER TABLE "subscription_consent" DROP CONSTRAINT "FK_9c63c4efc65d0163f2ab6ed59bb"`)
    await queryRunner.query(`ALTER TABLE "subscription_consent" DROP CONSTRAINT "FK_31d6c3f482c1770e856030c9948"`)
    await queryRunner.query(`ALTER TABLE "staff_wechat" DROP CONSTRAINT "FK_f6076b414d73707cdd85e5ef02c"`)
    await queryRunner.query(`ALTER TABLE "deadline_timer" DROP CONSTRAINT "FK_3637b5da82469064543ff122a75"`)
    await queryRunner.query(`DROP INDEX "public"."notification_outbox_lease_idx"`)
    await queryRunner.query(`DROP INDEX "public"."notification_outbox_recipient_idx"`)
    await queryRunner.query(`DROP INDEX "public"."notification_outbox_unread_idx"`)
    await queryRunner.query(`DROP INDEX "public"."notification_outbox_status_idx"`)
    await queryRunner.query(`ALTER TABLE "notification_outbox" DROP COLUMN "read_at"`)
    await queryRunner.query(`ALTER TABLE "notification_outbox" DROP COLUMN "lease_until"`)
    await queryRunner.query(`ALTER TABLE "notification_outbox" DROP COLUMN "claim_token"`)
    await queryRunner.query(`DROP TABLE "wechat_access_token"`)
    await queryRunner.query(`DROP INDEX "public"."subscription_consent_resident_idx"`)
    await queryRunner.query(`DROP INDEX "public"."subscription_consent_staff_idx"`)
    await queryRunner.query(`DROP INDEX "public"."subscription_consent_notification_idx"`)
    await queryRunner.query(`DROP TABLE "subscription_consent"`)
    await queryRunner.query(`DROP TABLE "staff_wechat"`)
    await queryRunner.query(`DROP INDEX "public"."deadline_timer_due_idx"`)
    await queryRunner.query(`DROP INDEX "public"."deadline_timer_ticket_idx"`)
    await queryRunner.query(`DROP TABLE "deadline_timer"`)
  }
}
