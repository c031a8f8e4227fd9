import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * The stars of each request's latest rating, kept on the request (docs/performance.md): 满意率 and the
 * board's average read it with the request's own row instead of probing `ticket_rating` once per request.
 * A trigger keeps it true whatever writes ratings (the API, a callback entry, retention, a script):
 * after any change to a request's ratings it is set to the stars of the latest one (by `at`, then `id`),
 * and left alone when it already says so.
 */
export class LatestStars1795260000000 implements MigrationInterface {
  name = 'LatestStars1795260000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "ticket" ADD "latest_stars" smallint`)
    await queryRunner.query(`
      UPDATE ticket t SET latest_stars = lr.stars
        FROM (SELECT DISTINCT ON (ticket_id) ticket_id, stars FROM ticket_rating
               ORDER BY ticket_id, at DESC, id DESC) lr
       WHERE lr.ticket_id = t.id`)
    await queryRunner.query(`
      CREATE FUNCTION ticket_latest_stars_sync() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        target uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.ticket_id ELSE NEW.ticket_id END;
        latest smallint;
      BEGIN
        SELECT stars INTO latest FROM ticket_rating WHERE ticket_id = target ORDER BY at DESC, id DESC LIMIT 1;
        UPDATE ticket SET latest_stars = latest WHERE id = target AND latest_stars IS DISTINCT FROM latest;
        IF TG_OP = 'UPDATE' AND OLD.ticket_id IS DISTINCT FROM NEW.ticket_id THEN
          SELECT stars INTO latest FROM ticket_rating WHERE ticket_id = OLD.ticket_id ORDER BY at DESC, id DESC LIMIT 1;
          UPDATE ticket SET latest_stars = latest WHERE id = OLD.ticket_id AND latest_stars IS DISTINCT FROM latest;
        END IF;
        RETURN NULL;
      END $$`)
    await queryRunner.query(`
      CREATE TRIGGER ticket_latest_stars AFTER INSERT OR UPDATE OR DELETE ON ticket_rating
        FOR EACH ROW EXECUTE FUNCTION ticket_latest_stars_sync()`)
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER ticket_latest_stars ON ticket_rating`)
    await queryRunner.query(`DROP FUNCTION ticket_latest_stars_sync()`)
    await queryRunner.query(`ALTER TABLE "ticket" DROP COLUMN "latest_stars"`)
  }
}
