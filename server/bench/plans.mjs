// The plans of the supervisors' queries of issue #23 on the loaded data set: the ranking (考核排名, with 回退率
// and 重办率), the drill-down's lists and heat table at a street, the recurring-problem window of a compound
// and the quarterly 公开承诺 report. EXPLAIN ANALYZE of each, its time, and how many sequential scans of the
// requests table it makes (it must make none). The ranking's and the heat table's statements are the built
// server's own (dist/metrics: countGroups with the ranking's keys and heatCells, recorded, then explained);
// the rest is copied from metrics.service.ts (attention), recurring.service.ts (requests) and board.service.ts (report), kept in
// step by hand (their medium specs check the services' very SQL on smaller seeded sets).
import { createRequire } from 'node:module'
import { join } from 'node:path'

const require = createRequire(import.meta.url)

/**
 * Prints `BENCH plan_<query>_ms` and `BENCH plan_<query>_ticket_seq_scans` for each query, logs its plan,
 * and keeps the plans in `notes.plans`. Places: the street and the compound with the most requests.
 */
export async function supervisionPlans({ sql, dist, log, figure, notes, from, to }) {
  const { countGroups, heatCells } = require(join(dist, 'metrics', 'metrics.service.js'))
  const { HANDLERS, placesBelow } = require(join(dist, 'metrics', 'ranking.service.js'))
  const { currentRankingPeriods, rankingPeriod } = createRequire(join(dist, 'main.js'))('@mq/shared')
  const { rows: [street] } = await sql.query(
    `SELECT s.id, s.kind, s.path FROM place s WHERE s.kind = 'street'
      ORDER BY (SELECT count(*) FROM place c WHERE c.kind = 'compound' AND c.path @> ARRAY[s.id]) DESC LIMIT 1`,
  )
  const { rows: [compound] } = await sql.query(
    `SELECT p.id, p.kind, p.path FROM place p
      WHERE p.id = (SELECT compound_id FROM ticket GROUP BY 1 ORDER BY count(*) DESC LIMIT 1)`,
  )
  const { rows: [building] } = await sql.query(
    `SELECT p.id, p.kind, p.path FROM place p
      WHERE p.id = (SELECT building_id FROM ticket WHERE compound_id = $1 GROUP BY 1 ORDER BY count(*) DESC LIMIT 1)`,
    [compound.id],
  )
  const now = new Date()
  const quarter = rankingPeriod(currentRankingPeriods(now).quarter)
  /** The statements `run` sends (answered with no rows), to be explained below. */
  const record = async (run) => {
    const sent = []
    await run({ query: async (text, params) => (sent.push([text, params]), []) })
    return sent
  }
  /** The statements of a ranking of `place`'s rows by `key` this quarter. */
  const ranking = (place, key) => record((db) => countGroups(db, place, key, quarter, now))
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
    // The ranking (this quarter): a street's communities, a compound's buildings, a building's handlers, as
    // the server's own countGroups sends them (the counters of whole months, then the live terms).
    ranking_street: await ranking(street, placesBelow(street, 'community')),
    ranking_buildings: await ranking(compound, placesBelow(compound, 'building')),
    ranking_handlers: await ranking(building, HANDLERS),
    // Drill-down at the street: its heat table (requests per building and category), as heatCells sends it.
    drill_heat_street: await record((db) => heatCells(db, street, { from, to })),
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
  for (const [name, query] of Object.entries(queries)) {
    // One statement ([text, params]), or the several a ranking sends ([[text, params], …]): their times add up.
    const statements = typeof query[0] === 'string' ? [query] : query
    let ms = 0
    let plan = ''
    for (const [text, params] of statements) {
      const { rows } = await sql.query(`EXPLAIN (ANALYZE, COSTS OFF) ${text}`, params)
      const one = rows.map((r) => r['QUERY PLAN']).join('\n')
      ms += Number(/Execution Time: ([\d.]+) ms/.exec(one)?.[1] ?? NaN)
      plan += `${plan ? '\n' : ''}${one}`
    }
    notes.plans[name] = plan
    log(`plan of ${name}:\n${plan}`)
    figure(`plan_${name}_ms`, Number(ms.toFixed(2)), 'ms')
    figure(`plan_${name}_ticket_seq_scans`, (plan.match(/Seq Scan on ticket t\b/g) ?? []).length, 'count')
  }
}
