import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * Counters of requests per place and local month, kept in the transaction of every change of a request
 * (server/src/tallies/, docs/performance.md "Board and metrics"): the board, the quarterly report and the
 * metrics sum a few counter rows instead of reading every request of the place and period.
 *
 * - `ticket.handed_off`: the request was transferred or reassigned away from someone who held it (a
 *   `transferred` timeline entry with a `fromRole`, as 回退率 defines it), kept by a trigger on `ticket_event`.
 * - `compound_tally` (compound, month, handler role) and `ticket_tally` (compound, month, building, category,
 *   handler role, handler): per key, how many requests filed in that local month (Asia/Shanghai) count in
 *   each term of the board's counts and of shared/src/metrics.ts `countTicket()`. The terms that depend on the
 *   time of the read (due for acceptance or resolution because the deadline has passed, not yet accepted or
 *   resolved) are not counted here: the reads count them live over the few requests they can concern
 *   (`ticket_deadline_pending_idx`). No handler: role '' and the nil uuid (key columns cannot be null).
 * - Triggers on `ticket`: inserts and deletes once per statement (one upsert per table over the statement's
 *   rows, grouped by key, keys in order); an update of any column a term or key reads moves the request's
 *   terms from its old key to its new one, keys in order (lock order: two transactions moving requests
 *   between the same two keys lock the rows in the same order).
 *
 * The backfill is one set-based INSERT … SELECT per table (a full scan of `ticket`).
 */

const ZONE = 'Asia/Shanghai'
const NIL = '00000000-0000-0000-0000-000000000000'
const LEFT = "t.state IN ('rejected', 'merged', 'withdrawn')"
const RECEIVED = "t.state NOT IN ('merged', 'withdrawn')"
const ON_BOARD = "t.state <> 'withdrawn'"
const n = (condition: string) => `((${condition}) IS TRUE)::int`

/** A request's month and key columns, then its terms: [column, expression over the ticket row `t`]. */
const KEY = {
  compound_id: 't.compound_id',
  month: `date_trunc('month', t.created_at AT TIME ZONE '${ZONE}')::date`,
  building_id: 't.building_id',
  category: 't.category',
  handler_role: "coalesce(t.handler_role, '')",
  handler_staff_id: `coalesce(t.handler_staff_id, '${NIL}'::uuid)`,
} as const

/** The time-independent parts of countTicket()'s terms (see rateColumns() in metrics.service.ts). */
const METRIC_TERMS: [string, string][] = [
  // Every request filed, whatever its state: a group is listed when it has any (as a GROUP BY over them would).
  ['filed', '1'],
  ['response_due', n('t.accept_by IS NOT NULL AND t.accepted_at IS NOT NULL')],
  ['response_num', n('t.accept_by IS NOT NULL AND t.accepted_at IS NOT NULL AND t.accepted_at <= t.accept_by')],
  ['resolution_den', n(RECEIVED)],
  ['resolution_num', n(`${RECEIVED} AND t.resolved_at IS NOT NULL AND t.reopen_count = 0`)],
  ['satisfaction_den', n('t.latest_stars IS NOT NULL')],
  ['satisfaction_num', n('t.latest_stars >= 4')],
  ['on_time_due', n(`NOT ${LEFT} AND t.resolve_by IS NOT NULL AND t.resolved_at IS NOT NULL`)],
  ['on_time_num', n(`NOT ${LEFT} AND t.resolve_by IS NOT NULL AND t.resolved_at IS NOT NULL AND t.resolved_at <= t.resolve_by`)],
  ['handoff_num', n(`${RECEIVED} AND t.handed_off`)],
  ['redo_den', n('t.resolved_at IS NOT NULL OR t.reopen_count > 0')],
  ['redo_num', n('t.reopen_count > 0')],
]

/** The board's counts and the quarterly report's (board.service.ts): requests not withdrawn. */
const BOARD_TERMS: [string, string][] = [
  ['received', n(ON_BOARD)],
  ['accepted', n(`${ON_BOARD} AND t.accepted_at IS NOT NULL`)],
  ['committed', n(`${ON_BOARD} AND t.replied_at IS NOT NULL AND t.promised_at IS NOT NULL`)],
  ['resolved', n(`${ON_BOARD} AND t.resolved_at IS NOT NULL`)],
  ['closed', n("t.state = 'closed'")],
  ['on_time', n(`${ON_BOARD} AND t.resolved_at IS NOT NULL AND t.resolve_by IS NOT NULL AND t.resolved_at <= t.resolve_by`)],
  ['rated', n(`${ON_BOARD} AND t.latest_stars IS NOT NULL`)],
  ['stars', `CASE WHEN ${ON_BOARD} THEN coalesce(t.latest_stars, 0) ELSE 0 END`],
  ['satisfied', n(`${ON_BOARD} AND t.latest_stars >= 4`)],
]

