import type { MigrationInterface, QueryRunner } from 'typeorm'

/** Recurring problems (重点问题): supervisors' decisions and progress entries (recurring/ owns both). */
export class Recurring1797100000000 implements MigrationInterface {
  name = 'Recurring1797100000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "recurring_problem" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "compound_id" uuid NOT NULL, "key" text NOT NULL, "kind" text NOT NULL, "category" text, "title" text NOT NULL, "status" text NOT NULL, "owner_role" text, "plan" text, "target_date" date, "dismiss_reason" text, "ticket_ids" uuid array NOT NULL, "decided_by" uuid NOT NULL, "decided_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_58e71fd93b96e4989b426b08d59" PRIMARY KEY ("id"))`)
    await queryRunner.query(`CREATE INDEX "recurring_problem_key_idx" ON "recurring_problem" ("compound_id", "key") `)
    await queryRunner.query(`CREATE INDEX "recurring_problem_compound_idx" ON "recurring_problem" ("compound_id", "status") `)
    await queryRunner.query(`CREATE TABLE "recurring_progress" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "problem_id" uuid NOT NULL, "note" text NOT NULL, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_8d299420b70044f6d72ba710840" PRIMARY KEY ("id"))`)
    await queryRunner.query(`CREATE INDEX "recurring_progress_problem_idx" ON "recurring_progress" ("problem_id", "created_at") `)
    await queryRunner.query(`ALTER TABLE "recurring_problem" ADD CONSTRAINT "FK_70f8f91ebb0359c2365ff1c033a" FOREIGN KEY ("compound_id") REFERENCES "place"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "recurring_problem" ADD CONSTRAINT "FK_fac2e0ee40d3e1a0373f16a6b45" FOREIGN KEY ("decided_by") REFERENCES "staff"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "recurring_progress" ADD CONSTRAINT "FK_81cb55fafa56cbefa1a892505a0" FOREIGN KEY ("problem_id") REFERENCES "recurring_problem"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "recurring_progress" ADD CONSTRAINT "FK_b15ccd77d89c0bb2231c60f1988" FOREIGN KEY ("created_by") REFERENCES "staff"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "recurring_progress" DROP CONSTRAINT "FK_b15ccd77d89c0bb2231c60f1988"`)
    await queryRunner.query(`ALTER TABLE "recurring_progress" DROP CONSTRAINT "FK_81cb55fafa56cbefa1a892505a0"`)
    await queryRunner.query(`ALTER TABLE "recurring_problem" DROP CONSTRAINT "FK_fac2e0ee40d3e1a0373f16a6b45"`)
    await queryRunner.query(`ALTER TABLE "recurring_problem" DROP CONSTRAINT "FK_70f8f91ebb0359c2365ff1c033a"`)
    await queryRunner.query(`DROP INDEX "public"."recurring_progress_problem_idx"`)
    await queryRunner.query(`DROP TABLE "recurring_progress"`)
    await queryRunner.query(`DROP INDEX "public"."recurring_problem_compound_idx"`)
    await queryRunner.query(`DROP INDEX "public"."recurring_problem_key_idx"`)
    await queryRunner.query(`DROP TABLE "recurring_problem"`)
  }
}
