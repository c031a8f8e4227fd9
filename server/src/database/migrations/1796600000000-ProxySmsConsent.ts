import type { MigrationInterface, QueryRunner } from 'typeorm'

/** A proxy entry's resident may agree to be texted at the number staff recorded (ticket.proxy_sms_consent). */
export class ProxySmsConsent1796600000000 implements MigrationInterface {
  name = 'ProxySmsConsent1796600000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "ticket" ADD "proxy_sms_consent" boolean NOT NULL DEFAULT false`)
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "ticket" DROP COLUMN "proxy_sms_consent"`)
  }
}