interface TallyTable {
  name: string
  keys: (keyof typeof KEY)[]
  terms: [string, string][]
}

export const TALLY_TABLES: TallyTable[] = [
  { name: 'compound_tally', keys: ['compound_id', 'month', 'handler_role'], terms: [...BOARD_TERMS, ...METRIC_TERMS] },
  {
    name: 'ticket_tally',
    keys: ['compound_id', 'month', 'building_id', 'category', 'handler_role', 'handler_staff_id'],
    terms: METRIC_TERMS,
  },
]

/** The columns of `ticket` a key or a term reads: an update of any other column leaves the counters alone. */
const READ_COLUMNS = [
  'compound_id',
  'building_id',
  'category',
  'handler_role',
  'handler_staff_id',
  'created_at',
  'state',
  'accept_by',
  'accepted_at',
  'resolve_by',
  'resolved_at',
  'replied_at',
  'promised_at',
  'reopen_count',
  'latest_stars',
  'handed_off',
]

/** Every counter row from scratch, over the requests `t` of `source` (the backfill; tests recount with it). */
export function tallySelect(table: TallyTable, source: string): string {
  const keys = table.keys.map((k) => `${KEY[k]} AS ${k}`)
  const sums = table.terms.map(([column, term]) => `sum(${term})::int AS ${column}`)
  return `SELECT ${[...keys, ...sums].join(',\n       ')}
  FROM ${source}
 GROUP BY ${table.keys.map((_, i) => i + 1).join(', ')}`
}

function createTable(table: TallyTable): string {
  const types: Record<keyof typeof KEY, string> = {
    compound_id: 'uuid',
    month: 'date',
    building_id: 'uuid',
    category: 'text',
    handler_role: 'text',
    handler_staff_id: 'uuid',
  }
  return `CREATE TABLE "${table.name}" (
    ${table.keys.map((k) => `"${k}" ${types[k]} NOT NULL`).join(', ')},
    ${table.terms.map(([column]) => `"${column}" integer NOT NULL DEFAULT 0`).join(', ')},
    CONSTRAINT "PK_${table.name}" PRIMARY KEY (${table.keys.map((k) => `"${k}"`).join(', ')}))`
}

/** Adds (sign 1) or takes away (-1) the terms of every request `t` of `source`, keys in order. */
function upsertAll(table: TallyTable, source: string, sign: 1 | -1): string {
  const keys = table.keys.map((k) => KEY[k])
  const sums = table.terms.map(([, term]) => `${sign === 1 ? '' : '-'}sum(${term})::int`)
  const ordinals = table.keys.map((_, i) => i + 1).join(', ')
  return `INSERT INTO ${table.name} AS c (${[...table.keys, ...table.terms.map(([column]) => column)].join(', ')})
          SELECT ${[...keys, ...sums].join(', ')} FROM ${source} GROUP BY ${ordinals} ORDER BY ${ordinals}
          ON CONFLICT (${table.keys.join(', ')}) DO UPDATE SET
          ${table.terms.map(([column]) => `${column} = c.${column} + excluded.${column}`).join(', ')}`
}

/** An expression over the ticket `t` for the trigger's row `row` (NEW or OLD). */
const of = (expression: string, row: string) => expression.replace(/\bt\./g, `${row}.`)

/** Adds `values` (the terms, in order) to the row of key `row`'s key. */
function upsert(table: TallyTable, row: string, values: string[]): string {
  return `INSERT INTO ${table.name} AS c (${[...table.keys, ...table.terms.map(([column]) => column)].join(', ')})
          VALUES (${[...table.keys.map((k) => of(KEY[k], row)), ...values].join(', ')})
          ON CONFLICT (${table.keys.join(', ')}) DO UPDATE SET
          ${table.terms.map(([column]) => `${column} = c.${column} + excluded.${column}`).join(', ')}`
}

