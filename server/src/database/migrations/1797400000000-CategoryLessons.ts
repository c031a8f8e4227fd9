import type { MigrationInterface, QueryRunner } from 'typeorm'

/** What staff re-categorising requests taught a compound's category suggestion (suggest/ owns the table). */
export class CategoryLessons1797400000000 implements MigrationInterface {
  name = 'CategoryLessons1797400000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "category_lesson" ("compound_id" uuid NOT NULL, "term" text NOT NULL, "category" text NOT NULL, "count" integer NOT NULL, CONSTRAINT "PK_455b702caffbf20cf1b9e0f579b" PRIMARY KEY ("compound_id", "term", "category"))`)
    await queryRunner.query(`CREATE INDEX "category_lesson_compound_count_idx" ON "category_lesson" ("compound_id", "count") `)
    await queryRunner.query(`ALTER TABLE "category_lesson" ADD CONSTRAINT "FK_6653dbf6a5c67c50b98f73ff569" FOREIGN KEY ("compound_id") REFERENCES "place"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "category_lesson" DROP CONSTRAINT "FK_6653dbf6a5c67c50b98f73ff569"`)
    await queryRunner.query(`DROP INDEX "public"."category_lesson_compound_count_idx"`)
    await queryRunner.query(`DROP TABLE "category_lesson"`)
  }
}
