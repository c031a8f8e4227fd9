import type { MigrationInterface, QueryRunner } from 'typeorm'

/** Joint meetings (联席会议): meetings, their agenda items and decisions (meetings/ owns all three). */
export class Meetings1797900000000 implements MigrationInterface {
  name = 'Meetings1797900000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "meeting" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "compound_id" uuid NOT NULL, "kind" text NOT NULL, "title" text NOT NULL, "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL, "venue" text NOT NULL, "attendee_roles" text array NOT NULL, "status" text NOT NULL, "held_at" TIMESTAMP WITH TIME ZONE, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_dccaf9e4c0e39067d82ccc7bb83" PRIMARY KEY ("id"))`)
    await queryRunner.query(`CREATE INDEX "meeting_compound_idx" ON "meeting" ("compound_id", "starts_at") `)
    await queryRunner.query(`CREATE TABLE "meeting_agenda_item" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "meeting_id" uuid NOT NULL, "position" integer NOT NULL, "source" text NOT NULL, "ticket_id" uuid, "need_id" uuid, "title" text NOT NULL, "reasons" text array NOT NULL, "added_by" uuid NOT NULL, "added_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_31a218d0ca2eda48d596d11f821" PRIMARY KEY ("id"))`)
    await queryRunner.query(`CREATE INDEX "meeting_agenda_item_meeting_idx" ON "meeting_agenda_item" ("meeting_id", "position") `)
    await queryRunner.query(`CREATE TABLE "meeting_decision" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "meeting_id" uuid NOT NULL, "compound_id" uuid NOT NULL, "agenda_item_id" uuid, "ticket_id" uuid, "owner_role" text NOT NULL, "owner_staff_id" uuid, "target_date" date NOT NULL, "public_summary" text NOT NULL, "internal_note" text NOT NULL, "status" text NOT NULL, "done_note" text, "done_at" TIMESTAMP WITH TIME ZONE, "done_by" uuid, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_6787600e55cc73688b127a1cd93" PRIMARY KEY ("id"))`)
    await queryRunner.query(`CREATE INDEX "meeting_decision_compound_idx" ON "meeting_decision" ("compound_id", "status") `)
    await queryRunner.query(`CREATE INDEX "meeting_decision_meeting_idx" ON "meeting_decision" ("meeting_id", "created_at") `)
    await queryRunner.query(`ALTER TABLE "meeting" ADD CONSTRAINT "FK_f64c75a33527cd23df2490cb78c" FOREIGN KEY ("compound_id") REFERENCES "place"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "meeting" ADD CONSTRAINT "FK_a196ffb31eb4fc165b20be0e6ae" FOREIGN KEY ("created_by") REFERENCES "staff"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "meeting_agenda_item" ADD CONSTRAINT "FK_2e6643c90973562e686b4a3e0f1" FOREIGN KEY ("meeting_id") REFERENCES "meeting"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "meeting_agenda_item" ADD CONSTRAINT "FK_d8926af126069548b21cb017469" FOREIGN KEY ("added_by") REFERENCES "staff"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "meeting_decision" ADD CONSTRAINT "FK_f4733268fa0a9cc03377bf1a58f" FOREIGN KEY ("meeting_id") REFERENCES "meeting"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "meeting_decision" ADD CONSTRAINT "FK_7176deca901ff7700f0a00f28c0" FOREIGN KEY ("agenda_item_id") REFERENCES "meeting_agenda_item"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "meeting_decision" ADD CONSTRAINT "FK_3eecc23f027c8bcd211da3b4e02" FOREIGN KEY ("owner_staff_id") REFERENCES "staff"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "meeting_decision" ADD CONSTRAINT "FK_931be7e3a05fb3887df892a8c93" FOREIGN KEY ("done_by") REFERENCES "staff"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "meeting_decision" ADD CONSTRAINT "FK_3b1d7751bbef4f159b1bc992cfc" FOREIGN KEY ("created_by") REFERENCES "staff"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "meeting_decision"`)
    await queryRunner.query(`DROP TABLE "meeting_agenda_item"`)
    await queryRunner.query(`DROP TABLE "meeting"`)
  }
}