/**
 * The update trigger's work on one table: add NEW's terms, take OLD's away. When the update keeps the key,
 * one upsert of the difference (none when the terms are the same); when it moves the request, two, the
 * smaller key first, so two transactions moving requests between the same keys lock the rows in the same
 * order.
 */
function tallyChange(table: TallyTable): string {
  const add = (row: string) => upsert(table, row, table.terms.map(([, term]) => of(term, row)))
  const remove = (row: string) => upsert(table, row, table.terms.map(([, term]) => `-${of(term, row)}`))
  const key = (row: string) => `ROW(${table.keys.map((k) => of(KEY[k], row)).join(', ')})`
  const terms = (row: string) => `ROW(${table.terms.map(([, term]) => of(term, row)).join(', ')})`
  return `
        IF ${key('OLD')} = ${key('NEW')} THEN
          IF ${terms('OLD')} IS DISTINCT FROM ${terms('NEW')} THEN
            ${upsert(table, 'NEW', table.terms.map(([, term]) => `${of(term, 'NEW')} - ${of(term, 'OLD')}`))};
          END IF;
        ELSIF ${key('OLD')} < ${key('NEW')} THEN
          ${remove('OLD')};
          ${add('NEW')};
        ELSE
          ${add('NEW')};
          ${remove('OLD')};
        END IF;`
}

/** A timeline entry that hands a request off (metrics.service.ts HANDED_OFF_EVENT), of the row `e`. */
const handoff = (e: string) => `${e}.type = 'transferred' AND ${e}.data->>'fromRole' IS NOT NULL`

/** Spelled as ticket.entity.ts spells the index's condition (the schema-drift test compares them). */
const PENDING =
  "state NOT IN ('rejected', 'merged', 'withdrawn') AND ((accepted_at IS NULL AND accept_by IS NOT NULL) OR (resolved_at IS NULL AND resolve_by IS NOT NULL))"

export class Tallies1798300000000 implements MigrationInterface {
  name = 'Tallies1798300000000'

