import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * Memberships by place first: routing reads the members of a unit, its building and its compound on every
 * filing (routing.service.ts), by place with roles OR-ed together, which `membership_role_place_idx` (role
 * first) serves only by scanning every role, or not at all (PostgreSQL before 18 reads the whole table).
 */
export class MembershipPlaceIndex1798900000000 implements MigrationInterface {
  name = 'MembershipPlaceIndex1798900000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "membership_place_role_idx" ON "membership" ("place_id", "role") `)
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."membership_place_role_idx"`)
  }
}
