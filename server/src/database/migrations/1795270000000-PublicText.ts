import type { MigrationInterface, QueryRunner } from 'typeorm'

/** Staff's 公示 edit of a request's text: shown to the public instead of the redacted description. */
export class PublicText1795270000000 implements MigrationInterface {
  name = 'PublicText1795270000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "ticket" ADD "public_text" text`)
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "ticket" DROP COLUMN "public_text"`)
  }
}