  async up(queryRunner: QueryRunner): Promise<void> {
    // 回退率's fact on the request's own row (a constant default: no rewrite of the table).
    await queryRunner.query(`ALTER TABLE "ticket" ADD "handed_off" boolean NOT NULL DEFAULT false`)
    await queryRunner.query(
      `UPDATE ticket t SET handed_off = true WHERE t.id IN (SELECT e.ticket_id FROM ticket_event e WHERE ${handoff('e')})`,
    )
    await queryRunner.query(`
      CREATE FUNCTION ticket_handed_off_sync() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          UPDATE ticket SET handed_off = true WHERE id = NEW.ticket_id AND NOT handed_off;
          RETURN NULL;
        END IF;
        UPDATE ticket t SET handed_off = h.handed_off
          FROM (SELECT x.id, EXISTS (SELECT 1 FROM ticket_event e WHERE e.ticket_id = x.id AND ${handoff('e')}) AS handed_off
                  FROM unnest(ARRAY[OLD.ticket_id, CASE WHEN TG_OP = 'UPDATE' THEN NEW.ticket_id END]) AS x(id)
                 WHERE x.id IS NOT NULL) h
         WHERE t.id = h.id AND t.handed_off IS DISTINCT FROM h.handed_off;
        RETURN NULL;
      END $$`)
    await queryRunner.query(`
      CREATE TRIGGER ticket_handed_off_insert AFTER INSERT ON ticket_event FOR EACH ROW
        WHEN (${handoff('NEW')}) EXECUTE FUNCTION ticket_handed_off_sync()`)
    await queryRunner.query(`
      CREATE TRIGGER ticket_handed_off_update AFTER UPDATE ON ticket_event FOR EACH ROW
        WHEN ((${handoff('OLD')}) OR (${handoff('NEW')}))
        EXECUTE FUNCTION ticket_handed_off_sync()`)
    await queryRunner.query(`
      CREATE TRIGGER ticket_handed_off_delete AFTER DELETE ON ticket_event FOR EACH ROW
        WHEN (${handoff('OLD')}) EXECUTE FUNCTION ticket_handed_off_sync()`)

    for (const table of TALLY_TABLES) await queryRunner.query(createTable(table))
    // Inserts and deletes: once per statement over all its rows (a COPY, a bulk insert or a retention sweep
    // upserts each key once, not once per request: repeated updates of one row in one transaction grow
    // its chain of versions).
    await queryRunner.query(`
      CREATE FUNCTION ticket_tally_added() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${TALLY_TABLES.map((table) => upsertAll(table, 'added t', 1)).join(';\n        ')};
        RETURN NULL;
      END $$`)
    await queryRunner.query(`
      CREATE FUNCTION ticket_tally_removed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${TALLY_TABLES.map((table) => upsertAll(table, 'removed t', -1)).join(';\n        ')};
        RETURN NULL;
      END $$`)
    await queryRunner.query(`
      CREATE TRIGGER ticket_tally_insert AFTER INSERT ON ticket REFERENCING NEW TABLE AS added
        FOR EACH STATEMENT EXECUTE FUNCTION ticket_tally_added()`)
    await queryRunner.query(`
      CREATE TRIGGER ticket_tally_delete AFTER DELETE ON ticket REFERENCING OLD TABLE AS removed
        FOR EACH STATEMENT EXECUTE FUNCTION ticket_tally_removed()`)
    // Updates: per request, only when a column a key or a term reads has changed.
    await queryRunner.query(`
      CREATE FUNCTION ticket_tally_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN${TALLY_TABLES.map(tallyChange).join('')}
        RETURN NULL;
      END $$`)
    await queryRunner.query(`
      CREATE TRIGGER ticket_tally_update AFTER UPDATE OF ${READ_COLUMNS.join(', ')} ON ticket FOR EACH ROW
        WHEN (${READ_COLUMNS.map((c) => `OLD.${c} IS DISTINCT FROM NEW.${c}`).join(' OR ')})
        EXECUTE FUNCTION ticket_tally_changed()`)
    // Kept whatever writes: also in a session with session_replication_role = replica (the bench generator's
    // COPY, bulk loads skipping foreign-key checks). A physical standby runs no triggers; a logical
    // subscriber of `ticket` must not also subscribe to the counters.
    for (const [table, trigger] of [
      ['ticket', 'ticket_tally_insert'],
      ['ticket', 'ticket_tally_delete'],
      ['ticket', 'ticket_tally_update'],
      ['ticket_event', 'ticket_handed_off_insert'],
      ['ticket_event', 'ticket_handed_off_update'],
      ['ticket_event', 'ticket_handed_off_delete'],
    ]) {
      await queryRunner.query(`ALTER TABLE ${table} ENABLE ALWAYS TRIGGER ${trigger}`)
    }
    // The backfill: one INSERT … SELECT per table.
    for (const table of TALLY_TABLES) {
      await queryRunner.query(
        `INSERT INTO ${table.name} (${[...table.keys, ...table.terms.map(([column]) => column)].join(', ')})
         ${tallySelect(table, 'ticket t')}`,
      )
    }
    // The requests a read must count live: not accepted or not resolved yet, against a deadline.
    await queryRunner.query(
      `CREATE INDEX "ticket_deadline_pending_idx" ON "ticket" ("compound_id", "created_at") WHERE ${PENDING}`,
    )
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ticket_deadline_pending_idx"`)
    await queryRunner.query(`DROP TRIGGER ticket_tally_update ON ticket`)
    await queryRunner.query(`DROP TRIGGER ticket_tally_delete ON ticket`)
    await queryRunner.query(`DROP TRIGGER ticket_tally_insert ON ticket`)
    await queryRunner.query(`DROP FUNCTION ticket_tally_changed()`)
    await queryRunner.query(`DROP FUNCTION ticket_tally_removed()`)
    await queryRunner.query(`DROP FUNCTION ticket_tally_added()`)
    // contract: the counters are derived from `ticket` alone; dropping them loses nothing.
    for (const table of [...TALLY_TABLES].reverse()) await queryRunner.query(`DROP TABLE "${table.name}"`)
    await queryRunner.query(`DROP TRIGGER ticket_handed_off_delete ON ticket_event`)
    await queryRunner.query(`DROP TRIGGER ticket_handed_off_update ON ticket_event`)
    await queryRunner.query(`DROP TRIGGER ticket_handed_off_insert ON ticket_event`)
    await queryRunner.query(`DROP FUNCTION ticket_handed_off_sync()`)
    // contract: derived from the timeline (ticket_event), which keeps every transfer.
    await queryRunner.query(`ALTER TABLE "ticket" DROP COLUMN "handed_off"`)
  }
}
