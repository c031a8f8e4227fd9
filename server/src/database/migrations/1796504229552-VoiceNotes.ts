import type { MigrationInterface, QueryRunner } from 'typeorm'

/** Voice notes of the thread (voice/voice-note.entity.ts); bytes in the photo store under voice/. */
export class VoiceNotes1796504229552 implements MigrationInterface {
  name = 'VoiceNotes1796504229552'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "voice_note" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "uploader_kind" text NOT NULL, "uploader_id" uuid NOT NULL, "ticket_id" uuid, "content_type" text NOT NULL, "size" integer NOT NULL, "duration_ms" integer NOT NULL, "sha256" text NOT NULL, "storage_key" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_90f4a3cbda5e37bfc85a0199d63" PRIMARY KEY ("id"))`)
    await queryRunner.query(`CREATE INDEX "voice_note_uploader_idx" ON "voice_note" ("uploader_kind", "uploader_id", "created_at") `)
    await queryRunner.query(`CREATE INDEX "voice_note_ticket_idx" ON "voice_note" ("ticket_id") `)
    await queryRunner.query(`ALTER TABLE "voice_note" ADD CONSTRAINT "FK_f4568d570e38e340dc239458f83" FOREIGN KEY ("ticket_id") REFERENCES "ticket"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "voice_note" DROP CONSTRAINT "FK_f4568d570e38e340dc239458f83"`)
    await queryRunner.query(`DROP INDEX "public"."voice_note_ticket_idx"`)
    await queryRunner.query(`DROP INDEX "public"."voice_note_uploader_idx"`)
    await queryRunner.query(`DROP TABLE "voice_note"`)
  }
}
