import type { DataSource } from 'typeorm'
import {
  countTicket,
  emptyCounts,
  METRIC_KEYS,
  rate,
  type MetricGrouping,
  type MetricRates,
  type MetricTicket,
  type Role,
} from '@mq/shared'

/** For specs: the metrics' answer as shared countTicket() defines it, and the seeded generator they use. */

/** A small seeded generator, so a failure can be replayed. */
export function random(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let x = Math.imul(a ^ (a >>> 15), 1 | a)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** A request as a spec knows it: its facts and its group keys. */
export interface KnownTicket extends MetricTicket {
  category: string
  buildingId: string
  handlerStaffId: string | null
  handlerRole: Role | null
}

/** The rates of `tickets` judged at `now`, as the API answers them. */
export function definedRates(tickets: readonly MetricTicket[], now: Date): MetricRates {
  const counts = tickets.reduce((acc, g) => countTicket(acc, g, now), emptyCounts())
  return {
    received: counts.resolution.denominator,
    ...Object.fromEntries(METRIC_KEYS.map((k) => [k, { ...counts[k], rate: rate(counts[k]) }])),
  } as MetricRates
}

/** The key of each grouping, as the API names groups. */
export const KEY_OF: Record<MetricGrouping, (g: KnownTicket) => string | null> = {
  role: (g) => g.handlerRole,
  person: (g) => g.handlerStaffId,
  category: (g) => g.category,
  building: (g) => g.buildingId,
}

/** The columns of a generated request the metrics read (everything else takes the table's defaults). */
export interface GeneratedTicket {
  unitId: string
  buildingId: string
  compoundId: string
  category: string
  state: string
  handlerId: string | null
  handlerRole: string | null
  acceptBy: Date | null
  acceptedAt: Date | null
  resolveBy: Date | null
  resolvedAt: Date | null
  reopenCount: number
  createdAt: Date
}

/** Writes a generated request straight into `ticket` (simple, filed by mini-app); answers its id. */
export async function insertGeneratedTicket(
  db: { query: DataSource['query'] },
  g: GeneratedTicket,
): Promise<string> {
  const [{ id }] = await db.query<{ id: string }[]>(
    `INSERT INTO ticket (unit_id, building_id, compound_id, category, severity, state, channel, description,
                         handler_staff_id, handler_role, accept_by, accepted_at, resolve_by, resolved_at,
                         reopen_count, created_at)
     VALUES ($1, $2, $3, $4, 'simple', $5, 'miniapp', '生成', $6, $7, $8, $9, $10, $11, $12, $13)
     RETURNING id`,
    [
      g.unitId,
      g.buildingId,
      g.compoundId,
      g.category,
      g.state,
      g.handlerId,
      g.handlerRole,
      g.acceptBy,
      g.acceptedAt,
      g.resolveBy,
      g.resolvedAt,
      g.reopenCount,
      g.createdAt,
    ],
  )
  return id
}
