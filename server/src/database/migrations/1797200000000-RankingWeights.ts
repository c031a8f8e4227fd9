import type { MigrationInterface, QueryRunner } from 'typeorm'

/** Districts' weights of the ranking's composite (metrics/ owns the table). */
export class RankingWeights1797200000000 implements MigrationInterface {
  name = 'RankingWeights1797200000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "ranking_weights" ("district_id" uuid NOT NULL, "response" smallint NOT NULL, "resolution" smallint NOT NULL, "satisfaction" smallint NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_by" uuid, CONSTRAINT "PK_b033a52ad6d73c4d4314fe193c8" PRIMARY KEY ("district_id"))`)
    await queryRunner.query(`ALTER TABLE "ranking_weights" ADD CONSTRAINT "FK_b033a52ad6d73c4d4314fe193c8" FOREIGN KEY ("district_id") REFERENCES "place"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
    await queryRunner.query(`ALTER TABLE "ranking_weights" ADD CONSTRAINT "FK_c7ae3d9940f2bee091cfe696e5f" FOREIGN KEY ("updated_by") REFERENCES "staff"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`)
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "ranking_weights" DROP CONSTRAINT "FK_c7ae3d9940f2bee091cfe696e5f"`)
    await queryRunner.query(`ALTER TABLE "ranking_weights" DROP CONSTRAINT "FK_b033a52ad6d73c4d4314fe193c8"`)
    await queryRunner.query(`DROP TABLE "ranking_weights"`)
  }
}
