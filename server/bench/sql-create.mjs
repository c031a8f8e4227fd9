// The baseline of create_rps: the rows one filing writes (tickets.service.ts file + create), written by
// plain `pg` as one transaction per request, `clients` clients in parallel, on the same database.
// Rows: the ticket, its warning and overdue timers (shared planTimers), co-handler rows, the `filed` and
// `routed` timeline entries, the outbox rows of the assignment and the idempotency key.
import { randomUUID } from 'node:crypto'
import { createRequire } from 'node:module'
import { pick, streamFor } from './rng.mjs'

const require = createRequire(import.meta.url)
const { Client } = require('pg')
const { CATEGORIES, computeDeadlines, nextDeadline, planTimers } = require('@mq/shared')

async function fileOne(client, base, rand, residentIds) {
  const compound = pick(rand, base.compounds)
  const unit = pick(rand, compound.units)
  const category = pick(rand, CATEGORIES)
  const handler = compound.staff[category.leadRole]
  const now = new Date()
  const d = computeDeadlines({ filedAt: now, severity: category.severity })
  const fields = { state: 'submitted', severity: category.severity, ...d }
  const residentId = pick(rand, residentIds)
  await client.query('BEGIN')
  try {
    const [ticket] = (
      await client.query(
        `INSERT INTO ticket (unit_id, building_id, compound_id, category, severity, state, channel, description,
            reporter_resident_id, contact_consent, handler_staff_id, handler_role, co_roles, accept_by, reply_by,
            resolve_by, next_due_at, clock_started_at, pauses, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'submitted', 'h5', $6, $7, false, $8, $9, $10, $11, $12, $13, $14, $15, '[]', $15, $15)
         RETURNING id, number`,
        [
          unit.id,
          unit.building.id,
          compound.id,
          category.code,
          category.severity,
          '压力测试：楼道灯坏了，晚上很黑',
          residentId,
          handler.id,
          category.leadRole,
          category.coRoles,
          d.acceptBy,
          d.replyBy,
          d.resolveBy,
          nextDeadline(fields),
          now,
        ],
      )
    ).rows
    const plan = planTimers({
      ...fields,
      createdAt: now,
      clockStartedAt: now,
      repliedAt: null,
      resolvedAt: null,
      promisedAt: null,
      pauses: [],
    })
    const values = []
    const rows = plan.map((t) => {
      const b = values.length
      values.push(ticket.id, t.kind, t.window, t.deadline, t.step, t.fireAt, now)
      return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7}, 'pending')`
    })
    await client.query(
      `INSERT INTO deadline_timer (ticket_id, kind, deadline_type, deadline_at, step, fire_at, created_at, status)
       VALUES ${rows.join(', ')} ON CONFLICT ON CONSTRAINT deadline_timer_identity DO NOTHING`,
      values,
    )
    const co = category.coRoles.map((role) => compound.staff[role])
    for (const c of co) {
      await client.query(
        `INSERT INTO ticket_co_handler (ticket_id, staff_id, role, created_at) VALUES ($1, $2, $3, $4)`,
        [ticket.id, c.id, c.role, now],
      )
    }
    await client.query(
      `INSERT INTO ticket_event (ticket_id, at, actor_kind, actor_id, type, public, data)
       VALUES ($1, $2, 'resident', $3, 'filed', true, $4)`,
      [ticket.id, now, residentId, { channel: 'h5', photos: 0 }],
    )
    const [routed] = (
      await client.query(
        `INSERT INTO ticket_event (ticket_id, at, actor_kind, type, public, data)
         VALUES ($1, $2, 'system', 'routed', true, $3) RETURNING id`,
        [
          ticket.id,
          now,
          {
            role: category.leadRole,
            reason: `责任清单：${category.label}`,
            coHandlerRoles: category.coRoles,
          },
        ],
      )
    ).rows
    const payload = {
      number: `MQ${String(ticket.number).padStart(6, '0')}`,
      category: category.code,
      categoryLabel: category.label,
      state: 'submitted',
    }
    for (const [who, as] of [[handler, 'handler'], ...co.map((c) => [c, 'co_handler'])]) {
      await client.query(
        `INSERT INTO notification_outbox (dedupe_key, recipient_kind, recipient_id, type, ticket_id, payload, status, attempts, next_attempt_at, created_at)
         VALUES ($1, 'staff', $2, 'assigned', $3, $4, 'pending', 0, $5, $5) ON CONFLICT DO NOTHING`,
        [`assigned:${ticket.id}:${routed.id}:staff:${who.id}`, who.id, ticket.id, { ...payload, as }, now],
      )
    }
    await client.query(
      `INSERT INTO idempotency_key (principal, key, body_hash, ticket_id, created_at) VALUES ($1, $2, $3, $4, $5)`,
      [`resident:${residentId}`, randomUUID(), 'sql-baseline', ticket.id, now],
    )
    await client.query('COMMIT')
  } catch (error) {
    await client.query('ROLLBACK')
    throw error
  }
}

/** Filings per second over `durationS`, `clients` clients each filing back to back. */
export async function sqlCreateRps(url, base, residentIds, { clients = 32, durationS = 10, seed = 1 } = {}) {
  const pool = await Promise.all(
    Array.from({ length: clients }, async () => {
      const c = new Client({ connectionString: url })
      await c.connect()
      return c
    }),
  )
  let done = 0
  const started = Date.now()
  const end = started + durationS * 1000
  try {
    await Promise.all(
      pool.map(async (client, i) => {
        const rand = streamFor(seed, 77, i)
        while (Date.now() < end) {
          await fileOne(client, base, rand, residentIds)
          done++
        }
      }),
    )
  } finally {
    await Promise.all(pool.map((c) => c.end()))
  }

  return done / ((Date.now() - started) / 1000)
}
