// The plans of the ranking's queries (考核排名, with 回退率 and 重办率) on the loaded data set: EXPLAIN ANALYZE of
// each, its time, and how many sequential scans of the requests table it makes (it must make none). The
// rate columns and the requests-with-handoffs join are the built server's own (dist/metrics/metrics.service.js);
// the GROUP BY and WHERE below are ranking.service.ts's, kept in step by hand (the medium spec
// server/src/metrics/metrics.spec.ts checks the service's very SQL on a smaller seeded set).
import { createRequire } from 'node:module'
import { join } from 'node:path'

const require = createRequire(import.meta.url)

/**
 * Prints `BENCH plan_<query>_ms` and `BENCH plan_<query>_ticket_seq_scans` for each query, logs its plan,
 * and keeps the plans in `notes.plans`. Places: the street and the compound with the most requests.
 */
export async function rankingPlans({ sql, dist, log, figure, notes, from, to }) {
  const { TICKETS, rateColumns } = require(join(dist, 'metrics', 'metrics.service.js'))
  const { rows: [street] } = await sql.query(
    `SELECT s.id, s.path FROM place s WHERE s.kind = 'street'
      ORDER BY (SELECT count(*) FROM place c WHERE c.kind = 'compound' AND c.path @> ARRAY[s.id]) DESC LIMIT 1`,
  )
  const { rows: [compound] } = await sql.query(
    `SELECT compound_id AS id FROM ticket GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`,
  )
  const { rows: [building] } = await sql.query(
    `SELECT building_id AS id FROM ticket WHERE compound_id = $1 GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`,
    [compound.id],
  )
  const now = new Date()
  const queries = {
    // A street's communities: every compound under the street, grouped by its path one level below.
    ranking_street: [
      `SELECT c.path[${street.path.length + 1}]::text AS key, ${rateColumns('$4')}
         FROM ${TICKETS}
         JOIN place c ON c.id = t.compound_id
        WHERE t.compound_id IN (SELECT p.id FROM place p WHERE p.kind = 'compound' AND p.path @> ARRAY[$1::uuid])
          AND t.created_at >= $2 AND t.created_at < $3
        GROUP BY 1`,
      [street.id, from, to, now],
    ],
    // A compound's buildings.
    ranking_buildings: [
      `SELECT t.building_id::text AS key, ${rateColumns('$4')}
         FROM ${TICKETS}
        WHERE t.compound_id = $1 AND t.created_at >= $2 AND t.created_at < $3
        GROUP BY 1`,
      [compound.id, from, to, now],
    ],
    // A building's handlers.
    ranking_handlers: [
      `SELECT t.handler_staff_id::text AS key, min(t.handler_role) AS role, ${rateColumns('$4')}
         FROM ${TICKETS}
        WHERE t.building_id = $1 AND t.compound_id = $5 AND t.created_at >= $2 AND t.created_at < $3
        GROUP BY 1`,
      [building.id, from, to, now, compound.id],
    ],
  }
  notes.plans = {}
  for (const [name, [text, params]] of Object.entries(queries)) {
    const { rows } = await sql.query(`EXPLAIN (ANALYZE, COSTS OFF) ${text}`, params)
    const plan = rows.map((r) => r['QUERY PLAN']).join('\n')
    notes.plans[name] = plan
    log(`plan of ${name}:\n${plan}`)
    const ms = Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? NaN)
    figure(`plan_${name}_ms`, ms, 'ms')
    figure(`plan_${name}_ticket_seq_scans`, (plan.match(/Seq Scan on ticket t\b/g) ?? []).length, 'count')
  }
}
