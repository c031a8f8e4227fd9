// The plans of the supervisors' queries of issue #23 on the loaded data set: the ranking (考核排名, with 回退率
// and 重办率), the drill-down's lists and heat table at a street, the recurring-problem window of a compound
// and the quarterly 公开承诺 report. EXPLAIN ANALYZE of each, its time, and how many sequential scans of the
// requests table it makes (it must make none). The rate columns and the requests-with-handoffs join are the
// built server's own (dist/metrics/metrics.service.js); the rest is copied from ranking.service.ts,
// metrics.service.ts (heat, attention), recurring.service.ts (requests) and board.service.ts (report), kept in
// step by hand (their medium specs check the services' very SQL on smaller seeded sets).
import { createRequire } from 'node:module'
import { join } from 'node:path'

const require = createRequire(import.meta.url)

/**
 * Prints `BENCH plan_<query>_ms` and `BENCH plan_<query>_ticket_seq_scans` for each query, logs its plan,
 * and keeps the plans in `notes.plans`. Places: the street and the compound with the most requests.
 */
export async function supervisionPlans({ sql, dist, log, figure, notes, from, to }) {
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
  const attention = (where, order) =>
    `SELECT t.id, t.number, t.category, b.name AS building_name, t.state, t.handler_role,
            s.name AS handler_name, t.next_due_at, t.escalation_level
       FROM ticket t
       JOIN place b ON b.id = t.building_id
       LEFT JOIN staff s ON s.id = t.handler_staff_id
      WHERE t.compound_id IN (SELECT c.id FROM place c WHERE c.kind = 'compound' AND c.path @> ARRAY[$1::uuid])
        AND t.state IN ('submitted', 'accepted', 'replied', 'waiting_resident') AND ${where}
      ORDER BY ${order}
      LIMIT ${where.includes('$2') ? '$3' : '$2'}`
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
    // Drill-down at the street: its heat table (requests per building and category).
    drill_heat_street: [
      `SELECT c.building_id, k.name || ' ' || b.name AS building_name, c.category, c.count
         FROM (SELECT t.building_id, t.category, count(*) AS count
                 FROM ticket t
                WHERE t.compound_id IN (SELECT c.id FROM place c WHERE c.kind = 'compound' AND c.path @> ARRAY[$1::uuid])
                  AND t.created_at >= $2 AND t.created_at < $3
                  AND t.state NOT IN ('merged', 'withdrawn')
                GROUP BY 1, 2) c
         JOIN place b ON b.id = c.building_id
         JOIN place k ON k.id = b.parent_id`,
      [street.id, from, to],
    ],
    // Drill-down at the street: the overdue list (most overdue first) and the escalated list.
    drill_overdue_street: [attention('t.next_due_at < $2', 't.next_due_at ASC, t.number ASC'), [street.id, now, 20]],
    drill_escalated_street: [
      attention('t.escalation_level > 0', 't.escalation_level DESC, t.next_due_at ASC NULLS LAST, t.number ASC'),
      [street.id, 20],
    ],
    // Recurring problems (重点问题): a compound's requests of the last 30 days, with what their public text needs.
    recurring_window: [
      `SELECT t.id, t.number, t.category, t.state, t.building_id, b.name AS building_name, t.created_at,
              t.description, t.public_text,
              r.name AS reporter_name, r.phone AS reporter_phone, t.proxy_name, t.proxy_phone, t.room
         FROM ticket t JOIN place b ON b.id = t.building_id
         LEFT JOIN resident r ON r.id = t.reporter_resident_id
        WHERE t.compound_id = $1 AND t.created_at > $2 AND t.created_at <= $3 AND t.state NOT IN ('withdrawn', 'merged')
        ORDER BY t.created_at, t.number`,
      [compound.id, new Date(now.getTime() - 30 * 86_400_000), now],
    ],
    // The quarterly 公开承诺 report of a compound, by the handler's role (then by party).
    quarterly_report: [
      `SELECT t.handler_role,
              count(*) AS collected,
              count(*) FILTER (WHERE t.replied_at IS NOT NULL AND t.promised_at IS NOT NULL) AS committed,
              count(*) FILTER (WHERE t.resolved_at IS NOT NULL) AS resolved,
              count(*) FILTER (WHERE t.resolved_at IS NOT NULL AND t.resolve_by IS NOT NULL AND t.resolved_at <= t.resolve_by)
                AS on_time,
              count(t.latest_stars) AS rated,
              count(*) FILTER (WHERE t.latest_stars >= 4) AS satisfied
         FROM ticket t
        WHERE t.compound_id = $1 AND t.state <> 'withdrawn' AND t.created_at >= $2 AND t.created_at < $3
        GROUP BY t.handler_role`,
      [compound.id, from, to],
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
