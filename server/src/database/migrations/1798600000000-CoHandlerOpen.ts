import type { MigrationInterface, QueryRunner } from 'typeorm'

const OPEN_STATES = `('submitted', 'accepted', 'replied', 'waiting_resident')`

/**
 * A staff member's open co-handled requests from a small index (docs/performance.md, issue #25's fourth
 * round).
 *
 * The inbox's co-handler part joined every co-handler row of the staff member (their whole history: a
 * property manager co-handles ~740 requests at 1M, ~7,400 at 10M) to the open requests, and PostgreSQL
 * answered it by reading every open request of the district (a hash join over ticket_inbox_handler_idx:
 * ~3,800 buffers per call at 1M, ten times that at 10M) for the ~7 still open. `ticket_co_handler` now
 * carries whether its request is open (`ticket_open`), kept by two triggers as the request's state
 * changes, and `ticket_co_handler_open_idx` holds only the open rows.
 */
export class CoHandlerOpen1798600000000 implements MigrationInterface {
  name = 'CoHandlerOpen1798600000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "ticket_co_handler" ADD "ticket_open" boolean NOT NULL DEFAULT false`,
    )
    await queryRunner.query(
      `UPDATE ticket_co_handler c SET ticket_open = true FROM ticket t WHERE t.id = c.ticket_id AND t.state IN ${OPEN_STATES}`,
    )
    await queryRunner.query(
      `CREATE INDEX "ticket_co_handler_open_idx" ON "ticket_co_handler" ("staff_id", "ticket_id") WHERE ticket_open`,
    )
    // A new co-handler row takes its request's openness. A request filed with its co-handlers in one
    // statement is not visible to the row's trigger yet: it is being filed, so open (filings are open).
    await queryRunner.query(`
      CREATE FUNCTION ticket_co_handler_open_set() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.ticket_open := coalesce((SELECT t.state IN ${OPEN_STATES} FROM ticket t WHERE t.id = NEW.ticket_id), true);
        RETURN NEW;
      END $$`)
    await queryRunner.query(`
      CREATE TRIGGER ticket_co_handler_open_insert BEFORE INSERT ON ticket_co_handler FOR EACH ROW
        EXECUTE FUNCTION ticket_co_handler_open_set()`)
    // A request that opens or closes (resolved, closed, reopened, merged, …) updates its co-handler rows.
    await queryRunner.query(`
      CREATE FUNCTION ticket_co_handler_open_sync() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE ticket_co_handler SET ticket_open = (NEW.state IN ${OPEN_STATES})
         WHERE ticket_id = NEW.id AND ticket_open IS DISTINCT FROM (NEW.state IN ${OPEN_STATES});
        RETURN NULL;
      END $$`)
    await queryRunner.query(`
      CREATE TRIGGER ticket_co_handler_open_update AFTER UPDATE OF state ON ticket FOR EACH ROW
        WHEN ((OLD.state IN ${OPEN_STATES}) IS DISTINCT FROM (NEW.state IN ${OPEN_STATES}))
        EXECUTE FUNCTION ticket_co_handler_open_sync()`)
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER ticket_co_handler_open_update ON ticket`)
    await queryRunner.query(`DROP FUNCTION ticket_co_handler_open_sync()`)
    await queryRunner.query(`DROP TRIGGER ticket_co_handler_open_insert ON ticket_co_handler`)
    await queryRunner.query(`DROP FUNCTION ticket_co_handler_open_set()`)
    await queryRunner.query(`DROP INDEX "public"."ticket_co_handler_open_idx"`)
    await queryRunner.query(`ALTER TABLE "ticket_co_handler" DROP COLUMN "ticket_open"`)
  }
}
